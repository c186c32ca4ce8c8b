"""Reading an uploaded report off the request threads, and keeping its answer a while.

A report is read (OCR included) in a worker pool — processes by default, so a slow scan
or a long PDF never holds the server's threads or its interpreter lock — from a private
temporary folder that is removed as soon as the answer is in.  Answers are kept in memory
(the most recent ``kept_answers``) so the page can offer CSV, XLSX and JSON downloads of
exactly what it shows.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vanban.ingest.read.readers import Limits
from vanban.search.commands import UserError


@dataclass(frozen=True)
class Report:
    """One input document's `refs` object and the text its mention spans point into."""

    obj: dict[str, Any]
    text: str


@dataclass(frozen=True)
class Answer:
    """What one upload gave: its reports, or why it failed (``status`` an HTTP code)."""

    reports: tuple[Report, ...] = ()
    error: str | None = None
    status: int = 200
    ingested: bool = False
    key: str = ""


def read_report(path: str | None, text: str | None, name: str, db: str, limits: Limits,
                sort: str = "first", ingest: bool = False) -> Answer:
    """The refs of an uploaded file (``path``) or a typed ``text`` (runs in a worker)."""
    from vanban.corpus.store import Store, StoreError
    from vanban.search.refs import read_inputs, refs_for_document, typed_document

    try:
        docs = [typed_document(text, name)] if text is not None else \
            read_inputs(str(path), limits)
        try:
            store: Store | None = Store(Path(db))
        except StoreError:
            store = None
        try:
            reports = tuple(Report(refs_for_document(d, store, sort, source=name), d.text)
                            for d in docs)
        finally:
            if store is not None:
                store.close()
    except UserError as exc:
        return Answer(error=str(exc), status=422)
    except MemoryError:
        return Answer(error="out of memory while reading (file too large?)", status=422)
    except Exception as exc:  # a reader bug: said, and the server goes on
        return Answer(error=f"unexpected error ({type(exc).__name__}: {exc})", status=500)
    ingested = bool(ingest and path is not None and _ingest(path, db, limits))
    return Answer(reports=reports, ingested=ingested)


def _ingest(path: str, db: str, limits: Limits) -> bool:
    """Add the file to the corpus and rebuild the index (``--allow-ingest`` only)."""
    from vanban.corpus.store import Store
    from vanban.index.build import build_index
    from vanban.search.jobs import ingest_paths

    with Store(Path(db)) as store:
        summary = ingest_paths(store, [path], limits=limits, workers=1)
        if summary.failures:
            return False
        build_index(Path(db), store)
    return True


def _watch_parent(parent: int) -> None:
    """In a worker: exit when the server is gone (even killed), never linger; Ctrl-C (sent
    to the whole process group) is the server's to handle: it shuts the pool down."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="vanban-watch-parent").start()


def _warm() -> None:
    """Import the readers once in a fresh worker, so the first upload is not slower."""
    import vanban.ingest.read.pdf
    import vanban.ingest.read.word
    import vanban.search.refs  # noqa: F401


_KEY = re.compile(r"^[A-Za-z0-9_-]{16}$")


class ReportPool:
    """The workers reading uploads, and the recent answers: in memory, or as JSON files in
    ``folder`` when several server processes share them."""

    def __init__(self, workers: int, kept: int, folder: Path | None = None) -> None:
        self.workers = workers
        self.kept = kept
        self.folder = folder
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> Executor:
        if self.workers <= 0:
            return ThreadPoolExecutor(max_workers=2, thread_name_prefix="vanban-report")
        pool = ProcessPoolExecutor(max_workers=self.workers,
                                   mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_watch_parent, initargs=(os.getpid(),))
        pool.submit(_warm)
        return pool

    async def run(self, func: Callable[..., Answer], *args: Any) -> Answer:
        loop = asyncio.get_running_loop()
        try:
            answer = await loop.run_in_executor(self._pool, func, *args)
        except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
            self._pool = self._new_pool()
            return Answer(error="the worker reading the file stopped (out of memory?)",
                          status=500)
        return self.keep(answer) if answer.error is None else answer

    def keep(self, answer: Answer) -> Answer:
        key = secrets.token_urlsafe(12)
        kept = Answer(answer.reports, answer.error, answer.status, answer.ingested, key)
        if self.folder is not None:
            self._save(kept)
            return kept
        with self._lock:
            self._answers[key] = kept
            while len(self._answers) > self.kept:
                self._answers.popitem(last=False)
        return kept

    def get(self, key: str) -> Answer | None:
        if self.folder is not None:
            return self._load(key)
        with self._lock:
            return self._answers.get(key)

    def _save(self, answer: Answer) -> None:
        assert self.folder is not None
        data = {"reports": [{"obj": r.obj, "text": r.text} for r in answer.reports],
                "ingested": answer.ingested}
        tmp = self.folder / f".{answer.key}.tmp"
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.folder / f"{time.time_ns():020d}-{answer.key}.json")
        for old in sorted(self.folder.glob("*.json"))[:-self.kept]:  # oldest first
            old.unlink(missing_ok=True)

    def _load(self, key: str) -> Answer | None:
        assert self.folder is not None
        if not _KEY.match(key):  # a key names a file: only what keep() makes
            return None
        found = list(self.folder.glob(f"*-{key}.json"))
        try:
            data = json.loads(found[0].read_text(encoding="utf-8"))
        except (IndexError, OSError, ValueError):
            return None
        return Answer(tuple(Report(r["obj"], r["text"]) for r in data["reports"]),
                      ingested=bool(data["ingested"]), key=key)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class Upload:
    """A private temporary folder for one uploaded file, removed on exit."""

    def __init__(self, filename: str, suffix: str) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="vanban-upload-"))
        stem = re.sub(r"[^\w.-]+", "_", Path(filename.replace("\\", "/")).stem)[:80]
        self.path = self.folder / f"{stem.strip('._') or 'report'}{suffix}"

    def __enter__(self) -> Upload:
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
