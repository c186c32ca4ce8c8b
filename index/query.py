"""Scoring a query: a list of units (one posting list and a weight each: a term of one
field), summed into one score per passage in a single pass (``np.bincount``), which reads
every posting once instead of gathering and scattering per term."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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
    """Sum of every unit's weighted scores, per passage."""
    live = [u for u in units if len(u.rows) and u.weight]
    if not live:
        return np.zeros(n, dtype=np.float64)
    rows = np.concatenate([u.rows for u in live])
    values = np.concatenate([u.values if u.weight == 1.0 else u.weight * u.values
                             for u in live])
    scores: FloatArray = np.bincount(rows, weights=values, minlength=n).astype(np.float64,
                                                                              copy=False)
    return scores
