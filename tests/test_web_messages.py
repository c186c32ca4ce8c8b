"""The pages say what went wrong in Vietnamese: every kind of bad upload a clerk can make
(empty, junk under a document's name, encrypted, truncated, a zip bomb, an unsupported type,
over the limit) and every bad search gets a Vietnamese line naming the file, the original
English kept as the technical detail; the JSON API keeps its English ``error``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.test_hostile import zip_bomb
from tests.test_pdf import make_pdf
from tests.web_corpus import REPORT_TEXT, build_web_corpus
from vanban.search.web.app import create_app
from vanban.search.web.config import WebConfig
from vanban.search.web.messages import vietnamese

VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
FALLBACK = "Không thực hiện được yêu cầu."


@pytest.fixture(scope="module")
def web_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_corpus(sample_db, tmp_path_factory.mktemp("web-messages"))


@pytest.fixture()
def client(web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(WebConfig(db=web_db, report_workers=0, max_mb=0.5))) as c:
        yield c


def _bad_uploads(folder: Path) -> list[Path]:
    junk = bytes(range(256)) * 80
    files = {
        "rong.txt": b"", "rong.pdf": b"", "trang.txt": b"   \n\n",
        "rac.pdf": junk, "rac.docx": junk, "rac.doc": junk, "rac.png": junk,
        "nhi-phan.txt": b"\x00\x01" * 500, "hong.pdf": b"%PDF-1.7\n" + junk + b"\n%%EOF\n",
        "cut-cut.pdf": b"%PDF-1.7\n" + junk, "virus.exe": b"MZ" + b"\0" * 100,
        "lon.txt": REPORT_TEXT.encode() * 2000,
    }
    paths = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    paths.append(make_pdf(folder / "khoa.pdf", [[(20, 20, "Bí mật")]], password="x"))
    paths.append(zip_bomb(folder / "bom.docx"))
    return paths


def test_bad_uploads_are_said_in_vietnamese(client: TestClient, tmp_path: Path) -> None:
    for path in _bad_uploads(tmp_path):
        page = client.post("/refs", files={"file": (path.name, path.read_bytes())})
        assert 400 <= page.status_code < 500, (path.name, page.text)
        why = re.search(r'<p class="why">(.*?)</p>', page.text, re.S)
        assert why is not None, page.text
        said = why[1]
        assert said.startswith(f"{path.name}: "), said
        assert said != FALLBACK and VIETNAMESE.search(said), (path.name, said)
        english = client.post("/api/refs", files={"file": (path.name, path.read_bytes())})
        assert english.json()["error"] in page.text.replace("&#39;", "'")  # the detail


@pytest.mark.parametrize(("params", "said"), [
    ({"q": "đất", "from": "32/13/2010"}, "không phải ngày hợp lệ"),
    ({"q": "đất", "from": "2020", "to": "2019"}, "sau &#39;đến ngày&#39;"),
    ({"q": "đất", "type": "quyet dinhh"}, "không có loại văn bản"),
    ({"q": "đất", "cites": "luat dat dai"}, "không phải số hiệu văn bản"),
])
def test_bad_searches_are_said_in_vietnamese(client: TestClient, params: dict[str, str],
                                             said: str) -> None:
    page = client.get("/search", params=params)
    assert page.status_code == 400
    assert said in page.text


def test_missing_pages_are_said_in_vietnamese(client: TestClient) -> None:
    for path in ["/doc/khong-co", "/nothing", "/refs/download/xxxxxxxxxxxxxxxx.csv"]:
        page = client.get(path)
        why = re.search(r'<p class="why">(.*?)</p>', page.text, re.S)
        assert page.status_code == 404 and why and VIETNAMESE.search(why[1]), page.text


@pytest.mark.parametrize("message", [
    "a.pdf: 2,400 pages, over the 2000 page limit (raise it with --max-pages)",
    "a.pdf: took over 600 s, the per-file time limit (raise it with --max-seconds)",
    "a.pdf: scanned PDF without a text layer, and OCR is off",
    "a.pdf: could not run tesseract (No such file or directory)",
    "a.pdf: page 3 is damaged",
    "a.doc: reading .doc needs antiword or LibreOffice: apt-get install antiword",
    "a.png: image over 178 M pixels (a decompression bomb?)",
    "a: b.txt: file is 120 MB, over the 100 MB limit (raise it with --max-mb)",
    "the corpus is being updated — try again in a moment",
])
def test_rare_errors_have_a_vietnamese_line(message: str) -> None:
    said = vietnamese(message)
    assert said is not None and VIETNAMESE.search(said), message


def test_search_form_shows_dates_as_clerks_type_them(client: TestClient) -> None:
    page = client.get("/search").text
    placeholders = re.findall(r'name="(?:from|to)"[^>]*placeholder="([^"]*)"', page)
    assert len(placeholders) == 2 and "31/12/2023" in placeholders
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", p) for p in placeholders), placeholders


def test_a_warning_no_row_shows_is_listed_in_vietnamese(client: TestClient,
                                                        tmp_path: Path) -> None:
    """What reading the file could not use (bad front matter) is counted among the
    warnings, so the page must show it somewhere: above the table, said in Vietnamese."""
    report = tmp_path / "bao-cao.md"
    report.write_text("---\ntitle: Báo cáo\ndate: 2021-13-45\n---\n# Báo cáo\nCăn cứ Nghị "
                      "định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ.\n", encoding="utf-8")
    page = client.post("/refs", files={"file": (report.name, report.read_bytes())}).text
    assert "1 cảnh báo" in page
    listed = re.search(r'<ul class="doc-warnings" id="doc-warnings">(.*?)</ul>', page, re.S)
    assert listed is not None, page
    assert "ngày &#39;2021-13-45&#39; ghi ở đầu tệp không hợp lệ" in listed[1]
    clean = client.post("/refs", data={"text": "Căn cứ Nghị định số 30/2020/NĐ-CP."}).text
    assert "doc-warnings" not in clean


def test_the_excel_download_speaks_vietnamese(client: TestClient, tmp_path: Path) -> None:
    """The clerk's workbook says what the page says: Vietnamese sheets, headers and
    warnings (the CLI's `refs --xlsx` stays in English, like the CLI)."""
    openpyxl = pytest.importorskip("openpyxl")
    page = client.post("/refs", data={"text": REPORT_TEXT}).text
    key = page.split("/refs/download/")[1].split(".csv")[0]
    path = tmp_path / "dan-chieu.xlsx"
    path.write_bytes(client.get(f"/refs/download/{key}.xlsx").content)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Văn bản được dẫn", "Cảnh báo", "Tệp đã đọc"]
    headers = [c.value for c in wb["Văn bản được dẫn"][1]]
    assert headers[:5] == ["Tệp", "#", "Văn bản", "Loại", "Cơ quan ban hành"]
    assert "Trong kho" in headers and "Ngày" in headers
    warnings = list(wb["Cảnh báo"].iter_rows(values_only=True))
    assert warnings[1][1] == "hai ngày khác nhau" and "25-NQ/TW" in warnings[1]
    assert VIETNAMESE.search(str(warnings[1][4])), warnings[1]


@pytest.mark.parametrize(("name", "expected"), [
    ("báo cáo tháng 3 (bản cuối).txt", "dan-chieu-bao-cao-thang-3-ban-cuoi"),
    ("Đề án số hóa.md", "dan-chieu-de-an-so-hoa"),
    ("ĐỀ ÁN.txt", "dan-chieu-de-an"),
])
def test_downloads_are_named_after_the_report(client: TestClient, name: str,
                                              expected: str) -> None:
    text = "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ.".encode()
    page = client.post("/refs", files={"file": (name, text)}).text
    key = page.split("/refs/download/")[1].split(".csv")[0]
    for fmt in ("csv", "xlsx", "json"):
        said = client.get(f"/refs/download/{key}.{fmt}").headers["content-disposition"]
        assert said == f'attachment; filename="{expected}.{fmt}"'
