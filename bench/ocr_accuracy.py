"""OCR speed and character accuracy on the three real scans (../shared/data/pdfs/scanned_real).

Page 1 of each scan was typed by hand from the page image into `<typed>/<name>.p1.txt` (kept
outside the repository, like the scans themselves: `--typed`, default ../scans-typed), in
reading order (header left column, then right column; body paragraphs; "Nơi nhận" list, then
the signer's block; no signatures, stamps or page numbers). Prints `name=value`: seconds per
page through vanban (render + deskew + Tesseract + layout, pages in parallel and one by
one), and character accuracy (1 - edit distance / typed length, after collapsing white
space) of vanban's text and of plain `tesseract page.png - -l vie` on the same page.

    python bench/ocr_accuracy.py [--data ../shared/data/pdfs/scanned_real] [--typed DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vanban.ingest.read.limits import Limits  # noqa: E402
from vanban.ingest.read.ocr import tesseract  # noqa: E402
from vanban.ingest.read.pdf import read_pdf  # noqa: E402

SCANS = ("KSTTHC", "275", "Gioi thieu chu ky")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions cost 1)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def accuracy(ocr: str, typed: str) -> float:
    ref = squash(typed)
    return 1.0 - edit_distance(squash(ocr), ref) / len(ref)


def plain_tesseract(pdf: Path) -> str:
    """Page 1 rendered at 300 dpi and read by Tesseract alone (no deskew, no layout)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        image = doc[0].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    w, h = image.size
    data = b"P5\n%d %d\n255\n" % (w, h) + image.tobytes()
    proc = subprocess.run([tesseract(), "stdin", "stdout", "-l", "vie", "--dpi", "300"],
                          input=data, capture_output=True, check=True,
                          env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    text: str = proc.stdout.decode("utf-8")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path,
                        default=ROOT.parent / "shared" / "data" / "pdfs" / "scanned_real")
    parser.add_argument("--typed", type=Path, default=ROOT.parent / "scans-typed")
    args = parser.parse_args()
    typed_dir = args.typed
    if not typed_dir.is_dir():
        raise SystemExit(f"no typed pages at {typed_dir} (see --typed)")
    per_page: list[float] = []
    serial: list[float] = []
    ours: list[float] = []
    plain: list[float] = []
    for name in SCANS:
        pdf = args.data / f"{name}.pdf"
        started = time.perf_counter()
        doc = read_pdf(pdf, Limits())
        seconds = time.perf_counter() - started
        per_page.append(seconds / len(doc.pages))
        started = time.perf_counter()
        read_pdf(pdf, Limits(ocr_workers=1))
        serial.append((time.perf_counter() - started) / len(doc.pages))
        typed = (typed_dir / f"{name}.p1.txt").read_text(encoding="utf-8")
        key = re.sub(r"\W+", "_", name).lower()
        ours.append(accuracy(doc.pages[0].text, typed))
        plain.append(accuracy(plain_tesseract(pdf), typed))
        print(f"{key}_pages={len(doc.pages)}")
        print(f"{key}_seconds_per_page={per_page[-1]:.2f}")
        print(f"{key}_char_accuracy_vanban={ours[-1]:.4f}")
        print(f"{key}_char_accuracy_plain_tesseract={plain[-1]:.4f}")
    print(f"cores={os.cpu_count()}")
    print(f"ocr_seconds_per_page_parallel={statistics.fmean(per_page):.2f}")
    print(f"ocr_seconds_per_page_one_worker={statistics.fmean(serial):.2f}")
    print(f"char_accuracy_vanban={statistics.fmean(ours):.4f}")
    print(f"char_accuracy_plain_tesseract={statistics.fmean(plain):.4f}")


if __name__ == "__main__":
    main()
