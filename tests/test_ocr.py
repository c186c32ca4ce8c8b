"""OCR of scanned pages: Tesseract's words to lines, deskewing, the missing-Tesseract error,
and the real scans (their cited directives) when ../shared/data and Tesseract are there."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import need_shared
from tests.test_pdf import unicode_font
from vanban.corpus.model import Document
from vanban.ingest.read import ocr
from vanban.ingest.read.layout import page_text, visual_lines
from vanban.ingest.read.limits import ReadError
from vanban.ingest.read.readers import SUPPORTED, read_path


def need_tesseract() -> None:
    if not ocr.available():
        pytest.skip("tesseract with the Vietnamese model is not installed "
                    "(apt-get install tesseract-ocr tesseract-ocr-vie)")


def tsv(rows: list[tuple[int, int, int, str, int, int, int, int]]) -> str:
    """Tesseract TSV from (block, par, line, text, left, top, width, height) words."""
    head = "\t".join(["level", "page_num", "block_num", "par_num", "line_num", "word_num",
                      "left", "top", "width", "height", "conf", "text"])
    lines = [head]
    for i, (block, par, line, text, left, top, width, height) in enumerate(rows):
        lines.append(f"5\t1\t{block}\t{par}\t{line}\t{i}\t{left}\t{top}\t{width}\t{height}\t91.5\t{text}")
    return "\n".join(lines) + "\n"


def test_tsv_words_become_lines_and_columns() -> None:
    words = [
        # a header line Tesseract read across both columns
        (1, 1, 1, "ỦY", 280, 100, 70, 50), (1, 1, 1, "BAN", 370, 110, 110, 40),
        (1, 1, 1, "NHÂN", 500, 95, 150, 60), (1, 1, 1, "DÂN", 670, 96, 110, 50),
        (1, 1, 1, "CỘNG", 1060, 96, 160, 50), (1, 1, 1, "HOÀ", 1240, 90, 120, 50),
        (1, 1, 1, "VIỆT", 1380, 90, 130, 50), (1, 1, 1, "NAM", 1530, 92, 130, 45),
        # the next header line, each column a block of its own
        (2, 1, 1, "Số:", 280, 240, 90, 50), (2, 1, 1, "4532/UBND-KSTTHC", 390, 240, 400, 50),
        (3, 1, 1, "Phú", 1060, 240, 90, 50), (3, 1, 1, "Thọ,", 1160, 240, 100, 55),
        (3, 1, 1, "ngày", 1270, 240, 100, 55), (3, 1, 1, "07", 1400, 240, 50, 50),
        (3, 1, 1, "tháng", 1470, 240, 120, 55), (3, 1, 1, "12", 1600, 240, 50, 50),
        (3, 1, 1, "năm", 1660, 240, 90, 50), (3, 1, 1, "2011", 1760, 240, 100, 50),
        (4, 1, 1, "|", 20, 300, 5, 80),  # the binding's shadow
    ]
    segments = ocr.tsv_segments(tsv(words))
    assert page_text(visual_lines(segments, words=True)).split("\n") == [
        "ỦY BAN NHÂN DÂN", "Số: 4532/UBND-KSTTHC", "CỘNG HOÀ VIỆT NAM",
        "Phú Thọ, ngày 07 tháng 12 năm 2011"]


def test_tsv_skew_is_corrected() -> None:
    # two lines of words descending 3 px per 100 px: without correction they would merge
    rows = []
    for line, top in ((1, 100), (2, 165)):
        for k in range(8):
            x = 100 + 200 * k
            rows.append((1, 1, line, f"từ{line}{k}", x, top + 3 * x // 100, 150, 50))
    lines = visual_lines(ocr.tsv_segments(tsv(rows)), words=True)
    assert [ln.text for ln in lines] == [" ".join(f"từ{n}{k}" for k in range(8)) for n in (1, 2)]


def test_deskew_finds_the_angle() -> None:
    from PIL import Image, ImageDraw

    image = Image.new("L", (1200, 1600), 255)
    draw = ImageDraw.Draw(image)
    for y in range(150, 1450, 60):
        draw.rectangle((100, y, 1100, y + 18), fill=0)  # text-like bars
    tilted = image.rotate(-2.0, fillcolor=255)
    assert ocr.deskew(image) is image  # level: untouched
    fixed = ocr.deskew(tilted)
    assert fixed is not tilted
    import numpy as np

    rows = (np.asarray(fixed) < 128).sum(axis=1)
    assert (rows > 800).sum() >= 15  # the bars are horizontal again


def test_missing_tesseract_says_what_to_install(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    monkeypatch.setenv("VANBAN_TESSERACT", str(tmp_path / "no-tesseract"))
    ocr.tesseract.cache_clear()
    try:
        image = tmp_path / "scan.png"
        Image.new("L", (200, 100), 255).save(image)
        with pytest.raises(ReadError, match="apt-get install tesseract-ocr tesseract-ocr-vie"):
            next(read_path(image))
        pdf = tmp_path / "scan.pdf"
        Image.new("RGB", (600, 800), "white").save(pdf)  # an image-only PDF
        with pytest.raises(ReadError, match=r"scanned PDF without a text layer: OCR .* needs "
                                            r"Tesseract"):
            next(read_path(pdf))
    finally:
        monkeypatch.undo()
        ocr.tesseract.cache_clear()


def test_image_suffixes_are_supported() -> None:
    assert {".jpg", ".jpeg", ".png", ".tif", ".tiff"} <= set(SUPPORTED)


def test_corrupt_image(tmp_path: Path) -> None:
    need_tesseract()
    bad = tmp_path / "scan.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg" * 10)
    with pytest.raises(ReadError, match="not a readable image"):
        next(read_path(bad))


# -- Tesseract on a page made here ------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _scan_png(folder: str) -> Path:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(unicode_font(), 44)
    image = Image.new("L", (2480, 900), 255)
    draw = ImageDraw.Draw(image)
    draw.text((200, 150), "ỦY BAN NHÂN DÂN", font=font, fill=0)
    draw.text((1300, 150), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=font, fill=0)
    draw.text((200, 230), "Số: 4532/UBND-KSTTHC", font=font, fill=0)
    draw.text((1300, 230), "Phú Thọ, ngày 07 tháng 12 năm 2011", font=font, fill=0)
    draw.text((200, 450), "Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ.",
              font=font, fill=0)
    path = Path(folder) / "scan.png"
    image.rotate(1.0, fillcolor=255).save(path, dpi=(300, 300))
    return path


@pytest.fixture()
def scan_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_tesseract()
    return _scan_png(str(tmp_path_factory.getbasetemp()))


def test_ocr_of_an_image_file(scan_png: Path) -> None:
    doc = next(read_path(scan_png))
    assert [(p.number, p.ocr) for p in doc.pages] == [(1, True)]
    lines = doc.pages[0].text.split("\n")
    assert "Số: 4532/UBND-KSTTHC" in lines
    assert "Phú Thọ, ngày 07 tháng 12 năm 2011" in lines
    assert "63/2010/NĐ-CP" in doc.pages[0].text


def test_scanned_pdf_pages_are_marked_ocr(scan_png: Path, tmp_path: Path) -> None:
    from PIL import Image

    pdf = tmp_path / "scan.pdf"
    Image.open(scan_png).convert("RGB").save(pdf, resolution=300)
    from vanban.ingest.pipeline import read_documents

    doc = next(read_documents(pdf))
    assert doc.ocr_pages == (1,)
    assert "63/2010/NĐ-CP" in {r.directive.symbol for r in doc.references}


# -- the real scans ------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_scans(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Document]]:
    """Page 1 of each real scan (the hand-read gold covers page 1), OCR'd as one 3-page PDF
    so the pages run in parallel; each page comes back as a document of its own."""
    import dataclasses

    import pypdfium2 as pdfium

    from vanban.corpus.store import page_at
    from vanban.ingest.pipeline import read_documents

    folder = need_shared("pdfs", "scanned_real")
    need_tesseract()
    names = sorted(p.name for p in folder.glob("*.pdf"))
    combined = pdfium.PdfDocument.new()
    for name in names:
        src = pdfium.PdfDocument(str(folder / name))
        combined.import_pages(src, [0])
        src.close()
    path = tmp_path_factory.mktemp("scans") / "page1s.pdf"
    combined.save(str(path))
    combined.close()
    doc = next(read_documents(path))
    out = {}
    for number, name in enumerate(names, 1):
        start = doc.page_starts[number - 1]
        end = doc.page_starts[number] if number < len(names) else len(doc.text)
        refs = tuple(r for r in doc.references if page_at(doc.page_starts, r.start) == number)
        out[name] = dataclasses.replace(doc, text=doc.text[start:end], references=refs,
                                        ocr_pages=(1,) if number in doc.ocr_pages else ())
    yield out


def test_real_scans_yield_the_hand_read_references(real_scans: dict[str, Document]) -> None:
    gold = json.loads((need_shared("pdfs", "scanned_real") / "GOLD_page1_handread.json")
                      .read_text(encoding="utf-8"))
    for name, doc in real_scans.items():
        assert doc.ocr_pages == (1,)
        found = {r.directive.symbol for r in doc.references}
        for ref in gold[name]["references"]:
            assert ref["symbol"] in found, (name, ref["symbol"], sorted(map(str, found)))


def test_real_scan_header_reads_column_by_column(real_scans: dict[str, Document]) -> None:
    lines = real_scans["Gioi thieu chu ky.pdf"].text.split("\n")
    assert lines.index("THÔNG BÁO") > lines.index("Độc lập - Tự do - Hạnh phúc")
    assert any(line.startswith("Căn cứ Quyết định số 2729 /QĐ-UBND ngày 16 tháng 11 năm 2011")
               for line in lines)


def test_real_contract_jpg() -> None:
    page = need_shared("pdfs", "scanned_contract_jpg", "page_1.jpg")
    need_tesseract()
    from vanban.ingest.pipeline import read_documents

    doc = next(read_documents(page))
    assert doc.ocr_pages == (1,)
    assert "91/2015/QH13" in {r.directive.symbol for r in doc.references}
