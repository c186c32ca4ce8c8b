"""Where one machine ends: store bytes, index bytes, index build time and peak memory, and
query time, against corpus size (30k, 100k, 300k, 1M passages), on distinct real text.

    VANBAN_SHARED_DATA=/work/shared/data python bench/scale.py [--work /tmp/vanban-scale]
        [--sizes 30000,100000,300000,1000000] [--workers 2] [--queries 100]

1. Every text of ../shared/data that is a document — phapdien articles, vlc_laws laws,
   news_unc articles, the ALQAC 2022 and 2023 laws (one document per law) — is written to one
   .jsonl, shuffled (seed 0) so any prefix mixes the sets, and ingested once with
   `vanban ingest --no-index` (timed: the ingest cost per 100k passages).
2. Passages whose text repeats an earlier one (a law in two data sets) are dropped, so every
   size holds distinct text.
3. For each size the data reaches, a copy of the store keeps the first documents up to that
   many passages; `vanban index` builds it under `/usr/bin/time -v` (wall, peak RSS); the
   store file and the index folder are measured; a fresh process loads the index and runs the
   Zalo legal questions (../shared/data/zalo_pd_dev/queries.tsv): load time, first query,
   median and p95 of the rest.  Sizes beyond the data are extrapolated from the largest two
   measured sizes (linear in passages for bytes, time and memory; query time by the log-log
   slope) and printed as `extrapolated_…`.

The ingest is done once per --work folder (delete it to measure the ingest again).  The
machine is shared: wall times are noisy (a single build per size).  Prints `name=value`.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("VANBAN_SHARED_DATA", ROOT.parent / "shared" / "data"))
_BESIDE = Path(sys.executable).with_name("vanban")
VANBAN = str(_BESIDE) if _BESIDE.exists() else "vanban"


def _phapdien() -> Iterator[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    for path in sorted((DATA / "phapdien").glob("*.csv")):
        if path.name == "chude_id_to_name.csv":
            continue
        with path.open(encoding="utf-8") as src:
            for n, row in enumerate(csv.DictReader(src)):
                if (row.get("noidung") or "").strip():
                    yield {"id": f"pd-{path.stem[:8]}-{n}", "title": row.get("ten") or "",
                           "text": row["noidung"]}


def _files(folder: str, prefix: str) -> Iterator[dict[str, str]]:
    for path in sorted((DATA / folder).glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        body = "\n".join(line for line in text.split("\n") if not line.startswith("# "))
        yield {"id": f"{prefix}-{path.stem}", "text": body}


def _alqac() -> Iterator[dict[str, str]]:
    for rel in ("alqac/alqac2022/law.json", "alqac/alqac2023/law_v1.1.json"):
        for law in json.loads((DATA / rel).read_text(encoding="utf-8")):
            arts = [f"Điều {a.get('id') or i}. {a['text']}" for i, a in
                    enumerate(law["articles"], 1)]
            yield {"id": f"alqac-{rel[6:14]}-{law['id']}", "text": "\n\n".join(arts)}


def write_corpus(out: Path) -> tuple[int, int]:
    """Every distinct document of the data sets, shuffled; (documents, characters)."""
    docs, seen = [], set()
    for doc in (*_phapdien(), *_files("vlc_laws", "vlc"), *_files("news_unc", "news"),
                *_alqac()):
        digest = hashlib.sha1(doc["text"].encode()).hexdigest()
        if len(doc["text"].strip()) >= 40 and digest not in seen:
            seen.add(digest)
            docs.append(doc)
    random.Random(0).shuffle(docs)
    with out.open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return len(docs), sum(len(d["text"]) for d in docs)


def drop_repeated_passages(db: Path) -> tuple[int, int]:
    """Delete passages whose text an earlier passage already has; (kept, dropped)."""
    con = sqlite3.connect(db)
    dropped = con.execute("DELETE FROM passages WHERE rowid NOT IN "
                          "(SELECT min(rowid) FROM passages GROUP BY text)").rowcount
    con.execute("DELETE FROM meta WHERE key = 'fingerprint'")
    con.commit()
    kept = con.execute("SELECT count(*) FROM passages").fetchone()[0]
    con.close()
    return int(kept), int(dropped)


def subset(full: Path, out: Path, passages: int) -> int:
    """A copy of ``full`` keeping its first documents up to ``passages``; how many kept."""
    for p in out.parent.glob(out.name + "*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    shutil.copy(full, out)
    con = sqlite3.connect(out, isolation_level=None)
    con.execute("PRAGMA foreign_keys = ON")
    total, cut = 0, None
    for rowid, n in con.execute("SELECT doc_rowid, count(*) FROM passages GROUP BY doc_rowid "
                                "ORDER BY doc_rowid"):
        total += n
        if total >= passages:
            cut = rowid
            break
    if cut is not None:
        con.execute("DELETE FROM documents WHERE rowid > ?", (cut,))
    con.execute("DELETE FROM meta WHERE key = 'fingerprint'")
    con.execute("VACUUM")
    kept = con.execute("SELECT count(*) FROM passages").fetchone()[0]
    con.close()
    return int(kept)


def timed(args: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of a command, by GNU time."""
    started = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-v", *args], capture_output=True, text=True,
                         check=True)
    wall = time.perf_counter() - started
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr)
    return wall, (int(rss.group(1)) / 1024 if rss else float("nan"))


_QUERY = """
import json, statistics, sys, time
from pathlib import Path
t = time.perf_counter()
from vanban.corpus.store import Store
from vanban.search.engine import Searcher
db = Path(sys.argv[1])
s = Searcher(db, Store(db))
load = time.perf_counter() - t
qs = [l.split("\\t", 1)[1].strip() for l in open(sys.argv[2], encoding="utf-8") if "\\t" in l]
qs = qs[: int(sys.argv[3])]
t = time.perf_counter(); s.search(qs[0], k=10); first = time.perf_counter() - t
times = []
for q in qs[1:]:
    t = time.perf_counter(); s.search(q, k=10); times.append(time.perf_counter() - t)
times.sort()
print(json.dumps({"load": load, "first": first, "median": statistics.median(times),
                  "p95": times[int(0.95 * (len(times) - 1))]}))
"""


def query_times(db: Path, n: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _QUERY, str(db),
                          str(DATA / "zalo_pd_dev" / "queries.tsv"), str(n)],
                         capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout)
    return result


def du(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def measure(db: Path, queries: int) -> dict[str, float]:
    wall, rss = timed([VANBAN, "index", "--db", str(db), "--workers", "1"])
    q = query_times(db, queries)
    return {"store_mb": du(db) / 2**20, "index_mb": du(Path(str(db) + ".index")) / 2**20,
            "build_s": wall, "build_peak_rss_mb": rss, "load_s": q["load"],
            "first_query_ms": q["first"] * 1000, "query_median_ms": q["median"] * 1000,
            "query_p95_ms": q["p95"] * 1000}


def extrapolate(size: int, points: list[tuple[int, dict[str, float]]]) -> dict[str, float]:
    """Bytes, build time and memory: the line through the two largest sizes.  Query times:
    a power law fitted over every size (log-log least squares), its exponent held to [0, 1]
    (never better than flat, never worse than scanning every passage)."""
    (n0, a), (n1, b) = points[-2], points[-1]
    out = {}
    for key in a:
        if key.startswith(("query", "first", "load")):
            xs = [math.log(n) for n, _ in points]
            ys = [math.log(max(m[key], 1e-6)) for _, m in points]
            mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
            var = sum((x - mx) ** 2 for x in xs)
            slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var
            slope = min(max(slope, 0.0), 1.0)
            out[key] = math.exp(my + slope * (math.log(size) - mx))
        else:
            out[key] = b[key] + (b[key] - a[key]) / (n1 - n0) * (size - n1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, default=Path("/tmp/vanban-scale"))
    ap.add_argument("--sizes", default="30000,100000,300000,1000000")
    ap.add_argument("--workers", type=int, default=2, help="ingest worker processes")
    ap.add_argument("--queries", type=int, default=100)
    args = ap.parse_args()
    if not (DATA / "phapdien").exists():
        sys.exit(f"data not found at {DATA} (set VANBAN_SHARED_DATA)")
    args.work.mkdir(parents=True, exist_ok=True)
    full = args.work / "full.db"
    if not full.exists():
        jsonl = args.work / "all.jsonl"
        docs, chars = write_corpus(jsonl)
        print(f"documents={docs}\nchars={chars}", flush=True)
        tmp = args.work / "full.tmp.db"
        wall, rss = timed([VANBAN, "ingest", str(jsonl), "--db", str(tmp), "--no-index",
                           "--workers", str(args.workers)])
        print(f"ingest_s={wall:.0f}\ningest_peak_rss_mb={rss:.0f}", flush=True)
        kept, dropped = drop_repeated_passages(tmp)
        print(f"passages_distinct={kept}\npassages_repeated_dropped={dropped}", flush=True)
        print(f"ingest_s_per_100k_passages={wall / kept * 1e5:.0f}", flush=True)
        tmp.rename(full)
    with sqlite3.connect(full) as con:
        print(f"passages_all={con.execute('SELECT count(*) FROM passages').fetchone()[0]}")
    points: list[tuple[int, dict[str, float]]] = []
    top = None
    for size in (int(s) for s in args.sizes.split(",")):
        if top is not None:
            for k, v in extrapolate(size, points).items():
                print(f"extrapolated_{size}_{k}={v:.1f}", flush=True)
            continue
        db = args.work / f"s{size}.db"
        n = subset(full, db, size)
        m = measure(db, args.queries)
        points.append((n, m))
        label = size if n >= size else "all"  # the data ends before this size
        print(f"size_{label}_passages={n}", flush=True)
        for k, v in m.items():
            print(f"size_{label}_{k}={v:.1f}", flush=True)
        for k in ("store_mb", "index_mb", "build_s", "build_peak_rss_mb"):
            print(f"size_{label}_{k}_per_100k={m[k] / n * 1e5:.1f}", flush=True)
        if n < size:
            top = n
            print(f"data_ends_at_passages={n}", flush=True)
            for k, v in extrapolate(size, points).items():
                print(f"extrapolated_{size}_{k}={v:.1f}", flush=True)


if __name__ == "__main__":
    main()
