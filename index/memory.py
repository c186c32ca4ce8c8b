"""The C allocator, tuned for a stream of queries (no numpy here: the command line loads
this before it knows whether it will search)."""

from __future__ import annotations

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3   # glibc's mallopt parameters
MMAP_THRESHOLD = 32 << 20   # arrays below this come from the heap, not from fresh mappings
TRIM_THRESHOLD = 128 << 20  # free heap kept for the next query before it goes back


def keep_freed_memory() -> bool:
    """Have glibc's allocator reuse freed memory for the next large array, instead of
    handing every array of more than 128 KB back to the kernel: a query allocates score
    arrays of a few MB, and fresh mappings cost a page fault per 4 KB page on every query
    (a tenth of a query stream's time).  The process keeps up to ``TRIM_THRESHOLD`` of free
    heap.  False where the C library is not glibc (nothing changes)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                    and libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    except (OSError, AttributeError):
        return False
