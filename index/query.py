"""Scoring a query: a list of units (one posting list and a weight each: a term of one
field), summed into one score per passage.

``exhaustive_scores`` sums every unit in a single pass (``np.bincount``).  ``best_rows``
returns the k best rows of that same sum while reading a small part of the postings:

1. the block bounds (``index/blocks.py``) of every block of 16 passages, summed over the
   query's terms;
2. the best blocks' rows bounded one by one from their impacts (a byte per row and term):
   their lower bounds give a first k-th best score ``theta``;
3. every block whose bound reaches ``theta`` bounded row by row the same way;
4. the rows whose bound reaches ``theta`` scored exactly, best bounds first, raising
   ``theta`` as they come.

Exact scores are summed unit by unit in the units' order, like ``exhaustive_scores``, so
both give the same rows and the same scores, bit for bit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from vanban.index.blocks import GROUP_SHIFT, BlockMax
from vanban.index.bm25 import FieldIndex, top_k

FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
SEED_BLOCKS = 64        # blocks bounded first, to learn a k-th best score
ROUND_ROWS = 512        # rows scored exactly at once (best bounds first)
CHUNK_BLOCKS = 4096     # blocks bounded at once (best bounds first)
BOUND_COST = 8          # a posting bounded and scored costs about 8 summed ones (measured)
PRUNE_RATIO = 6.0       # fewer postings than 6 per row: summing them all is faster (measured)
SLACK = 1e-4            # relative: float32 bounds never cut a row that could qualify


class Unit(NamedTuple):
    """One term of one field: passage rows (ascending), their scores, the weight, an
    upper bound; ``field``/``col`` name the column when it comes straight from a field."""

    rows: npt.NDArray[np.int64] | npt.NDArray[np.int32]
    values: FloatArray
    weight: float
    max_value: float
    field: FieldIndex | None = None
    col: int = -1


def column_units(fld: FieldIndex, cols: npt.NDArray[np.int64], weights: list[float]
                  ) -> list[Unit]:
    """One unit per column of a field (its postings, weight and largest value)."""
    indptr = fld.indptr
    starts, ends = indptr.take(cols).tolist(), indptr.take(cols + 1).tolist()
    if fld.colmax is not None:
        tops = fld.colmax.take(cols).tolist()
    else:
        tops = [fld.max_score(c) for c in cols.tolist()]
    indices, data = fld.indices, fld.data
    return [Unit(indices[s:e], data[s:e], w, top, field=fld, col=c)
            for s, e, w, top, c in zip(starts, ends, weights, tops, cols.tolist(), strict=True)]


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
    rows, keys, _ = best_rows_scored(units, n, k, mask)
    return rows, keys


def best_rows_scored(units: Sequence[Unit], n: int, k: int,
                     mask: npt.NDArray[np.bool_] | None = None
                     ) -> tuple[IntArray, FloatArray, FloatArray | None]:
    """``best_rows``, and every row's score when every posting was summed to find them
    (None when pruning found them)."""
    live = [u for u in units if len(u.rows) and u.weight]
    worth = k > 0 and sum(len(u.rows) for u in live) >= PRUNE_RATIO * n
    plan = _Plan.make(live, n) if worth else None
    found = plan.run(k, mask) if plan is not None else None
    if found is None:   # no tables, or too many blocks may hold the top k: sum everything
        scores = exhaustive_scores(live, n)
        rows = top_k(scores, k, mask) if k > 0 else np.zeros(0, dtype=np.int64)
        return rows, scores[rows], scores
    return found[0], found[1], None


class _Group:
    """The long columns of one field in a query, read together."""

    def __init__(self, field: FieldIndex, blocks: BlockMax, positions: IntArray,
                 cols: IntArray, weights: FloatArray, order: IntArray) -> None:
        assert field.colmax is not None
        self.weights, self.order = weights, order   # order: the units' places in the query
        self.positions = positions
        self.bounds = blocks.bounds
        self.starts, self.groups = blocks.starts.reshape(-1), blocks.groups.reshape(-1)
        # each column's first entry in the flattened tables
        self.starts_at = (positions * blocks.starts.shape[1])[:, None]
        self.groups_at = (positions * blocks.groups.shape[1])[:, None]
        self.impacts, self.indices, self.data = blocks.impacts, field.indices, field.data
        self.col_start = field.indptr[cols][:, None]
        # a posting's impact byte: its place in the column, past the column's first byte
        self.impact_shift = blocks.impact_base[positions] - field.indptr[cols]
        self.byte = weights * field.colmax[cols] / 255.0     # a bound or impact byte's worth
        self.byte32 = self.byte.astype(np.float32)
        self.postings = int((field.indptr[cols + 1] - field.indptr[cols]).sum())

    def block_bounds(self) -> Float32Array:
        # einsum, not BLAS: one thread, and no thread pool to wake for a 20-row product
        out: Float32Array = np.einsum("i,ij->j", self.byte32,
                                      self.bounds[self.positions])
        return out

    def _postings(self, blocks: IntArray) -> tuple[IntArray, IntArray]:
        """The postings of each column in each of ``blocks``: their places in the field's
        arrays, and their range (``column * len(blocks) + place in blocks``)."""
        b = blocks[None, :]
        at = self.starts_at + b
        start = (self.groups.take(self.groups_at + (b >> GROUP_SHIFT))
                 + self.starts.take(at).astype(np.int64))
        end = self.groups.take(self.groups_at + ((b + 1) >> GROUP_SHIFT)) + self.starts.take(at + 1)
        lengths = (end - start).ravel()
        before = np.cumsum(lengths) - lengths    # postings of the ranges before each range
        # each posting's range: a mark where every range starts, summed (np.repeat by
        # lengths does the same several times slower)
        full = np.flatnonzero(lengths)
        mark = np.zeros(int(before[-1] + lengths[-1]) if len(lengths) else 0, dtype=np.int64)
        mark[before.take(full)] = 1
        pair = full.take(np.cumsum(mark) - 1)
        places = ((self.col_start + start).ravel() - before).take(pair) + np.arange(len(pair))
        return places, pair

    def row_bounds(self, blocks: IntArray, size: int, lower: bool
                   ) -> tuple[FloatArray, FloatArray | None]:
        """Per row of ``blocks`` (``size`` each): the bound, and (``lower``) how far the
        truth may lie below it (a byte's worth per term in the row)."""
        at, pair = self._postings(blocks)
        m = len(blocks)
        slot = (pair % m) * size + (self.indices.take(at) & (size - 1))
        term = pair // m
        byte = self.byte.take(term)
        impact = self.impacts.take(at + self.impact_shift.take(term))
        width = m * size   # (bincount of nothing gives integers: cast)
        ub: FloatArray = np.bincount(slot, byte * impact, width).astype(np.float64, copy=False)
        if not lower:
            return ub, None
        slack: FloatArray = np.bincount(slot, byte, width).astype(np.float64, copy=False)
        return ub, slack

    def exact(self, table: FloatArray, rows: IntArray, shift: int) -> None:
        """Put the weighted exact scores of these columns in ``rows`` into ``table``
        (one line per unit of the query)."""
        at, pair = self._postings(rows >> shift)
        unit, place = np.divmod(pair, len(rows))
        hit = self.indices.take(at) == rows.take(place)
        at, unit, place = at[hit], unit[hit], place[hit]
        table[self.order.take(unit), place] = self.weights.take(unit) * self.data.take(at)


class _Plan:
    def __init__(self, groups: list[_Group], short: list[Unit], order: list[int], n: int,
                 shift: int, n_blocks: int, n_units: int) -> None:
        self.groups, self.n, self.shift, self.n_blocks = groups, n, shift, n_blocks
        self.n_units = n_units
        self.srows = np.zeros(0, dtype=np.int64)
        if not short:
            return
        self.where = np.full(n_blocks, -1, dtype=np.int32)   # block -> its rows' place
        lengths = [len(u.rows) for u in short]
        unit = np.repeat(np.arange(len(short)), lengths)
        self.srows = np.concatenate([u.rows for u in short]).astype(np.int64, copy=False)
        self.svals = np.concatenate([u.values if u.weight == 1.0 else u.weight * u.values
                                     for u in short])
        self.sorder = np.array(order, dtype=np.int64)
        self.span = n_blocks << shift                  # rows, padding of the last block too
        self.skey = unit * self.span + self.srows      # ascending: units in turn, rows within
        self.sblock = self.srows >> shift
        self.slocal = (self.srows & ((1 << shift) - 1)).astype(np.int32)
        key = unit * n_blocks + self.sblock
        change = np.empty(len(key), dtype=bool)
        change[0] = True
        np.not_equal(key[1:], key[:-1], out=change[1:])
        first = np.flatnonzero(change)                 # each unit's best in each block
        best = np.maximum.reduceat(self.svals, first)
        self.sbest = (self.sblock[first], best.astype(np.float32))

    @classmethod
    def make(cls, live: list[Unit], n: int) -> _Plan | None:
        """None when pruning cannot help: no field with block tables, or a negative
        score somewhere (bounds assume scores only add up)."""
        by_field: dict[int, list[int]] = {}
        short: list[int] = []
        for i, u in enumerate(live):
            if u.max_value <= 0 or u.weight < 0:
                return None
            f = u.field
            if f is None or f.blocks is None or f.colmax is None or u.col < 0:
                short.append(i)
            else:
                by_field.setdefault(id(f), []).append(i)
        groups: list[_Group] = []
        shift = n_blocks = -1
        for members in by_field.values():
            f = live[members[0]].field
            assert f is not None and f.blocks is not None
            blocks = f.blocks
            if n_blocks < 0:
                shift, n_blocks = blocks.shift, blocks.n_blocks
            elif (blocks.shift, blocks.n_blocks) != (shift, n_blocks):
                return None
            table = np.asarray(blocks.cols)
            cols = np.array([live[i].col for i in members], dtype=np.int64)
            pos = np.minimum(np.searchsorted(table, cols), max(len(table) - 1, 0))
            long = table[pos] == cols if len(table) else np.zeros(len(cols), dtype=bool)
            if not long.all():
                short += [i for i, is_long in zip(members, long.tolist(), strict=True)
                          if not is_long]
            if long.any():
                order = np.array(members, dtype=np.int64)[long]
                weights = np.array([live[i].weight for i in order.tolist()], dtype=np.float64)
                groups.append(_Group(f, blocks, pos[long], cols[long], weights, order))
        if not groups:
            return None
        short.sort()
        return cls(groups, [live[i] for i in short], short, n, shift, n_blocks, len(live))

    # -- bounds -------------------------------------------------------------------
    def block_bounds(self) -> Float32Array:
        """An upper bound of every block's best score (float32: ``SLACK`` covers rounding)."""
        ub = self.groups[0].block_bounds()
        for g in self.groups[1:]:
            ub += g.block_bounds()
        if len(self.srows):
            np.add.at(ub, *self.sbest)
        return ub

    def row_bounds(self, blocks: IntArray, lower: bool = False
                   ) -> tuple[FloatArray, FloatArray | None]:
        """An upper bound of the score of each row of ``blocks`` (the rows in turn, block
        after block: ``self.rows`` names them) and (``lower``) a lower bound."""
        size = 1 << self.shift
        ub: FloatArray | None = None
        slack: FloatArray | None = None
        for g in self.groups:
            part, part_slack = g.row_bounds(blocks, size, lower)
            ub = part if ub is None else ub + part
            if part_slack is not None:
                slack = part_slack if slack is None else slack + part_slack
        assert ub is not None
        if len(self.srows):
            where = self.where
            where[blocks] = np.arange(0, len(blocks) * size, size)
            slot = where.take(self.sblock)
            where[blocks] = -1
            sel = np.flatnonzero(slot >= 0)
            np.add.at(ub, slot[sel] + self.slocal[sel], self.svals[sel])
        if slack is None:
            return ub, None
        # ub - slack cancels: its rounding error scales with ub, not with the difference,
        # so the margin is taken from ub (SLACK is far above the float epsilon)
        return ub, ub * (1 - 4 * SLACK) - slack

    def rows(self, blocks: IntArray, at: IntArray) -> IntArray:
        """The rows at places ``at`` of ``row_bounds(blocks)``."""
        rows: IntArray = (blocks[at >> self.shift] << self.shift) + (at & ((1 << self.shift) - 1))
        return rows

    # -- exact scores ----------------------------------------------------------------
    def exact(self, rows: IntArray) -> FloatArray:
        """Exact scores of ``rows``: each unit's weighted score, added in the units' order
        (the additions ``exhaustive_scores`` makes, in the same order)."""
        table = np.zeros((self.n_units, len(rows)), dtype=np.float64)
        for g in self.groups:
            g.exact(table, rows, self.shift)
        if len(self.srows):
            key = (np.arange(len(self.sorder))[:, None] * self.span + rows).ravel()
            at = np.minimum(np.searchsorted(self.skey, key), len(self.skey) - 1)
            hit = np.flatnonzero(self.skey[at] == key)
            unit, col = np.divmod(hit, len(rows))
            table[self.sorder[unit], col] = self.svals[at[hit]]
        scores: FloatArray = np.cumsum(table, axis=0)[-1]
        return scores

    def run(self, k: int, mask: npt.NDArray[np.bool_] | None
            ) -> tuple[IntArray, FloatArray] | None:
        """The top k, or None when summing every posting would cost less."""
        ubb = self.block_bounds()
        allowed = None
        if mask is not None:
            allowed = np.zeros(self.n_blocks << self.shift, dtype=bool)
            allowed[: self.n] = mask
            ubb[~allowed.reshape(self.n_blocks, -1).any(axis=1)] = -1.0
        top = float(ubb.max())
        if top <= 0:
            return _empty()
        seeds = np.flatnonzero(ubb >= 0.5 * top)  # the best blocks (cheap pre-cut)
        if len(seeds) > SEED_BLOCKS:
            seeds = seeds[np.argpartition(ubb[seeds], -SEED_BLOCKS)[-SEED_BLOCKS:]]
            seeds.sort()
        ub, lb = self.row_bounds(seeds, lower=True)
        assert lb is not None
        ubb[seeds] = -1.0
        if allowed is not None:
            ok = allowed[self.rows(seeds, np.arange(len(ub)))]
            ub[~ok] = -1.0
            lb[~ok] = -1.0
        theta = max(_kth(lb, k), 0.0)   # k rows score at least this much
        done_rows: list[IntArray] = []
        done_scores: list[FloatArray] = []
        at = np.flatnonzero(ub >= _cut(theta))
        pending_rows, pending_ub = self.rows(seeds, at), ub[at]
        if self._exhaustive_cheaper(ubb, _cut(theta)):
            return None
        while True:   # the seeds' rows first: their exact scores raise theta early
            theta = self._drain(pending_rows, pending_ub, theta, k, done_rows, done_scores)
            cut = _cut(theta)
            blocks = np.flatnonzero(ubb >= cut)
            if not len(blocks):
                break
            if len(blocks) > CHUNK_BLOCKS:
                blocks = blocks[np.argpartition(ubb[blocks], -CHUNK_BLOCKS)[-CHUNK_BLOCKS:]]
                blocks.sort()
            ub, _ = self.row_bounds(blocks)
            ubb[blocks] = -1.0
            at = np.flatnonzero(ub >= cut)
            pending_rows, pending_ub = self.rows(blocks, at), ub[at]
            if allowed is not None:
                ok = allowed[pending_rows]
                pending_rows, pending_ub = pending_rows[ok], pending_ub[ok]
        if not done_rows:
            return _empty()
        rows, scores = np.concatenate(done_rows), np.concatenate(done_scores)
        keep = scores > 0
        rows, scores = rows[keep], scores[keep]
        order = np.lexsort((rows, -scores))[:k]
        return rows[order].astype(np.int64), scores[order]


    def _exhaustive_cheaper(self, ubb: Float32Array, cut: float) -> bool:
        """Whether summing every posting of the query costs less than bounding and scoring
        those in the blocks that may reach ``cut`` (a long query of common words)."""
        share = np.count_nonzero(ubb >= cut) / self.n_blocks
        long = sum(g.postings for g in self.groups)
        return bool(share * long * BOUND_COST > long + len(self.srows))

    def _drain(self, rows: IntArray, ub: FloatArray, theta: float, k: int,
               done_rows: list[IntArray], done_scores: list[FloatArray]) -> float:
        """Score exactly, best bounds first, every row whose bound reaches ``theta`` (raised
        as the scores come); returns it."""
        keep = ub >= _cut(theta)
        rows, ub = rows[keep], ub[keep]
        while len(rows):
            if len(rows) > ROUND_ROWS:
                best = np.argpartition(ub, -ROUND_ROWS)[-ROUND_ROWS:]
                rest = np.ones(len(rows), dtype=bool)
                rest[best] = False
                now, rows, ub = rows[best], rows[rest], ub[rest]
            else:
                now, rows, ub = rows, rows[:0], ub[:0]
            done_rows.append(now)
            done_scores.append(self.exact(now))
            theta = max(theta, _kth(np.concatenate(done_scores), k))
            keep = ub >= _cut(theta)
            rows, ub = rows[keep], ub[keep]
        return theta


def _cut(theta: float) -> float:
    """The least bound a row or block may have and still reach ``theta`` (positive: a
    row without any score never qualifies)."""
    # float32's least normal: compared with float32 bounds, it stays above zero
    return max(theta * (1 - SLACK), float(np.finfo(np.float32).tiny))


def _kth(scores: FloatArray | Float32Array, k: int) -> float:
    """The k-th best score (0 when there are fewer)."""
    if len(scores) < k:
        return 0.0
    return float(np.partition(scores, len(scores) - k)[len(scores) - k])


def _empty() -> tuple[IntArray, FloatArray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
