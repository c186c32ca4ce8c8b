"""Retrieval quality on ALQAC-2022 and ALQAC-2023 (train), through the whole pipeline.

Prints `name=value` lines: Hit@1, Hit@10, MRR@10 for syllables vs words vs both, okapi vs
rank-bm25's exact idf vs lucene, the shipped default, and untuned rank-bm25 on the same word
tokens for reference.

    python bench/alqac_quality.py [--data ../shared/data/alqac] [--work /tmp/vanban-alqac]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vanban.corpus.store import Store  # noqa: E402
from vanban.index.bm25 import BM25Params  # noqa: E402
from vanban.index.build import index_data  # noqa: E402
from vanban.index.files import IndexData  # noqa: E402
from vanban.search.engine import Searcher  # noqa: E402
from vanban.search.evaluate import (  # noqa: E402
    Benchmark,
    Scores,
    build_benchmark_store,
    evaluate,
    load_alqac,
)

CONFIGS: dict[str, dict[str, float]] = {
    "syl": {"syl": 1.0},
    "word": {"word": 1.0},
    "both": {"word": 1.0, "syl": 1.0},
    "word_bigram": {"word": 1.0, "bi": 0.7},
    "word_bigram_title": {"word": 1.0, "bi": 0.7, "t_word": 0.3, "t_bi": 0.21},
}


def ranker(searcher: Searcher) -> Callable[[str], list[str]]:
    def rank(text: str) -> list[str]:
        return [h.doc_id for h in searcher.search(text, k=10, group_by_document=True)]
    return rank


def rank_bm25_baseline(bench: Benchmark, searcher: Searcher) -> float:
    """MRR@10 of rank_bm25.BM25Okapi over articles, on vanban's stored word tokens."""
    import numpy as np
    from rank_bm25 import BM25Okapi

    from vanban.index.tokens import query_syllables, segment_query

    db = searcher.store.db
    per_doc: dict[str, list[str]] = {}
    for doc_id, toks in db.execute(
            "SELECT d.doc_id, p.tokens FROM passages p JOIN documents d ON d.rowid = p.doc_rowid"
            " ORDER BY p.rowid"):
        per_doc.setdefault(doc_id, []).extend(toks.split())
    ids = list(per_doc)
    bm = BM25Okapi([per_doc[i] for i in ids])
    vocab = {w for toks in per_doc.values() for w in toks}   # the passages' own words
    mrr = 0.0
    for q in bench.questions:
        words = segment_query(query_syllables(q.text), vocab.__contains__)
        top = np.argsort(-bm.get_scores(words), kind="stable")[:10]
        for i, j in enumerate(top):
            if ids[j] in q.relevant:
                mrr += 1 / (i + 1)
                break
    return mrr / len(bench.questions)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "alqac")
    ap.add_argument("--work", type=Path, default=Path("/tmp/vanban-alqac"))
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    if not args.data.exists():
        sys.exit(f"ALQAC data not found at {args.data}")
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    for year in (2022, 2023):
        bench = load_alqac(args.data, year)
        name = bench.name
        db = args.work / f"{name}.db"
        started = time.perf_counter()
        store = build_benchmark_store(bench, db, workers=args.workers)
        print(f"{name}_ingest_index_s={time.perf_counter() - started:.1f}", flush=True)
        okapi = Searcher(db, store)
        print(f"{name}_rank_bm25_words_mrr10={rank_bm25_baseline(bench, okapi):.4f}", flush=True)
        for variant in ("okapi", "rank-bm25", "lucene"):
            index = okapi.index if variant == "okapi" else in_memory_index(
                store, okapi.index, BM25Params(variant=variant, k1=1.2, b=0.6))
            for cname, weights in CONFIGS.items():
                s = Searcher(db, store, index, accented_weights=weights)
                report(evaluate(ranker(s), bench.questions), f"{name}_{variant}_{cname}")
            default = Searcher(db, store, index)
            report(evaluate(ranker(default), bench.questions), f"{name}_{variant}_default")
        store.close()


def report(scores: Scores, prefix: str) -> None:
    for line in scores.lines(prefix):
        print(line, flush=True)


def in_memory_index(store: Store, like: IndexData, params: BM25Params) -> IndexData:
    return replace(index_data(store, params), fingerprint=like.fingerprint)

if __name__ == "__main__":
    main()
