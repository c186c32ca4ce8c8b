"""Batch jobs behind the CLI: ingest files into a store, build the sample corpus."""

from __future__ import annotations

import contextlib
import os
import signal
import time
import traceback
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from vanban.corpus.model import Document, RawDocument
from vanban.corpus.store import Store
from vanban.index.tokens import tokenize_many
from vanban.ingest.pipeline import build_document, file_hash, raw_hash, read_documents, with_doc_id
from vanban.ingest.read.readers import SUPPORTED, Limits, ReadError, read_path

if TYPE_CHECKING:
    from vanban.search.cluster import Cluster

JSONL_BATCH = 256
NO_FILES = "no supported files"


@dataclass
class IngestSummary:
    files: int = 0
    documents: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    moved: int = 0
    pages: int = 0
    ocr_pages: int = 0
    references: int = 0
    dates: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class FileResult:
    path: str
    docs: tuple[tuple[Document, tuple[str, ...], str], ...] = ()
    error: str | None = None
    skipped: bool = False


@dataclass
class Refresher:
    """Rebuilds the index during a long ingest, so that search follows it: after
    ``documents`` new documents, or ``seconds`` after the last build when any is new — but
    never sooner than ``spacing`` times the last build's duration after it, so that
    rebuilding (which grows with the corpus) takes at most about 1 / (1 + spacing) of
    the batch's time."""

    build: Callable[[], object]
    documents: int = 1000
    seconds: float = 60.0
    spacing: float = 3.0
    builds: int = 0
    _done: int = 0            # changed documents when the index was last built
    _last: float = field(default_factory=time.perf_counter)
    _took: float = 0.0

    def after(self, changed: int) -> None:
        """Called after each stored file with the documents added or replaced so far."""
        new = changed - self._done
        since = time.perf_counter() - self._last
        if new <= 0 or since < self.spacing * self._took:
            return
        if new >= self.documents or since >= self.seconds:
            started = time.perf_counter()
            self.build()
            self.builds += 1
            self._done, self._last = changed, time.perf_counter()
            self._took = self._last - started


def collect_files(paths: Iterable[str]) -> Iterator[tuple[Path, str | None]]:
    """Files to ingest (folders recursively, supported types only), or (path, error)."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = False
            for sub in sorted(p.rglob("*")):
                if sub.is_file() and sub.suffix.lower() in SUPPORTED:
                    found = True
                    yield sub, None
            if not found:
                yield p, NO_FILES
        elif p.exists() or p.is_symlink():
            if p.suffix.lower() not in SUPPORTED:
                yield p, (f"unsupported file type '{p.suffix or p.name}' "
                          f"(supported: {', '.join(SUPPORTED)})")
            else:
                yield p, None
        else:
            yield p, "no such file or directory"


def _prepare(doc: Document) -> tuple[Document, tuple[str, ...], str]:
    """A document with the stored tokens of its passages and title."""
    tokens = tokenize_many([*(p.text for p in doc.passages), doc.title or ""])
    return doc, tuple(tokens[:-1]), tokens[-1]


def process_file(path: str, limits: Limits, debug: bool = False) -> FileResult:
    """Read, extract and tokenize one file (runs in a worker process)."""
    try:
        return FileResult(path, tuple(_prepare(d) for d in read_documents(Path(path), limits)))
    except ReadError as exc:
        return FileResult(path, error=str(exc))
    except MemoryError:
        return FileResult(path, error="out of memory while reading (file too large?)")
    except Exception as exc:  # a reader bug must not stop the batch
        detail = traceback.format_exc() if debug else f"{type(exc).__name__}: {exc}"
        return FileResult(path, error=f"unexpected error ({detail})")


def process_raws(path: str, raws: list[tuple[RawDocument, str]],
                 debug: bool = False) -> FileResult:
    """Build and tokenize documents already read (a batch of .jsonl lines)."""
    try:
        return FileResult(path, tuple(_prepare(build_document(r, h)) for r, h in raws))
    except Exception as exc:  # a bug must not stop the batch
        detail = traceback.format_exc() if debug else f"{type(exc).__name__}: {exc}"
        return FileResult(path, error=f"unexpected error ({detail})")


def ingest_paths(store: Store, paths: Iterable[str], *, limits: Limits | None = None,
                 workers: int | None = None, debug: bool = False,
                 on_error: Callable[[str, str], None] | None = None,
                 on_file: Callable[[FileResult], None] | None = None,
                 on_warning: Callable[[str, str], None] | None = None,
                 refresh: Refresher | None = None,
                 cluster: Cluster | None = None) -> IngestSummary:
    """Ingest files into ``store``; each bad file is reported and the batch goes on.  A file
    whose content is stored under another path that no longer holds it (moved, renamed) is
    not read again: the stored source follows it.  ``refresh`` rebuilds the index as it
    goes.  With ``cluster``, its Dask workers do the reading; this process still writes."""
    limits = limits or Limits()
    workers = workers or default_workers()
    if workers > 1 and limits.ocr_workers == 0:  # files in parallel: fewer OCR threads each
        limits = replace(limits, ocr_workers=max(1, (os.cpu_count() or 1) // workers))
    summary = IngestSummary()
    started = time.perf_counter()
    todo: list[str] = []
    for path, error in collect_files(paths):
        if error == NO_FILES:  # a folder with nothing to read: warned, not a failed file
            summary.warnings.append((str(path), error))
            if on_warning:
                on_warning(str(path), error)
            continue
        summary.files += 1
        if error:
            _fail(summary, str(path), error, on_error)
        elif path.suffix.lower() != ".jsonl" and (known := _known(store, path)):
            summary.unchanged += 1
            summary.moved += known == "moved"
            if on_file:
                on_file(FileResult(str(path), skipped=True))
        else:
            todo.append(str(path))
    results = (_run(store, todo, limits, workers, debug, summary) if cluster is None
               else cluster.results(_tasks(store, todo, limits, summary), limits, debug))
    for result in results:
        if result.error:
            _fail(summary, result.path, result.error, on_error)
        else:
            _store(store, result, summary)
        if on_file:
            on_file(result)
        if refresh:
            refresh.after(summary.added + summary.replaced)
    summary.seconds = time.perf_counter() - started
    return summary


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _known(store: Store, path: Path) -> str | None:
    """"unchanged" if the store holds this file's content, "moved" if it held it under a
    path that no longer has it (the stored source is updated), else None."""
    try:
        digest = file_hash(path)
    except OSError:
        return None  # the reader reports why
    doc_id = store.has_hash(digest)
    if doc_id is None:
        return None
    old = store.source_of(doc_id)
    if old is None or old == str(path) or _holds(Path(old), digest):
        return "unchanged"
    store.move(doc_id, str(path))  # what that path held before is superseded
    return "moved"


def _holds(path: Path, digest: str) -> bool:
    try:
        return file_hash(path) == digest
    except OSError:
        return False


def source_file(source: str) -> Path:
    """The file a stored source names (a .jsonl line's source is ``file.jsonl#id``)."""
    base, sep, _ = source.rpartition("#")
    return Path(base if sep and base.lower().endswith(".jsonl") else source)


def prune_missing(store: Store, folders: Iterable[str]) -> list[str]:
    """Remove the documents whose source file, under one of ``folders`` (existing
    directories; other paths prune nothing), is gone.  Their doc ids."""
    roots = [Path(f).resolve() for f in folders if Path(f).is_dir()]
    removed: list[str] = []
    for doc_id, source, _ in store.sources():
        file = source_file(source)
        if file.exists() or not any(file.resolve().is_relative_to(r) for r in roots):
            continue
        if store.remove(doc_id):
            removed.append(doc_id)
    return removed


Task = tuple[str, list[tuple[RawDocument, str]] | None]


def _tasks(store: Store, todo: list[str], limits: Limits,
           summary: IngestSummary) -> Iterator[Task | FileResult]:
    """Whole files go to workers as they are; .jsonl files are read here (cheap) and their
    new or changed lines sent in batches, so one big .jsonl uses every core."""
    for path in todo:
        if not path.lower().endswith(".jsonl"):
            yield path, None
            continue
        batch: list[tuple[RawDocument, str]] = []
        try:
            for raw in read_path(Path(path), limits):
                digest = raw_hash(raw)
                if store.has_hash(digest) is None:
                    batch.append((raw, digest))
                else:
                    summary.documents += 1
                    summary.unchanged += 1
                if len(batch) >= JSONL_BATCH:
                    yield path, batch
                    batch = []
        except ReadError as exc:
            yield path, batch
            yield FileResult(path, error=str(exc))
            continue
        yield path, batch


def _run(store: Store, todo: list[str], limits: Limits, workers: int, debug: bool,
         summary: IngestSummary) -> Iterator[FileResult]:
    if workers <= 1:
        for task in _tasks(store, todo, limits, summary):
            yield task if isinstance(task, FileResult) else _call(task, limits, debug)
        return
    pool = ProcessPoolExecutor(workers)
    pending: dict[Future[FileResult], Task] = {}
    try:
        for task in _tasks(store, todo, limits, summary):
            if isinstance(task, FileResult):
                yield task
                continue
            pending[_submit(pool, task, limits, debug)] = task
            while len(pending) >= workers * 2:
                pool = yield from _collect(pool, pending, workers, limits, debug)
        while pending:
            pool = yield from _collect(pool, pending, workers, limits, debug)
    finally:
        pool.shutdown(cancel_futures=True)


def _submit(pool: ProcessPoolExecutor, task: Task, limits: Limits,
            debug: bool) -> Future[FileResult]:
    """The task's future; failed already when a worker died since the last look."""
    try:
        return pool.submit(_call, task, limits, debug)
    except BrokenProcessPool as exc:
        future: Future[FileResult] = Future()
        future.set_exception(exc)
        return future


def _call(task: Task, limits: Limits, debug: bool) -> FileResult:
    path, raws = task
    return process_file(path, limits, debug) if raws is None else process_raws(path, raws, debug)


def _collect(pool: ProcessPoolExecutor, pending: dict[Future[FileResult], Task], workers: int,
             limits: Limits, debug: bool) -> Generator[FileResult, None, ProcessPoolExecutor]:
    """Yield the results that are done.  When a worker died (a segfault in a reader, an
    OOM kill, ``kill -9``) every task the pool still held is lost with it: each is run
    again alone in a process of its own, so the one that crashes is named and the others
    go on; then a new pool takes the rest of the batch."""
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    lost: list[Task] = []
    for future in done:
        task = pending.pop(future)
        try:
            yield future.result()
        except BrokenProcessPool:
            lost.append(task)
    if not lost:
        return pool
    lost += list(pending.values())   # the broken pool will not run them either
    pending.clear()
    pool.shutdown(wait=False, cancel_futures=True)
    tokenize_many(["văn bản"])   # load the models once here: the processes forked next share them
    for task in lost:
        yield _alone(task, limits, debug)
    return ProcessPoolExecutor(workers)


def _alone(task: Task, limits: Limits, debug: bool) -> FileResult:
    """Run one task in a process of its own; its death is that file's error."""
    import multiprocessing

    ctx = multiprocessing.get_context()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, task, limits, debug), daemon=True)
    proc.start()
    send.close()
    result: FileResult | None = None
    with contextlib.suppress(EOFError):   # EOF: the process died before it could answer
        result = receive.recv()
    proc.join()
    receive.close()
    if result is not None:
        return result
    return FileResult(task[0], error=f"the reader crashed ({_death(proc.exitcode)})")


def _child(send: Connection, task: Task, limits: Limits, debug: bool) -> None:
    send.send(_call(task, limits, debug))
    send.close()


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"the worker exited with code {exitcode}"


def _store(store: Store, result: FileResult, summary: IngestSummary) -> None:
    for doc, tokens, title_tokens in result.docs:
        doc = with_doc_id(doc, store.unique_doc_id(doc.doc_id, doc.source))
        outcome = store.put(doc, tokens, title_tokens)
        summary.documents += 1
        setattr(summary, outcome.action, getattr(summary, outcome.action) + 1)
        if outcome.action == "unchanged":
            continue
        summary.pages += max(1, len(doc.page_starts))
        summary.ocr_pages += len(doc.ocr_pages)
        summary.references += len(doc.references)
        summary.dates += len(doc.dates)


def _fail(summary: IngestSummary, path: str, why: str,
          on_error: Callable[[str, str], None] | None) -> None:
    summary.failures.append((path, why))
    if on_error:
        on_error(path, why)


def summary_line(s: IngestSummary) -> str:
    moved = f" ({s.moved} moved or renamed)" if s.moved else ""
    return (f"{s.files} files: {s.added} documents added, {s.replaced} replaced, "
            f"{s.unchanged} unchanged{moved}; {s.pages} pages ({s.ocr_pages} OCR), {s.references} "
            f"references, {s.dates} dates; {len(s.failures)} failed; {s.seconds:.1f} s")

