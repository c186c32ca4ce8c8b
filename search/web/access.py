"""Reading the corpus from server threads while another process may be ingesting.

Each request opens its own read-only SQLite connection (the store is in WAL mode, so a
writer never blocks it) — searches use one kept per server thread, with that thread's
searcher and its caches; the memory-mapped index is shared by every thread and reloaded
when ``CURRENT`` names a new build.  While an ingest runs the index may lag behind the
store: searches keep answering from the last build, and the pages say it is being updated.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vanban.corpus.store import Store, StoreError
from vanban.index.files import (
    Freshness,
    IndexData,
    IndexError_,
    freshness,
    index_dir,
    load_index,
)
from vanban.search.commands import UserError
from vanban.search.engine import Searcher


class Unavailable(Exception):
    """The corpus or its index cannot be read right now (the message says why)."""


class CorpusAccess:
    """Stores and searchers over one corpus file, for many threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._index: tuple[str, IndexData] | None = None
        self._local = threading.local()

    def _open(self) -> Store:
        try:
            store = Store(self.path)
        except StoreError as exc:
            raise Unavailable(str(exc)) from None
        store.db.execute("PRAGMA query_only = ON")
        store.db.execute("PRAGMA busy_timeout = 5000")
        return store

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A read-only connection for one request."""
        store = self._open()
        try:
            yield store
        finally:
            store.close()

    def searcher(self) -> Searcher:
        """This thread's searcher over the current index build (its store read-only)."""
        index = self.index()
        searcher: Searcher | None = getattr(self._local, "searcher", None)
        if searcher is None or searcher.index is not index:
            if searcher is not None:
                searcher.store.close()
            searcher = Searcher(self.path, self._open(), index)
            self._local.searcher = searcher
        return searcher

    def index(self) -> IndexData:
        """The current index build (loaded once per build)."""
        try:
            name = (index_dir(self.path) / "CURRENT").read_text().strip()
        except OSError:
            name = ""
        with self._lock:
            if self._index is not None and self._index[0] == name:
                return self._index[1]
            try:
                data = load_index(self.path)
            except IndexError_ as exc:
                raise Unavailable(str(exc)) from None
            self._index = (name, data)
            return data

    def freshness(self, searcher: Searcher) -> Freshness:
        """How the searcher's index stands to the corpus now (documents added since)."""
        return freshness(self.path, searcher.store, searcher.index.meta)


def check_corpus(path: Path) -> None:
    """Fail early (``UserError``) when ``path`` is not a readable vanban corpus."""
    try:
        Store(path).close()
    except StoreError as exc:
        raise UserError(str(exc)) from None
