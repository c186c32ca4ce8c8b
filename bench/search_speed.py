"""Query speed against rank-bm25 on the same tokens, at 100k and 300k passages.

Passages are the paragraphs of ../shared/data/phapdien (repeated to reach the size),
tokens are lower-cased syllables (the tokenizer does not matter for scoring speed), the
queries are ALQAC questions.  Prints `name=value` lines, medians over the queries:

    python bench/search_speed.py [--sizes 100000,300000] [--queries 30]
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import re
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from vanban.index.bm25 import BM25Params, build_field, top_k  # noqa: E402
from vanban.index.build import add_blocks, build_fields  # noqa: E402
from vanban.index.fields import TITLE_FIELDS  # noqa: E402
from vanban.index.files import IndexData  # noqa: E402
from vanban.index.query import Unit, best_rows, exhaustive_scores  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
_WORD = re.compile(r"\w+")


def load_passages(limit: int) -> list[list[str]]:
    csv.field_size_limit(1 << 30)
    paragraphs: list[list[str]] = []
    for path in sorted((DATA / "phapdien").glob("*.csv")):
        if path.name == "chude_id_to_name.csv":
            continue
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for para in (row.get("noidung") or "").split("\n"):
                    toks = _WORD.findall(para.lower())
                    if len(toks) >= 5:
                        paragraphs.append(toks)
    out: list[list[str]] = []
    while len(out) < limit:
        out.extend(paragraphs[: limit - len(out)])
    return out


def load_queries(n: int) -> list[list[str]]:
    qs = json.loads((DATA / "alqac" / "alqac2022" / "question.json").read_text())
    return [_WORD.findall(q["text"].lower()) for q in qs[:n]]


def median_ms(fns: dict[str, Callable[[list[str]], object]], queries: list[list[str]],
              repeat: int, *, stream: bool = True) -> dict[str, float]:
    """Median time per query of each function.

    ``stream``: each function answers the whole list of queries in turn, as a search
    process answers one query after another, and the functions take turns (in a rotating
    order) ``repeat`` times, so that the machine's load falls on all of them alike.
    Otherwise the functions take turns on each query: each one then starts with the caches
    the others left behind (an exhaustive pass reads every posting of the query's terms)."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    names = list(fns)
    for rep in range(repeat):
        if stream:
            for name in names[rep % len(names):] + names[: rep % len(names)]:
                fn = fns[name]
                for q in queries:
                    started = time.perf_counter()
                    fn(q)
                    times[name].append((time.perf_counter() - started) * 1000)
            continue
        for q in queries:
            for name, fn in fns.items():
                started = time.perf_counter()
                fn(q)
                times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(t) for name, t in times.items()}


def bench_size(n: int, passages: list[list[str]], queries: list[list[str]],
               oracle_queries: int, repeat: int) -> None:
    from rank_bm25 import BM25Okapi

    docs = passages[:n]
    gc.collect()
    started = time.perf_counter()
    field = build_field(docs, BM25Params())
    print(f"n{n}_build_one_field_s={time.perf_counter() - started:.2f}", flush=True)
    started = time.perf_counter()
    add_blocks(field)
    print(f"n{n}_build_block_tables_s={time.perf_counter() - started:.2f}", flush=True)
    assert field.blocks is not None
    postings_mb = (field.indices.nbytes + field.data.nbytes) / 1e6
    blocks_mb = field.blocks.nbytes / 1e6
    print(f"n{n}_postings_mb={postings_mb:.0f}", flush=True)
    print(f"n{n}_block_tables_mb={blocks_mb:.0f}", flush=True)
    started = time.perf_counter()
    words = [list(d) for d in docs]
    all_fields = build_fields(words, BM25Params())
    print(f"n{n}_build_all_fields_s={time.perf_counter() - started:.2f}", flush=True)
    print(f"n{n}_maxrss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}",
          flush=True)

    from vanban.search.engine import Searcher, parse_query

    titles = {name: build_field([[]], BM25Params()) for name in TITLE_FIELDS}
    index = IndexData(fields={**all_fields, **titles}, rowids=np.arange(n, dtype=np.int64),
                      doc_rowids=np.arange(n, dtype=np.int64),
                      doc_index=np.zeros(n, dtype=np.int64), params=BM25Params(),
                      fingerprint="", meta={})
    searcher = Searcher(Path("unused"), store=None, index=index)  # type: ignore[arg-type]

    def one_field_units(q: list[str]) -> list[Unit]:
        units = []
        for t, c in Counter(q).items():
            col = field.vocab.get(t)
            if col is not None:
                rows, values = field.postings(col)
                units.append(Unit(rows, values, 1.0 * c, field.max_score(col), field=field,
                                  col=col))
        return units

    def exhaustive(q: list[str]) -> object:
        return top_k(exhaustive_scores(one_field_units(q), n), 10)

    def pruned(q: list[str]) -> object:
        return best_rows(one_field_units(q), n, 10)

    def all_exhaustive(q: list[str]) -> object:
        return top_k(exhaustive_scores(searcher.units(parse_query(" ".join(q))), n), 10)

    def all_pruned(q: list[str]) -> object:
        return best_rows(searcher.units(parse_query(" ".join(q))), n, 10)

    # the single pass equals rank-bm25's per-term sum; pruning equals the single pass
    same_sum = all(np.allclose(exhaustive_scores(one_field_units(q), n), field.get_scores(q),
                               atol=1e-9) for q in queries)
    same_top = all(_same(fn_units(q), n) for q in queries
                   for fn_units in (one_field_units,
                                    lambda q: searcher.units(parse_query(" ".join(q)))))
    print(f"n{n}_single_pass_equals_per_term={same_sum}", flush=True)
    print(f"n{n}_pruned_top10_equals_exhaustive={same_top}", flush=True)

    oracle = BM25Okapi(docs)

    def rank_bm25(q: list[str]) -> object:
        return np.argsort(-oracle.get_scores(q))[:10]

    oracle_ms = median_ms({"rank_bm25": rank_bm25}, queries[:oracle_queries], 1)["rank_bm25"]
    fns: dict[str, Callable[[list[str]], object]] = {
        "exhaustive": exhaustive, "pruned": pruned, "all_exhaustive": all_exhaustive,
        "all_pruned": all_pruned}
    ms = median_ms(fns, queries, repeat)
    turns = median_ms(fns, queries, repeat, stream=False)
    print(f"n{n}_rank_bm25_query_ms={oracle_ms:.1f}", flush=True)
    print(f"n{n}_vanban_one_field_exhaustive_ms={ms['exhaustive']:.3f}", flush=True)
    print(f"n{n}_vanban_one_field_query_ms={ms['pruned']:.3f}", flush=True)
    print(f"n{n}_vanban_all_fields_exhaustive_ms={ms['all_exhaustive']:.3f}", flush=True)
    print(f"n{n}_vanban_all_fields_query_ms={ms['all_pruned']:.3f}", flush=True)
    print(f"n{n}_speedup_vs_rank_bm25={oracle_ms / ms['pruned']:.0f}", flush=True)
    print(f"n{n}_pruning_speedup={ms['exhaustive'] / ms['pruned']:.2f}", flush=True)
    # the same, each function run right after the others on the same query
    print(f"n{n}_turns_one_field_exhaustive_ms={turns['exhaustive']:.3f}", flush=True)
    print(f"n{n}_turns_one_field_query_ms={turns['pruned']:.3f}", flush=True)
    print(f"n{n}_turns_all_fields_query_ms={turns['all_pruned']:.3f}", flush=True)


def _same(units: list[Unit], n: int) -> bool:
    scores = exhaustive_scores(units, n)
    want = top_k(scores, 10)
    rows, got = best_rows(units, n, 10)
    return rows.tolist() == want.tolist() and bool(np.allclose(got, scores[want], atol=1e-9))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,300000")
    ap.add_argument("--queries", type=int, default=30)
    ap.add_argument("--oracle-queries", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=4)
    args = ap.parse_args()
    if not (DATA / "phapdien").exists():
        sys.exit(f"data not found at {DATA}")
    sizes = [int(s) for s in args.sizes.split(",")]
    passages = load_passages(max(sizes))
    queries = load_queries(args.queries)
    print(f"queries={len(queries)}", flush=True)
    for n in sizes:
        bench_size(n, passages, queries, args.oracle_queries, args.repeat)


if __name__ == "__main__":
    main()
