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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402

from index.bm25 import BM25Params, build_field, top_k  # noqa: E402
from index.build import FIELDS, TITLE_FIELDS  # noqa: E402
from index.files import IndexData  # noqa: E402
from index.query import Unit, exhaustive_scores  # noqa: E402

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


def top_k_scores(scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    best: npt.NDArray[np.float64] = scores[top_k(scores, 10)]
    return best


def median_ms(fn: object, queries: list[list[str]]) -> float:
    times = []
    for q in queries:
        started = time.perf_counter()
        fn(q)  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench_size(n: int, passages: list[list[str]], queries: list[list[str]],
               oracle_queries: int) -> None:
    from rank_bm25 import BM25Okapi

    docs = passages[:n]
    gc.collect()
    started = time.perf_counter()
    field = build_field(docs, BM25Params())
    print(f"n{n}_build_one_field_s={time.perf_counter() - started:.2f}", flush=True)
    started = time.perf_counter()
    words = [list(d) for d in docs]
    all_fields = {name: build_field([derive(w) for w in words], BM25Params())
                  for name, derive in FIELDS.items()}
    print(f"n{n}_build_all_fields_s={time.perf_counter() - started:.2f}", flush=True)
    print(f"n{n}_maxrss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}",
          flush=True)

    def vanban(q: list[str]) -> object:
        return top_k(field.get_scores(q), 10)

    from search.engine import Searcher, parse_query

    titles = {name: build_field([[]], BM25Params()) for name in TITLE_FIELDS}
    index = IndexData(fields={**all_fields, **titles}, rowids=np.arange(n, dtype=np.int64),
                      doc_rowids=np.arange(n, dtype=np.int64),
                      doc_index=np.zeros(n, dtype=np.int64), params=BM25Params(),
                      fingerprint="", meta={})
    searcher = Searcher(Path("unused"), store=None, index=index)  # type: ignore[arg-type]

    def full(q: list[str]) -> object:
        return top_k(searcher.scores(parse_query(" ".join(q))), 10)

    def one_field_units(q: list[str]) -> object:
        units = [Unit(*col, 1.0 * c, field.max_score(field.vocab[t]))
                 for t, c in Counter(q).items() if (col := field.column(t)) is not None]
        return top_k(exhaustive_scores(units, n), 10)

    exact = all(np.allclose(exhaustive_scores(
        [Unit(*col, 1.0 * c, 0.0) for t, c in Counter(q).items()
         if (col := field.column(t)) is not None], n), field.get_scores(q), atol=1e-9)
        for q in queries)

    oracle = BM25Okapi(docs)

    def rank_bm25(q: list[str]) -> object:
        return np.argsort(-oracle.get_scores(q))[:10]

    oracle_ms = median_ms(rank_bm25, queries[:oracle_queries])
    one = median_ms(one_field_units, queries)
    print(f"n{n}_rank_bm25_query_ms={oracle_ms:.1f}", flush=True)
    print(f"n{n}_vanban_one_field_query_ms={one:.3f}", flush=True)
    print(f"n{n}_vanban_one_field_gather_scatter_ms={median_ms(vanban, queries):.3f}",
          flush=True)
    print(f"n{n}_vanban_all_fields_query_ms={median_ms(full, queries):.3f}", flush=True)
    print(f"n{n}_single_pass_equals_per_term={exact}", flush=True)
    print(f"n{n}_speedup_vs_rank_bm25={oracle_ms / one:.0f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,300000")
    ap.add_argument("--queries", type=int, default=30)
    ap.add_argument("--oracle-queries", type=int, default=10)
    args = ap.parse_args()
    if not (DATA / "phapdien").exists():
        sys.exit(f"data not found at {DATA}")
    sizes = [int(s) for s in args.sizes.split(",")]
    passages = load_passages(max(sizes))
    queries = load_queries(args.queries)
    print(f"queries={len(queries)}", flush=True)
    for n in sizes:
        bench_size(n, passages, queries, args.oracle_queries)


if __name__ == "__main__":
    main()
