"""Eval gate: retrieval quality on ALQAC and on Zalo's questions over Pháp điển may not
drop below the pinned floors."""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import need_shared
from vanban.search.engine import Searcher, parse_query
from vanban.search.evaluate import (
    Benchmark,
    build_benchmark_store,
    evaluate,
    load_alqac,
    load_zalo,
)

FLOORS = json.loads((Path(__file__).parent / "gold" / "retrieval_floors.json").read_text())


@pytest.mark.parametrize("year", [2022, 2023])
def test_alqac_floors(year: int, tmp_path: Path) -> None:
    root = need_shared("alqac")
    bench = load_alqac(root, year)
    db = tmp_path / "alqac.db"
    store = build_benchmark_store(bench, db, workers=2)
    searcher = Searcher(db, store)

    def rank(text: str) -> list[str]:
        return [h.doc_id for h in searcher.search(text, k=10, group_by_document=True)]

    scores = evaluate(rank, bench.questions)
    store.close()
    floors = FLOORS[bench.name]
    got = {"mrr10": scores.mrr10, "hit1": scores.hit1, "hit10": scores.hit10}
    assert all(got[k] >= floors[k] for k in floors), f"{bench.name}: {got} below {floors}"


def zalo_slice(bench: Benchmark) -> Benchmark:
    """A fixed eighth of the questions (CRC-32 of the id % 8 == 1: 65 of 512) over every
    article of the documents that hold their answers (the sibling articles, the hard
    confusers) plus every 20th other article: about 3,700 of the 26,386 articles, so the
    gate builds in seconds rather than minutes."""
    questions = tuple(q for q in bench.questions if zlib.crc32(q.qid.encode()) % 8 == 1)
    symbols = {g.split("#")[0] for q in questions for g in q.relevant}
    keep = [i for i, (doc_id, _) in enumerate(bench.documents)
            if doc_id.split("#")[0] in symbols or zlib.crc32(doc_id.encode()) % 20 == 0]
    return replace(bench, name="zalo_pd_dev_slice", questions=questions,
                   documents=tuple(bench.documents[i] for i in keep),
                   titles=tuple(bench.titles[i] for i in keep))


def test_zalo_floor(tmp_path: Path) -> None:
    root = need_shared("zalo_pd_dev")
    need_shared("phapdien", "DERIVED_articles_with_source_meta.jsonl.gz")
    corpus = tmp_path / "zalo.jsonl"
    subprocess.run([sys.executable, str(root / "make_corpus.py"), str(corpus)], check=True)
    bench = zalo_slice(load_zalo(root, corpus))
    db = tmp_path / "zalo.db"
    store = build_benchmark_store(bench, db, workers=2)
    searcher = Searcher(db, store)
    ids = searcher.document_ids()

    def rank(text: str) -> list[str]:
        return [i for d in searcher.rank_documents(parse_query(text), 10)
                if (i := ids[d.doc]) is not None]

    scores = evaluate(rank, bench.questions)
    store.close()
    floors = FLOORS[bench.name]
    got = {"mrr10": scores.mrr10, "hit1": scores.hit1, "hit10": scores.hit10}
    assert all(got[k] >= floors[k] for k in floors), f"{bench.name}: {got} below {floors}"
