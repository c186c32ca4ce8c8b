"""PDF text-layer speed: vanban's reader against plain pdfplumber, in the same run.

Reads every PDF in ../shared/data/pdfs/born_digital_from_real_doc (17 files, 274 pages) on
one core and prints `name=value` lines, medians of --runs runs:
  vanban_pages_per_s          ingest.pdf.read_pdf (text, boxes, columns, paragraphs)
  vanban_pipeline_pages_per_s ingest.pipeline.read_documents (the above + normalization,
                              reference and date extraction, passages)
  pdfplumber_pages_per_s      pdfplumber's page.extract_text(), nothing else
  speedup                     vanban / pdfplumber

    python bench/pdf_speed.py [--data DIR] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vanban.ingest.read.limits import Limits  # noqa: E402
from vanban.ingest.read.pdf import read_pdf  # noqa: E402


def vanban(files: list[Path]) -> int:
    return sum(len(read_pdf(f, Limits()).pages) for f in files)


def vanban_pipeline(files: list[Path]) -> int:
    from vanban.ingest.pipeline import read_documents

    return sum(max(1, len(d.page_starts)) for f in files for d in read_documents(f))


def plumber(files: list[Path]) -> int:
    import pdfplumber

    pages = 0
    for f in files:
        with pdfplumber.open(str(f)) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return pages


def rate(func: Callable[[list[Path]], int], files: list[Path], runs: int) -> float:
    rates = []
    for _ in range(runs):
        started = time.perf_counter()
        pages = func(files)
        rates.append(pages / (time.perf_counter() - started))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "pdfs"
                        / "born_digital_from_real_doc")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = sorted(args.data.glob("*.pdf"))
    if not files:
        sys.exit(f"no PDFs in {args.data}")
    pages = vanban(files)  # warm-up (imports, caches)
    print(f"files={len(files)}")
    print(f"pages={pages}")
    ours = rate(vanban, files, args.runs)
    print(f"vanban_pages_per_s={ours:.1f}")
    try:
        print(f"vanban_pipeline_pages_per_s={rate(vanban_pipeline, files, args.runs):.1f}")
    except ImportError as exc:  # the extraction stage is not there yet
        print(f"vanban_pipeline_pages_per_s=nan  # {exc}")
    theirs = rate(plumber, files, args.runs)
    print(f"pdfplumber_pages_per_s={theirs:.1f}")
    print(f"speedup={ours / theirs:.1f}")


if __name__ == "__main__":
    main()
