"""Reading ahead: the file pages under a view of a memory-mapped array."""

from __future__ import annotations

from pathlib import Path

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
