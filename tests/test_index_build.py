"""The index build derives its fields at the vocabulary level: the same columns as
deriving every passage's tokens one by one (``FIELDS``)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from vanban.index.bm25 import BM25Params, build_field
from vanban.index.build import build_fields
from vanban.index.fields import FIELDS

PIECES = ["dân", "vận", "khéo", "thành", "ủy", "uỷ", "25-nq/tw", "ở", "5", "hòa", "giải",
          "đồng", "bào", "của", "và", "dan", "van"]
WORD = st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map("_".join)


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.lists(WORD, max_size=12), min_size=1, max_size=25),
       variant=st.sampled_from(["okapi", "lucene"]))
def test_fields_equal_the_per_passage_derivation(words: list[list[str]], variant: str) -> None:
    params = BM25Params(variant=variant)
    built = build_fields(words, params)
    for name, derive in FIELDS.items():
        want = build_field([derive(list(w)) for w in words], params)
        got = built[name]
        assert set(got.vocab) == set(want.vocab), name
        assert got.n_docs == want.n_docs
        assert got.avgdl == want.avgdl
        for term in want.vocab:
            want_rows, want_values = want.column(term)  # type: ignore[misc]
            got_rows, got_values = got.column(term)  # type: ignore[misc]
            assert got_rows.tolist() == want_rows.tolist(), (name, term)
            np.testing.assert_allclose(got_values, want_values, rtol=1e-12)


def test_empty_passages_and_corpus() -> None:
    built = build_fields([[], ["dân_vận"], []], BM25Params())
    assert built["bi"].n_docs == 3 and list(built["bi"].vocab) == ["dân|vận"]
    assert built["syl"].column("vận")[0].tolist() == [1]  # type: ignore[index]
    assert build_fields([], BM25Params())["word"].n_docs == 0
