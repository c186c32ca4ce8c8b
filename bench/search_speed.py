"""Query time at 100k and 300k passages against rank-bm25 and bm25s on the same tokens, the
index's size on disk, its load time and a cold-cache run.

Passages are the distinct paragraphs (exact text, at least 5 tokens) of
../shared/data/phapdien (article headings and bodies), vlc_laws and news_unc, in a fixed
shuffled order; tokens are lower-cased syllables (the tokenizer does not matter for scoring
speed); the queries are ALQAC questions.  Every method answers the same queries the same
number of times; medians per query.  Prints `name=value` lines:

    python bench/search_speed.py [--sizes 100000,300000] [--queries 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from vanban.index.bm25 import BM25Params, FieldIndex, build_field, top_k  # noqa: E402
from vanban.index.build import add_blocks, build_fields  # noqa: E402
from vanban.index.fields import TITLE_FIELDS  # noqa: E402
from vanban.index.files import IndexData, index_dir, save_index  # noqa: E402
from vanban.index.query import Unit, best_rows, exhaustive_scores  # noqa: E402

DATA = Path(os.environ.get("VANBAN_SHARED_DATA", ROOT.parent / "shared" / "data"))
_WORD = re.compile(r"\w+")
Query = Callable[[list[str]], object]


def _paragraphs() -> Iterator[str]:
    csv.field_size_limit(1 << 30)
    for path in sorted((DATA / "phapdien").glob("*.csv")):
        if path.name == "chude_id_to_name.csv":
            continue
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                yield row.get("ten") or ""
                yield from (row.get("noidung") or "").split("\n")
    for path in sorted((DATA / "vlc_laws").glob("*.txt")):
        yield from path.read_text(encoding="utf-8").split("\n")
    for path in sorted((DATA / "news_unc").glob("*.txt")):
        yield from (p for p in path.read_text(encoding="utf-8").split("\n")
                    if not p.startswith("#"))


def load_passages(limit: int) -> list[list[str]]:
    """Distinct paragraphs (by exact text), shuffled with a fixed seed, ``limit`` at most."""
    seen: set[str] = set()
    out: list[list[str]] = []
    read = 0
    for para in _paragraphs():
        toks = _WORD.findall(para.lower())
        if len(toks) < 5:
            continue
        read += 1
        if para.strip() not in seen:
            seen.add(para.strip())
            out.append(toks)
    print(f"paragraphs_read={read}\nparagraphs_distinct={len(out)}", flush=True)
    order = np.random.default_rng(0).permutation(len(out))
    return [out[i] for i in order[:limit]]


def load_queries(n: int) -> list[list[str]]:
    qs = json.loads((DATA / "alqac" / "alqac2022" / "question.json").read_text())
    return [_WORD.findall(q["text"].lower()) for q in qs[:n]]


def median_ms(fns: dict[str, Query], queries: list[list[str]], repeat: int) -> dict[str, float]:
    """Median time per query of each function: each answers the whole list of queries in
    turn, as a search process answers one query after another, and the functions take
    turns (in a rotating order) ``repeat`` times, so the machine's load falls on all alike."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    names = list(fns)
    for rep in range(repeat):
        for name in names[rep % len(names):] + names[: rep % len(names)]:
            for q in queries:
                started = time.perf_counter()
                fns[name](q)
                times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(t) for name, t in times.items()}


def one_field_units(field: FieldIndex, q: list[str]) -> list[Unit]:
    units = []
    for t, c in Counter(q).items():
        col = field.vocab.get(t)
        if col is not None:
            rows, values = field.postings(col)
            units.append(Unit(rows, values, 1.0 * c, field.max_score(col), field=field, col=col))
    return units


def same_bits(units: list[Unit], n: int, k: int = 10) -> bool:
    """Pruned top k = exhaustive top k: the same rows and the same float64 scores."""
    scores = exhaustive_scores(units, n)
    want = top_k(scores, k)
    rows, got = best_rows(units, n, k)
    return bool(np.array_equal(rows, want) and np.array_equal(got, scores[want]))


def bench_size(n: int, docs: list[list[str]], queries: list[list[str]], repeat: int,
               work: Path) -> None:
    import bm25s
    from rank_bm25 import BM25Okapi

    started = time.perf_counter()
    field = build_field(docs, BM25Params())
    print(f"n{n}_build_one_field_s={time.perf_counter() - started:.2f}", flush=True)
    started = time.perf_counter()
    add_blocks(field)
    print(f"n{n}_build_block_tables_s={time.perf_counter() - started:.2f}", flush=True)
    assert field.blocks is not None
    postings = field.indices.nbytes + field.data.nbytes
    print(f"n{n}_one_field_postings_mb={postings / 1e6:.0f}", flush=True)
    print(f"n{n}_one_field_block_tables_mb={_nbytes(field.blocks) / 1e6:.0f}", flush=True)
    started = time.perf_counter()
    all_fields = build_fields(docs, BM25Params())
    print(f"n{n}_build_all_fields_s={time.perf_counter() - started:.2f}", flush=True)
    print(f"n{n}_maxrss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}",
          flush=True)
    titles = {name: build_field([[]], BM25Params()) for name in TITLE_FIELDS}
    index = IndexData(fields={**all_fields, **titles}, rowids=np.arange(n, dtype=np.int64),
                      doc_rowids=np.arange(n, dtype=np.int64),
                      doc_index=np.zeros(n, dtype=np.int64), params=BM25Params(),
                      fingerprint="", meta={})
    db = work / f"n{n}.db"
    shutil.rmtree(index_dir(db), ignore_errors=True)
    save_index(db, index)
    _report_disk(n, index, db)

    from vanban.search.engine import Searcher, parse_query

    searcher = Searcher(Path("unused"), store=None, index=index)  # type: ignore[arg-type]

    def all_units(q: list[str]) -> list[Unit]:
        return searcher.units(parse_query(" ".join(q)))

    same = all(same_bits(one_field_units(field, q), n) and same_bits(all_units(q), n)
               for q in queries)
    print(f"n{n}_pruned_top10_bit_equal_exhaustive={same}", flush=True)
    same_sum = all(np.allclose(exhaustive_scores(one_field_units(field, q), n),
                               field.get_scores(q), atol=1e-9) for q in queries)
    print(f"n{n}_single_pass_close_to_per_term_sum={same_sum}", flush=True)

    started = time.perf_counter()
    oracle = BM25Okapi(docs)
    print(f"n{n}_rank_bm25_build_s={time.perf_counter() - started:.2f}", flush=True)
    started = time.perf_counter()
    retriever = bm25s.BM25(method="robertson", k1=1.5, b=0.75)
    retriever.index(docs, show_progress=False)
    print(f"n{n}_bm25s_build_s={time.perf_counter() - started:.2f}", flush=True)
    retriever.save(str(work / f"n{n}.bm25s"), show_progress=False)
    vocab = retriever.vocab_dict

    fns: dict[str, Query] = {
        "rank_bm25": lambda q: np.argsort(-oracle.get_scores(q))[:10],
        "bm25s": lambda q: retriever.retrieve([[t for t in q if t in vocab]], k=10,
                                              show_progress=False, n_threads=1),
        "one_field_exhaustive": lambda q: top_k(exhaustive_scores(one_field_units(field, q),
                                                                  n), 10),
        "one_field_pruned": lambda q: best_rows(one_field_units(field, q), n, 10),
        "all_fields_exhaustive": lambda q: top_k(exhaustive_scores(all_units(q), n), 10),
        "all_fields_pruned": lambda q: best_rows(all_units(q), n, 10),
    }
    ms = median_ms(fns, queries, repeat)
    for name, value in ms.items():
        print(f"n{n}_{name}_query_ms={value:.3f}", flush=True)
    print(f"n{n}_one_field_speedup_vs_rank_bm25={ms['rank_bm25'] / ms['one_field_pruned']:.0f}")
    print(f"n{n}_one_field_speedup_vs_bm25s={ms['bm25s'] / ms['one_field_pruned']:.1f}")
    print(f"n{n}_pruning_speedup={ms['one_field_exhaustive'] / ms['one_field_pruned']:.2f}",
          flush=True)
    for name in ("vanban", "bm25s"):
        for state in ("cold", "warm"):
            fresh_process(name, state, n, work, queries)


def _nbytes(tables: object) -> int:
    return sum(a.nbytes for a in vars(tables).values() if isinstance(a, np.ndarray))


def _report_disk(n: int, index: IndexData, db: Path) -> None:
    root = index_dir(db) / (index_dir(db) / "CURRENT").read_text().strip()
    on_disk = sum(p.stat().st_size for p in root.iterdir())
    postings = sum(f.indices.nbytes + f.data.nbytes for f in index.fields.values())
    blocks = sum(_nbytes(f.blocks) for f in index.fields.values() if f.blocks is not None)
    print(f"n{n}_index_on_disk_mb={on_disk / 1e6:.0f}", flush=True)
    print(f"n{n}_postings_mb={postings / 1e6:.0f}", flush=True)
    print(f"n{n}_block_tables_mb={blocks / 1e6:.0f}", flush=True)
    print(f"n{n}_index_over_postings={on_disk / postings:.3f}", flush=True)
    print(f"n{n}_index_bytes_per_passage={on_disk / n:.0f}", flush=True)


_FRESH = """
import json, sys, time
started = time.perf_counter()
name, path, n, queries = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
if name == "vanban":
    from pathlib import Path
    from vanban.index.files import load_index
    from vanban.index.query import best_rows
    from vanban.search.engine import Searcher, parse_query
    searcher = Searcher(Path("unused"), store=None, index=load_index(Path(path)))

    def run(q):
        units = searcher.units(parse_query(" ".join(q)))
        searcher.read_ahead(units)   # as a search does (a process's first queries)
        return best_rows(units, n, 10)
else:
    import bm25s
    retriever = bm25s.BM25.load(path, mmap=True, show_progress=False)
    vocab = retriever.vocab_dict
    run = lambda q: retriever.retrieve([[t for t in q if t in vocab]], k=10,
                                       show_progress=False, n_threads=1)
loaded = time.perf_counter()
times = []
for q in queries:
    t = time.perf_counter()
    run(q)
    times.append(time.perf_counter() - t)
print(json.dumps({"load_s": loaded - started, "first_ms": times[0] * 1000,
                  "total_s": time.perf_counter() - started}))
"""


def fresh_process(name: str, state: str, n: int, work: Path, queries: list[list[str]]) -> None:
    """A new process loads the index from disk and answers the queries once: ``cold``
    after the index files are dropped from the page cache, ``warm`` right after."""
    path = work / f"n{n}.db" if name == "vanban" else work / f"n{n}.bm25s"
    files = index_dir(path) if name == "vanban" else path
    if state == "cold":
        print(f"cold_cache_method={_drop_cache(files)}", flush=True)
    out = subprocess.run([sys.executable, "-c", _FRESH, name, str(path), str(n),
                          json.dumps(queries)], check=True, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    got = json.loads(out.stdout)
    prefix = f"n{n}_{name}_{state}"
    print(f"{prefix}_load_s={got['load_s']:.3f}\n{prefix}_first_query_ms={got['first_ms']:.1f}"
          f"\n{prefix}_process_with_{len(queries)}_queries_s={got['total_s']:.3f}", flush=True)


def _drop_cache(root: Path) -> str:
    """Drop these files' pages from the page cache (``posix_fadvise(DONTNEED)``; the
    machine's whole cache is left alone: others use it), and say how much stayed."""
    files = [p for p in root.rglob("*") if p.is_file()] if root.is_dir() else [root]
    for path in files:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)   # pages not yet written back would stay
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
    left = "unknown"
    if shutil.which("fincore"):
        out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES",
                              *map(str, files)], capture_output=True, text=True)
        left = f"{sum(int(x) for x in out.stdout.split() if x.isdigit()) / 1e6:.1f}MB"
    return f"fadvise_dontneed(resident_after={left})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,300000")
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path("/tmp/vanban-search-speed"))
    args = ap.parse_args()
    if not all((DATA / d).exists() for d in ("phapdien", "vlc_laws", "news_unc", "alqac")):
        sys.exit(f"data not found at {DATA}")
    sizes = [int(s) for s in args.sizes.split(",")]
    passages = load_passages(max(sizes))
    if len(passages) < max(sizes):
        sys.exit(f"only {len(passages)} distinct passages: ask for fewer")
    queries = load_queries(args.queries)
    print(f"queries={len(queries)}\nrepeat={args.repeat}\ncores={os.cpu_count()}", flush=True)
    args.work.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        bench_size(n, passages[:n], queries, args.repeat, args.work)


if __name__ == "__main__":
    main()
