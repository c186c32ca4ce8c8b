"""Block-max bounds, so that a query reads a few percent of its postings and still returns
exactly the top k of the exhaustive sum.

The rows (passages) of a field are cut into blocks of ``1 << shift`` consecutive rows.  For
every *long* column (a term in at least ``n_blocks / 8`` passages) two tables are kept:

* ``bounds[i, b]``: the column's largest score in block ``b``, quantized *up* to a byte of
  the column's maximum (``bound = bounds[i, b] / 255 * colmax``, never below the truth);
* ``ptr[i, b]``: where block ``b`` starts inside the column, so the postings of any set of
  blocks are sliced without a search.

Short columns need no tables: their few postings are read whole at query time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

BLOCK_SHIFT = 4            # 16 passages per block
MIN_ROWS = 1 << 14         # below this a field is scored exhaustively (well under 1 ms)
LONG_FRACTION = 8          # long columns: df >= n_blocks / LONG_FRACTION

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class BlockMax:
    """The block tables of one field's long columns."""

    shift: int
    cols: npt.NDArray[np.int64]      # the long columns, ascending
    bounds: npt.NDArray[np.uint8]    # (len(cols), n_blocks)
    ptr: npt.NDArray[np.int32]       # (len(cols), n_blocks + 1), offsets inside the column

    @property
    def n_blocks(self) -> int:
        return int(self.bounds.shape[1])


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


def build_blocks(indptr: npt.NDArray[np.int64], indices: npt.NDArray[np.int32],
                 data: npt.NDArray[np.float64], colmax: npt.NDArray[np.float64], n_rows: int,
                 *, shift: int = BLOCK_SHIFT, min_df: int | None = None) -> BlockMax | None:
    """Block tables for a field's CSC columns (rows ascending within each column); None
    when the field is too small to gain from them."""
    n_blocks = (n_rows + (1 << shift) - 1) >> shift
    if min_df is None:
        if n_rows < MIN_ROWS:
            return None
        min_df = max(n_blocks // LONG_FRACTION, 64)
    df = np.diff(indptr)
    cols = np.flatnonzero(df >= min_df).astype(np.int64)
    bounds = np.zeros((len(cols), n_blocks), dtype=np.uint8)
    ptr = np.zeros((len(cols), n_blocks + 1), dtype=np.int32)
    edges = np.arange(n_blocks + 1, dtype=np.int64) << shift
    for i, col in enumerate(cols):
        s, e = int(indptr[col]), int(indptr[col + 1])
        rows, values = np.asarray(indices[s:e]), np.asarray(data[s:e])
        ptr[i] = np.searchsorted(rows, edges)
        block = rows >> shift
        starts = np.flatnonzero(np.diff(block, prepend=-1))
        top = float(colmax[col])
        if top <= 0:
            continue  # a column without a positive score bounds nothing (never pruned)
        best = np.maximum.reduceat(values, starts)
        q = np.minimum(np.ceil(best * (255.0 / top)), 255.0)
        low = q * (top / 255.0) < best  # rounding: push up
        q[low] = np.minimum(q[low] + 1, 255.0)
        bounds[i, block[starts]] = q.astype(np.uint8)
    return BlockMax(shift=shift, cols=cols, bounds=bounds, ptr=ptr)
