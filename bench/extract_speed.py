"""Speed of normalize + references + dates over the codified law (../shared/data/phapdien).

    python -m bench.extract_speed [--repeat 3]

Prints ``name=value`` lines: MB/s of UTF-8 input per core — CPU time of this one process, so
other load on the machine does not count — for the whole path and for each stage, and the
ratio to a plain-regex baseline (one compiled symbol regex over the same text, no parsing)
measured in the same run.  Best of ``--repeat`` runs; wall-clock MB/s of the whole path too.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from vanban.ingest.extract.dates import extract_dates
from vanban.ingest.extract.references import extract_references, references_and_dates
from vanban.ingest.normalize import normalize

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "phapdien"
_BASELINE_RE = re.compile(r"\d+(?:/\d{4})?/[A-ZĐ][A-ZĐ0-9-]*|\d+-[A-ZĐ]+/[A-ZĐ]+")


def load_texts() -> list[str]:
    """The ``noidung`` of every article."""
    csv.field_size_limit(sys.maxsize)
    texts: list[str] = []
    for path in sorted(DATA.glob("*-*-*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts.extend(row["noidung"] for row in csv.DictReader(handle))
    return texts


def _best(run: Callable[[], object], repeat: int, clock: Callable[[], float]) -> float:
    times = []
    for _ in range(repeat):
        start = clock()
        run()
        times.append(clock() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"phapdien data not found at {DATA}")
    texts = load_texts()
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    normalized = [normalize(t) for t in texts]

    def full() -> None:
        for text in texts:
            references_and_dates(normalize(text))

    cpu = time.process_time
    timings = {
        "extract": _best(full, args.repeat, cpu),
        "normalize": _best(lambda: [normalize(t) for t in texts], args.repeat, cpu),
        "dates": _best(lambda: [extract_dates(t) for t in normalized], args.repeat, cpu),
        "references": _best(
            lambda: [extract_references(t, dates=extract_dates(t)) for t in normalized],
            args.repeat,
            cpu,
        ),
        "baseline_regex": _best(
            lambda: [_BASELINE_RE.findall(t) for t in normalized], args.repeat, cpu
        ),
    }
    wall = _best(full, 1, time.perf_counter)
    print(f"texts={len(texts)}")
    print(f"input_mb={megabytes:.2f}")
    for name, seconds in timings.items():
        print(f"{name}_seconds={seconds:.3f}")
        print(f"{name}_mb_per_s={megabytes / seconds:.2f}")
    print(f"extract_wall_mb_per_s={megabytes / wall:.2f}")
    print(f"extract_vs_baseline_ratio={timings['extract'] / timings['baseline_regex']:.1f}")


if __name__ == "__main__":
    main()
