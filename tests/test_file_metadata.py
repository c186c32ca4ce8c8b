"""What a file says of itself is used, the text's own header first: front matter, `# key =
value` lines, HTML <meta>, .docx properties, PDF metadata last; where each field came from is
stored and shown.  Markdown is read as Markdown; a header laid out as a table still gives the
document's own number; stdin goes through the same readers as a file."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, need_shared
from vanban.corpus.model import Document
from vanban.corpus.store import Store
from vanban.ingest.pipeline import build_document, read_documents
from vanban.ingest.read.filemeta import split_front_matter, url_title
from vanban.ingest.read.limits import usable_title
from vanban.ingest.read.readers import text_document
from vanban.search.cli import cli

SAMPLE = ROOT / "corpus" / "sample"
HEADER_ROWS = ("| ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
               "|---|---|\n| Số: 986/QĐ-UBND | *Tuyên Quang, ngày 10 tháng 8 năm 2021* |\n")
BODY = ("QUYẾT ĐỊNH\nVề việc phê duyệt Kế hoạch chuyển đổi số năm 2021\n"
        "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ;\n")


def run(*args: str, input: bytes | str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _doc(path: Path) -> Document:
    return next(read_documents(path))


def _refs(path: str, input: bytes | None = None) -> dict[str, Any]:
    code, out, err = run("refs", path, "--json", input=input)
    assert code == 0, err
    obj: dict[str, Any] = json.loads(out.splitlines()[0])
    return obj


# -- Markdown ----------------------------------------------------------------------------
def test_markdown_sample_reads_as_markdown() -> None:
    doc = _doc(SAMPLE / "kh-96-tu-laocai-2022.md")
    assert (doc.title or "").startswith("Kế hoạch thực hiện Nghị quyết số 19-NQ/TW ngày 16/6/2022")
    assert (doc.date, doc.identity.symbol, doc.title_source) == ("2022-10-05", "96-KH/TU",
                                                                   "header")
    assert "96-KH/TU" not in {r.directive.symbol for r in doc.references}
    assert not any(mark in doc.text for mark in ("**", "| ", "## "))
    for r in doc.references:
        assert doc.text[r.start:r.end] == r.surface
    for d in doc.dates:
        assert doc.text[d.start:d.end] == d.surface


def test_markdown_inline_markup_and_wrapped_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# Tiêu đề\n\nCăn cứ **Nghị định số 30/2020/NĐ-CP** của [Chính phủ]"
                    "(https://chinhphu.vn)\nvề công tác `văn thư`.\n\n* một\n* hai\n",
                    encoding="utf-8")
    doc = _doc(path)
    assert doc.text == ("Tiêu đề\nCăn cứ Nghị định số 30/2020/NĐ-CP của Chính phủ về công tác "
                        "văn thư.\n- một\n- hai")
    assert [r.surface for r in doc.references] == ["Nghị định số 30/2020/NĐ-CP"]


# -- the own number of a header laid out as a table --------------------------------------
def _docx_with_header_table(path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH TUYÊN QUANG"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    table.cell(1, 0).text = "Số: 986/QĐ-UBND"
    table.cell(1, 1).text = "Tuyên Quang, ngày 10 tháng 8 năm 2021"
    for line in BODY.splitlines():
        document.add_paragraph(line)
    document.core_properties.title = "KH CĐS (bản trình)"
    document.save(str(path))


@pytest.mark.parametrize("kind", ["md", "txt", "html", "docx"])
def test_own_number_in_a_table_header_is_no_reference(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"qd.{kind}"
    if kind == "md":
        path.write_text(HEADER_ROWS + "\n# " + BODY.replace("\n", "\n\n"), encoding="utf-8")
    elif kind == "txt":
        path.write_text(HEADER_ROWS.replace("|---|---|\n", "") + BODY, encoding="utf-8")
    elif kind == "html":
        rows = "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in [
            ("ỦY BAN NHÂN DÂN<br>TỈNH TUYÊN QUANG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            ("Số: 986/QĐ-UBND", "Tuyên Quang, ngày 10 tháng 8 năm 2021")])
        paragraphs = "".join(f"<p>{line}</p>" for line in BODY.splitlines())
        path.write_text(f"<html><body><table>{rows}</table>{paragraphs}</body></html>",
                        encoding="utf-8")
    else:
        _docx_with_header_table(path)
    obj = _refs(str(path))
    assert obj["document"]["symbol"] == "986/QĐ-UBND"
    assert obj["document"]["date"] == "2021-08-10"
    assert obj["document"]["title"] == ("Quyết định về việc phê duyệt Kế hoạch chuyển đổi số "
                                        "năm 2021")
    assert obj["document"]["title_source"] == "header"
    assert [r["symbol"] for r in obj["references"]] == ["61/2018/NĐ-CP"]


# -- front matter and `# key = value` headers --------------------------------------------
def test_front_matter_gives_title_and_date(tmp_path: Path) -> None:
    path = tmp_path / "bai.md"
    path.write_text('---\ntitle: "Hội nghị: sơ kết 6 tháng"\ndate: 2021-04-15\ntags:\n'
                    "  - a\n---\nSáng nay, hội nghị sơ kết triển khai Nghị quyết số 25-NQ/TW.\n",
                    encoding="utf-8")
    doc = _doc(path)
    assert (doc.title, doc.title_source) == ("Hội nghị: sơ kết 6 tháng", "front_matter")
    assert (doc.date, doc.date_source) == ("2021-04-15", "front_matter")
    assert doc.text.startswith("Sáng nay") and doc.warnings == ()


@pytest.mark.parametrize("front", ["title: 'unclosed\n", "just words\n", "date: 31/31/2020\n"])
def test_bad_front_matter_is_a_warning(tmp_path: Path, front: str) -> None:
    path = tmp_path / "bai.md"
    path.write_text(f"---\n{front}---\nTriển khai Nghị quyết số 25-NQ/TW.\n", encoding="utf-8")
    code, out, err = run("refs", str(path), "--json")
    assert code == 0
    obj = json.loads(out)
    assert [r["symbol"] for r in obj["references"]] == ["25-NQ/TW"]
    assert obj["document"]["date"] is None
    assert "Warning:" in err and "front matter" in err


def test_front_matter_parser_is_safe() -> None:
    meta, body = split_front_matter("---\ntitle: !!python/object:os.system 'ls'\n---\nx")
    assert (meta.title, body) == (None, "x")
    meta, _ = split_front_matter("---\ntitle: 'It''s'\nurl: \"a\\\"b\"\n---\n")
    assert (meta.title, meta.url) == ("It's", 'a"b')


def test_comment_header_of_a_news_article() -> None:
    path = need_shared("news_unc", "news_world_016.txt")
    doc = _doc(path)
    assert (doc.date, doc.date_source) == ("2020-11-01", "comment_header")
    assert doc.title_source == "url" and (doc.title or "").startswith("Trung Quốc bài toán đau đầu")
    assert not doc.text.startswith("#")


def test_news_articles_are_dated_for_from_to() -> None:
    folder = need_shared("news_unc")
    docs = [_doc(p) for p in sorted(folder.glob("*.txt"))[:40]]
    assert all(d.date and d.date_source == "comment_header" for d in docs)
    assert not any(d.title and d.title.startswith("# ") for d in docs)


def test_url_title_restores_accents_only_with_evidence() -> None:
    text = "Trung Quốc là bài toán đau đầu của tổng thống Mỹ."
    url = "https://x.vn/the-gioi/trung-quoc-bai-toan-dau-dau-cua-ong-x-20201101.htm"
    assert url_title(url, text) == "Trung Quốc bài toán đau đầu của ong x"
    assert url_title("https://x.vn/a.htm", text) is None


# -- HTML, .docx, PDF --------------------------------------------------------------------
def test_html_meta_date_and_title(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_text('<html><head><title>Tin</title><meta name="DC.date" content="2022-03-04">'
                    "</head><body><h1>Hội nghị chuyển đổi số</h1><p>Triển khai Nghị quyết "
                    "số 52-NQ/TW của Bộ Chính trị.</p></body></html>", encoding="utf-8")
    doc = _doc(path)
    assert (doc.title, doc.title_source) == ("Hội nghị chuyển đổi số", "html_title")
    assert (doc.date, doc.date_source) == ("2022-03-04", "html_meta")


def test_docx_properties_lose_to_the_header(tmp_path: Path) -> None:
    path = tmp_path / "qd.docx"
    _docx_with_header_table(path)
    doc = _doc(path)
    assert doc.title_source == "header" and doc.date_source == "header"
    news = _doc(SAMPLE / "quangninh-luu-tru-dien-tu-2021.docx")
    assert (news.title_source, news.date_source) == ("docx_properties", "timestamp")
    assert news.title == "Quảng Ninh đẩy mạnh lập hồ sơ điện tử và số hóa tài liệu lưu trữ"


def test_pdf_metadata_is_the_last_resort() -> None:
    pdf = _doc(need_shared("pdfs", "born_digital_from_real_doc", "QD15UB.pdf"))
    assert (pdf.title_source, pdf.date, pdf.date_source) == ("header", "2010-04-26", "header")
    form = _doc(need_shared("pdfs", "born_digital_from_real_doc", "Giay_Moi.pdf"))
    assert form.date is None  # "năm 2011": its 2026 conversion day is not its date
    raw = text_document("x", "Một dòng đầu\nnội dung")
    from dataclasses import replace

    doc = build_document(replace(raw, title="Bản in", title_source="pdf_metadata"), "h")
    assert (doc.title, doc.title_source) == ("Một dòng đầu", "first_line")


@pytest.mark.parametrize(("text", "created", "expected"), [
    ("Bảng tổng hợp kết quả phân loại", "2026-11-28", "2026-11-28"),  # nothing else dates it
    ("Giấy mời họp ngày 05/9/2022 tại hội trường", "2023-01-10", "2023-01-10"),
    # converted or scanned years after every day the text states: not the document's date
    ("Thực hiện Nghị định số 68/2011/NĐ-CP ngày 08 tháng 8 năm 2011", "2026-11-28", None),
    # a year or a month stated is a date stated too
    ("Bảng tổng hợp kết quả phân loại cán bộ công chức năm 2011", "2026-11-28", None),
    ("Báo cáo tháng 12/2011 của Sở", "2026-11-28", None),
    ("Kế hoạch giai đoạn 2016-2020", "2021-01-10", "2021-01-10"),
])
def test_pdf_creation_day_only_when_plausible(text: str, created: str,
                                              expected: str | None) -> None:
    from dataclasses import replace

    raw = replace(text_document("x", text), date=created, date_source="pdf_metadata")
    assert build_document(raw, "h").date == expected


@pytest.mark.parametrize("title", ["ỦY BAN NHÂN DÂN", "Microsoft Word - QD15UB.doc", "   ",
                                   "QUỐC HỘI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
def test_metadata_titles_that_are_no_titles(title: str) -> None:
    assert usable_title(title) is None


# -- stdin -------------------------------------------------------------------------------
def test_stdin_random_bytes_are_refused() -> None:
    data = random.Random(7).randbytes(20000)
    code, out, err = run("refs", "-", input=data)
    assert code == 1 and out == ""
    assert err.splitlines()[0] == "Error: -: not a text or document file"


@pytest.mark.parametrize("seed", range(6))
def test_random_bytes_named_txt_invent_nothing(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / "x.txt"
    path.write_bytes(bytes(rng.randrange(1, 256) for _ in range(rng.choice([300, 30000]))))
    code, out, err = run("refs", str(path), "--json")
    assert code == 1 and out == "" and err.startswith(f"Error: {path}: ")


@pytest.mark.parametrize("name", ["kh-287-ubnd-nghean-2021.pdf",
                                  "qd-2468-ubnd-quangninh-2020.docx"])
def test_stdin_documents_read_as_their_format(name: str) -> None:
    from_file = _refs(str(SAMPLE / name))
    from_stdin = _refs("-", input=(SAMPLE / name).read_bytes())
    assert from_stdin["document"] == from_file["document"]
    assert from_stdin["references"] == from_file["references"]


def test_stdin_legacy_doc_and_utf16() -> None:
    obj = _refs("-", input=need_shared("pdfs", "doc_real", "QD15UB.DOC").read_bytes())
    assert obj["document"]["symbol"] == "15/2010/QĐ-UBND"
    text = (SAMPLE / "qd-1968-ubnd-phutho-2018.txt").read_text(encoding="utf-8")
    obj = _refs("-", input=text.encode("utf-16"))
    assert obj["document"]["symbol"] == "1968/QĐ-UBND"


# -- the store and `show` ----------------------------------------------------------------
def test_show_says_where_fields_came_from(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    page = tmp_path / "bai.md"
    page.write_text("---\ntitle: Bài viết\ndate: 2021-04-15\n---\nNội dung bài viết.\n",
                    encoding="utf-8")
    assert run("ingest", str(page), "--db", str(db), "--no-index")[0] == 0
    code, out, _ = run("show", "bai", "--db", str(db), "--json")
    assert code == 0
    obj = json.loads(out)
    assert (obj["title_source"], obj["date_source"]) == ("front_matter", "front_matter")
    _, out, _ = run("show", "bai", "--db", str(db))
    assert "title from front_matter · date from front_matter" in out


def test_a_version_1_store_is_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    Store(db, create=True).close()
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.execute("ALTER TABLE documents DROP COLUMN date_source")
    con.execute("ALTER TABLE documents DROP COLUMN title_source")
    con.commit()
    con.close()
    with Store(db) as store:
        doc = build_document(text_document("a.md", "---\ntitle: A b c\n---\nx y", ), "h1")
        store.put(doc)
        got = store.get(doc.doc_id)
    assert got is not None and got.title_source == "front_matter"
