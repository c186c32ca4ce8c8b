"""Asking the kernel for the pages of memory-mapped arrays before they are read.

A query reads a few ranges of large memory-mapped files (posting lists, vocabulary
tables).  When they are not in the page cache, each first touch is a page fault that
waits for one read, the next fault for the next: on a disk with a long latency the
faults add up.  ``will_need`` tells the kernel every range at once
(``madvise(MADV_WILLNEED)``), so that the reads go out together and the scoring that
follows finds the pages there.  Arrays not backed by a file are left alone."""

from __future__ import annotations

import mmap
from typing import Any

import numpy as np

_PAGE = mmap.PAGESIZE
_WILLNEED = getattr(mmap, "MADV_WILLNEED", None)


def _mapping(array: np.ndarray[Any, Any]) -> tuple[mmap.mmap, int] | None:
    """The mmap an array's memory lies in, and the mmap's start address."""
    base: object = array
    while base is not None:
        if isinstance(base, mmap.mmap):
            start = np.frombuffer(base, dtype=np.uint8).__array_interface__["data"][0]
            return base, int(start)
        # an array's base, or the object a memoryview (``np.frombuffer``) looks into
        base = base.obj if isinstance(base, memoryview) else getattr(base, "base", None)
    return None


def will_need(*arrays: np.ndarray[Any, Any]) -> None:
    """Start reading the file pages under ``arrays`` (views of memory-mapped files)."""
    if _WILLNEED is None:
        return
    for array in arrays:
        if not array.nbytes:
            continue
        found = _mapping(array)
        if found is None:
            continue
        mapped, start = found
        offset = int(array.__array_interface__["data"][0]) - start
        aligned = offset - offset % _PAGE
        try:
            mapped.madvise(_WILLNEED, aligned, offset - aligned + array.nbytes)
        except (OSError, ValueError):   # advice only: reading works without it
            return

