"""Pruning is exact for any column, not only BM25-shaped ones: scores spanning 1e-12 … 1e3
inside one column (float32 bounds, a lower bound made of a large bound minus a large slack)
still give the exhaustive top k, bit for bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from vanban.index.blocks import build_blocks
from vanban.index.bm25 import FieldIndex, top_k
from vanban.index.query import Unit, _Plan, best_rows, exhaustive_scores


def _field(n: int, cols: int, density: float, low: float, high: float,
           rng: np.random.Generator, shift: int) -> FieldIndex:
    """A field of ``cols`` random columns over ``n`` rows, values log-uniform in
    [10**low, 10**high]."""
    indptr = [0]
    indices: list[np.ndarray] = []
    data: list[np.ndarray] = []
    for _ in range(cols):
        rows = np.flatnonzero(rng.random(n) < density)
        if not len(rows):
            rows = np.array([int(rng.integers(n))])
        indices.append(rows.astype(np.int32))
        lo, hi = np.sort(rng.uniform(low, high, 2))   # each column its own range
        data.append(10.0 ** rng.uniform(lo, hi, len(rows)))
        indptr.append(indptr[-1] + len(rows))
    ptr = np.array(indptr, dtype=np.int64)
    values = np.concatenate(data)
    colmax = np.maximum.reduceat(values, ptr[:-1])
    field = FieldIndex(vocab={str(i): i for i in range(cols)}, idf=np.ones(cols), indptr=ptr,
                       indices=np.concatenate(indices), data=values, n_docs=n, avgdl=1.0,
                       colmax=colmax)
    field.blocks = build_blocks(ptr, field.indices, values, colmax, n, shift=shift, min_df=1)
    return field


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 200), cols=st.integers(1, 6), density=st.floats(0.05, 1.0),
       low=st.integers(-12, 2), span=st.integers(0, 15), shift=st.integers(0, 4),
       k=st.integers(1, 12), weights=st.lists(st.floats(0.01, 10), min_size=6, max_size=6),
       masked=st.booleans(), seed=st.integers(0, 10_000))
def test_pruned_top_k_is_exhaustive_over_wide_ranges(n: int, cols: int, density: float,
                                                     low: int, span: int, shift: int, k: int,
                                                     weights: list[float], masked: bool,
                                                     seed: int) -> None:
    rng = np.random.default_rng(seed)
    high = min(low + span, 3)
    field = _field(n, cols, density, low, high, rng, shift)
    units = [Unit(*field.postings(c), weights[c], field.max_score(c), field=field, col=c)
             for c in range(cols)]
    mask = rng.random(n) < 0.6 if masked else None
    scores = exhaustive_scores(units, n)
    expected = top_k(scores, k, mask)
    rows, got = best_rows(units, n, k, mask)
    assert rows.tolist() == expected.tolist()
    assert got.tolist() == scores[expected].tolist()


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 120), cols=st.integers(1, 6), low=st.integers(-12, 0),
       shift=st.integers(0, 4), seed=st.integers(0, 10_000))
def test_lower_bounds_hold_over_wide_ranges(n: int, cols: int, low: int, shift: int,
                                            seed: int) -> None:
    rng = np.random.default_rng(seed)
    field = _field(n, cols, 0.7, low, 3, rng, shift)
    units = [Unit(*field.postings(c), 1.0, field.max_score(c), field=field, col=c)
             for c in range(cols)]
    plan = _Plan.make(units, n)
    assert plan is not None
    blocks = np.arange(plan.n_blocks)
    upper, lower = plan.row_bounds(blocks, lower=True)
    assert lower is not None
    scores = np.zeros(len(upper))
    scores[:n] = exhaustive_scores(units, n)
    assert (lower <= scores).all()
    assert (upper.astype(np.float64) >= scores * (1 - 1e-6)).all()


def test_a_tiny_score_beside_a_large_column_maximum() -> None:
    """One block: a row made of a 1e-12 score in a column whose maximum is 333 plus a 6.6e-8
    score, beside a row scoring 9.9e-8.  The float32 bound of the first (3.9 + …) minus its
    slack (3.9 + …) rounds to a lower bound above the second row's score: the lower bound's
    margin must scale with the upper bound, not with the lower bound."""
    top_a, top_b, v, w = (333.81496954486164, 1.0464217386740148e-07, 6.559094747606722e-08,
                          9.919936306190377e-08)
    # rows: 0: a tiny + b v; 1: b w; 2: a top; 3: b top
    ptr = np.array([0, 2, 5], dtype=np.int64)
    indices = np.array([0, 2, 0, 1, 3], dtype=np.int32)
    data = np.array([1e-12, top_a, v, w, top_b])
    colmax = np.maximum.reduceat(data, ptr[:-1])
    field = FieldIndex(vocab={"a": 0, "b": 1}, idf=np.ones(2), indptr=ptr, indices=indices,
                       data=data, n_docs=4, avgdl=1.0, colmax=colmax)
    field.blocks = build_blocks(ptr, indices, data, colmax, 4, shift=2, min_df=1)
    units = [Unit(*field.postings(c), 1.0, field.max_score(c), field=field, col=c)
             for c in range(2)]
    scores = exhaustive_scores(units, 4)
    rows, _ = best_rows(units, 4, 3)
    assert rows.tolist() == top_k(scores, 3).tolist() == [2, 3, 1]
