"""Every format a reader accepts: plain text in every Vietnamese encoding, scraped pages,
HTML, .docx, .doc (the real Word 97 files when ../shared/data is there)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from tests.conftest import need_shared
from vanban.corpus.model import RawDocument
from vanban.ingest.read.legacy import to_tcvn3, to_vni
from vanban.ingest.read.limits import ReadError
from vanban.ingest.read.readers import read_path

SENTENCE = ("Đảng bộ cơ quan Ủy ban nhân dân huyện thực hiện Nghị quyết số 25-NQ/TW ngày "
            "03/6/2013 của Ban Chấp hành Trung ương về công tác dân vận năm 2011.")
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 bytes: letters with their vowel marks precomposed, tones combining."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out += (base + "".join(c for c in parts if c in _TONES)).encode("cp1258")
    return bytes(out)


def read(path: Path) -> RawDocument:
    docs = list(read_path(path))
    assert len(docs) == 1
    return docs[0]


@pytest.mark.parametrize(("name", "data"), [
    ("utf8.txt", SENTENCE.encode("utf-8")),
    ("utf8-bom.txt", b"\xef\xbb\xbf" + SENTENCE.encode("utf-8")),
    ("utf16-le.txt", SENTENCE.encode("utf-16")),  # with its BOM
    ("utf16-be.txt", b"\xfe\xff" + SENTENCE.encode("utf-16-be")),
    ("cp1258.txt", cp1258(SENTENCE)),
    ("tcvn3.txt", to_tcvn3(SENTENCE).encode("cp1252")),
    ("vni.txt", to_vni(SENTENCE).encode("cp1252")),
    ("nfd.md", unicodedata.normalize("NFD", SENTENCE).encode("utf-8")),
])
def test_plain_text_in_every_encoding(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    doc = read(path)
    # TCVN3 has no capital 'Ủ' (its capitals are a font of their own): 'ủy' comes back
    expected = SENTENCE.replace("Ủy", "ủy") if name.startswith("tcvn3") else SENTENCE
    assert unicodedata.normalize("NFC", doc.pages[0].text) == expected
    assert doc.pages[0].number is None and doc.source == str(path)


def test_scraped_text_header_and_widgets_become_metadata(tmp_path: Path) -> None:
    path = tmp_path / "bai.txt"
    path.write_text("2018-07-31 10:52:26 Số lượt xem 3220\n" + SENTENCE + "\n"
                    "NGUYỄN ĐỨC HIỆN\n \nVideo\nThống kê truy cập\nĐang online49\n"
                    "Tất cả2741245\n", encoding="utf-8")
    doc = read(path)
    assert doc.pages[0].text == SENTENCE + "\nNGUYỄN ĐỨC HIỆN"
    assert doc.date == "2018-07-31" and doc.meta == {"views": "3220"}


def test_seed_article() -> None:
    seed = need_shared("seed", "000_83054a43e24c00ec.txt")
    doc = read(seed)
    assert doc.date == "2018-07-31" and doc.meta["views"] == "3220"
    lines = doc.pages[0].text.split("\n")
    for widget in ("Video", "Thống kê truy cập", "Đang online49", "Tất cả2741245"):
        assert widget not in lines
    assert lines[-1].startswith("UVBTV, Trưởng Ban Dân vận Thành ủy")


PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Tin tức | Cổng TTĐT tỉnh</title>
<meta property="og:title" content="Hội nghị triển khai Nghị quyết 25-NQ/TW">
<meta property="article:published_time" content="2020-05-14T08:00:00+07:00">
<link rel="canonical" href="https://example.gov.vn/tin/123"></head>
<body><header class="site-header"><nav><ul><li>Trang chủ</li><li>Giới thiệu</li></ul></nav>
</header><div class="breadcrumb">Trang chủ › Tin tức</div>
<div class="article-header"><h1>Hội nghị triển khai</h1></div>
<div class="content"><p>Căn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013 &amp; các văn&nbsp;bản.</p>
<p>Đoạn hai.<br>Dòng mới.</p><div class="share">Chia sẻ: Facebook Zalo</div>
<div class="tin-lien-quan"><a href="#">Tin khác cùng chuyên mục</a></div></div>
<aside class="sidebar"><h3>Thống kê truy cập</h3><p>Đang online49</p></aside>
<div id="footer">Bản quyền thuộc Cổng TTĐT</div><script>var views = 1;</script>
<p>Thống kê truy cập</p><p>Tất cả2741245</p></body></html>"""


def test_html_article_text_title_date(tmp_path: Path) -> None:
    path = tmp_path / "tin.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = read(path)
    assert doc.pages[0].text == ("Hội nghị triển khai\nCăn cứ Nghị quyết số 25-NQ/TW ngày "
                                 "03/6/2013 & các văn bản.\nĐoạn hai.\nDòng mới.")
    assert doc.title == "Hội nghị triển khai Nghị quyết 25-NQ/TW"
    assert doc.date == "2020-05-14"
    assert doc.url == "https://example.gov.vn/tin/123"


def test_html_date_from_the_byline(tmp_path: Path) -> None:
    path = tmp_path / "tin.htm"
    path.write_text("<html><body><h1>Tiêu đề</h1><p>Thứ Năm, 14/05/2020 08:00</p>"
                    f"<p>{SENTENCE}</p></body></html>", encoding="utf-8")
    doc = read(path)
    assert doc.date == "2020-05-14" and doc.title == "Tiêu đề"


def test_html_in_a_legacy_encoding(tmp_path: Path) -> None:
    path = tmp_path / "cu.html"
    path.write_bytes(b"<html><body><p>" + to_vni(SENTENCE).encode("cp1252") + b"</p></body>"
                     b"</html>")
    assert read(path).pages[0].text == SENTENCE


# -- Word ----------------------------------------------------------------------------

def make_docx(path: Path, legacy: bool = False) -> Path:
    import docx

    document = docx.Document()
    header = document.add_table(rows=3, cols=2)
    cells = [("UBND TỈNH PHÚ THỌ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
             ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Độc lập - Tự do - Hạnh phúc"),
             ("Số: 275/STTTT-CNTT", "Phú Thọ, ngày 16 tháng 12 năm 2011")]
    for row, (left, right) in zip(header.rows, cells, strict=True):
        row.cells[0].text, row.cells[1].text = left, right
    document.add_paragraph(to_tcvn3(SENTENCE) if legacy else SENTENCE)
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [("STT", "Đơn vị", "Ghi chú"), ("1", "Văn phòng", "")],
                           strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("Nơi nhận:")
    document.save(str(path))
    return path


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    doc = read(make_docx(tmp_path / "cv.docx"))
    assert doc.pages[0].text.split("\n") == [
        "UBND TỈNH PHÚ THỌ", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Số: 275/STTTT-CNTT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Phú Thọ, ngày 16 tháng 12 năm 2011", SENTENCE, "STT | Đơn vị | Ghi chú",
        "1 | Văn phòng | ", "Nơi nhận:"]


def test_docx_legacy_font_text_is_converted(tmp_path: Path) -> None:
    doc = read(make_docx(tmp_path / "cu.docx", legacy=True))
    lines = doc.pages[0].text.split("\n")
    assert SENTENCE.replace("Ủy", "ủy") in lines  # TCVN3 has no capital 'Ủ'
    assert lines[:3] == ["UBND TỈNH PHÚ THỌ", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
                         "Số: 275/STTTT-CNTT"]  # the Unicode header is left alone


def test_doc_without_a_converter_says_what_to_install(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    path = tmp_path / "cu.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReadError, match="needs antiword or LibreOffice: apt-get install antiword"):
        read(path)


@pytest.fixture(scope="module")
def real_docs() -> dict[str, RawDocument]:
    import shutil

    folder = need_shared("pdfs", "doc_real")
    if not shutil.which("antiword") and not shutil.which("soffice"):
        pytest.skip("neither antiword nor LibreOffice is installed (apt-get install antiword)")
    return {p.name: read(p) for p in sorted(folder.iterdir()) if p.suffix.lower() == ".doc"}


def test_real_doc_files_all_read(real_docs: dict[str, RawDocument]) -> None:
    assert len(real_docs) == 17
    for doc in real_docs.values():
        assert len(doc.pages[0].text) > 400


def test_real_tcvn3_doc(real_docs: dict[str, RawDocument]) -> None:
    text = real_docs["KDIEM DANG VIEN 2011 PHU TTRA.doc"].pages[0].text
    assert text.startswith("Đảng bộ cơ quan UBND huyện")
    assert "Lệ Thuỷ, ngày 29 tháng 11 năm 2011" in text.split("\n")
    assert "tư tưởng" in text and "§" not in text


@pytest.mark.parametrize(("name", "lines"), [
    ("QD15UB.DOC", ["Số: 15/2010/QĐ-UBND", "Hà Nội, ngày 26 tháng 04 năm 2010"]),
    ("CT9UB.DOC", ["Số: 09/2009/CT-UBND", "Thủ Dầu Một, ngày 15 tháng 4 năm 2009"]),
    ("Ke_hoach_trien_khai_dao_tao_phan_mem_Qlvb&Dh.doc", ["Số: /KH-STTTT"]),
])
def test_real_doc_headers_stay_whole(real_docs: dict[str, RawDocument], name: str,
                                     lines: list[str]) -> None:
    text = real_docs[name].pages[0].text.split("\n")
    for line in lines:
        assert line in text
