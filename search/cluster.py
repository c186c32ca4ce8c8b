"""Ingest on a Dask cluster: the workers read, extract, cut and segment; this process (the
client) stays the only writer of the store.

``connect("tcp://HOST:8786")`` joins a running scheduler, ``connect("local:N")`` starts a
``LocalCluster`` of N single-threaded worker processes on 127.0.0.1.  ``Cluster.results``
turns the ingest tasks (whole files, or chunks of .jsonl lines) into many small Dask tasks
and yields their ``FileResult`` as they complete.

Files are read where they are when the worker sees the same file (same path, size and
modification time, checked by the worker for every task); otherwise the worker answers that
it cannot see it and the client sends the file's bytes instead.
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from collections.abc import Iterator
from concurrent.futures import CancelledError
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from vanban.corpus.model import RawDocument
from vanban.index.tokens import tokenize_many
from vanban.ingest.read.readers import Limits
from vanban.search.jobs import FileResult, process_file, process_raws

EXTRA = 'pip install "vanban[dask]"'
CONNECT_SECONDS = 5.0
RETRIES = 1  # a task that raises runs twice before its file is reported as failed


class ClusterError(Exception):
    """The cluster cannot be used (or was lost); the message says why."""


@dataclass(frozen=True)
class _Task:
    path: str
    raws: list[tuple[RawDocument, str]] | None  # None: the whole file


def connect(spec: str, *, debug: bool = False, send_bytes: bool = False) -> Cluster:
    """A client of the scheduler at ``spec`` (``tcp://HOST:PORT``) or of a new local cluster
    (``local:N``); raises ``ClusterError`` before any work is sent.  ``send_bytes`` sends
    every file's bytes without asking the worker first."""
    try:
        import dask
        import distributed as dd
    except ImportError:
        raise ClusterError(f"--cluster needs Dask: {EXTRA}") from None
    distributed: Any = dd
    _quiet_logs(debug)
    settings = {"distributed.comm.timeouts.connect": f"{CONNECT_SECONDS:g}s",
                "distributed.scheduler.allowed-failures": RETRIES,
                # local workers are forked from this process, the segmenter already loaded
                "distributed.worker.multiprocessing-method": "fork"}
    with dask.config.set(settings):
        if spec.startswith("local:"):
            return _local(spec, distributed, send_bytes)
        return _remote(spec, distributed, send_bytes)


def _remote(spec: str, distributed: Any, send_bytes: bool) -> Cluster:
    if "://" not in spec:
        raise ClusterError(f"--cluster {spec!r}: expected tcp://HOST:PORT or local:N")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            client = distributed.Client(spec, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, ValueError, TypeError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {spec}: "
                               f"{_one_line(exc)}") from None
    cluster = Cluster(client, None, spec, send_bytes)
    cluster.check(caught)
    return cluster


def _local(spec: str, distributed: Any, send_bytes: bool) -> Cluster:
    try:
        n = int(spec.removeprefix("local:"))
        if not 1 <= n <= 64:
            raise ValueError
    except ValueError:
        raise ClusterError(f"--cluster {spec!r}: expected local:N with N from 1 to 64") from None
    tokenize_many(["."])  # load the segmenter's model once, before the workers fork
    local = distributed.LocalCluster(
        n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=logging.ERROR,
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})
    client = distributed.Client(local, set_as_default=False)
    return Cluster(client, local, spec, send_bytes)


class Cluster:
    """A connected client (and the local cluster it started, if any)."""

    def __init__(self, client: Any, local: Any, spec: str, send_bytes: bool = False) -> None:
        self.client, self.local, self.spec = client, local, spec
        self.send_bytes = send_bytes

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.client.close(timeout=CONNECT_SECONDS)
            if self.local is not None:
                self.local.close(timeout=CONNECT_SECONDS)
        except Exception:  # a lost scheduler: nothing left to close
            pass

    def check(self, caught: list[warnings.WarningMessage] | None = None) -> None:
        """Workers present and versions matching (Dask's message, on one line)."""
        from distributed.versions import VersionMismatchWarning

        mismatch = [w for w in caught or () if isinstance(w.message, VersionMismatchWarning)]
        if mismatch:
            self.close()
            raise ClusterError(f"the Dask cluster at {self.spec}: "
                               f"{_one_line(mismatch[0].message)}")
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_SECONDS * 2)
        except Exception:
            self.close()
            raise ClusterError(f"the Dask scheduler at {self.spec} has no workers — start "
                               f"some with `dask worker {self.spec}`") from None

    def threads(self) -> int:
        return max(1, int(sum(self.client.nthreads().values())))

    def results(self, tasks: Iterator[tuple[str, list[tuple[RawDocument, str]] | None]
                                      | FileResult],
                limits: Limits, debug: bool = False) -> Iterator[FileResult]:
        """Each task's ``FileResult`` as its Dask task completes (a bounded number in flight,
        so a big corpus never sits in memory at once)."""
        try:
            yield from self._results(tasks, limits, debug)
        except (OSError, CancelledError) as exc:  # CommClosedError is an OSError
            raise ClusterError(self._lost(exc)) from None

    def _results(self, tasks: Iterator[tuple[str, list[tuple[RawDocument, str]] | None]
                                       | FileResult],
                 limits: Limits, debug: bool) -> Iterator[FileResult]:
        from distributed import as_completed

        window = max(8, 3 * self.threads())
        running: Any = as_completed(loop=self.client.loop)  # type: ignore[no-untyped-call]
        owner: dict[Any, _Task] = {}
        for item in tasks:
            if isinstance(item, FileResult):
                yield item
                continue
            task = _Task(*item)
            running.add(self._submit(task, limits, debug, self.send_bytes, owner))
            if running.count() >= window:
                yield from self._collect(running, owner, limits, debug, window)
        yield from self._collect(running, owner, limits, debug, 0)

    def _lost(self, exc: BaseException | None = None) -> str:
        why = f" ({_one_line(exc)})" if exc is not None and str(exc) else ""
        return (f"lost the Dask scheduler at {self.spec}{why} — the documents stored so far "
                "are kept; run the same command again to resume")

    def _submit(self, task: _Task, limits: Limits, debug: bool, send_bytes: bool,
                owner: dict[Any, _Task]) -> Any:
        submit = self.client.submit
        if task.raws is not None:
            fut = submit(process_raws, task.path, task.raws, debug, retries=RETRIES, pure=False)
        elif send_bytes:
            fut = submit(process_bytes, task.path, _read(task.path, limits), limits, debug,
                         retries=RETRIES, pure=False)
        else:
            fut = submit(process_here, task.path, os.path.abspath(task.path), _stat(task.path),
                         limits, debug, retries=RETRIES, pure=False)
        owner[fut.key] = task
        return fut

    def _collect(self, running: Any, owner: dict[Any, _Task], limits: Limits, debug: bool,
                 window: int) -> Iterator[FileResult]:
        """Results as they complete, until fewer than ``window`` tasks are in flight."""
        for fut in running:
            task = owner.pop(fut.key)
            result = self._outcome(fut, task)
            if result is None:  # the worker cannot see the file: send its bytes
                running.add(self._submit(task, limits, debug, True, owner))
            else:
                yield result
            if running.count() < window:
                return

    def _outcome(self, fut: Any, task: _Task) -> FileResult | None:
        if fut.status == "finished":
            result: FileResult | None = fut.result()
            return result
        if fut.status == "cancelled":
            raise ClusterError(self._lost())
        from distributed import KilledWorker

        exc = fut.exception()
        if isinstance(exc, KilledWorker):  # the worker died on it, every time
            return FileResult(task.path, error="the reader crashed (the Dask workers running it "
                                               f"died {RETRIES + 1} times)")
        return FileResult(task.path, error=f"failed on the cluster ({_one_line(exc)})")


def process_here(path: str, where: str, stat: tuple[int, int] | None, limits: Limits,
                 debug: bool = False) -> FileResult | None:
    """``process_file`` of ``path`` (absolute: ``where``) on a worker that sees the same file
    there; None if it does not."""
    if stat is None or _stat(where) != stat:
        return None
    return _labelled(process_file(where, limits, debug), where, path)


def process_bytes(path: str, data: bytes | FileResult, limits: Limits,
                  debug: bool = False) -> FileResult:
    """``process_file`` on a file's bytes: written under its own name to a private folder
    (the PDF and Word readers run converters on a path), read, and labelled with ``path``."""
    if isinstance(data, FileResult):  # the client could not read it either
        return data
    with tempfile.TemporaryDirectory(prefix="vanban-") as tmp:
        local = Path(tmp) / Path(path).name
        local.write_bytes(data)
        return _labelled(process_file(str(local), limits, debug), str(local), path)


def _labelled(result: FileResult, read: str, path: str) -> FileResult:
    """The result of reading the file at ``read`` as if read at ``path`` (as given)."""
    if read == path:
        return result
    docs = tuple((replace(d, source=path) if d.source == read else d, t, tt)
                 for d, t, tt in result.docs)
    return replace(result, path=path, docs=docs)


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _read(path: str, limits: Limits) -> bytes | FileResult:
    """The bytes to send; never more than the size limit (the reader then says so)."""
    try:
        size = os.path.getsize(path)
        if size > limits.max_bytes:
            return FileResult(path, error=f"file is {size / 2**20:.3g} MB, over the "
                              f"{limits.max_bytes / 2**20:.3g} MB limit (raise it with --max-mb)")
        with open(path, "rb") as fh:
            return fh.read(limits.max_bytes + 1)
    except OSError as exc:
        return FileResult(path, error=exc.strerror or str(exc))


def _one_line(exc: object) -> str:
    """A message on one line; named by its type unless it is a connection error's own."""
    text = " ".join(str(exc).split())
    if isinstance(exc, OSError | Warning):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _OneLine(logging.Formatter):
    """Dask's own errors, one line each, without the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        return f"dask: {' '.join(record.getMessage().split())}"


def _quiet_logs(debug: bool) -> None:
    if debug:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLine())
    handler.addFilter(lambda record: bool(record.getMessage().strip()))
    for name in list(logging.root.manager.loggerDict):  # Dask's config gives some their own
        if name.startswith("distributed."):
            sub = logging.getLogger(name)
            sub.handlers, sub.propagate = [], True
    for name in ("distributed", "tornado", "asyncio"):
        log = logging.getLogger(name)
        log.handlers = [handler]
        log.setLevel(logging.CRITICAL if name != "distributed" else logging.ERROR)
        log.propagate = False
