"""`vanban refs` for office staff: grouping, who-replaced-whom, warnings, outputs."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.corpus.model import Directive, Reference
from vanban.ingest.pipeline import extract_text
from vanban.search.changes import find_changes, reattribute
from vanban.search.cli import cli
from vanban.search.report import group_references, refs_object, sentence_at
from vanban.search.warnings import vn_date


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def refs_of(text: str) -> dict[str, object]:
    norm, ex = extract_text(text)
    return refs_object("-", norm, ex.identity, ex.references, ex.dates)


def ref(start: int, symbol: str, date: str | None = None, locality: str | None = None,
        relation: str = "nhắc đến") -> Reference:
    return Reference(start, start + len(symbol), symbol,
                     Directive(symbol=symbol, date=date, locality=locality), relation)


# -- grouping -----------------------------------------------------------------------------
@pytest.mark.parametrize(("refs", "groups"), [
    # a mention without a date joins its symbol
    ([ref(0, "25-NQ/TW", "2013-06-03"), ref(50, "25-NQ/TW")], [2]),
    # Party numbers restart each term: two years, two directives
    ([ref(0, "18-NQ/TW", "2017-10-25"), ref(50, "18-NQ/TW", "2022-06-16")], [1, 1]),
    # one year, two days: one directive cited with a wrong date
    ([ref(0, "35-NQ/TW", "2018-10-22"), ref(50, "35-NQ/TW", "2018-11-22")], [2]),
    # the symbol says its year: one directive whatever the dates say
    ([ref(0, "30/2020/NĐ-CP", "2020-03-05"), ref(50, "30/2020/NĐ-CP", "2019-03-05")], [2]),
    # local symbols of two localities are two directives
    ([ref(0, "2150/QĐ-UBND", locality="tỉnh Phú Thọ"),
      ref(50, "2150/QĐ-UBND", locality="tỉnh Nghệ An")], [1, 1]),
])
def test_grouping(refs: list[Reference], groups: list[int]) -> None:
    assert [len(e.mentions) for e in group_references(refs)] == groups


# -- who replaced whom --------------------------------------------------------------------
CHANGES = [
    ("Căn cứ Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ sửa đổi, bổ sung một "
     "số điều của Nghị định số 61/2018/NĐ-CP;", [("61/2018/NĐ-CP", "sửa đổi", "107/2021/NĐ-CP")]),
    ("Nghị định 30/2020/NĐ-CP thay thế Thông tư 01/2011/TT-BNV và Thông tư 01/2011/TT-VPCP.",
     [("01/2011/TT-BNV", "thay thế", "30/2020/NĐ-CP"),
      ("01/2011/TT-VPCP", "thay thế", "30/2020/NĐ-CP")]),
    ("Thông tư 01/2011/TT-BNV đã bị bãi bỏ bởi Nghị định 30/2020/NĐ-CP.",
     [("01/2011/TT-BNV", "bãi bỏ", "30/2020/NĐ-CP")]),
    ("Hiến pháp năm 1992 đã được sửa đổi, bổ sung theo Nghị quyết số 51/2001/QH10 ngày "
     "25/12/2001 của Quốc hội;", [(None, "sửa đổi", "51/2001/QH10")]),
    ("UBND tỉnh đã ban hành Quyết định số 1968/QĐ-UBND ngày 15/8/2018 về Quy chế một cửa. "
     "Quyết định này thay thế Quyết định số 2150/QĐ-UBND ngày 12/10/2017.",
     [("2150/QĐ-UBND", "thay thế", "1968/QĐ-UBND")]),
    # the text's own act ("Quyết định này" in a Quyết định): by None
    ("QUYẾT ĐỊNH\nĐiều 2. Quyết định này thay thế Quyết định số 181/2003/QĐ-TTg ngày "
     "04/9/2003.", [("181/2003/QĐ-TTg", "thay thế", None)]),
    # a new clause with its own subject breaks the link
    ("Căn cứ Nghị định 61/2018/NĐ-CP, UBND tỉnh sẽ sửa đổi Quyết định 2150/QĐ-UBND.", []),
    # "Luật sửa đổi, bổ sung …" is a name, not a statement
    ("Luật doanh nghiệp số 60/2005/QH11 và Luật sửa đổi, bổ sung Điều 170 của Luật doanh "
     "nghiệp số 37/2013/QH13 hết hiệu lực.", []),
]


@pytest.mark.parametrize(("text", "expected"), CHANGES)
def test_find_changes(text: str, expected: list[tuple[str | None, str, str]]) -> None:
    norm, ex = extract_text(text)
    own = "Quyết định" if text.startswith("QUYẾT ĐỊNH") else None
    found = [(c.target.directive.symbol, c.relation, c.by.directive.symbol if c.by else None)
             for c in find_changes(norm, ex.references, own)]
    assert found == expected


def test_reattribute_gives_the_text_its_own_relation() -> None:
    norm, ex = extract_text(CHANGES[0][0])
    refs = reattribute(ex.references, find_changes(norm, ex.references))
    assert {r.directive.symbol: r.relation for r in refs} == {
        "107/2021/NĐ-CP": "căn cứ", "61/2018/NĐ-CP": "căn cứ"}
    assert [r.relation for r in ex.references] == ["căn cứ", "sửa đổi"]  # not mutated


# -- warnings -----------------------------------------------------------------------------
WARNINGS = [
    ("Thực hiện Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị. Triển khai Nghị quyết"
     " số 35-NQ/TW ngày 22/11/2018.",
     [("date_conflict", "35-NQ/TW: cited with 2 dates, 22/10/2018 and 22/11/2018 — check which "
       "one is right")]),
    ("Nghị quyết số 18-NQ/TW ngày 25/10/2017 và Nghị quyết số 18-NQ/TW ngày 16/6/2022.",
     [("date_conflict", "18-NQ/TW: cited with 2 dates, 25/10/2017 and 16/6/2022 — two different "
       "directives (numbers restart each year or term), or a wrong date?")]),
    ("Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2019 của Chính phủ;",
     [("year_mismatch", "61/2018/NĐ-CP: dated 23/4/2019, but its number says 2018")]),
    ("Theo Nghị quyết 25, các đơn vị đã triển khai.",
     [("unresolved_short_form", "“Nghị quyết 25”: the short form “Nghị quyết 25” matches no full "
       "citation in this text — write its full number and date")]),
    ("Thực hiện Kế hoạch số 45-KH/TU ngày 10/3/2016, các đơn vị đã triển khai.",
     [("unknown_locality", "45-KH/TU: a local symbol, but the text does not say which province "
       "or district issued it (local numbers repeat across localities)")]),
    ("Thực hiện Nghị quyết số 25/2013/NQ-TW ngày 03/6/2013 của Ban Chấp hành Trung ương.",
     [("party_symbol_year", "25/2013/NQ-TW: a Party symbol carries no year — write 25-NQ/TW")]),
    ("Quán triệt Chỉ thị 05-CT/TW/2016 của Bộ Chính trị.",
     [("party_symbol_year", "05-CT/TW: written “05-CT/TW/2016”, but a Party symbol carries no "
       "year — write 05-CT/TW")]),
    ("Căn cứ Nghị định số 30/2020/QĐ-CP ngày 05/3/2020 của Chính phủ;",
     [("type_mismatch", "30/2020/QĐ-CP: cited as a Nghị định, but its code QĐ means Quyết "
       "định")]),
    ("Căn cứ Nghị định số 30/2020/NX-CP ngày 05/3/2020 của Chính phủ;",
     [("unknown_type_code", "30/2020/NX-CP: “NX” is not a type code (NĐ, QĐ, TT, NQ…)")]),
    ("Nghị định 30/2020/NĐ-CP ngày 05/3/2020 thay thế Thông tư 01/2011/TT-BNV ngày 19/01/2011.",
     [("replaced", "01/2011/TT-BNV: replaced by 30/2020/NĐ-CP of 05/3/2020 (as this text itself "
       "says)")]),
    # an amendment by a directive the text also cites is no news
    ("Căn cứ Nghị định số 107/2021/NĐ-CP sửa đổi, bổ sung một số điều của Nghị định số "
     "61/2018/NĐ-CP;", []),
    ("Chương trình hành động số 35-CTr/TU ngày 12/3/2021 của Tỉnh ủy Bắc Giang.", []),
    ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;", []),
]


@pytest.mark.parametrize(("text", "expected"), WARNINGS)
def test_warnings(text: str, expected: list[tuple[str, str]]) -> None:
    obj = refs_of(text)
    warnings = obj["warnings"]
    assert isinstance(warnings, list)
    assert [(w["code"], w["message"]) for w in warnings] == expected


def test_replaced_warning_names_the_replacer_in_json() -> None:
    obj = refs_of(WARNINGS[9][0])
    assert obj["warnings"] == [{
        "code": "replaced", "symbol": "01/2011/TT-BNV", "name": None,
        "message": "01/2011/TT-BNV: replaced by 30/2020/NĐ-CP of 05/3/2020 (as this text itself "
                   "says)", "by": "30/2020/NĐ-CP", "doc_id": None}]
    refs = obj["references"]
    assert isinstance(refs, list)
    assert refs[1]["changed_by"] == [{"relation": "thay thế", "symbol": "30/2020/NĐ-CP",
                                      "name": None, "date": "2020-03-05", "doc_id": None,
                                      "found_in": "text"}]
    assert [r["relation"] for r in refs] == ["nhắc đến", "nhắc đến"]


# -- small helpers ------------------------------------------------------------------------
@pytest.mark.parametrize(("iso", "shown"), [
    ("2013-06-03", "03/6/2013"), ("2011-01-19", "19/01/2011"), ("2020-12-25", "25/12/2020"),
    ("2017-12", "12/2017"), ("2017-02", "02/2017"), ("2016", "2016"), ("2016/2020", "2016/2020"),
    ("2024-Q3", "2024-Q3")])
def test_vn_date(iso: str, shown: str) -> None:
    assert vn_date(iso) == shown


def test_sentence_at() -> None:
    text = "Mở đầu.\n1. Thực hiện Nghị quyết số 25-NQ/TW, huyện đã làm tốt; còn lại."
    start = text.index("Nghị quyết")
    assert sentence_at(text, start, start + 10) == (
        "Thực hiện Nghị quyết số 25-NQ/TW, huyện đã làm tốt;")


# -- the command --------------------------------------------------------------------------
TEXT = ("Thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương (sau đây "
        "gọi tắt là Nghị quyết 25). Nghị quyết 25 được quán triệt rộng rãi. Căn cứ Nghị định số "
        "30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ. Theo Nghị quyết 25, các chi bộ đã "
        "họp.\n")


def test_refs_json_adds_fields_and_keeps_the_contract() -> None:
    code, out, err = run("refs", "-", "--json", input=TEXT)
    assert code == 0 and err == ""
    obj = json.loads(out)
    assert set(obj) == {"source", "document", "references", "dates", "warnings"}
    first = obj["references"][0]
    assert {"symbol", "name", "type", "number", "year", "issuer", "locality", "date", "title",
            "relation", "mentions", "in_corpus"} <= set(first)
    assert first["symbol"] == "25-NQ/TW" and len(first["mentions"]) == 4
    assert first["first_page"] is None and first["pinpoints"] == []
    assert first["sentence"].startswith("Thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013")
    assert first["dates_cited"] == ["2013-06-03"] and first["changed_by"] == []
    assert obj["warnings"] == []


def test_refs_sort_by_mentions() -> None:
    text = "Căn cứ Nghị định số 30/2020/NĐ-CP. " + TEXT
    by_first, by_count = (json.loads(run("refs", "-", "--json", "--sort", s, input=text)[1])
                          for s in ("first", "mentions"))
    assert [r["symbol"] for r in by_first["references"]] == ["30/2020/NĐ-CP", "25-NQ/TW"]
    assert [r["symbol"] for r in by_count["references"]] == ["25-NQ/TW", "30/2020/NĐ-CP"]
    code, _, err = run("refs", "-", "--sort", "date", input=TEXT)
    assert code == 2 and "Invalid value for '--sort'" in err


def test_refs_table_and_warnings_on_stderr() -> None:
    text = TEXT + "Triển khai Nghị quyết số 25-NQ/TW ngày 03/7/2013.\n"
    code, out, err = run("refs", "-", input=text)
    assert code == 0
    assert err == ("Warning: -: 25-NQ/TW: cited with 2 dates, 03/6/2013 and 03/7/2013 — check "
                   "which one is right\n")
    lines = out.splitlines()
    assert lines[0] == "-" and lines[1] == "2 directives, 6 mentions"
    assert lines[2].split() == ["#", "directive", "type", "issuer", "date", "relation",
                                "mentions", "page", "pinpoints", "notes", "title"]
    assert "2 dates" in lines[4] and "in corpus" not in out


def test_refs_csv() -> None:
    code, out, _ = run("refs", "-", "--csv", input=TEXT)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["symbol"] for r in rows] == ["25-NQ/TW", "30/2020/NĐ-CP"]
    assert rows[0]["mentions"] == "4" and rows[0]["in_corpus"] == ""
    assert rows[1]["relation"] == "căn cứ" and rows[1]["source"] == "-"


def test_refs_bad_inputs_batch_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "tot.txt"
    good.write_text(TEXT, encoding="utf-8")
    folder = tmp_path / "thu-muc"
    folder.mkdir()
    odd = tmp_path / "anh.xyz"
    odd.write_bytes(b"\x00\x01")
    code, out, err = run("refs", str(folder), str(good), str(odd), "--json")
    assert code == 1
    assert [json.loads(line)["source"] for line in out.splitlines()] == [str(good)]
    assert f"Error: {folder}: is a directory (give files, or use `vanban ingest`)" in err
    assert f"Error: {odd}: unsupported file type '.xyz'" in err
    assert "1 of 3 inputs read, 2 failed" in err and "Traceback" not in err
    code, out, err = run("refs", "-", input="  \n")
    assert (code, out, err) == (1, "", "Error: -: empty input\n1 of 1 inputs read, 1 failed\n"
                                .replace("1 of 1", "0 of 1"))


def test_refs_xlsx_round_trip(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "dẫn chiếu.xlsx"
    text = TEXT + "Triển khai Nghị quyết số 25-NQ/TW ngày 03/7/2013.\n"
    code, out, err = run("refs", "-", "--xlsx", str(book), input=text)
    assert code == 0 and f"wrote {book}" in err and "25-NQ/TW" in out
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["directives", "warnings", "documents"]
    sheet = wb["directives"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("source", "#", "directive", "type")
    assert rows[1][2:4] == ("25-NQ/TW", "Nghị quyết")
    assert rows[1][4] == "Ban Chấp hành Trung ương"
    date_cell = sheet.cell(row=2, column=7)
    assert date_cell.value.date().isoformat() == "2013-06-03"
    assert date_cell.number_format == "DD/MM/YYYY"
    assert sheet.freeze_panes == "A2"
    warnings = list(wb["warnings"].iter_rows(values_only=True))
    assert warnings[1][:3] == ("-", "date_conflict", "25-NQ/TW")


def test_refs_xlsx_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "khong-co" / "x.xlsx"
    code, _, err = run("refs", "-", "--xlsx", str(target), input=TEXT)
    assert code == 1
    assert f"Error: {target}: No such file or directory" in err
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    code, _, err = run("refs", "-", "--xlsx", str(tmp_path / "x.xlsx"), input=TEXT)
    assert code == 1
    assert ('Error: writing .xlsx needs openpyxl, which is not installed — pip install '
            '"vanban[xlsx]"') in err
    assert not (tmp_path / "x.xlsx").exists()


def test_refs_xlsx_refused_before_reading(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Without openpyxl nothing is read first: a scan's OCR would take minutes, all lost
    to an error at the end."""
    report = tmp_path / "bao-cao.txt"
    report.write_text(TEXT, encoding="utf-8")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    code, out, err = run("refs", str(report), "--xlsx", str(tmp_path / "x.xlsx"))
    assert code == 1 and out == "" and err.count("Error:") == 1, err
