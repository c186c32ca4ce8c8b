"""PDF files: the text layer read with pypdfium2 (page numbers kept, reading order rebuilt
by ``vanban.ingest.read.layout``); pages without a text layer go to OCR.

pypdfium2 gives the text of a page in its own line order (hundreds of pages/s); the boxes of
those lines, and of single characters where a line holds several columns, let
``vanban.ingest.read.layout`` rebuild two-column headers, paragraphs and running lines."""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from vanban.corpus.model import Page, RawDocument
from vanban.ingest.read.layout import (
    Line,
    Segment,
    column_gap,
    drop_running_lines,
    page_text,
    visual_lines,
)
from vanban.ingest.read.limits import Deadline, Limits, ReadError, past_day, usable_title

MIN_TEXT_CHARS = 20  # fewer characters than this on a page with a big image: a scan
MIN_IMAGE_SHARE = 0.3  # part of the page an image must cover to be a scan


def read_pdf(path: Path, limits: Limits | None = None,
             deadline: Deadline | None = None) -> RawDocument:
    """Text of every page; raises ``ReadError`` for corrupt, encrypted or unreadable files."""
    limits = limits or Limits()
    deadline = deadline or Deadline(limits.max_seconds)
    with _open(path) as pdf:
        count = len(pdf)
        if count == 0:
            raise ReadError("PDF without pages")
        if count > limits.max_pages:
            raise ReadError(f"{count} pages, over the {limits.max_pages} page limit "
                            "(raise it with --max-pages)")
        layers, scanned = _text_layers(pdf, count, deadline)
        ocr_segments = _ocr(pdf, scanned, layers, limits, deadline)
        title, date = _metadata(pdf)
    doc = replace(_document(path, layers, ocr_segments), title=title, date=date,
                  title_source="pdf_metadata" if title else None,
                  date_source="pdf_metadata" if date else None)
    unread = [str(i + 1) for i in scanned if i not in ocr_segments]
    if unread:  # scans left unread (OCR off or missing) in a file with a text layer
        doc.meta["scanned_pages_not_read"] = ",".join(unread)
    return doc


def _metadata(pdf: Any) -> tuple[str | None, str | None]:
    """(Title, CreationDate day) from the PDF's document information, when usable."""
    try:
        info = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # damaged metadata loses the metadata, never the text
        return None, None
    created = re.match(r"(?:D:)?((?:19|20)\d\d)([01]\d)([0-3]\d)", info.get("CreationDate", ""))
    date = past_day(*created.groups()) if created else None
    return usable_title(info.get("Title")), date


@contextmanager
def _open(path: Path) -> Iterator[Any]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise ReadError(_open_error(str(exc), path)) from None
    try:
        yield pdf
    finally:
        pdf.close()


def _open_error(message: str, path: Path) -> str:
    low = message.lower()
    if "password" in low:
        return "encrypted PDF (password protected)"
    if "security" in low:
        return "encrypted PDF (unsupported security handler)"
    if "file access" in low or "file not found" in low:
        return "cannot open the file (missing or unreadable)"
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
            fh.seek(max(0, path.stat().st_size - 1024))
            tail = fh.read()
    except OSError:
        return "not a readable PDF"
    if b"%PDF" not in head:
        return "not a PDF (no %PDF header; another format named .pdf?)"
    if b"%%EOF" not in tail:
        return "truncated PDF (the file ends early: an interrupted download or copy?)"
    return "not a readable PDF (corrupt file)"


def _text_layers(pdf: Any, count: int,
                 deadline: Deadline) -> tuple[list[list[Segment]], list[int]]:
    """The segments of each page's text layer, and the (0-based) pages that are scans."""
    import pypdfium2 as pdfium

    layers: list[list[Segment]] = []
    scanned: list[int] = []
    for index in range(count):
        deadline.check()
        try:
            page = pdf[index]
        except pdfium.PdfiumError:
            raise ReadError(f"page {index + 1} is damaged") from None
        try:
            segments = page_segments(page)
            if _is_scan(page, segments):
                scanned.append(index)
            layers.append(segments)
        except pdfium.PdfiumError:
            raise ReadError(f"page {index + 1} is damaged") from None
        finally:
            page.close()
    return layers, scanned


def page_segments(page: Any) -> list[Segment]:
    """Runs of text on a page with their boxes (y from the top of the page)."""
    import pypdfium2.raw as raw

    height = page.get_height()
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        count = raw.FPDFText_CountChars(tp)
        if count <= 0:
            return []
        text = textpage.get_text_range(0, count)
        if len(text) != count:  # characters outside the BMP: rebuild one per index
            text = "".join(chr(raw.FPDFText_GetUnicode(tp, i) or 32) for i in range(count))
        out: list[Segment] = []
        for start, end in _line_ranges(text):
            out.extend(_line_segments(tp, text, start, end, height))
        return out
    finally:
        textpage.close()


def _line_ranges(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        stop = end - 1 if end > start and text[end - 1] == "\r" else end
        if text[start:stop].strip():
            yield start, stop
        start = end + 1


_D = [ctypes.c_double() for _ in range(4)]
_P = [ctypes.byref(d) for d in _D]


def _line_segments(tp: Any, text: str, start: int, end: int,
                   height: float) -> list[Segment]:
    import pypdfium2.raw as raw

    n = raw.FPDFText_CountRects(tp, start, end - start)
    rects: list[tuple[float, float, float, float]] = []
    for k in range(n):
        raw.FPDFText_GetRect(tp, k, *_P)  # left, top, right, bottom
        left, top, right, bottom = (d.value for d in _D)
        rects.append((left, height - top, right, height - bottom))
    if not rects:
        return []
    if len(rects) == 1 or _one_run(rects):
        x0 = min(r[0] for r in rects)
        x1 = max(r[2] for r in rects)
        top_ = min(r[1] for r in rects)
        bottom_ = max(r[3] for r in rects)
        return [Segment(text[start:end], x0, x1, top_, bottom_)]
    return _char_segments(tp, text, start, end, height)


def _one_run(rects: list[tuple[float, float, float, float]]) -> bool:
    """Rects that follow each other on one line without a column gap."""
    h = max(r[3] - r[1] for r in rects)
    for a, b in pairwise(rects):
        same_line = abs((a[1] + a[3]) - (b[1] + b[3])) / 2 < 0.5 * h
        if not same_line or b[0] < a[2] - h or b[0] - a[2] > column_gap(h):
            return False
    return True


def _char_segments(tp: Any, text: str, start: int, end: int,
                   height: float) -> list[Segment]:
    """A line holding several columns or lines, split at gaps using character boxes."""
    import pypdfium2.raw as raw

    out: list[Segment] = []
    chars: list[str] = []
    box: list[float] = []  # x0, x1, top, bottom of the current run
    for i in range(start, end):
        raw.FPDFText_GetCharBox(tp, i, *_P)  # left, right, bottom, top
        left, right, bottom, top = (d.value for d in _D)
        if right - left <= 0 and top - bottom <= 0:  # a generated space
            chars.append(text[i])
            continue
        t, b = height - top, height - bottom
        if box:
            h = max(box[3] - box[2], b - t, 1.0)
            mid, run_mid = (t + b) / 2, (box[2] + box[3]) / 2
            if abs(mid - run_mid) > 0.6 * h or left - box[1] > column_gap(h) \
                    or left < box[1] - 2 * h:
                out.append(Segment("".join(chars), *box))
                chars, box = [], []
        if not box:
            box = [left, right, t, b]
        else:
            box = [min(box[0], left), max(box[1], right), min(box[2], t), max(box[3], b)]
        chars.append(text[i])
    if box:
        out.append(Segment("".join(chars), *box))
    return out


def _is_scan(page: Any, segments: list[Segment]) -> bool:
    if sum(len(s.text.strip()) for s in segments) >= MIN_TEXT_CHARS:
        return False
    import pypdfium2.raw as raw

    area = page.get_width() * page.get_height()
    covered = 0.0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        covered += max(0.0, right - left) * max(0.0, top - bottom)
    return bool(area > 0 and covered / area >= MIN_IMAGE_SHARE)


def _ocr(pdf: Any, scanned: list[int], layers: list[list[Segment]], limits: Limits,
         deadline: Deadline) -> dict[int, list[Segment]]:
    if not scanned:
        return {}
    scans = set(scanned)
    has_text = any(segments for i, segments in enumerate(layers) if i not in scans)
    if not limits.ocr:
        if has_text:
            return {}
        raise ReadError("scanned PDF without a text layer, and OCR is off")
    from vanban.ingest.read.ocr import OcrUnavailable, ocr_pdf_pages

    try:
        return ocr_pdf_pages(pdf, scanned, limits, deadline)
    except OcrUnavailable as exc:
        if has_text:
            return {}
        raise ReadError(f"scanned PDF without a text layer: {exc}") from None


def _document(path: Path, layers: list[list[Segment]],
              ocr_segments: dict[int, list[Segment]]) -> RawDocument:
    layers = _legacy_fixed(layers)
    lines: list[list[Line]] = []
    for index, segments in enumerate(layers):
        if index in ocr_segments:
            lines.append(visual_lines(ocr_segments[index], words=True))
        else:
            lines.append(visual_lines(segments))
    pages = tuple(Page(i + 1, page_text(page_lines), ocr=i in ocr_segments)
                  for i, page_lines in enumerate(drop_running_lines(lines)))
    if not any(p.text.strip() for p in pages):
        raise ReadError("no text in this PDF (empty pages, or images without OCR)")
    return RawDocument(source=str(path), pages=pages)


def _legacy_fixed(layers: list[list[Segment]]) -> list[list[Segment]]:
    """Text in TCVN3/VNI fonts (Word files of the 2000s turned into PDFs) converted to
    Unicode before the layout reads it."""
    from vanban.ingest.read.fonts import fix_legacy_parts

    texts = iter(fix_legacy_parts([s.text for segments in layers for s in segments]))
    return [[Segment(next(texts), s.x0, s.x1, s.top, s.bottom) for s in segments]
            for segments in layers]
