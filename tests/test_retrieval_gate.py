"""Eval gate: retrieval quality on ALQAC may not drop below the pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import need_shared
from vanban.search.engine import Searcher
from vanban.search.evaluate import build_benchmark_store, evaluate, load_alqac

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
