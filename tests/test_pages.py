"""Reading ahead: the file pages under a view of a memory-mapped array."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from vanban.index.pages import _mapping, will_need


def test_a_view_is_found_in_its_file(tmp_path: Path) -> None:
    path = tmp_path / "a.npy"
    np.save(path, np.arange(100_000, dtype=np.int32))
    loaded = np.asarray(np.load(path, mmap_mode="r"))
    view = loaded[70_001:70_500]
    found = _mapping(view)
    assert found is not None
    mapped, start = found
    offset = int(view.__array_interface__["data"][0]) - start
    # the bytes the advice names are the view's own bytes, in the file
    assert mapped[offset:offset + view.nbytes] == view.tobytes()
    will_need(view, loaded[:0], loaded)


def test_arrays_in_memory_are_left_alone() -> None:
    assert _mapping(np.zeros(10)) is None
    will_need(np.zeros(10), np.arange(3)[1:])


def test_the_allocator_keeps_freed_memory_on_glibc() -> None:
    import platform

    from vanban.index.memory import keep_freed_memory

    assert keep_freed_memory() is (platform.libc_ver()[0] == "glibc")


def test_index_arrays_load_as_saved(tmp_path: Path) -> None:
    """``.npy`` files read without ``np.load`` give back what was saved, memory-mapped;
    a header they do not read (Fortran order) still loads, through ``np.load``."""
    from vanban.index.files import _array

    arrays: list[np.ndarray[Any, Any]] = [
              np.arange(10, dtype=np.int32), np.arange(12, dtype=np.uint8).reshape(3, 4),
              np.zeros(0, dtype=np.float64), np.arange(5, dtype=np.uint64) << np.uint64(60),
              np.zeros((0, 3)), np.array(3.5), np.asfortranarray(np.ones((2, 3))),
              np.linspace(0, 1, 1000)]
    for i, a in enumerate(arrays):
        np.save(tmp_path / f"{i}.npy", a, allow_pickle=False)
        got = _array(tmp_path / f"{i}.npy")
        assert got.dtype == a.dtype and got.shape == a.shape and np.array_equal(got, a)
        assert not got.flags.writeable
        if a.size and a.flags.c_contiguous and a.ndim:
            assert _mapping(got) is not None
