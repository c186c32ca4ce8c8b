"""Scoring a query: a list of units (one posting list and a weight each: a term of one
field), summed into one score per passage.

``exhaustive_scores`` sums every unit in a single pass (``np.bincount``).  ``best_rows``
returns the k best rows of that same sum without reading most postings: block-max bounds
(``index/blocks.py``) tell which blocks of 16 passages could still reach the k-th best
score found so far, and only those are scored.  Both give the same rows and scores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.blocks import BlockMax, expand_ranges
from index.bm25 import FieldIndex, top_k

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
SEED_BLOCKS = 64        # blocks scored first, to learn a k-th best score
CHUNK_BLOCKS = 4096     # blocks scored at once afterwards (best bounds first)
SLACK = 1e-4            # relative: float32 bounds never cut a block that could qualify


@dataclass(frozen=True)
class Unit:
    """One term of one field: passage rows (ascending), their scores, the weight, an
    upper bound; ``field``/``col`` name the column when it comes straight from a field."""

    rows: npt.NDArray[np.int64] | npt.NDArray[np.int32]
    values: FloatArray
    weight: float
    max_value: float
    field: FieldIndex | None = None
    col: int = -1


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


def best_rows(units: Sequence[Unit], n: int, k: int,
              mask: npt.NDArray[np.bool_] | None = None) -> tuple[IntArray, FloatArray]:
    """The ``k`` best rows with a positive score (allowed by ``mask``), best first, ties to
    the lower row, and their scores: ``top_k(exhaustive_scores(units, n), k, mask)``."""
    live = [u for u in units if len(u.rows) and u.weight]
    plan = _Plan.make(live, n) if k > 0 else None
    if plan is None:
        scores = exhaustive_scores(live, n)
        rows = top_k(scores, k, mask) if k > 0 else np.zeros(0, dtype=np.int64)
        return rows, scores[rows]
    return plan.run(k, mask)


@dataclass
class _Group:
    """The long columns of one field in a query, scored together."""

    field: FieldIndex
    blocks: BlockMax        # the field's tables
    positions: IntArray     # rows of the block tables
    starts: IntArray        # where each column begins in the field's arrays
    weights: FloatArray

    scale: npt.NDArray[np.float32]   # weight × column maximum / 255: a byte's worth

    def __post_init__(self) -> None:
        self.ptr = np.asarray(self.blocks.ptr).reshape(-1)   # a view: rows of n_blocks + 1
        self.row_offsets = self.positions * (self.blocks.n_blocks + 1)
        self.unit_weights = bool((self.weights == 1.0).all())

    def postings(self, blocks: IntArray) -> tuple[npt.NDArray[np.int32], FloatArray]:
        """Rows and weighted scores of these columns inside ``blocks``."""
        flat = (self.row_offsets[:, None] + blocks).ravel()
        first = self.ptr.take(flat).astype(np.int64)
        lengths = self.ptr.take(flat + 1) - first
        idx = expand_ranges(first + np.repeat(self.starts, len(blocks)), lengths)
        values = self.field.data[idx]
        if not self.unit_weights:
            values = values * np.repeat(self.weights,
                                        lengths.reshape(len(self.weights), -1).sum(axis=1))
        return self.field.indices[idx], values


class _Plan:
    def __init__(self, groups: list[_Group], short: list[Unit], n: int, shift: int,
                 n_blocks: int) -> None:
        self.groups, self.n, self.shift, self.n_blocks = groups, n, shift, n_blocks
        if short:
            self.srows = np.concatenate([np.asarray(u.rows, dtype=np.int64) for u in short])
            self.svals = np.concatenate([u.values * u.weight for u in short])
            self.sunit = np.repeat(np.arange(len(short)), [len(u.rows) for u in short])
            self.sblock = self.srows >> shift
        else:
            self.srows = np.zeros(0, dtype=np.int64)
            self.svals = np.zeros(0, dtype=np.float64)
            self.sunit = np.zeros(0, dtype=np.int64)
            self.sblock = np.zeros(0, dtype=np.int64)
        self.where = np.full(n_blocks, -1, dtype=np.int64)

    @classmethod
    def make(cls, live: list[Unit], n: int) -> _Plan | None:
        """None when pruning cannot help: no field with block tables, or a negative
        score somewhere (bounds assume scores only add up)."""
        by_field: dict[int, list[Unit]] = {}
        short: list[Unit] = []
        for u in live:
            if u.max_value <= 0 or u.weight < 0:
                return None
            f = u.field
            if f is None or f.blocks is None or f.colmax is None or u.col < 0:
                short.append(u)
            else:
                by_field.setdefault(id(f), []).append(u)
        groups: list[_Group] = []
        for units in by_field.values():
            f = units[0].field
            assert f is not None and f.blocks is not None and f.colmax is not None
            table = np.asarray(f.blocks.cols)
            cols = np.array([u.col for u in units], dtype=np.int64)
            pos = np.searchsorted(table, cols)
            pos[pos >= len(table)] = 0
            long = table[pos] == cols if len(table) else cols < 0
            if not long.all():
                short += [u for u, is_long in zip(units, long.tolist(), strict=True)
                          if not is_long]
            if long.any():
                weights = np.array([u.weight for u in units], dtype=np.float64)[long]
                lcols = cols[long]
                groups.append(_Group(f, f.blocks, pos[long], np.asarray(f.indptr)[lcols],
                                     weights, (weights * np.asarray(f.colmax)[lcols] / 255.0
                                               ).astype(np.float32)))
        if not groups:
            return None
        shift, n_blocks = groups[0].blocks.shift, groups[0].blocks.n_blocks
        if any(g.blocks.shift != shift or g.blocks.n_blocks != n_blocks for g in groups):
            return None
        return cls(groups, short, n, shift, n_blocks)

    # -- bounds -------------------------------------------------------------------
    def bounds(self) -> npt.NDArray[np.float32]:
        """An upper bound of every block's best score (float32: ``SLACK`` covers rounding)."""
        ub = np.zeros(self.n_blocks, dtype=np.float32)
        for g in self.groups:
            # einsum, not BLAS: one thread, and no faster pool to wake for a 20-row product
            ub += np.einsum("i,ij->j", g.scale, g.blocks.bounds[g.positions])
        if len(self.srows):
            key = self.sunit * self.n_blocks + self.sblock
            change = np.empty(len(key), dtype=bool)
            change[0] = True
            np.not_equal(key[1:], key[:-1], out=change[1:])
            first = np.flatnonzero(change)
            ub += np.bincount(key[first] % self.n_blocks, np.maximum.reduceat(self.svals, first),
                              self.n_blocks).astype(np.float32)
        return ub

    # -- exact scores of a set of blocks -----------------------------------------------
    def score(self, blocks: IntArray, allowed: npt.NDArray[np.bool_] | None
              ) -> tuple[IntArray, FloatArray]:
        """Rows with a positive score in ``blocks`` (ascending block numbers), and scores."""
        size = 1 << self.shift
        where = self.where  # block -> offset of its rows in ``sums`` (-1: not scored)
        where[blocks] = np.arange(0, len(blocks) * size, size)
        rows: list[npt.NDArray[np.int64] | npt.NDArray[np.int32]] = []
        vals: list[FloatArray] = []
        for g in self.groups:
            part_rows, part_vals = g.postings(blocks)
            rows.append(part_rows)
            vals.append(part_vals)
        if len(self.srows):
            sel = where[self.sblock] >= 0
            rows.append(self.srows[sel])
            vals.append(self.svals[sel])
        r: npt.NDArray[np.int64] | npt.NDArray[np.int32] = (
            rows[0] if len(rows) == 1 else np.concatenate(rows).astype(np.int64, copy=False))
        v = vals[0] if len(vals) == 1 else np.concatenate(vals)
        local = where[r >> self.shift] + (r & (size - 1))
        where[blocks] = -1
        sums: FloatArray = np.bincount(local, v, minlength=len(blocks) * size
                                       ).astype(np.float64, copy=False)
        hit = np.flatnonzero(sums > 0)
        found: IntArray = (blocks[hit >> self.shift] << self.shift) + (hit & (size - 1))
        if allowed is not None:
            ok = allowed[found]
            found, hit = found[ok], hit[ok]
        return found, sums[hit]

    def run(self, k: int, mask: npt.NDArray[np.bool_] | None) -> tuple[IntArray, FloatArray]:
        ub = self.bounds()
        allowed = None
        if mask is not None:
            allowed = np.zeros(self.n_blocks << self.shift, dtype=bool)
            allowed[: self.n] = mask
            ub[~allowed.reshape(self.n_blocks, -1).any(axis=1)] = -1.0
        seeds = np.flatnonzero(ub >= 0.5 * ub.max())  # the best blocks (cheap pre-cut)
        if len(seeds) > SEED_BLOCKS:
            seeds = seeds[np.argpartition(-ub[seeds], SEED_BLOCKS)[:SEED_BLOCKS]]
        seeds = np.sort(seeds[ub[seeds] > 0])
        rows, scores = self.score(seeds, allowed) if len(seeds) else _empty()
        theta = _kth(scores, k)
        ub[seeds] = -1.0
        while True:
            rest = np.flatnonzero(ub >= max(theta * (1 - SLACK), np.finfo(np.float64).tiny))
            if not len(rest):
                break
            if len(rest) > CHUNK_BLOCKS:
                rest = rest[np.argpartition(-ub[rest], CHUNK_BLOCKS)[:CHUNK_BLOCKS]]
                rest.sort()
            more_rows, more_scores = self.score(rest, allowed)
            ub[rest] = -1.0
            rows = np.concatenate([rows, more_rows])
            scores = np.concatenate([scores, more_scores])
            theta = max(theta, _kth(scores, k))
            keep = scores >= theta * (1 - SLACK)
            rows, scores = rows[keep], scores[keep]
        if len(scores) > k:
            keep = scores >= _kth(scores, k)
            rows, scores = rows[keep], scores[keep]
        order = np.lexsort((rows, -scores))[:k]
        return rows[order].astype(np.int64), scores[order]


def _kth(scores: FloatArray, k: int) -> float:
    """The k-th best score (0 when there are fewer)."""
    if len(scores) < k:
        return 0.0
    return float(np.partition(scores, len(scores) - k)[len(scores) - k])


def _empty() -> tuple[IntArray, FloatArray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
