"""Exact top-k with MaxScore pruning.

A query is a list of scoring units (one posting list and a weight each: a term of one
field).  Units are scored rarest-first (largest upper bound first) into a dense array;
once the upper bounds of the units left add up to less than the k-th best partial score,
no passage outside the current candidates can reach the top k, and the remaining units
are added for the candidates only.  The result equals exhaustive scoring.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.bm25 import top_k

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Unit:
    """One term of one field: passage rows, their scores, the weight, an upper bound."""

    rows: npt.NDArray[np.int64] | npt.NDArray[np.int32]
    values: FloatArray
    weight: float
    max_value: float

    @property
    def bound(self) -> float:
        return self.weight * self.max_value


def exhaustive_scores(units: Sequence[Unit], n: int) -> FloatArray:
    scores = np.zeros(n, dtype=np.float64)
    for u in units:
        _add(scores, u)
    return scores


def _add(scores: FloatArray, u: Unit) -> None:
    if u.weight == 1.0:
        scores[u.rows] += u.values
    else:
        scores[u.rows] += u.weight * u.values


def pruned_top_k(units: Sequence[Unit], n: int, k: int, rare: float = 0.05
                 ) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """(best rows, their scores), best first; the same as exhaustive scoring + top_k.

    Units whose posting lists are short (under ``rare`` × n rows) are scored first; if
    the other units' upper bounds add up to less than the k-th best partial score, only
    the rows the short lists touched can make the top k, and the long lists are read for
    those rows alone.  Otherwise every unit is added in full."""
    live = [u for u in units if len(u.rows) and u.weight > 0]
    short = [u for u in live if len(u.rows) <= rare * n]
    long_ = [u for u in live if len(u.rows) > rare * n]
    scores = np.zeros(n, dtype=np.float64)
    for u in short:
        _add(scores, u)
    if short and long_:
        cand = np.unique(np.concatenate([u.rows for u in short]).astype(np.int64))
        if len(cand) >= k:
            part = scores[cand]
            theta = float(np.partition(part, len(cand) - k)[len(cand) - k])
            if sum(u.bound for u in long_) < theta:
                _finish(scores, cand, long_)
                best = cand[top_k(scores[cand], k)]
                return best, scores[best]
    for u in long_:
        _add(scores, u)
    best = top_k(scores, k)
    return best, scores[best]


def _mask(n: int, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return mask


def _finish(scores: FloatArray, cand: npt.NDArray[np.int64], units: Sequence[Unit]) -> None:
    """Add the remaining units' scores for the candidate rows only."""
    for u in units:
        pos = np.searchsorted(u.rows, cand)
        pos[pos >= len(u.rows)] = 0
        hit = u.rows[pos] == cand
        scores[cand[hit]] += u.weight * u.values[pos[hit]]
