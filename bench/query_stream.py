"""A stream of queries end to end: `vanban search --queries FILE --format trec -k 10` over
the 26k Pháp điển articles of ../shared/data/zalo_pd_dev (512 questions), against rank-bm25
on the same passages (and on whole articles), side by side in one run; and the wall time of
one `vanban search`, cold and warm.

    python bench/query_stream.py [--db CORPUS.db] [--rank-queries 40] [--repeat 3]

Without --db the corpus is written (make_corpus.py) and ingested under --work.  vanban's
time is the whole process (start, loading, every query, TREC output) divided by the
queries (wall, and CPU: user + system, steadier on a shared machine); rank-bm25's is per
query: the query's pyvi tokens (vanban's own tokenizer), its scores over every passage (or
article) of the same stored tokens, the best 10 articles.
Prints `name=value` lines (medians)."""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

DATA = Path(os.environ.get("VANBAN_SHARED_DATA", ROOT.parent / "shared" / "data"))
ZALO = DATA / "zalo_pd_dev"
_BESIDE = Path(sys.executable).with_name("vanban")
VANBAN = str(_BESIDE) if _BESIDE.exists() else "vanban"


def build_corpus(work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    jsonl, db = work / "zalo.jsonl", work / "zalo.db"
    if not db.exists():
        subprocess.run([sys.executable, str(ZALO / "make_corpus.py"), str(jsonl)], check=True,
                       capture_output=True)
        subprocess.run([VANBAN, "ingest", str(jsonl), "--db", str(db)], check=True,
                       capture_output=True)
    return db


def vanban_stream(db: Path, queries: Path) -> tuple[float, float, bytes]:
    """Wall and CPU seconds (user + system) of the whole process, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run([VANBAN, "search", "--db", str(db), "--queries", str(queries),
                          "--format", "trec", "-k", "10"], check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, out.stdout


def vanban_once(db: Path, query: str) -> float:
    started = time.perf_counter()
    subprocess.run([VANBAN, "search", "--db", str(db), query], check=True, capture_output=True)
    return time.perf_counter() - started


def drop_pages(paths: list[Path]) -> str:
    """Drop these files from the page cache (fsync, then fadvise DONTNEED: the machine's
    whole cache is shared with others and left alone)."""
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
    return "fadvise_dontneed"


def corpus_files(db: Path) -> list[Path]:
    index = db.with_name(db.name + ".index")
    return [db, *(p for p in index.rglob("*") if p.is_file())]


class RankBM25:
    """rank-bm25 over the stored pyvi tokens: of each passage, or of each article."""

    def __init__(self, db: Path, by_article: bool) -> None:
        import sqlite3

        from rank_bm25 import BM25Okapi

        con = sqlite3.connect(db)
        rows = con.execute("SELECT d.doc_id, p.tokens FROM passages p JOIN documents d"
                           " ON d.rowid = p.doc_rowid ORDER BY p.rowid").fetchall()
        con.close()
        if by_article:
            merged: dict[str, list[str]] = {}
            for doc_id, toks in rows:
                merged.setdefault(doc_id, []).extend((toks or "").split())
            self.doc_ids = np.array(list(merged))
            corpus = list(merged.values())
        else:
            self.doc_ids = np.array([d for d, _ in rows])
            corpus = [(t or "").split() for _, t in rows]
        started = time.perf_counter()
        self.bm25 = BM25Okapi(corpus)
        self.build_s = time.perf_counter() - started

    def top_articles(self, query: str, k: int = 10) -> list[str]:
        from vanban.index.tokens import tokenize

        scores = self.bm25.get_scores(tokenize(query))
        order = np.argsort(-scores, kind="stable")
        seen: dict[str, None] = {}
        for doc in self.doc_ids[order[: k * 50]]:
            seen.setdefault(str(doc))
            if len(seen) == k:
                break
        return list(seen)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=None, help="an ingested zalo_pd_dev corpus")
    ap.add_argument("--work", type=Path, default=Path("/tmp/vanban-query-stream"))
    ap.add_argument("--rank-queries", type=int, default=40,
                    help="queries rank-bm25 answers (every n-th of the set; it is slow)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not ZALO.exists():
        sys.exit(f"data not found at {ZALO}")
    db = args.db or build_corpus(args.work)
    queries = ZALO / "queries.tsv"
    texts = [line.split("\t", 1)[1].strip() for line in queries.read_text().splitlines()
             if "\t" in line]
    print(f"queries={len(texts)}\ncores={os.cpu_count()}", flush=True)
    from vanban.index.tokens import tokenize

    tokenize("khởi động")   # pyvi loaded before timing
    rank = {"passages": RankBM25(db, by_article=False), "articles": RankBM25(db, by_article=True)}
    for name, r in rank.items():
        print(f"rank_bm25_{name}={len(r.doc_ids)}\nrank_bm25_{name}_build_s={r.build_s:.1f}",
              flush=True)
    vanban_s: list[float] = []
    vanban_cpu: list[float] = []
    rank_ms: dict[str, list[float]] = {name: [] for name in rank}
    rank_cpu: dict[str, list[float]] = {name: [] for name in rank}
    # rank-bm25 answers queries spread over the whole set (every n-th), a share of them
    # in each turn
    sample = texts[:: max(1, len(texts) // max(1, args.rank_queries))][: args.rank_queries]
    for turn in range(args.repeat):   # taking turns, so that the machine's load falls on both
        wall, cpu, out = vanban_stream(db, queries)
        vanban_s.append(wall)
        vanban_cpu.append(cpu)
        for name, r in rank.items():
            for q in sample[turn :: args.repeat]:
                started, cpu_started = time.perf_counter(), time.process_time()
                r.top_articles(q)
                rank_ms[name].append((time.perf_counter() - started) * 1000)
                rank_cpu[name].append((time.process_time() - cpu_started) * 1000)
    per_query = statistics.median(vanban_s) / len(texts) * 1000
    cpu_per_query = statistics.median(vanban_cpu) / len(texts) * 1000
    print(f"vanban_trec_lines={len(out.splitlines())}", flush=True)
    print(f"vanban_stream_wall_s={statistics.median(vanban_s):.3f}", flush=True)
    print(f"vanban_stream_ms_per_query={per_query:.3f}", flush=True)
    print(f"vanban_stream_cpu_ms_per_query={cpu_per_query:.3f}", flush=True)
    for name, times in rank_ms.items():
        med, cpu_med = statistics.median(times), statistics.median(rank_cpu[name])
        print(f"rank_bm25_{name}_ms_per_query={med:.1f}  # {len(times)} queries", flush=True)
        print(f"rank_bm25_{name}_cpu_ms_per_query={cpu_med:.1f}", flush=True)
        print(f"speedup_vs_rank_bm25_{name}={med / per_query:.0f}", flush=True)
        print(f"cpu_speedup_vs_rank_bm25_{name}={cpu_med / cpu_per_query:.0f}", flush=True)
    one = "thời hiệu khởi kiện"
    vanban_once(db, one)
    warm = statistics.median(vanban_once(db, one) for _ in range(5))
    cold = []
    for _ in range(3):
        method = drop_pages(corpus_files(db))
        cold.append(vanban_once(db, one))
    print(f"vanban_search_wall_warm_s={warm:.3f}", flush=True)
    print(f"vanban_search_wall_cold_s={statistics.median(cold):.3f}  # {method} on the db "
          "and index files", flush=True)
    if args.db is None and shutil.which(VANBAN) is None:
        print("note=vanban not on PATH", flush=True)


if __name__ == "__main__":
    main()
