"""Block tables, so that a query bounds a few thousand rows, scores a few dozen exactly, and
still returns exactly the top k of the exhaustive sum.

The rows (passages) of a field are cut into blocks of ``1 << shift`` consecutive rows (16 at
most).  For every *long* column (a term in at least ``n_blocks / 8`` passages) three tables
are kept, one entry per (column, block):

* ``bounds``: the column's largest score in the block, quantized *up* to a byte of the
  column's maximum (``bound = bounds[i, b] / 255 * colmax``, never below the truth);
* ``impacts``: every row's score in the block quantized up the same way, one byte per row
  (0: the term is not in that row), so a row's score lies in ``((q - 1) / 255 * colmax,
  q / 255 * colmax]``;
* ``ptr``: where the block starts inside the column, so that a row's exact score is found
  by counting the nonzero bytes before it.

Short columns need no tables: their few postings are read whole at query time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

BLOCK_SHIFT = 4            # 16 passages per block (the most a row of ``impacts`` holds)
MIN_ROWS = 1 << 14         # below this a field is scored exhaustively (well under 1 ms)
LONG_FRACTION = 8          # long columns: df >= n_blocks / LONG_FRACTION
_CHUNK = 1 << 21           # postings quantized at once while building

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class BlockMax:
    """The block tables of one field's long columns."""

    shift: int
    cols: npt.NDArray[np.int64]      # the long columns, ascending
    bounds: npt.NDArray[np.uint8]    # (len(cols), n_blocks)
    ptr: npt.NDArray[np.int32]       # (len(cols), n_blocks + 1), offsets inside the column
    impacts: npt.NDArray[np.uint8]   # (len(cols), n_blocks, 16), a byte per row

    @property
    def n_blocks(self) -> int:
        return int(self.bounds.shape[1])

    @cached_property
    def flat_impacts(self) -> npt.NDArray[np.void]:
        """``impacts`` as one array of 16-byte items, (column, block) at
        ``column * n_blocks + block``."""
        return np.asarray(self.impacts).view("V16").reshape(-1)

    @cached_property
    def flat_ptr(self) -> npt.NDArray[np.int32]:
        """``ptr`` as one array, (column, block) at ``column * (n_blocks + 1) + block``."""
        return np.asarray(self.ptr).reshape(-1)


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
    bounds = np.zeros(len(cols) * n_blocks, dtype=np.uint8)
    counts = np.zeros(len(cols) * n_blocks, dtype=np.int64)
    impacts = np.zeros(len(cols) * n_blocks * 16, dtype=np.uint8)
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
        key, rows, values = key[live], rows[live], values[live]
        tops = np.repeat(top, lengths)[live]
        if len(key):
            q8 = quantize_up(values, tops, 255)
            change = np.flatnonzero(np.diff(key, prepend=-1))
            bounds[key[change]] = np.maximum.reduceat(q8, change).astype(np.uint8)
            impacts[key * 16 + (rows & ((1 << shift) - 1))] = q8.astype(np.uint8)
        first = last
    ptr = np.zeros((len(cols), n_blocks + 1), dtype=np.int32)
    np.cumsum(counts.reshape(len(cols), n_blocks), axis=1, out=ptr[:, 1:])
    return BlockMax(shift=shift, cols=cols, bounds=bounds.reshape(len(cols), n_blocks), ptr=ptr,
                    impacts=impacts.reshape(len(cols), n_blocks, 16))
