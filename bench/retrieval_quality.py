"""Document ranking quality on three dev sets, through the whole pipeline: ALQAC-2022,
ALQAC-2023 (train) and Zalo's legal questions over 26,386 Pháp điển articles.

Each set's questions are split once, by CRC-32 of the question id (one in four held out,
``vanban.search.evaluate.held_out``): defaults are chosen on the tuning part only; both
parts are reported.  Prints `name=value` lines: MRR@10, Hit@1, Hit@10 of

- ``bm25s``: untuned document-level BM25 (bm25s, Lucene IDF, k1 1.2, b 0.75) over each
  article's title and text as one bag of words + syllables + syllable bigrams (vanban's
  stored tokens, the query cut the same way), the baseline to beat;
- ``passage``: documents ranked by their best passage alone (vanban before document fields);
- ``nomatch``: the document ranking without the match fields (title share, trigrams);
- ``default``: the shipped document ranking (document fields, match fields, best passage);

and with ``--grid`` the tuning grid's mean MRR@10 over the three tuning parts.

    python bench/retrieval_quality.py [--data ../shared/data] [--work /tmp/vanban-retrieval]
                                      [--keep] [--grid]
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vanban.corpus.store import Store  # noqa: E402
from vanban.index.build import build_index  # noqa: E402
from vanban.index.fields import FIELDS, MATCH_FIELDS  # noqa: E402
from vanban.index.tokens import query_syllables, segment_query  # noqa: E402
from vanban.search.documents import Combination  # noqa: E402
from vanban.search.engine import (  # noqa: E402
    DOC_ACCENTED_WEIGHTS,
    DOC_UNACCENTED_WEIGHTS,
    Searcher,
    parse_query,
)
from vanban.search.evaluate import (  # noqa: E402
    Benchmark,
    Question,
    Scores,
    build_benchmark_store,
    evaluate,
    load_alqac,
    load_zalo,
)

Ranker = Callable[[str], Sequence[str]]


def load_all(data: Path, work: Path) -> list[Benchmark]:
    corpus = work / "zalo_pd_corpus.jsonl"
    if not corpus.exists():
        subprocess.run([sys.executable, str(data / "zalo_pd_dev" / "make_corpus.py"),
                        str(corpus)], check=True)
    return [load_alqac(data / "alqac", 2022), load_alqac(data / "alqac", 2023),
            load_zalo(data / "zalo_pd_dev", corpus)]


def vanban_ranker(searcher: Searcher) -> Ranker:
    ids = searcher.document_ids()

    def rank(text: str) -> list[str]:
        return [i for d in searcher.rank_documents(parse_query(text), 10)
                if (i := ids[d.doc]) is not None]
    return rank


def bm25s_ranker(store: Store) -> Ranker:
    """Untuned document-level BM25 (bm25s, lucene, k1 1.2, b 0.75), title prepended."""
    import bm25s
    import numpy as np

    bags: dict[int, list[str]] = {r: t.split() for r, t in store.iter_title_tokens()}
    for _, doc_rowid, toks in store.iter_passage_tokens():
        bags[doc_rowid].extend(toks.split())
    rowids = sorted(bags)
    ids = dict(store.db.execute("SELECT rowid, doc_id FROM documents").fetchall())
    corpus = [_bag(bags[r]) for r in rowids]
    vocab = {w for bag in bags.values() for w in bag}
    model = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    model.index(corpus, show_progress=False)
    known = set(model.vocab_dict)

    def rank(text: str) -> list[str]:
        words = segment_query(query_syllables(text), vocab.__contains__)
        terms = [t for t in _bag(words) if t in known]
        if not terms:
            return []
        scores = model.get_scores(terms)
        top = np.argsort(-scores, kind="stable")[:10]
        return [ids[rowids[i]] for i in top if scores[i] > 0]
    return rank


def _bag(words: list[str]) -> list[str]:
    return words + FIELDS["syl"](words) + FIELDS["bi"](words)


def report(name: str, rank: Ranker, bench: Benchmark) -> float:
    tune, held = bench.split()
    parts: list[tuple[str, Sequence[Question]]] = [("tune", tune), ("heldout", held),
                                                   ("all", bench.questions)]
    tuned = 0.0
    for part, questions in parts:
        scores: Scores = evaluate(rank, questions)
        for line in scores.lines(f"{bench.name}_{name}_{part}"):
            print(line, flush=True)
        tuned = scores.mrr10 if part == "tune" else tuned
    return tuned


GRID = {"doc": [0.0, 0.5, 1.0, 1.5], "bi": [0.5, 0.7, 1.0], "best": [0.5, 1.0],
        "second": [0.0, 0.25]}


def grid(benches: list[Benchmark], searchers: list[Searcher]) -> None:
    """Mean MRR@10 over the tuning parts for each point of ``GRID``."""
    best: tuple[float, str] = (0.0, "")
    for doc, bi, pbest, second in itertools.product(*GRID.values()):
        weights = ({**_match(DOC_ACCENTED_WEIGHTS), "d_word": doc, "d_bi": doc * bi},
                   {**_match(DOC_UNACCENTED_WEIGHTS), "d_word_u": doc, "d_bi_u": doc * bi})
        mrrs = []
        for bench, base in zip(benches, searchers, strict=True):
            s = Searcher(base.db_path, base.store, base.index, doc_weights=weights,
                         combination=Combination(best=pbest, second=second))
            mrrs.append(evaluate(vanban_ranker(s), bench.split()[0]).mrr10)
        name = f"doc{doc}_bi{bi}_best{pbest}_second{second}"
        mean = sum(mrrs) / len(mrrs)
        print(f"grid_{name}_tune_mrr10=" + "/".join(f"{m:.4f}" for m in mrrs)
              + f" mean {mean:.4f}", flush=True)
        best = max(best, (mean, name))
    print(f"grid_best={best[1]} mean_tune_mrr10={best[0]:.4f}")


def _match(weights: dict[str, float]) -> dict[str, float]:
    """The match fields' weights only (``index/fields.py``)."""
    return {name: w for name, w in weights.items() if name in MATCH_FIELDS}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--work", type=Path, default=Path("/tmp/vanban-retrieval"))
    ap.add_argument("--keep", action="store_true", help="reuse stores built by a past run")
    ap.add_argument("--grid", action="store_true", help="also print the tuning grid")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    if not (args.data / "alqac").exists() or not (args.data / "zalo_pd_dev").exists():
        sys.exit(f"evaluation data not found under {args.data}")
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"doc_weights={DOC_ACCENTED_WEIGHTS} {DOC_UNACCENTED_WEIGHTS}")
    benches = load_all(args.data, args.work)
    searchers = []
    for bench in benches:
        db = args.work / f"{bench.name}.db"
        started = time.perf_counter()
        if args.keep and db.exists():   # stored tokens kept; the index is rebuilt
            store = Store(db)
            build_index(db, store)
        else:
            for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                stale.unlink(missing_ok=True)
            store = build_benchmark_store(bench, db, workers=args.workers)
        print(f"{bench.name}_documents={len(bench.documents)}")
        print(f"{bench.name}_questions={len(bench.questions)}")
        print(f"{bench.name}_heldout_questions={len(bench.split()[1])}")
        print(f"{bench.name}_ingest_index_s={time.perf_counter() - started:.1f}", flush=True)
        searcher = Searcher(db, store)
        searchers.append(searcher)
        report("bm25s", bm25s_ranker(store), bench)
        plain = Searcher(db, store, searcher.index, doc_weights=({}, {}),
                         combination=Combination(best=1.0, second=0.0))
        report("passage", vanban_ranker(plain), bench)
        no_match = Searcher(db, store, searcher.index, doc_weights=(
            {n: w for n, w in DOC_ACCENTED_WEIGHTS.items() if n not in MATCH_FIELDS},
            {n: w for n, w in DOC_UNACCENTED_WEIGHTS.items() if n not in MATCH_FIELDS}))
        report("nomatch", vanban_ranker(no_match), bench)
        report("default", vanban_ranker(searcher), bench)
    if args.grid:
        grid(benches, searchers)


if __name__ == "__main__":
    main()
