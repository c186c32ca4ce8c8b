"""OCR of scanned pages with Tesseract's Vietnamese model (the optional extra `vanban[ocr]`).

Tesseract runs as a subprocess (no Python binding needed), one thread per process
(``OMP_THREAD_LIMIT=1``: several times faster than its own threading on small machines),
pages in parallel.  Pages are rasterized with pypdfium2 and piped as PGM.  The words and
boxes Tesseract returns (TSV) are deskewed and handed to ``vanban.ingest.read.layout`` like a text
layer, so two-column headers read the same way."""

from __future__ import annotations

import functools
import math
import os
import shutil
import statistics
import subprocess
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from vanban.corpus.model import Page, RawDocument
from vanban.ingest.read.layout import Segment, drop_running_lines, page_text, visual_lines
from vanban.ingest.read.limits import Deadline, Limits, ReadError

LANG = "vie"
MAX_SIDE = 3508  # longest side of an image sent to Tesseract (A4 at 300 dpi)
MAX_PIXELS = 60_000_000  # a decoded image larger than this is refused
INSTALL = ("OCR (the vanban[ocr] extra) needs Tesseract and its Vietnamese model: "
           "apt-get install tesseract-ocr tesseract-ocr-vie")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")


class OcrUnavailable(Exception):
    """Tesseract or its Vietnamese model is missing; the message says what to install."""


@functools.lru_cache(maxsize=1)
def tesseract() -> str:
    """The tesseract binary, checked to have the Vietnamese model."""
    exe = os.environ.get("VANBAN_TESSERACT") or shutil.which("tesseract")
    if not exe:
        raise OcrUnavailable(INSTALL)
    try:
        proc = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=30,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        raise OcrUnavailable(INSTALL) from None
    langs = set((proc.stdout + proc.stderr).decode("utf-8", "replace").split())
    if LANG not in langs:
        raise OcrUnavailable("Tesseract has no Vietnamese model: apt-get install "
                             "tesseract-ocr-vie")
    return exe


def available() -> bool:
    try:
        tesseract()
    except OcrUnavailable:
        return False
    return True


# -- PDF pages and image files ----------------------------------------------------------

def ocr_pdf_pages(pdf: Any, indexes: Sequence[int], limits: Limits,
                  deadline: Deadline) -> dict[int, list[Segment]]:
    """The segments of the given (0-based) scanned pages, OCR'd in parallel."""
    exe = tesseract()
    images = ((i, _render(pdf, i, limits.ocr_dpi)) for i in indexes)
    return dict(_run_all(exe, images, limits, deadline))


def read_image(path: Path, limits: Limits | None = None,
               deadline: Deadline | None = None) -> RawDocument:
    """A scanned page (or a multi-page TIFF) as OCR'd pages."""
    limits = limits or Limits()
    deadline = deadline or Deadline(limits.max_seconds)
    try:
        exe = tesseract()
    except OcrUnavailable as exc:
        raise ReadError(f"image file: {exc}") from None
    with _open_image(path) as image:
        frames = _frames(image, limits)
        segments = dict(_run_all(exe, frames, limits, deadline))
    lines = [visual_lines(segments[i], words=True) for i in sorted(segments)]
    pages = tuple(Page(i + 1, page_text(page), ocr=True)
                  for i, page in enumerate(drop_running_lines(lines)))
    if not any(p.text.strip() for p in pages):
        raise ReadError("no text found in the image")
    return RawDocument(source=str(path), pages=pages)


def _open_image(path: Path) -> Any:
    """The image, its header parsed (nothing decoded yet); a context manager."""
    from PIL import Image, UnidentifiedImageError

    bomb = f"image over {MAX_PIXELS // 1_000_000} M pixels (a decompression bomb?)"
    try:
        image = Image.open(path)
    except Image.DecompressionBombError:
        raise ReadError(bomb) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ReadError("not a readable image (corrupt or truncated file)") from None
    if image.size[0] * image.size[1] > MAX_PIXELS:
        image.close()
        raise ReadError(bomb)
    return image


def _frames(image: Any, limits: Limits) -> Iterator[tuple[int, tuple[bytes, int]]]:
    from PIL import Image

    count = getattr(image, "n_frames", 1)
    if count > limits.max_pages:
        raise ReadError(f"{count} pages, over the {limits.max_pages} page limit "
                        "(raise it with --max-pages)")
    for index in range(count):
        try:
            image.seek(index)
            width, height = image.size
            dpi = _image_dpi(image)
            scale = min(1.0, MAX_SIDE / max(width, height))
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            if image.format == "JPEG" and scale < 1.0:
                image.draft("L", size)  # decode at a reduced scale: much faster
            gray = image.convert("L")
            if gray.size != size:
                gray = gray.resize(size, Image.Resampling.LANCZOS)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            raise ReadError(f"image page {index + 1} is damaged") from None
        # without a resolution in the file, assume an A4 page (11.7 inches long)
        page_dpi = round(dpi * scale) if dpi else round(max(size) / 11.7)
        yield index, (_pgm(deskew(gray)), max(70, min(page_dpi, 1200)))


def _image_dpi(image: Any) -> int | None:
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if 70 <= value <= 1200 else None


def _render(pdf: Any, index: int, dpi: int) -> tuple[bytes, int]:
    import pypdfium2 as pdfium

    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        raise ReadError(f"page {index + 1} is damaged") from None
    try:
        w, h = page.get_size()
        scale = dpi / 72
        if w * h * scale * scale > MAX_PIXELS:
            scale = math.sqrt(MAX_PIXELS / max(w * h, 1.0))
        bitmap = page.render(scale=scale, grayscale=True)
        image = deskew(bitmap.to_pil().convert("L"))
        return _pgm(image), round(scale * 72)
    finally:
        page.close()


def deskew(image: Any) -> Any:
    """The page turned level: the angle whose horizontal projection of ink is sharpest."""
    import numpy as np

    small = image.resize((max(1, image.size[0] * 800 // max(image.size)),
                          max(1, image.size[1] * 800 // max(image.size))))
    ys, xs = np.nonzero(np.asarray(small) < 128)
    if len(ys) < 500:
        return image

    def sharpness(degrees: float) -> float:
        rows = np.round(ys - xs * math.tan(math.radians(degrees))).astype(np.int64)
        counts = np.bincount(rows - rows.min()).astype(np.float64)
        return float((counts**2).sum())

    best = max((d / 2 for d in range(-10, 11)), key=sharpness)
    best = max((best + d / 10 for d in range(-5, 6)), key=sharpness)
    if abs(best) < 0.3:
        return image
    from PIL import Image

    return image.rotate(best, resample=Image.Resampling.BICUBIC, fillcolor=255)


def _pgm(image: Any) -> bytes:
    w, h = image.size
    data: bytes = image.tobytes()
    return b"P5\n%d %d\n255\n" % (w, h) + data


# -- running Tesseract ----------------------------------------------------------------

def _run_all(exe: str, images: Iterator[tuple[int, tuple[bytes, int]]], limits: Limits,
             deadline: Deadline) -> Iterator[tuple[int, list[Segment]]]:
    """OCR images with a few threads (each drives one tesseract process), in order."""
    workers = limits.ocr_threads()
    with ThreadPoolExecutor(workers) as pool:
        pending: list[tuple[int, Future[str]]] = []
        try:
            for index, (data, dpi) in images:
                deadline.check()
                pending.append((index, pool.submit(_tesseract_tsv, exe, data, dpi, deadline)))
                while len(pending) > workers:
                    first, future = pending.pop(0)
                    yield first, tsv_segments(future.result())
            for index, future in pending:
                yield index, tsv_segments(future.result())
        finally:
            for _, future in pending:
                future.cancel()


def _tesseract_tsv(exe: str, image: bytes, dpi: int, deadline: Deadline) -> str:
    timeout = deadline.remaining()
    if timeout <= 0:
        raise deadline.error()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.run(
            [exe, "stdin", "stdout", "-l", LANG, "--dpi", str(dpi), "--psm", "3", "tsv"],
            input=image, capture_output=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise deadline.error() from None
    except OSError as exc:
        raise ReadError(f"could not run tesseract ({exc.strerror or exc})") from None
    if proc.returncode != 0:
        why = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReadError(f"tesseract failed ({why[-1] if why else proc.returncode})")
    return proc.stdout.decode("utf-8", "replace")


# -- TSV → segments -----------------------------------------------------------------

def tsv_segments(tsv: str) -> list[Segment]:
    """Tesseract's words, deskewed, as runs of words per line split at column gaps."""
    lines: dict[tuple[str, str, str], list[tuple[str, float, float, float, float]]] = {}
    for row in tsv.split("\n")[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not _keep_word(text, cols[10]):
            continue
        left, top, width, height = (float(c) for c in cols[6:10])
        lines.setdefault((cols[2], cols[3], cols[4]), []).append(
            (text, left, left + width, top, top + height))
    slope = _skew(list(lines.values()))
    out: list[Segment] = []
    for words in lines.values():
        out.extend(_runs(words, slope))
    return out


def _keep_word(text: str, conf: str) -> bool:
    """A word with a letter or digit; punctuation alone only when read with confidence
    (not the binding's shadow read as '|')."""
    if not text or set(text) <= {"|"}:
        return False
    if any(c.isalnum() for c in text):
        return True
    try:
        return float(conf) >= 60
    except ValueError:
        return False


def _skew(lines: list[list[tuple[str, float, float, float, float]]]) -> float:
    """The page's skew as dy/dx, the median over lines of four words or more."""
    slopes: list[float] = []
    for words in lines:
        if len(words) < 4:
            continue
        xs = [(w[1] + w[2]) / 2 for w in words]
        ys = [w[4] for w in words]  # bottoms: diacritics sit on top
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        if sxx > 0:
            slopes.append(sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx)
    if not slopes:
        return 0.0
    slope = statistics.median(slopes)
    return slope if abs(slope) < 0.1 else 0.0


def _runs(words: list[tuple[str, float, float, float, float]],
          slope: float) -> list[Segment]:
    fixed = [(t, x0, x1, top - slope * (x0 + x1) / 2, bot - slope * (x0 + x1) / 2)
             for t, x0, x1, top, bot in sorted(words, key=lambda w: w[1])]
    height = statistics.median(w[4] - w[3] for w in fixed)
    out: list[Segment] = []
    run: list[tuple[str, float, float, float, float]] = []
    for word in fixed:
        if run and word[1] - run[-1][2] > max(1.5 * height, 8.0):
            out.append(_segment(run))
            run = []
        run.append(word)
    if run:
        out.append(_segment(run))
    return out


def _segment(run: list[tuple[str, float, float, float, float]]) -> Segment:
    return Segment(" ".join(w[0] for w in run), min(w[1] for w in run),
                   max(w[2] for w in run), min(w[3] for w in run), max(w[4] for w in run))
