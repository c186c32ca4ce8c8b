"""Block tables, so that a query bounds a few thousand rows, scores a few dozen exactly, and
still returns exactly the top k of the exhaustive sum.

The rows (passages) of a field are cut into blocks of ``1 << shift`` consecutive rows (16 at
most).  For every *long* column (a term in at least ``n_blocks / LONG_FRACTION`` passages):

* ``bounds``: one byte per (column, block), the column's largest score in the block
  quantized *up* to a byte of the column's maximum (``bounds / 255 * colmax``, never below
  the truth);
* ``impacts``: one byte per posting, its score quantized up the same way, so that the
  score lies in ``((q - 1) / 255 * colmax, q / 255 * colmax]``;
* where each block starts in the column: ``groups`` once per group of 16 blocks (int32),
  ``starts`` per block from its group's start (a byte: at most 15 blocks of 16 rows).

A block's postings (rows, scores, impacts) are then a slice of the column: bounding its
rows reads their impacts, scoring a row exactly reads its score.  Short columns need no
tables: their few postings are read whole at query time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

BLOCK_SHIFT = 4            # 16 passages per block (the most a row of ``impacts`` holds)
MIN_ROWS = 1 << 14         # below this a field is scored exhaustively (well under 1 ms)
LONG_FRACTION = 4          # long columns: df >= n_blocks / LONG_FRACTION
GROUP_SHIFT = 4            # block offsets kept once per 16 blocks (in a byte: 15 × 16 rows)
_CHUNK = 1 << 21           # postings quantized at once while building

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class BlockMax:
    """The block tables of one field's long columns."""

    shift: int
    cols: npt.NDArray[np.int64]         # the long columns, ascending
    bounds: npt.NDArray[np.uint8]       # (len(cols), n_blocks)
    starts: npt.NDArray[np.uint8]       # (len(cols), n_blocks + 1), from the group's start
    groups: npt.NDArray[np.int32]       # (len(cols), n_blocks // GROUP + 1), in the column
    impacts: npt.NDArray[np.uint8]      # a byte per posting of the long columns, in turn
    impact_base: npt.NDArray[np.int64]  # (len(cols) + 1,): where each column's bytes start

    @property
    def n_blocks(self) -> int:
        return int(self.bounds.shape[1])

    def block_starts(self, pos: int) -> IntArray:
        """Where each block of long column ``pos`` starts in the column (and its end)."""
        group = np.arange(self.n_blocks + 1) >> GROUP_SHIFT
        out: IntArray = self.groups[pos, group].astype(np.int64) + self.starts[pos]
        return out

    @property
    def nbytes(self) -> int:
        return sum(int(a.nbytes) for a in (self.cols, self.bounds, self.starts, self.groups,
                                           self.impacts, self.impact_base))


def expand_ranges(starts: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]) -> IntArray:
    """``concatenate([arange(s, s + n) for s, n in zip(starts, lengths)])`` without a loop:
    steps of one, and at each range's start the jump from the previous range's end."""
    keep = lengths > 0
    starts, lengths = starts[keep], lengths[keep]
    if not len(lengths):
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    step = np.ones(int(ends[-1]), dtype=np.int64)
    step[0] = starts[0]
    step[ends[:-1]] = starts[1:] - (starts[:-1] + lengths[:-1] - 1)
    out: IntArray = np.cumsum(step)
    return out


def quantize_up(values: npt.NDArray[np.float64], top: npt.NDArray[np.float64] | float,
                levels: int) -> npt.NDArray[np.float64]:
    """The least ``q`` in 1..levels with ``q * top / levels >= value`` (values in (0, top])."""
    q = np.ceil(values * (levels / top))
    low = q * (top / levels) < values     # rounding: push up
    q[low] += 1
    out: npt.NDArray[np.float64] = np.clip(q, 1, levels)
    return out


def build_blocks(indptr: npt.NDArray[np.int64], indices: npt.NDArray[np.int32],
                 data: npt.NDArray[np.float64], colmax: npt.NDArray[np.float64], n_rows: int,
                 *, shift: int = BLOCK_SHIFT, min_df: int | None = None) -> BlockMax | None:
    """Block tables for a field's CSC columns (rows ascending within each column); None
    when the field is too small to gain from them."""
    if not 0 <= shift <= BLOCK_SHIFT:
        raise ValueError(f"blocks hold 1 to {1 << BLOCK_SHIFT} rows (shift {shift})")
    n_blocks = (n_rows + (1 << shift) - 1) >> shift
    if min_df is None:
        if n_rows < MIN_ROWS:
            return None
        min_df = max(n_blocks // LONG_FRACTION, 64)
    indptr = np.asarray(indptr)
    df = np.diff(indptr)
    cols = np.flatnonzero(df >= min_df).astype(np.int64)
    impact_base = np.zeros(len(cols) + 1, dtype=np.int64)
    np.cumsum(df[cols], out=impact_base[1:])
    bounds = np.zeros(len(cols) * n_blocks, dtype=np.uint8)
    counts = np.zeros(len(cols) * n_blocks, dtype=np.int64)
    impacts = np.zeros(int(impact_base[-1]), dtype=np.uint8)
    first = 0
    while first < len(cols):   # columns in chunks of about _CHUNK postings
        last = first + 1
        budget = int(df[cols[first]])
        while last < len(cols) and budget + int(df[cols[last]]) <= _CHUNK:
            budget += int(df[cols[last]])
            last += 1
        part = cols[first:last]
        lengths = df[part]
        idx = expand_ranges(indptr[part], lengths)
        rows = np.asarray(indices)[idx].astype(np.int64)
        values = np.asarray(data)[idx]
        pos = np.repeat(np.arange(first, last, dtype=np.int64), lengths)
        top = np.asarray(colmax)[part]
        live = np.repeat(top > 0, lengths) & (values > 0)   # only positive scores bound
        key = pos * n_blocks + (rows >> shift)
        counts += np.bincount(key, minlength=len(counts))
        q8 = np.zeros(len(values), dtype=np.uint8)
        if live.any():
            q8[live] = quantize_up(values[live], np.repeat(top, lengths)[live], 255)
            change = np.flatnonzero(np.diff(key, prepend=-1))
            bounds[key[change]] = np.maximum.reduceat(q8, change)
        impacts[impact_base[first]:impact_base[last]] = q8
        first = last
    starts, groups = _block_starts(counts.reshape(len(cols), n_blocks))
    return BlockMax(shift=shift, cols=cols, bounds=bounds.reshape(len(cols), n_blocks),
                    starts=starts, groups=groups, impacts=impacts, impact_base=impact_base)


def _block_starts(counts: IntArray) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int32]]:
    """Where each block starts in its column (postings per block given), split into the
    start of its group of ``1 << GROUP_SHIFT`` blocks and the rest (under a byte)."""
    n_cols, n_blocks = counts.shape
    at = np.zeros((n_cols, n_blocks + 1), dtype=np.int64)
    np.cumsum(counts, axis=1, out=at[:, 1:])
    groups = at[:, ::1 << GROUP_SHIFT]
    starts = at - np.repeat(groups, 1 << GROUP_SHIFT, axis=1)[:, :n_blocks + 1]
    assert starts.max(initial=0) <= 255
    return starts.astype(np.uint8), groups.astype(np.int32)
