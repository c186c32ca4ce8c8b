"""Checked cases of `vanban refs`: a report of our own writing against its full expected
table, the real decision 93/2007/QĐ-TTg (PDF), the seed article, all the real PDFs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import SEED, need_shared
from vanban.search.cli import cli

REPORT = Path(__file__).parent / "data" / "report_tamnong_2023.txt"
PDF_93 = "Quyet dinh 93-2007 Thuc hien co che mot cua.pdf"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# The report's directives, in order of first appearance: directive, type, issuer, date,
# relation, mentions (short forms included), pinpoints, in corpus (the bundled sample),
# notes.  Relations follow the cue vocabulary of ingest/cues.py ("theo", "bám sát" are no
# cue: nhắc đến); a cue whose subject is another directive ("Nghị định 107 sửa đổi …
# Nghị định 61") is not the report's own act.
EXPECTED = [
    ("77/2015/QH13", "Luật", "Quốc hội", "2015-06-19", "căn cứ", 1, "", "", ""),
    ("80/2015/QH13", "Luật", "Quốc hội", "2015-06-22", "căn cứ", 1, "", "", ""),
    ("30/2020/NĐ-CP", "Nghị định", "Chính phủ", "2020-03-05", "căn cứ", 4,
     "khoản 2 Điều 8 và Phụ lục I; điểm a khoản 1 Điều 28", "", ""),
    ("61/2018/NĐ-CP", "Nghị định", "Chính phủ", "2018-04-23", "căn cứ", 4, "Điều 15", "", ""),
    ("93/2007/QĐ-TTg", "Quyết định", "Thủ tướng Chính phủ", "2007-06-22", "căn cứ", 2, "", "",
     "replaced"),
    ("2150/QĐ-UBND", "Quyết định", "UBND tỉnh Phú Thọ", "2017-10-12", "căn cứ", 2, "",
     "qd-2150-ubnd-phutho-2017", "replaced"),
    ("25-NQ/TW", "Nghị quyết", "Ban Chấp hành Trung ương Đảng khóa XI", "2013-06-03",
     "thực hiện", 3, "", "", ""),
    ("114-KL/TW", "Kết luận", "Ban Bí thư", "2015-07-14", "thực hiện", 1, "", "", ""),
    ("Nghị quyết Đại hội đại biểu Đảng bộ huyện lần thứ XXIII", "Nghị quyết", "", "",
     "thực hiện", 1, "", "", ""),
    ("05-CT/TW", "Chỉ thị", "Bộ Chính trị", "2016-05-15", "nhắc đến", 2, "", "", ""),
    ("04-NQ/TW", "Nghị quyết", "Hội nghị Trung ương 4 khóa XII", "2016-10-30", "thực hiện", 1,
     "", "", ""),
    ("08-QĐi/TW", "Quy định", "Ban Chấp hành Trung ương", "2018-10-25", "thực hiện", 1, "", "",
     ""),
    ("18-NQ/TW", "Nghị quyết", "Hội nghị Trung ương 6 khóa XII", "2017-10-25", "thực hiện", 1,
     "", "", ""),
    ("19-NQ/TW", "Nghị quyết", "Hội nghị Trung ương 6 khóa XII", "2017-10-25", "thực hiện", 1,
     "", "", ""),
    ("26-NQ/TW", "Nghị quyết", "Hội nghị Trung ương 7 khóa XII", "2018-05-19", "nhắc đến", 1,
     "", "", ""),
    ("35-NQ/TW", "Nghị quyết", "Bộ Chính trị", "2018-10-22", "thực hiện", 2, "", "", "2 dates"),
    ("76/NQ-CP", "Nghị quyết", "Chính phủ", "2021-07-15", "thực hiện", 1, "", "", ""),
    ("107/2021/NĐ-CP", "Nghị định", "Chính phủ", "2021-12-06", "nhắc đến", 1, "", "", ""),
    ("09/2015/QĐ-TTg", "Quyết định", "Thủ tướng Chính phủ", "2015-03-25", "nhắc đến", 1, "", "",
     ""),
    ("749/QĐ-TTg", "Quyết định", "Thủ tướng Chính phủ", "2020-06-03", "thực hiện", 1, "", "", ""),
    ("01/2011/TT-BNV", "Thông tư", "Bộ Nội vụ", "2011-01-19", "nhắc đến", 1, "", "",
     "replaced"),
]
EXPECTED_WARNINGS = [
    "93/2007/QĐ-TTg: replaced by 09/2015/QĐ-TTg of 25/3/2015 (as this text itself says)",
    "2150/QĐ-UBND: replaced by 1968/QĐ-UBND of 15/8/2018 (corpus document "
    "qd-1968-ubnd-phutho-2018 says so)",
    "35-NQ/TW: cited with 2 dates, 22/10/2018 and 22/11/2018 — check which one is right",
    "01/2011/TT-BNV: replaced by 30/2020/NĐ-CP of 05/3/2020 (as this text itself says)",
]
TITLES = [
    ("30/2020/NĐ-CP", "công tác văn thư", None),
    ("61/2018/NĐ-CP",
     "thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính", None),
    ("2150/QĐ-UBND", "Bộ phận tiếp nhận và trả kết quả", None),
    ("25-NQ/TW", "tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong "
     "tình hình mới", None),
    ("04-NQ/TW", "tăng cường xây dựng, chỉnh đốn Đảng", None),
    ("08-QĐi/TW", "trách nhiệm nêu gương của cán bộ, đảng viên", None),
    ("35-NQ/TW", "tăng cường bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan "
     "điểm sai trái, thù địch trong tình hình mới", None),
    ("114-KL/TW", "nâng cao chất lượng, hiệu quả công tác dân vận của cơ quan nhà nước, chính "
     "quyền các cấp", None),
    ("93/2007/QĐ-TTg", "ban hành Quy chế thực hiện cơ chế một cửa, cơ chế một cửa liên thông "
     "tại cơ quan hành chính nhà nước ở địa phương", None),
    ("76/NQ-CP", "ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - "
     "2030", None),
    ("749/QĐ-TTg", "phê duyệt Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng "
     "đến năm 2030", None),
    ("01/2011/TT-BNV", "hướng dẫn thể thức và kỹ thuật trình bày văn bản hành chính",
     None),
]


@pytest.fixture(scope="module")
def report_csv(sample_db: Path) -> tuple[list[dict[str, str]], str]:
    code, out, err = run("refs", str(REPORT), "--db", str(sample_db), "--csv")
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out))), err


@pytest.fixture(scope="module")
def report_json() -> dict[str, Any]:
    code, out, _ = run("refs", str(REPORT), "--json")
    assert code == 0
    obj: dict[str, Any] = json.loads(out)
    return obj


def test_report_full_table(report_csv: tuple[list[dict[str, str]], str]) -> None:
    rows, _ = report_csv
    table = [(r["symbol"], r["type"], r["issuer"], r["date"], r["relation"], int(r["mentions"]),
              r["pinpoints"], r["in_corpus"], r["notes"]) for r in rows]
    assert table == EXPECTED
    assert [r["n"] for r in rows] == [str(i) for i in range(1, len(EXPECTED) + 1)]


def test_report_warnings(report_csv: tuple[list[dict[str, str]], str]) -> None:
    _, err = report_csv
    prefix = f"Warning: {REPORT}: "
    assert err.splitlines() == [prefix + w for w in EXPECTED_WARNINGS]


def test_report_heads_with_its_own_number(report_json: dict[str, Any]) -> None:
    assert report_json["document"] == {
        "symbol": "318/BC-UBND", "type": "Báo cáo", "issuer": "Ủy ban nhân dân huyện Tam Nông",
        "date": "2023-11-24", "locality": "huyện Tam Nông",
        "title": "Báo cáo kết quả công tác dân vận chính quyền, cải cách hành chính và văn thư "
                 "năm 2023", "title_source": "header", "date_source": "header"}
    assert "318/BC-UBND" not in [r["symbol"] for r in report_json["references"]]
    code, out, _ = run("refs", str(REPORT))
    assert code == 0
    assert out.splitlines()[:4] == [
        str(REPORT), "Báo cáo số 318/BC-UBND · ngày 24/11/2023 · Ủy ban nhân dân huyện Tam Nông",
        "Báo cáo kết quả công tác dân vận chính quyền, cải cách hành chính và văn thư năm 2023",
        "21 directives, 33 mentions"]


def test_report_without_corpus_says_what_the_text_says(report_json: dict[str, Any]) -> None:
    codes = [(w["code"], w["symbol"]) for w in report_json["warnings"]]
    assert codes == [("replaced", "93/2007/QĐ-TTg"), ("date_conflict", "35-NQ/TW"),
                     ("replaced", "01/2011/TT-BNV")]
    by_symbol = {r["symbol"]: r for r in report_json["references"] if r["symbol"]}
    assert all(r["in_corpus"] is None for r in report_json["references"])
    assert by_symbol["35-NQ/TW"]["dates_cited"] == ["2018-10-22", "2018-11-22"]
    assert by_symbol["61/2018/NĐ-CP"]["changed_by"] == [{
        "relation": "sửa đổi", "symbol": "107/2021/NĐ-CP", "name": None, "date": "2021-12-06",
        "doc_id": None, "found_in": "text"}]
    first = by_symbol["25-NQ/TW"]
    assert [m["short_form"] for m in first["mentions"]] == [False, True, True]
    assert first["sentence"].startswith("Thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013 của")
    text = REPORT.read_text(encoding="utf-8")
    for r in report_json["references"]:
        for m in r["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]


@pytest.mark.parametrize(("symbol", "title"), [
    pytest.param(symbol, title, id=symbol, marks=[pytest.mark.xfail(strict=True, reason=gap)]
                 if gap else []) for symbol, title, gap in TITLES])
def test_report_titles(report_json: dict[str, Any], symbol: str, title: str) -> None:
    by_symbol = {r["symbol"]: r for r in report_json["references"]}
    assert by_symbol[symbol]["title"] == title


# -- the real decision 93/2007/QĐ-TTg ------------------------------------------------------
@pytest.fixture(scope="module")
def decision_93() -> dict[str, Any]:
    path = need_shared("pdfs", "born_digital_from_real_doc", PDF_93)
    code, out, _ = run("refs", str(path), "--json")
    assert code == 0
    obj: dict[str, Any] = json.loads(out)
    return obj


def test_decision_93_identity_and_can_cu(decision_93: dict[str, Any]) -> None:
    doc = decision_93["document"]
    assert (doc["symbol"], doc["type"], doc["date"]) == ("93/2007/QĐ-TTg", "Quyết định",
                                                         "2007-06-22")
    rows = [(r["symbol"] or r["name"], r["type"], r["date"], r["relation"], r["first_page"],
             r["pinpoints"]) for r in decision_93["references"]]
    assert rows[1:] == [
        ("94/2006/QĐ-TTg", "Quyết định", "2006-04-27", "căn cứ", 1, []),
        ("181/2003/QĐ-TTg", "Quyết định", "2003-09-04", "thay thế", 1, []),
        ("114/2003/NĐ-CP", "Nghị định", "2003-10-10", "nhắc đến", 8, ["khoản 2 Điều 2"]),
        ("170/2006/QĐ-TTg", "Quyết định", "2006-07-18", "nhắc đến", 9, []),
    ]
    assert rows[0][:2] == ("Luật Tổ chức Chính phủ", "Luật") and rows[0][3:5] == ("căn cứ", 1)
    # "Quyết định này thay thế …": the decision's own act, no warning
    assert decision_93["warnings"] == []


def test_decision_93_law_date(decision_93: dict[str, Any]) -> None:
    assert decision_93["references"][0]["date"] == "2001-12-25"


def test_all_real_pdfs_in_one_batch(tmp_path: Path) -> None:
    folder = need_shared("pdfs", "born_digital_from_real_doc")
    pdfs = sorted(str(p) for p in folder.glob("*.pdf"))
    book = tmp_path / "all.xlsx"
    code, out, err = run("refs", *pdfs, "--csv", "--xlsx", str(book))
    assert code == 0 and "Traceback" not in err
    assert f"{len(pdfs)} of {len(pdfs)} inputs read, 0 failed" in err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len({r["source"] for r in rows}) >= 14 and len(rows) >= 60
    assert book.stat().st_size > 5000


# -- the seed article ----------------------------------------------------------------------
def test_seed_table() -> None:
    need_shared("seed")
    code, out, err = run("refs", str(SEED), "--csv")
    assert code == 0 and err == ""
    rows = [(r["symbol"], r["date"], r["relation"], int(r["mentions"]))
            for r in csv.DictReader(io.StringIO(out))]
    assert rows == [
        ("Quy chế số 01", "2016-04-22", "nhắc đến", 1),
        ("Nghị quyết Đại hội Đảng bộ Thành phố lần thứ XXI", "", "nhắc đến", 1),
        ("25-NQ/TW", "2013-06-03", "thực hiện", 1),
        ("114-KL/TW", "2015-07-14", "thực hiện", 1),
        ("819-QĐ/TU", "2013-07-08", "thực hiện", 1),
        ("Nghị quyết Hội nghị Trung ương 4 khóa XII", "", "thực hiện", 1),
        ("05-CT/TW", "2016-05-15", "thực hiện", 1),
        ("02-NQ/TU", "2015-12-11", "thực hiện", 2),
    ]
