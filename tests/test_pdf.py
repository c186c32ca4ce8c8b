"""PDF text layers: reading order (two-column headers, paragraphs), running lines, page
numbers, legacy fonts; the real born-digital PDFs when ../shared/data is there."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import need_shared
from vanban.corpus.model import RawDocument
from vanban.ingest.read.layout import Line, Segment, drop_running_lines, page_text, visual_lines
from vanban.ingest.read.limits import Limits, ReadError
from vanban.ingest.read.pdf import read_pdf

FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
         "/usr/share/fonts/TTF/DejaVuSerif.ttf",
         "/usr/share/fonts/dejavu/DejaVuSerif.ttf")
H = 12.0  # line height of the synthetic pages, in points


def unicode_font() -> str:
    """A TrueType font with Vietnamese letters, or skip (fpdf2's core fonts are Latin-1)."""
    for path in FONTS:
        if Path(path).exists():
            return path
    pytest.skip("no DejaVu font to write Vietnamese into a test PDF (apt-get install "
                "fonts-dejavu-core)")


def make_pdf(path: Path, pages: list[list[tuple[int, int, str]]],
             password: str | None = None) -> Path:
    """A PDF with text at (x, y) millimetres on each page (fpdf2, DejaVu)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("dv", fname=unicode_font())
    pdf.set_font("dv", size=12)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    for items in pages:
        pdf.add_page()
        for x, y, text in items:
            pdf.text(x, y, text)
    pdf.output(str(path))
    return path


def seg(text: str, x0: float, row: float, x1: float | None = None) -> Segment:
    """A segment on line ``row`` (rows are 1.5 line heights apart)."""
    width = x1 - x0 if x1 is not None else 6.0 * len(text)
    return Segment(text, x0, x0 + width, row * 1.5 * H, row * 1.5 * H + H)


def text_of(segments: list[Segment]) -> list[str]:
    return page_text(visual_lines(segments)).split("\n")


# -- layout on synthetic pages ---------------------------------------------------------

HEADER = [
    seg("UBND TỈNH PHÚ THỌ", 100, 0, 250), seg("CỘNG HÒA XÃ HỘI CHỦ NGHĨA", 310, 0, 530),
    seg("SỞ THÔNG TIN VÀ TRUYỀN", 86, 1, 275), seg("VIỆT NAM", 387, 1, 457),
    seg("THÔNG", 155, 2, 205), seg("Độc lập - Tự do - Hạnh phúc", 320, 2, 525),
    seg("Số: 4532/UBND-KSTTHC", 115, 4, 246),
    seg("Phú Thọ, ngày 07 tháng 12 năm 2011", 300, 4, 540),
    seg("KẾ HOẠCH", 265, 7, 358),
]


def test_two_column_header_is_read_left_column_then_right() -> None:
    assert text_of(HEADER) == [
        "UBND TỈNH PHÚ THỌ", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Số: 4532/UBND-KSTTHC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Phú Thọ, ngày 07 tháng 12 năm 2011", "KẾ HOẠCH"]


@pytest.mark.parametrize(("segments", "expected"), [
    # the Quốc hiệu's last word wrapped under the left column (a tab-laid header)
    ([seg("ỦY BAN NHÂN DÂN", 86, 0, 231), seg("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT", 253, 0, 533),
      seg("NAM", 86, 1, 121),
      seg("TỈNH BÌNH DƯƠNG", 86, 2, 231), seg("Độc lập - Tự do - Hạnh phúc", 291, 2, 495),
      seg("Số: 09/2009/CT-UBND", 86, 3, 233),
      seg("Thủ Dầu Một, ngày 15 tháng 4 năm 2009", 254, 3, 532)],
     ["ỦY BAN NHÂN DÂN", "TỈNH BÌNH DƯƠNG", "Số: 09/2009/CT-UBND",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
      "Thủ Dầu Một, ngày 15 tháng 4 năm 2009"]),
    # the symbol cut by its cell: 'QĐ-' + 'UBND'
    ([seg("ỦY BAN NHÂN DÂN", 91, 0, 236), seg("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 260, 0, 560),
      seg("Số: 15/2010/QĐ-", 106, 1, 222), seg("Hà Nội, ngày 26 tháng 04 năm 2010", 276, 1, 534),
      seg("UBND", 142, 2, 191)],
     ["ỦY BAN NHÂN DÂN", "Số: 15/2010/QĐ-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Hà Nội, ngày 26 tháng 04 năm 2010"]),
    # the place and date cut after the day, its tail under the left column
    ([seg("Chi bộ Thanh tra", 113, 0, 233), seg("Đảng cộng sản Việt Nam", 314, 0, 505),
      seg("Lệ Thủy, ngày 29", 406, 1, 529), seg("tháng 11 năm 2011", 86, 2, 209),
      seg("Tổ dân phố số 2", 113, 3, 233), seg("-------", 355, 3, 510)],
     ["Chi bộ Thanh tra", "Tổ dân phố số 2", "Đảng cộng sản Việt Nam",
      "Lệ Thủy, ngày 29 tháng 11 năm 2011", "-------"]),
])
def test_header_pieces_are_put_back_together(segments: list[Segment],
                                             expected: list[str]) -> None:
    assert text_of(segments) == expected


BODY = [  # left margin 85, first-line indent 114, right margin 537
    seg("- Nâng cao tính kịp thời, nhanh chóng và đầy đủ trong công", 114, 0, 537),
    seg("tác quản lý Nhà nước, công tác quản lý văn bản.", 85, 1, 425),
    seg("Căn cứ Nghị định số 37/2007/NĐ-", 114, 2, 536),
    seg("CP ngày 09/3/2007 của Chính phủ và Điều 3 của", 85, 3, 537),
    seg("Điều 3 quy định này;", 85, 4, 200),
    seg("Điều 4. Trách nhiệm thi hành", 85, 5, 300),
]


def test_wrapped_lines_are_rejoined_into_paragraphs() -> None:
    assert text_of(BODY) == [
        "- Nâng cao tính kịp thời, nhanh chóng và đầy đủ trong công tác quản lý Nhà nước, "
        "công tác quản lý văn bản.",
        "Căn cứ Nghị định số 37/2007/NĐ-CP ngày 09/3/2007 của Chính phủ và Điều 3 của "
        "Điều 3 quy định này;",
        "Điều 4. Trách nhiệm thi hành"]


def test_table_rows_keep_their_cells() -> None:
    rows = [seg("STT", 90, 0, 110), seg("Tên đơn vị", 150, 0, 260), seg("Ghi chú", 400, 0, 450),
            seg("1", 90, 1, 96), seg("Văn phòng Sở", 150, 1, 250), seg("Đạt", 400, 1, 425)]
    assert text_of(rows) == ["STT | Tên đơn vị | Ghi chú", "1 | Văn phòng Sở | Đạt"]


def test_running_headers_footers_and_page_numbers_are_dropped() -> None:
    pages = []
    for n in range(1, 5):
        pages.append(visual_lines([
            seg("CÔNG BÁO/Số 12/Ngày 05-01-2012", 200, 0, 400),
            seg(f"Điều {n}. Nội dung", 85, 2, 300),
            seg(f"Khoản {n} của điều {n} (trang {n}).", 85, 3, 300),
            seg(f"Trang {n}/4", 290, 40, 330) if n % 2 else seg(f"- {n} -", 290, 40, 310)]))
    kept = drop_running_lines(pages)
    assert [[ln.text for ln in page] for page in kept] == [
        ["CÔNG BÁO/Số 12/Ngày 05-01-2012", "Điều 1. Nội dung", "Khoản 1 của điều 1 (trang 1)."],
        *[[f"Điều {n}. Nội dung", f"Khoản {n} của điều {n} (trang {n})."] for n in range(2, 5)]]


def test_pdfium_hyphen_marker_and_symbol_glyphs_are_cleaned() -> None:
    line = visual_lines([seg("Nghị định số 37/2007/NĐ\ufffeCP \uf0a3", 85, 0, 400)])
    assert [ln.text for ln in line] == ["Nghị định số 37/2007/NĐ-CP"]
    assert visual_lines([seg("\uf0a3", 85, 0, 95)]) == []


def test_empty_page() -> None:
    assert page_text([]) == ""
    assert page_text([Line((seg("x", 1, 0),))]) == "x"


# -- generated PDFs ------------------------------------------------------------------

def three_page_decision(path: Path) -> Path:
    body = ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;")
    pages = []
    for n in range(1, 4):
        items = [(80, 12, "CÔNG BÁO TỈNH PHÚ THỌ")] if n > 1 else []
        if n == 1:
            items += [(25, 20, "UBND TỈNH PHÚ THỌ"),
                      (110, 20, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                      (25, 27, "Số: 4532/UBND-KSTTHC"),
                      (110, 27, "Phú Thọ, ngày 07 tháng 12 năm 2011"),
                      (90, 40, "QUYẾT ĐỊNH")]
        items += [(25, 60, f"Trang {n}: {body}"), (100, 285, str(n))]
        pages.append(items)
    return make_pdf(path, pages)


def test_generated_pdf_pages_header_and_page_numbers(tmp_path: Path) -> None:
    doc = read_pdf(three_page_decision(tmp_path / "qd.pdf"))
    assert isinstance(doc, RawDocument)
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert not any(p.ocr for p in doc.pages)
    first = doc.pages[0].text.split("\n")
    assert "Số: 4532/UBND-KSTTHC" in first
    assert "Phú Thọ, ngày 07 tháng 12 năm 2011" in first
    assert first.index("UBND TỈNH PHÚ THỌ") < first.index("Số: 4532/UBND-KSTTHC") \
        < first.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    for page in doc.pages[1:]:
        assert "CÔNG BÁO" not in page.text  # a running header
        assert page.text.startswith(f"Trang {page.number}: Căn cứ Nghị định số 30/2020/NĐ-CP")
    assert not any(line.strip().isdigit() for p in doc.pages for line in p.text.split("\n"))


def test_page_numbers_reach_passages_and_references(tmp_path: Path) -> None:
    from vanban.corpus.store import page_at
    from vanban.ingest.pipeline import read_documents

    doc = next(read_documents(three_page_decision(tmp_path / "qd.pdf")))
    assert len(doc.page_starts) == 3
    pages = {page_at(doc.page_starts, r.start) for r in doc.references
             if r.directive.symbol == "30/2020/NĐ-CP"}
    assert pages == {1, 2, 3}
    passage_pages = [p.page or 0 for p in doc.passages]
    assert passage_pages[0] == 1 and passage_pages == sorted(passage_pages)
    assert set(passage_pages) <= {1, 2, 3} and len(set(passage_pages)) > 1


def test_max_pages_limit(tmp_path: Path) -> None:
    path = three_page_decision(tmp_path / "qd.pdf")
    with pytest.raises(ReadError, match="3 pages, over the 2 page limit"):
        read_pdf(path, Limits(max_pages=2))


def test_time_limit(tmp_path: Path) -> None:
    path = three_page_decision(tmp_path / "qd.pdf")
    with pytest.raises(ReadError, match="per-file time limit"):
        read_pdf(path, Limits(max_seconds=0.0))


# -- the real born-digital PDFs --------------------------------------------------------

@pytest.fixture(scope="module")
def born_digital() -> dict[str, RawDocument]:
    folder = need_shared("pdfs", "born_digital_from_real_doc")
    return {p.name: read_pdf(p) for p in sorted(folder.glob("*.pdf"))}


def test_real_pdfs_all_read_with_page_numbers(born_digital: dict[str, RawDocument]) -> None:
    assert len(born_digital) == 17
    assert sum(len(d.pages) for d in born_digital.values()) == 274
    for doc in born_digital.values():
        assert [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))
        assert doc.pages[0].text.strip()


@pytest.mark.parametrize(("name", "lines"), [
    ("Nghi dinh 86 huong dna thi hnah Luat Thanh tra nam 2010.pdf",
     ["Số: 86/2011/NĐ-CP", "Hà Nội, ngày 22 tháng 09 năm 2011"]),
    ("Luat Thanh tra 2010.pdf", ["Luật số: 56/2010/QH12", "Hà Nội, ngày 15 tháng 11 năm 2010"]),
    ("CT9UB.pdf", ["Số: 09/2009/CT-UBND", "Thủ Dầu Một, ngày 15 tháng 4 năm 2009",
                   "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]),
    ("QD15UB.pdf", ["Số: 15/2010/QĐ-UBND", "Hà Nội, ngày 26 tháng 04 năm 2010"]),
    ("QD9UB1.pdf", ["Số:09/2010/QĐ-UBND", "Cần Thơ, ngày 21 tháng 01 năm 2010"]),
    ("Ke_hoach_trien_khai_dao_tao_phan_mem_Qlvb&Dh.pdf",
     ["SỞ THÔNG TIN VÀ TRUYỂN THÔNG", "Phú Thọ, ngày tháng 12 năm 2011"]),
    ("KDIEM DANG VIEN 2011 PHU TTRA.pdf", ["Lệ Thuỷ, ngày 29 tháng 11 năm 2011"]),
])
def test_real_headers_stay_whole(born_digital: dict[str, RawDocument], name: str,
                                 lines: list[str]) -> None:
    first = born_digital[name].pages[0].text.split("\n")
    for line in lines:
        assert line in first


def test_real_tcvn3_pdf_is_converted(born_digital: dict[str, RawDocument]) -> None:
    text = born_digital["KDIEM DANG VIEN 2011 PHU TTRA.pdf"].pages[0].text
    assert text.startswith("Đảng bộ cơ quan UBND")
    assert "§" not in text


def test_real_pdf_speed_floor() -> None:
    """The bench measures ~170 pages/s on one core; this floor only catches a collapse."""
    folder = need_shared("pdfs", "born_digital_from_real_doc")
    files = sorted(folder.glob("*.pdf"))[:8]
    started = time.perf_counter()
    pages = sum(len(read_pdf(f).pages) for f in files)
    assert pages / (time.perf_counter() - started) > 25
