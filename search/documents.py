"""Ranking whole documents: document-level BM25 (the ``d_`` fields: title and every
passage as one text) combined with the document's best passages.

A document's score is ``D + best · P1 + second · P2``: ``D`` its weighted score on the
document units (the document fields, and the title fields once per document), ``P1`` and
``P2`` the scores of its two best passages (their own words).  The top k comes from a few
candidates — the documents of the best passages and the best documents by ``D`` — asking
for more until no document outside them can reach the k-th score (its ``D`` is at most the
last candidate's, its passages at most the last passage's): the same top k as scoring
every document.  When finding the best rows summed every posting, the exact scores of the
candidates are read from that sum."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from vanban.index.blocks import expand_ranges
from vanban.index.bm25 import top_k
from vanban.index.query import Unit, best_rows_scored

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
SHOWN = 3   # passages kept per document (the best first)


@dataclass(frozen=True)
class Combination:
    """How passage evidence adds to the document's own score."""

    best: float = 1.0     # weight of the best passage
    second: float = 0.0   # weight of the second best


@dataclass(frozen=True)
class Layout:
    """Where each document's passages are: rows ``first[d]`` to ``first[d] + count[d]``
    (a document's passages are consecutive rows), and each row's document."""

    first: IntArray
    count: IntArray
    row_doc: IntArray


@dataclass(frozen=True)
class RankedDocument:
    doc: int                     # row in the document fields
    score: float
    rows: tuple[int, ...]        # its best passages, best first (at most SHOWN)
    row_scores: tuple[float, ...]


def unit_scores(units: Sequence[Unit], rows: IntArray) -> FloatArray:
    """Exact weighted sum of ``units`` at ``rows``, added in the units' order."""
    out = np.zeros(len(rows), dtype=np.float64)
    for u in units:
        if not len(u.rows) or not u.weight:
            continue
        at = np.minimum(np.searchsorted(u.rows, rows), len(u.rows) - 1)
        hit = u.rows[at] == rows
        vals = u.values[at[hit]]
        out[hit] += vals if u.weight == 1.0 else u.weight * vals
    return out


def rank_documents(passage_units: Sequence[Unit], doc_units: Sequence[Unit], layout: Layout,
                   k: int, combo: Combination, mask: npt.NDArray[np.bool_] | None = None,
                   bonus: FloatArray | None = None, start: int = 4) -> list[RankedDocument]:
    """The ``k`` best documents by the combined score (plus ``bonus`` per document, for
    documents that must come first), passages restricted to ``mask``; ``start``
    candidates per wanted document first asked for."""
    n_rows, n_docs = len(layout.row_doc), len(layout.first)
    doc_mask = None
    if mask is not None:
        doc_mask = np.zeros(n_docs, dtype=bool)
        doc_mask[layout.row_doc[mask]] = True
    forced = np.flatnonzero(bonus) if bonus is not None else np.zeros(0, dtype=np.int64)
    if doc_mask is not None:
        forced = forced[doc_mask[forced]]
    want_p, want_d = max(start * k, 1), max(start * k // 2, 1)
    pweight = combo.best + combo.second
    passages, docs = _Best(passage_units, n_rows, mask), _Best(doc_units, n_docs, doc_mask)
    while True:
        prow, pkey = passages.top(want_p)
        drow, dkey = docs.top(want_d)
        cand = _distinct(np.concatenate([layout.row_doc[prow], drow, forced]))
        ranked = _score(cand, passages, docs, layout, combo, mask, bonus, k)
        p_more, d_more = len(prow) == want_p, len(drow) == want_d
        bound = ((float(dkey[-1]) if d_more else 0.0)
                 + pweight * (float(pkey[-1]) if p_more else 0.0))
        if (len(ranked) >= k and ranked[k - 1].score >= bound) or not (p_more or d_more):
            return [r for r in ranked if r.score > 0]
        want_p, want_d = want_p * 4, want_d * 4


def _distinct(values: IntArray) -> IntArray:
    """The distinct values, ascending (``np.unique`` without loading ``numpy.ma``: a tenth
    of the time a one-query process takes)."""
    ordered = np.sort(values)
    keep = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    out: IntArray = ordered[keep]
    return out


class _Best:
    """The best rows of some units, asked for again with a larger k: when the first call
    summed every posting, the later ones (and exact scores) read that sum."""

    def __init__(self, units: Sequence[Unit], n: int,
                 mask: npt.NDArray[np.bool_] | None) -> None:
        self.units, self.n, self.mask = units, n, mask
        self.every: FloatArray | None = None

    def top(self, k: int) -> tuple[IntArray, FloatArray]:
        if self.every is not None:
            rows = top_k(self.every, k, self.mask)
            return rows, self.every[rows]
        rows, keys, self.every = best_rows_scored(self.units, self.n, k, self.mask)
        return rows, keys

    def scores(self, rows: IntArray) -> FloatArray:
        """Exact scores of ``rows`` (the same sums, in the same order, either way)."""
        return self.every[rows] if self.every is not None else unit_scores(self.units, rows)


def _score(cand: IntArray, passages: _Best, docs: _Best, layout: Layout, combo: Combination,
           mask: npt.NDArray[np.bool_] | None, bonus: FloatArray | None, k: int
           ) -> list[RankedDocument]:
    """The ``k`` best candidates by the combined score, best first (ties: lower document
    first)."""
    counts = layout.count[cand]
    rows = expand_ranges(layout.first[cand], counts)
    pscores = passages.scores(rows)
    if mask is not None:
        pscores[~mask[rows]] = 0.0
    owner = np.repeat(np.arange(len(cand)), counts)
    order = np.lexsort((rows, -pscores, owner))     # per candidate: its best rows first
    rows, pscores = rows[order], pscores[order]
    starts = np.cumsum(counts) - counts
    p1 = np.where(counts > 0, pscores[np.minimum(starts, len(pscores) - 1)], 0.0) \
        if len(pscores) else np.zeros(len(cand))
    p2 = np.where(counts > 1, pscores[np.minimum(starts + 1, len(pscores) - 1)], 0.0) \
        if len(pscores) else np.zeros(len(cand))
    total = docs.scores(cand) + combo.best * p1 + combo.second * p2
    if bonus is not None:
        total += bonus[cand]
    out = []
    for i in np.lexsort((cand, -total))[:k].tolist():
        s, n = int(starts[i]), int(min(counts[i], SHOWN))
        keep = [j for j in range(s, s + n) if pscores[j] > 0]
        out.append(RankedDocument(int(cand[i]), float(total[i]),
                                  tuple(int(r) for r in rows[keep]),
                                  tuple(float(p) for p in pscores[keep])))
    return out
