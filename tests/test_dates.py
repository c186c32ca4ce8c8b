"""Dates: every form, as ISO values with a granularity; and every trap."""

from __future__ import annotations

import pytest

from vanban.ingest.extract.dates import extract_dates, valid_day

DATE_CASES = [
    ("ban hành ngày 03/6/2013 của", [("ngày 03/6/2013", "2013-06-03", "day")]),
    (
        "ngày 5-8-2021 và ngày 12.3.2022",
        [("ngày 5-8-2021", "2021-08-05", "day"), ("ngày 12.3.2022", "2022-03-12", "day")],
    ),
    ("Hà Nội, ngày 03 tháng 6 năm 2013", [("ngày 03 tháng 6 năm 2013", "2013-06-03", "day")]),
    ("NGÀY 22/10/2018 CỦA", [("NGÀY 22/10/2018", "2018-10-22", "day")]),
    ("ngay 14/5/2016", [("ngay 14/5/2016", "2016-05-14", "day")]),
    ("ngay 3 thang 6 nam 2013", [("ngay 3 thang 6 nam 2013", "2013-06-03", "day")]),
    ("hạn chót 14/11/2023.", [("14/11/2023", "2023-11-14", "day")]),
    ("kết thúc 12-3-2024,", [("12-3-2024", "2024-03-12", "day")]),
    ("ngày 03 / 6 / 2013", [("ngày 03 / 6 / 2013", "2013-06-03", "day")]),
    ("ngày03 tháng 12 năm 2004", [("ngày03 tháng 12 năm 2004", "2004-12-03", "day")]),
    ("2018-07-31 10:52:26 Số lượt xem 3220", [("2018-07-31", "2018-07-31", "day")]),
    ("vào tháng 12 năm 2017,", [("tháng 12 năm 2017", "2017-12", "month")]),
    (
        "Tháng 4/2022 và tháng 01 năm 2018",
        [("Tháng 4/2022", "2022-04", "month"), ("tháng 01 năm 2018", "2018-01", "month")],
    ),
    ("quý III năm 2024", [("quý III năm 2024", "2024-Q3", "quarter")]),
    (
        "quý 3/2024 và QUÝ I/2022",
        [("quý 3/2024", "2024-Q3", "quarter"), ("QUÝ I/2022", "2022-Q1", "quarter")],
    ),
    ("Năm 2016, huyện", [("Năm 2016", "2016", "year")]),
    ("6 tháng đầu năm 2024", [("năm 2024", "2024", "year")]),
    ("nam 2023 va", [("nam 2023", "2023", "year")]),
    ("giai đoạn 2016 - 2020", [("giai đoạn 2016 - 2020", "2016/2020", "period")]),
    ("nhiệm kỳ 2015 – 2020", [("nhiệm kỳ 2015 – 2020", "2015/2020", "period")]),
    ("giai đoạn 2021-2025", [("giai đoạn 2021-2025", "2021/2025", "period")]),
    ("năm học 2019-2020", [("năm học 2019-2020", "2019/2020", "period")]),
    ("ngày 29/02/2020", [("ngày 29/02/2020", "2020-02-29", "day")]),
    # a date wrapped over two lines of a PDF
    (
        "Luật Đất đai ngày 29 tháng 11 năm\n2013;",
        [("ngày 29 tháng 11 năm\n2013", "2013-11-29", "day")],
    ),
    (
        "ký ngày 07 tháng 02\nnăm 2019 tại",
        [("ngày 07 tháng 02\nnăm 2019", "2019-02-07", "day")],
    ),
    ("vào tháng 9 năm\n2020,", [("tháng 9 năm\n2020", "2020-09", "month")]),
]


@pytest.mark.parametrize(("text", "expected"), DATE_CASES)
def test_date_forms(text: str, expected: list[tuple[str, str, str]]) -> None:
    dates = extract_dates(text)
    assert [(d.surface, d.value, d.granularity) for d in dates] == expected
    for d in dates:
        assert text[d.start : d.end] == d.surface


TRAPS = [
    "Số lượt xem 3220",
    "cột 12\n2020 và tổng số\n2021 hộ",
    "Đang online49 Tất cả2741245",
    "Tháng này38.920 lượt",
    "đạt 18/19 tiêu chí, 12/15 hộ",
    "3,5/10 ha và tỷ lệ 1/2000",
    "ngày 31/02/2020 và 30/2/2021",
    "ngày 29/02/2019",
    "tháng 13/2017",
    "điện thoại 0210.3846.123, 0912 345 678, (0292) 3891433",
    "số 10/2 đường Lê Lợi, phòng 12/3",
    "tờ số 15/2020 thửa 112",
    "2.500/người, tỷ số 3-1",
    "mỗi năm 1.250 hộ; Năm nay; 03 năm",
    "bare 2016 and 1999",
    "Nghị định số 34/2016/NĐ-CP",
    "QCVN 01:2009/BYT",
    "lúc 10:52:26",
    "giai đoạn 2020 - 2016",
]


@pytest.mark.parametrize("text", TRAPS)
def test_traps_give_no_date(text: str) -> None:
    assert extract_dates(text) == []


def test_no_dependence_on_today() -> None:
    assert [d.value for d in extract_dates("ngày 01/01/2099")] == ["2099-01-01"]


@pytest.mark.parametrize(
    ("year", "month", "day", "ok"),
    [
        (2020, 2, 29, True),
        (2019, 2, 29, False),
        (2021, 4, 31, False),
        (2021, 13, 1, False),
        (2021, 12, 31, True),
        (2021, 1, 0, False),
    ],
)
def test_valid_day(year: int, month: int, day: int, ok: bool) -> None:
    assert valid_day(year, month, day) is ok
