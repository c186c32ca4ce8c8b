"""Reference extraction: every form of the spec, attached facts, short forms, traps."""

from __future__ import annotations

import json

import pytest

from tests.conftest import need_shared
from vanban.corpus.model import Reference
from vanban.ingest.extract.extraction import extract, extract_identity
from vanban.ingest.extract.references import extract_references
from vanban.ingest.normalize import normalize


def found(text: str) -> list[tuple[str, str | None]]:
    """(surface, symbol or name) of each mention."""
    refs = extract_references(text)
    for ref in refs:
        assert text[ref.start : ref.end] == ref.surface
    return [(r.surface, r.directive.symbol or r.directive.name) for r in refs]


def first(text: str) -> Reference:
    refs = extract_references(text)
    assert refs, text
    return refs[0]


FORM_CASES = [
    # State format
    (
        "theo Nghị định số 30/2020/NĐ-CP của Chính phủ",
        [("Nghị định số 30/2020/NĐ-CP", "30/2020/NĐ-CP")],
    ),
    ("Quyết định số 1234/QĐ-UBND", [("Quyết định số 1234/QĐ-UBND", "1234/QĐ-UBND")]),
    (
        "Thông tư liên tịch số 03/2016/TTLT-BNV-BTC",
        [("Thông tư liên tịch số 03/2016/TTLT-BNV-BTC", "03/2016/TTLT-BNV-BTC")],
    ),
    ("Luật số 80/2015/QH13", [("Luật số 80/2015/QH13", "80/2015/QH13")]),
    ("Nghị quyết số 02/2020/UBTVQH14", [("Nghị quyết số 02/2020/UBTVQH14", "02/2020/UBTVQH14")]),
    ("Nghị quyết số 30c/NQ-CP", [("Nghị quyết số 30c/NQ-CP", "30c/NQ-CP")]),
    ("Công văn số 2345/UBND-KGVX", [("Công văn số 2345/UBND-KGVX", "2345/UBND-KGVX")]),
    ("văn bản số 6582/VPCP-KSTT của", [("6582/VPCP-KSTT", "6582/VPCP-KSTT")]),
    ("theo 1234/BTNMT-TCQLĐĐ,", [("1234/BTNMT-TCQLĐĐ", "1234/BTNMT-TCQLĐĐ")]),
    # Party format
    ("Nghị quyết số 25-NQ/TW", [("Nghị quyết số 25-NQ/TW", "25-NQ/TW")]),
    ("Quy định số 08-QĐi/TW", [("Quy định số 08-QĐi/TW", "08-QĐi/TW")]),
    ("Kế hoạch số 45-KH/HU", [("Kế hoạch số 45-KH/HU", "45-KH/HU")]),
    ("Công văn số 84-CV/ĐU", [("Công văn số 84-CV/ĐU", "84-CV/ĐU")]),
    ("Kết luận 114-KL/TW", [("Kết luận 114-KL/TW", "114-KL/TW")]),
    ("Thông báo số 125-TB/TU", [("Thông báo số 125-TB/TU", "125-TB/TU")]),
    # Surface variants
    ("Nghị quyết số 02- NQ/TU", [("Nghị quyết số 02- NQ/TU", "02-NQ/TU")]),
    ("Nghị quyết số 35 – NQ/TW", [("Nghị quyết số 35 – NQ/TW", "35-NQ/TW")]),
    ("Quyết định số 2729 /QĐ-UBND", [("Quyết định số 2729 /QĐ-UBND", "2729/QĐ-UBND")]),
    ("Bộ luật Dân sự số 91/2015/QH 13", [("Bộ luật Dân sự số 91/2015/QH 13", "91/2015/QH13")]),
    ("Quy định số: 22-QĐ/TW", [("Quy định số: 22-QĐ/TW", "22-QĐ/TW")]),
    ("NGHỊ QUYẾT SỐ 35-NQ/TW", [("NGHỊ QUYẾT SỐ 35-NQ/TW", "35-NQ/TW")]),
    ("nghi dinh so 34/2016/ND-CP", [("nghi dinh so 34/2016/ND-CP", "34/2016/NĐ-CP")]),
    ("Nghị quyết số 26-NQ/TƯ", [("Nghị quyết số 26-NQ/TƯ", "26-NQ/TW")]),
    ("Chỉ thị số 5-CT/TW", [("Chỉ thị số 5-CT/TW", "05-CT/TW")]),
    ("Quyết đinh số 2729/QĐ-UBND", [("Quyết đinh số 2729/QĐ-UBND", "2729/QĐ-UBND")]),
    ("Nghi định số 63/2010/NĐ-CP", [("Nghi định số 63/2010/NĐ-CP", "63/2010/NĐ-CP")]),
    ("Chương trình hành động số 15-CTr/HU", [("Chương trình hành động số 15-CTr/HU", "15-CTr/HU")]),
    (
        "Luật Ban hành văn bản quy phạm pháp luật số 80/2015/QH13",
        [("Luật Ban hành văn bản quy phạm pháp luật số 80/2015/QH13", "80/2015/QH13")],
    ),
    (
        "các Nghị quyết số 18-NQ/TW, 19-NQ/TW",
        [("Nghị quyết số 18-NQ/TW", "18-NQ/TW"), ("19-NQ/TW", "19-NQ/TW")],
    ),
    # Without a number
    (
        "Nghị quyết Hội nghị Trung ương 4 khóa XII về",
        [
            (
                "Nghị quyết Hội nghị Trung ương 4 khóa XII",
                "Nghị quyết Hội nghị Trung ương 4 khóa XII",
            )
        ],
    ),
    (
        "Nghị quyết Đại hội Đảng bộ Thành phố lần thứ XXI, nhiệm kỳ 2015 - 2020",
        [
            (
                "Nghị quyết Đại hội Đảng bộ Thành phố lần thứ XXI",
                "Nghị quyết Đại hội Đảng bộ Thành phố lần thứ XXI",
            )
        ],
    ),
    (
        "Nghị quyết Hội nghị lần thứ tám Ban Chấp hành Trung ương khóa XI",
        [
            (
                "Nghị quyết Hội nghị lần thứ tám Ban Chấp hành Trung ương khóa XI",
                "Nghị quyết Hội nghị lần thứ tám Ban Chấp hành Trung ương khóa XI",
            )
        ],
    ),
    (
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
        [("Luật Tổ chức chính quyền địa phương", "Luật Tổ chức chính quyền địa phương")],
    ),
    ("Bộ luật Lao động năm 2019", [("Bộ luật Lao động năm 2019", "Bộ luật Lao động năm 2019")]),
    ("Hiến pháp năm 2013", [("Hiến pháp năm 2013", "Hiến pháp năm 2013")]),
    ("Luat Dat dai 2013", [("Luat Dat dai 2013", "Luật Đất đai 2013")]),
    (
        "Luật Phòng, chống tham nhũng và",
        [("Luật Phòng, chống tham nhũng", "Luật Phòng, chống tham nhũng")],
    ),
    ("Quy chế số 01 ngày 22/4/2016", [("Quy chế số 01", "Quy chế số 01")]),
]


@pytest.mark.parametrize(("text", "expected"), FORM_CASES)
def test_forms(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


NOT_REFERENCES = [
    "các nghị quyết của Trung ương và quy chế dân chủ ở cơ sở",
    "Nghị quyết Đại hội Đảng bộ các cấp đã đề ra",
    "Quyết định này có hiệu lực từ ngày ký. Nghị định này quy định chi tiết Luật này.",
    "theo quy định của pháp luật, các văn bản hướng dẫn",
    "Mẫu số 01/TKLN-THADS, Biểu mẫu số 02/TH-ĐĐ và 03/TH-KD",
    "Đạt 12/15 hộ, 3,5/10 ha, 18/19 tiêu chí",
    "ĐT: 0210.3846.123, số 12/3 đường Hùng Vương",
    "Số lượt xem 3220 Đang online49 Tất cả2741245",
    "Kế hoạch 5 năm 2021 - 2025",
    "quy định 5K của Bộ Y tế",
    "Công ty Luật TNHH Minh Phát",
    "Công ước Liên hợp quốc về Luật Biển năm 1982",
    "luật sư và luật gia",
    "theo số: 7347/2020/ĐKSP ngày 07/08/2020",
    "QCVN 01:2009/BYT và TCVN 5574:2018",
]


@pytest.mark.parametrize("text", NOT_REFERENCES)
def test_not_references(text: str) -> None:
    assert found(text) == []


def test_attached_date_issuer_title() -> None:
    ref = first(
        "Quán triệt Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương về "
        "“Tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận”, "
    )
    d = ref.directive
    assert (d.symbol, d.date, d.issuer, d.type, d.number, d.year) == (
        "25-NQ/TW",
        "2013-06-03",
        "Ban Chấp hành Trung ương",
        "Nghị quyết",
        "25",
        2013,
    )
    assert d.title == "Tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận"
    assert ref.relation == "thực hiện"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của", "2018-04-23"),
        ("Quyết định số 819-QĐ/TU, ngày 04/5/2021 về", "2021-05-04"),
        ("Nghị quyết số 25-NQ/TW ngày 03 tháng 6 năm 2013", "2013-06-03"),
        ("Thông tư số 01/2011/TT-BNV của Bộ Nội vụ ngày 19/01/2011", None),
        ("Ngày 12/4/2019, Huyện ủy ban hành Kế hoạch số 45-KH/HU", "2019-04-12"),
        ("Kế hoạch số 98-KH/TU về chuyển đổi số ngày 16/6/2021", None),
    ],
)
def test_attached_date(text: str, date: str | None) -> None:
    assert first(text).directive.date == date


def test_list_shares_date_and_type() -> None:
    refs = extract_references("Nghị quyết số 18-NQ/TW và Nghị quyết số 19-NQ/TW ngày 25/10/2017")
    assert [(r.directive.symbol, r.directive.date) for r in refs] == [
        ("18-NQ/TW", "2017-10-25"),
        ("19-NQ/TW", "2017-10-25"),
    ]
    refs = extract_references(
        "quy định số 08-QĐi/TW về nêu gương và quy định 37-QĐ/TW ngày 25/10/2021"
    )
    assert [r.directive.date for r in refs] == [None, "2021-10-25"]


@pytest.mark.parametrize(
    ("text", "pinpoint"),
    [
        ("theo khoản 2 Điều 5 Nghị định số 61/2018/NĐ-CP", "khoản 2 Điều 5"),
        ("tại điểm a khoản 1 Điều 3 của Thông tư số 01/2011/TT-BNV", "điểm a khoản 1 Điều 3"),
        (
            "(Điều 1 Luật số 08/2007/QH12 Tương trợ tư pháp ngày 21/11/2007 của Quốc hội, "
            "có hiệu lực",
            "Điều 1",
        ),
    ],
)
def test_pinpoint(text: str, pinpoint: str) -> None:
    assert first(text).pinpoint == pinpoint


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("Căn cứ Nghị định số 30/2020/NĐ-CP;", "căn cứ"),
        ("Thực hiện Kế hoạch số 45-KH/HU,", "thực hiện"),
        ("Triển khai Chỉ thị số 05-CT/TW", "thực hiện"),
        ("Quán triệt Nghị quyết số 25-NQ/TW", "thực hiện"),
        ("sửa đổi, bổ sung một số điều của Nghị định số 34/2016/NĐ-CP", "sửa đổi"),
        ("Thông tư này thay thế Thông tư số 04/2010/TT-TTCP", "thay thế"),
        (
            "Bãi bỏ khoản 3 Điều 7 Quy định ban hành kèm theo Quyết định số 18/2019/QĐ-UBND",
            "bãi bỏ",
        ),
        ("hướng dẫn thi hành Nghị định số 15/2020/NĐ-CP", "hướng dẫn"),
        ("theo Nghị định số 15/2020/NĐ-CP", "nhắc đến"),
        (
            "Thực hiện Nghị quyết số 25-NQ/TW, Huyện ủy đã ban hành Kế hoạch số 45-KH/HU",
            "thực hiện",
        ),
    ],
)
def test_relation(text: str, relation: str) -> None:
    assert first(text).relation == relation


def test_cue_does_not_reach_a_later_clause() -> None:
    refs = extract_references(
        "Thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013 về công tác dân vận, Huyện ủy đã ban hành "
        "Kế hoạch số 45-KH/HU"
    )
    assert [(r.directive.symbol, r.relation) for r in refs] == [
        ("25-NQ/TW", "thực hiện"),
        ("45-KH/HU", "nhắc đến"),
    ]


def test_can_cu_block() -> None:
    refs = extract_references("Căn cứ Luật số 80/2015/QH13; Nghị định số 34/2016/NĐ-CP;")
    assert [r.relation for r in refs] == ["căn cứ", "căn cứ"]


def test_short_forms_resolved_and_unresolved() -> None:
    text = (
        "Nghị quyết số 02-NQ/TU ngày 11/12/2015 của Thành ủy ... theo Nghị quyết 02 đó là; "
        "tỉnh thực hiện Nghị quyết 36 của Trung ương và Chỉ thị số 12."
    )
    refs = extract_references(text)
    short = refs[1]
    assert (short.surface, short.short_form, short.resolved, short.directive.symbol) == (
        "Nghị quyết 02",
        True,
        True,
        "02-NQ/TU",
    )
    assert short.directive is refs[0].directive
    unresolved = refs[2]
    assert (unresolved.directive.symbol, unresolved.directive.name, unresolved.resolved) == (
        None,
        "Nghị quyết 36",
        False,
    )
    assert unresolved.short_form


def test_alias_definition() -> None:
    text = (
        "Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ (sau đây gọi tắt là Nghị định "
        "61); Nghị định 61 cũng quy định"
    )
    refs = extract_references(text)
    assert [r.surface for r in refs] == [
        "Nghị định số 61/2018/NĐ-CP",
        "Nghị định 61",
        "Nghị định 61",
    ]
    assert all(r.directive.symbol == "61/2018/NĐ-CP" for r in refs)
    assert "(sau đây gọi là Hội đồng)" not in text
    assert found("Quyết định số 15/QĐ-UBND (sau đây gọi là Hội đồng); Hội đồng họp") == [
        ("Quyết định số 15/QĐ-UBND", "15/QĐ-UBND")
    ]


def test_same_symbol_two_localities() -> None:
    refs = extract_references(
        "Nghị quyết số 02-NQ/TU của Tỉnh ủy Bắc Giang và Nghị quyết số 02-NQ/TU của Tỉnh ủy Lào Cai"
    )
    assert refs[0].directive is not refs[1].directive
    assert [r.directive.locality for r in refs] == ["tỉnh Bắc Giang", "tỉnh Lào Cai"]


def test_same_symbol_two_terms() -> None:
    refs = extract_references(
        "Nghị quyết số 18-NQ/TW ngày 25/10/2017 và Nghị quyết số 18-NQ/TW ngày 16/6/2022"
    )
    assert [r.directive.date for r in refs] == ["2017-10-25", "2022-06-16"]
    assert refs[0].directive is not refs[1].directive


def test_local_issuer_takes_document_locality() -> None:
    ref = extract_references(
        "Nghị quyết số 02-NQ/TU của Thành ủy về", locality="thành phố Bắc Ninh"
    )[0]
    assert (ref.directive.issuer, ref.directive.locality) == ("Thành ủy", "thành phố Bắc Ninh")
    national = extract_references("Nghị định số 30/2020/NĐ-CP", locality="tỉnh Phú Thọ")[0]
    assert national.directive.locality is None
    assert national.directive.issuer == "Chính phủ"


def test_identity_of_a_header() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ\nSố: 2136/QĐ-UBND\nPhú Thọ, ngày 15 tháng 9 năm 2022\n"
        "QUYẾT ĐỊNH\nVề việc công bố danh mục thủ tục hành chính nội bộ\n"
        "Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ;"
    )
    result = extract(text)
    identity = result.identity
    assert (identity.symbol, identity.type, identity.date, identity.locality) == (
        "2136/QĐ-UBND",
        "Quyết định",
        "2022-09-15",
        "tỉnh Phú Thọ",
    )
    assert identity.title == "Quyết định về việc công bố danh mục thủ tục hành chính nội bộ"
    assert identity.issuer == "Ủy ban nhân dân tỉnh Phú Thọ"
    assert [r.directive.symbol for r in result.references] == ["63/2010/NĐ-CP"]


TITLE_CASES = [
    # a title opening with the act, after the symbol, the date or the issuer
    (
        "Căn cứ Quyết định số 412/QĐ-UBND ngày 09/3/2022 của UBND tỉnh Lào Cai phê duyệt Đề án "
        "phát triển du lịch cộng đồng;",
        "phê duyệt Đề án phát triển du lịch cộng đồng",
    ),
    (
        "Theo Thông tư số 12/2019/TT-BTC hướng dẫn quản lý kinh phí sự nghiệp, đơn vị đã lập "
        "dự toán.",
        "hướng dẫn quản lý kinh phí sự nghiệp",
    ),
    (
        "Nghị định số 55/2021/NĐ-CP của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số "
        "12/2016/NĐ-CP về phí bảo vệ môi trường;",
        "sửa đổi, bổ sung một số điều của Nghị định số 12/2016/NĐ-CP",
    ),
    (
        "Nghị quyết số 88/NQ-CP ngày 02/8/2022 của Chính phủ ban hành Chương trình hành động "
        "giai đoạn 2022 - 2026, các sở đã xây dựng kế hoạch.",
        "ban hành Chương trình hành động giai đoạn 2022 - 2026",
    ),
    (
        "Quyết định số 930/QĐ-TTg của Thủ tướng Chính phủ phê duyệt Đề án nâng cao năng lực số "
        "đến năm 2025, tầm nhìn đến năm 2030, tỷ lệ cán bộ được bồi dưỡng đạt 80%.",
        "phê duyệt Đề án nâng cao năng lực số đến năm 2025, tầm nhìn đến năm 2030",
    ),
    (
        "Kế hoạch số 17-KH/TU ngày 20/4/2021 về phát triển kinh tế số, doanh nghiệp, hợp tác xã "
        "và các hộ kinh doanh, các phường, thị trấn đã triển khai.",
        "phát triển kinh tế số, doanh nghiệp, hợp tác xã và các hộ kinh doanh",
    ),
    (
        "Thông tư số 03/2018/TT-BNV hướng dẫn lập hồ sơ điện tử, mặc dù thông tư này đã hết "
        "hiệu lực.",
        "hướng dẫn lập hồ sơ điện tử",
    ),
    (
        "Nghị định số 77/2019/NĐ-CP ngày 10/10/2019 của Chính phủ quy\nđịnh về tổ chức hội "
        "đồng;",
        "quy định về tổ chức hội đồng",
    ),
    # a pinpoint inside the title's object is part of it; one of a next list item is not
    (
        "Thông tư số 14/2020/TT-BGDĐT sửa đổi khoản 2 Điều 9 của Quyết định số 40/2016/QĐ-BGDĐT.",
        "sửa đổi khoản 2 Điều 9 của Quyết định số 40/2016/QĐ-BGDĐT",
    ),
    (
        "theo Nghị quyết số 71/2018/QH14 về thực hiện chính sách thuế đối với hộ kinh doanh và "
        "Điều 3 Nghị định số 126/2020/NĐ-CP",
        "thực hiện chính sách thuế đối với hộ kinh doanh",
    ),
    # the date of issue closes a title
    (
        "(Điều 5 Thông tư 44/2016/TT-BTC Quy định chế độ thu nộp lệ phí ban hành ngày 04/3/2016)",
        "Quy định chế độ thu nộp lệ phí",
    ),
    # "ban hành kèm theo", "ban hành ngày" open no title
    ("Quy chế ban hành kèm theo Quyết định số 18/2019/QĐ-UBND ngày 02/5/2019.", None),
    ("Chỉ thị số 07/CT-UBND ban hành ngày tháng trước của tỉnh.", None),
    # a title ending in "xã đạt chuẩn": a verb without a new subject ends no clause
    (
        "Nghị quyết số 04-NQ/ĐU về xây dựng xã đạt chuẩn nông thôn mới kiểu mẫu.",
        "xây dựng xã đạt chuẩn nông thôn mới kiểu mẫu",
    ),
]


@pytest.mark.parametrize(("text", "title"), TITLE_CASES)
def test_title(text: str, title: str | None) -> None:
    assert first(text).directive.title == title


AMEND_CASES = [
    # the amended instrument was issued with a decision: the decision is amended
    (
        "Sửa đổi, bổ sung Điều 4 của Quy chế phối hợp quản lý cụm công nghiệp trên địa bàn "
        "huyện ban hành kèm theo Quyết định số 27/2020/QĐ-UBND ngày 14/9/2020.",
        [("27/2020/QĐ-UBND", "sửa đổi")],
    ),
    # only the directive being amended is amended, not the one it must fit
    (
        "Đề nghị sửa đổi Quyết định số 318/QĐ-UBND cho phù hợp với Nghị định số 45/2020/NĐ-CP.",
        [("318/QĐ-UBND", "sửa đổi"), ("45/2020/NĐ-CP", "nhắc đến")],
    ),
    (
        "bãi bỏ Quyết định số 11/2017/QĐ-UBND theo Thông tư số 09/2021/TT-BYT.",
        [("11/2017/QĐ-UBND", "bãi bỏ"), ("09/2021/TT-BYT", "nhắc đến")],
    ),
    # a list the cue governs whole
    (
        "Bãi bỏ Quyết định số 11/2017/QĐ-UBND và khoản 2 Điều 5 Quyết định số 12/2017/QĐ-UBND.",
        [("11/2017/QĐ-UBND", "bãi bỏ"), ("12/2017/QĐ-UBND", "bãi bỏ")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), AMEND_CASES)
def test_amendment_relation(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.directive.symbol, r.relation) for r in extract_references(text)] == expected


PINPOINT_NOT = [
    "đã được sửa đổi một số điều theo Nghị quyết số 51/2001/QH10",
    "các điều kiện của Nghị định số 15/2020/NĐ-CP",
    "mục tiêu Kế hoạch số 45-KH/HU",
]


@pytest.mark.parametrize("text", PINPOINT_NOT)
def test_no_pinpoint_from_words(text: str) -> None:
    assert first(text).pinpoint is None


@pytest.mark.parametrize(
    ("text", "issuer"),
    [
        (
            "Căn cứ Nghị định số 24/2014/NĐ-CP ngày 04/4/2014 của Chính phủ Quy định tổ chức các "
            "cơ quan chuyên môn;",
            "Chính phủ",
        ),
        ("Quyết định số 55/QĐ-UBND của Ủy ban nhân dân và Ủy bn tỉnh.", "Ủy ban nhân dân"),
        # a law's "của" names what it governs: not its issuer
        ("Luật Tổ chức chính quyền địa phương của Hội đồng nhân dân và Ủy ban nhân dân", None),
    ],
)
def test_issuer_cut(text: str, issuer: str | None) -> None:
    assert first(text).directive.issuer == issuer


@pytest.mark.parametrize(
    ("locality", "text", "expected"),
    [
        # a provincial body's directive cited by a city named after its province
        (
            "thành phố Hà Tĩnh",
            "Thực hiện Quyết định số 204-QĐ/TU của Ban Thường vụ Tỉnh ủy về tiếp dân.",
            "tỉnh Hà Tĩnh",
        ),
        # a district's text: the province it names
        (
            "huyện Cẩm Khê",
            "Triển khai Kế hoạch số 71-KH/TU ngày 02/3/2022, UBND tỉnh Phú Thọ chỉ đạo; Huyện ủy "
            "Cẩm Khê đã quán triệt.",
            "tỉnh Phú Thọ",
        ),
        # a district's text naming no province: unknown, not the district
        ("huyện Cẩm Khê", "Triển khai Kế hoạch số 71-KH/TU ngày 02/3/2022.", None),
        ("huyện Cẩm Khê", "Triển khai Kế hoạch số 33-KH/HU ngày 02/3/2022.", "huyện Cẩm Khê"),
        # a centrally-run city's own Thành ủy
        (
            "thành phố Đà Nẵng",
            "Thực hiện Chương trình số 09-CTr/TU của Ban Thường vụ Thành ủy.",
            "thành phố Đà Nẵng",
        ),
    ],
)
def test_provincial_locality(locality: str, text: str, expected: str | None) -> None:
    assert first_local(text, locality).directive.locality == expected


def first_local(text: str, locality: str) -> Reference:
    refs = extract_references(text, locality=locality)
    assert refs, text
    return refs[0]


def test_law_does_not_cite_itself() -> None:
    text = (
        "QUỐC HỘI\nLuật số: 61/2020/QH14\nHà Nội, ngày 17 tháng 6 năm 2020\nLUẬT\nĐẦU TƯ\n"
        "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\nQuốc hội ban hành Luật Đầu "
        "tư.\nLuật Đầu tư số 67/2014/QH13 hết hiệu lực kể từ ngày Luật này có hiệu lực."
    )
    result = extract(text)
    assert (result.identity.symbol, result.identity.title) == ("61/2020/QH14", "Luật Đầu tư")
    names = [r.directive.symbol or r.directive.name for r in result.references]
    assert "Luật Đầu tư" not in names
    assert "67/2014/QH13" in names


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # the gazette style: type, "CỦA issuer SỐ number NGÀY date", "VỀ title"
        (
            "QUYẾT ĐỊNH\nCỦA THỦ TƯỚNG CHÍNH PHỦ SỐ 112/2006/QĐ-TTG NGÀY 24 THÁNG 5 NĂM 2006\n"
            "VỀ VIỆC PHÊ DUYỆT ĐỀ ÁN PHÁT TRIỂN THƯ VIỆN\nTHỦ TƯỚNG CHÍNH PHỦ\n"
            "Căn cứ Luật Tổ chức Chính phủ ngày 25 tháng 12 năm 2001;",
            ("112/2006/QĐ-TTg", "Quyết định", "Thủ tướng Chính phủ", "2006-05-24",
             "Quyết định về việc phê duyệt đề án phát triển thư viện"),
        ),
        # a title line without "Về việc" after the type line
        (
            "ỦY BAN NHÂN DÂN\nTỈNH NAM ĐỊNH\nSố: 07/2021/QĐ-UBND\nNam Định, ngày 05 tháng 3 năm "
            "2021\nQUYẾT ĐỊNH\nBan hành Quy định quản lý chợ trên địa bàn tỉnh\n"
            "ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH\nCăn cứ Luật Tổ chức chính quyền địa phương;",
            ("07/2021/QĐ-UBND", "Quyết định", "Ủy ban nhân dân tỉnh Nam Định", "2021-03-05",
             "Quyết định ban hành Quy định quản lý chợ trên địa bàn tỉnh"),
        ),
        (
            "BỘ Y TẾ\nSố: 22/2019/TT-BYT\nHà Nội, ngày 28 tháng 8 năm 2019\nTHÔNG TƯ\n"
            "Sửa đổi, bổ sung một số điều của Thông tư số 15/2016/TT-BYT\n"
            "Căn cứ Luật Khám bệnh, chữa bệnh;",
            ("22/2019/TT-BYT", "Thông tư", "Bộ Y tế", "2019-08-28",
             "Thông tư sửa đổi, bổ sung một số điều của Thông tư số 15/2016/TT-BYT"),
        ),
    ],
)
def test_header_title_and_gazette(header: str, expected: tuple[str, ...]) -> None:
    result = extract(header)
    identity = result.identity
    got = (identity.symbol, identity.type, identity.issuer, identity.date, identity.title)
    assert got == expected
    assert expected[0] not in {r.directive.symbol for r in result.references}


@pytest.mark.parametrize(
    ("header", "symbol", "doc_type", "date"),
    [
        (
            "TỈNH ỦY BẮC GIANG\n*\nSố 45-KH/TU\nBắc Giang, ngày 10 tháng 3 năm 2021\nKẾ HOẠCH\n"
            "thực hiện Nghị quyết số 52-NQ/TW",
            "45-KH/TU",
            "Kế hoạch",
            "2021-03-10",
        ),
        (
            "UBND HUYỆN YÊN DŨNG\nSố: 1876/UBND-VP\nV/v triển khai Kế hoạch số 98-KH/TU\n"
            "Yên Dũng, ngày 02 tháng 8 năm 2021",
            "1876/UBND-VP",
            "Công văn",
            "2021-08-02",
        ),
        (
            "QUỐC HỘI -------\nLuật số: 46/2019/QH14\nHà Nội, ngày 21 tháng 11 năm 2019\n"
            "LUẬT\nTHƯ VIỆN",
            "46/2019/QH14",
            "Luật",
            "2019-11-21",
        ),
        ("2018-07-31 10:52:26 Số lượt xem 3220\nTiếp tục phát huy", None, None, "2018-07-31"),
        ("NGHỊ QUYẾT SỐ 35-NQ/TW NGÀY 22/10/2018 CỦA BỘ CHÍNH TRỊ", None, None, None),
    ],
)
def test_identity_forms(
    header: str, symbol: str | None, doc_type: str | None, date: str | None
) -> None:
    identity = extract_identity(header)
    assert (identity.symbol, identity.type, identity.date) == (symbol, doc_type, date)
    if symbol:
        assert symbol not in {r.directive.symbol for r in extract(header).references}


def test_seed_article() -> None:
    path = need_shared("seed", "000_83054a43e24c00ec.txt")
    text = normalize(path.read_text(encoding="utf-8"))
    result = extract(text)
    assert result.identity.date == "2018-07-31"
    by_symbol = {
        r.directive.symbol: r.directive.date for r in result.references if r.directive.symbol
    }
    assert by_symbol == {
        "25-NQ/TW": "2013-06-03",
        "114-KL/TW": "2015-07-14",
        "819-QĐ/TU": "2013-07-08",
        "05-CT/TW": "2016-05-15",
        "02-NQ/TU": "2015-12-11",
    }
    short = [r for r in result.references if r.surface == "Nghị quyết 02"]
    assert len(short) == 1 and short[0].short_form and short[0].directive.symbol == "02-NQ/TU"
    names = {r.directive.name for r in result.references if not r.directive.symbol}
    assert names == {
        "Quy chế số 01",
        "Nghị quyết Hội nghị Trung ương 4 khóa XII",
        "Nghị quyết Đại hội Đảng bộ Thành phố lần thứ XXI",
    }
    quy_che = next(r for r in result.references if r.directive.name == "Quy chế số 01")
    assert (quy_che.directive.number, quy_che.directive.date) == ("01", "2016-04-22")
    counters = text.index("Đang online49")
    assert all(d.start < counters for d in result.dates)
    assert "3220" not in {d.value for d in result.dates}


def test_scanned_pdf_gold_as_text() -> None:
    path = need_shared("pdfs", "scanned_real", "GOLD_page1_handread.json")
    gold = json.loads(path.read_text(encoding="utf-8"))
    for name, page in gold.items():
        if name.startswith("_"):
            continue
        for ref in page["references"]:
            text = normalize(f"Thực hiện {ref['text']} của cơ quan cấp trên.")
            found_ref = first(text)
            assert (found_ref.directive.symbol, found_ref.directive.date) == (
                ref["symbol"],
                ref["date_iso"],
            ), (name, ref)
        header = normalize(f"Số: {page['symbol'].split()[0]}\n{page['place_date']}")
        if "?" not in page["symbol"]:
            identity = extract_identity(header)
            assert (identity.symbol, identity.date) == (page["symbol"], page["date_iso"])
