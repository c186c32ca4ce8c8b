"""Ingest + index of ../shared/data/phapdien against pyvi alone over the same text, and
the wall time of `vanban search` on the warm index, measured side by side in one run.

    python bench/ingest_speed.py [--limit N] [--work /tmp/vanban-ingest]
    python bench/ingest_speed.py --search-db CORPUS.db   # only the search wall time

Prints `name=value` lines.  pyvi alone = ViTokenizer.tokenize over every sentence of the
same article texts, in one process; vanban = `vanban ingest` (reading, normalizing,
extracting references and dates, passages, pyvi tokens, SQLite, BM25 index) with its
default worker pool, and also with one worker.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("VANBAN_SHARED_DATA", ROOT.parent / "shared" / "data")) / "phapdien"
# the console script beside this interpreter (a version manager's shim on PATH would add its
# own start-up time to every command)
_BESIDE = Path(sys.executable).with_name("vanban")
VANBAN = str(_BESIDE) if _BESIDE.exists() else "vanban"
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")


def write_jsonl(out: Path, limit: int | None) -> tuple[int, int]:
    csv.field_size_limit(1 << 30)
    n = chars = 0
    with out.open("w", encoding="utf-8") as fh:
        for path in sorted(DATA.glob("*.csv")):
            if path.name == "chude_id_to_name.csv":
                continue
            with path.open(encoding="utf-8") as src:
                for row in csv.DictReader(src):
                    text = row.get("noidung") or ""
                    if not text.strip():
                        continue
                    fh.write(json.dumps({"id": f"{row['mapc']}-{n}", "title": row.get("ten"),
                                         "text": text}, ensure_ascii=False) + "\n")
                    n += 1
                    chars += len(text)
                    if limit and n >= limit:
                        return n, chars
    return n, chars


def pyvi_alone(jsonl: Path) -> float:
    code = (
        "import json, re, sys, time\n"
        "from pyvi import ViTokenizer\n"
        f"SENT = re.compile({_SENTENCE.pattern!r})\n"
        "texts = [json.loads(l)['text'] for l in open(sys.argv[1], encoding='utf-8')]\n"
        "t = time.perf_counter()\n"
        "for text in texts:\n"
        "    for s in SENT.split(text.lower()):\n"
        "        if s.strip():\n"
        "            ViTokenizer.tokenize(s)\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(jsonl)], capture_output=True,
                         text=True, check=True)
    return float(out.stdout.strip())


def vanban_ingest(jsonl: Path, db: Path, workers: int | None) -> float:
    for p in (db, Path(str(db) + ".index")):
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
    args = [VANBAN, "ingest", str(jsonl), "--db", str(db)]
    if workers:
        args += ["--workers", str(workers)]
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - started


QUERIES = ["thời hiệu khởi kiện", "nghi dinh ve xu phat vi pham hanh chinh",
           "quyền và nghĩa vụ của người lao động", "30/2020/NĐ-CP", '"tương trợ tư pháp"']


def search_wall(db: Path, queries: list[str]) -> float:
    times = []
    for q in queries:
        started = time.perf_counter()
        subprocess.run([VANBAN, "search", q, "--db", str(db), "--json"], check=True,
                       capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None, help="articles (default: all)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/vanban-ingest"))
    ap.add_argument("--search-db", type=Path, default=None,
                    help="only time `vanban search` on this existing corpus")
    args = ap.parse_args()
    if args.search_db is not None:
        wall_only(args.search_db)
        return
    if not DATA.exists():
        sys.exit(f"data not found at {DATA}")
    args.work.mkdir(parents=True, exist_ok=True)
    jsonl = args.work / "phapdien.jsonl"
    n, chars = write_jsonl(jsonl, args.limit)
    print(f"articles={n}\nchars={chars}\ncores={os.cpu_count()}", flush=True)
    pyvi_s = pyvi_alone(jsonl)
    print(f"pyvi_alone_s={pyvi_s:.1f}", flush=True)
    db = args.work / "phapdien.db"
    one = vanban_ingest(jsonl, db, 1)
    print(f"vanban_ingest_index_1_worker_s={one:.1f}", flush=True)
    pool = vanban_ingest(jsonl, db, None)
    print(f"vanban_ingest_index_s={pool:.1f}", flush=True)
    print(f"ratio_vanban_1_worker_vs_pyvi={one / pyvi_s:.2f}", flush=True)
    print(f"ratio_vanban_vs_pyvi={pool / pyvi_s:.2f}", flush=True)
    started = time.perf_counter()
    subprocess.run([VANBAN, "ingest", str(jsonl), "--db", str(db)], check=True,
                   capture_output=True)
    print(f"vanban_reingest_unchanged_s={time.perf_counter() - started:.1f}", flush=True)
    stats = json.loads(subprocess.run([VANBAN, "stats", "--db", str(db), "--json"],
                                      check=True, capture_output=True, text=True).stdout)
    print(f"passages={stats['passages']}", flush=True)
    print(f"vanban_search_wall_s={search_wall(db, QUERIES):.3f}", flush=True)


def wall_only(db: Path) -> None:
    stats = json.loads(subprocess.run([VANBAN, "stats", "--db", str(db), "--json"],
                                      check=True, capture_output=True, text=True).stdout)
    print(f"passages={stats['passages']}", flush=True)
    search_wall(db, QUERIES[:1])  # warm: the page cache, the cached fingerprint
    print(f"vanban_search_wall_s={search_wall(db, QUERIES * 3):.3f}", flush=True)


if __name__ == "__main__":
    main()
