"""Ingest on a Dask cluster: a real `dask scheduler` and `dask worker` processes on 127.0.0.1
(and `local:2`), compared with a local ingest of the same files, store row by row."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from click.testing import CliRunner

from vanban.corpus.store import Store
from vanban.search import cluster as cl
from vanban.search.cli import cli
from vanban.search.jobs import FileResult, IngestSummary, ingest_paths

pytest.importorskip("distributed", reason="the Dask tests need vanban[dask]")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample"
FILES = [SAMPLE / n for n in (
    "bacgiang-nong-thon-moi-2019.txt", "bc-58-bdvtu-hatinh-2023.txt",
    "kh-287-ubnd-nghean-2021.pdf", "qd-2468-ubnd-quangninh-2020.docx",
    "kh-96-tu-laocai-2022.md", "qd-652-ubnd-phutho-2022.md", "cv-3105-ubnd-hue-2020.txt",
    "hatinh-dat-dai-2024.txt", "tb-215-ubnd-quangninh-2021.txt")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", *args], stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def _worker(address: str, log: Path) -> subprocess.Popen[bytes]:
    return _start(["distributed.cli.dask_worker", address, "--host", "127.0.0.1",
                   "--nthreads", "1", "--no-nanny", "--no-dashboard",
                   "--dashboard-address", "127.0.0.1:0", "--death-timeout", "60"], log)


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(2)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)


def _wait_workers(address: str, n: int) -> None:
    from distributed import Client

    with Client(address, timeout=30, set_as_default=False) as client:  # type: ignore[no-untyped-call]
        client.wait_for_workers(n, timeout=60)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    logs = tmp_path_factory.mktemp("dask")
    address = f"tcp://127.0.0.1:{_free_port()}"
    procs = [_start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                     address.rsplit(":", 1)[1], "--no-dashboard",
                     "--dashboard-address", "127.0.0.1:0"], logs / "scheduler.log")]
    try:
        procs += [_worker(address, logs / f"worker{i}.log") for i in range(2)]
        _wait_workers(address, 2)
        yield address
    finally:
        _stop(procs)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Sample files (text, Markdown, PDF, .docx), one bad file, a .jsonl of 300 lines
    (two chunks) cut from the sample texts."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "empty.txt").write_bytes(b"")
    lines = []
    for path in sorted(SAMPLE.glob("*.txt")):
        paras = (p for p in path.read_text("utf-8").split("\n") if len(p.strip()) >= 40)
        for i, para in enumerate(paras):
            lines.append(json.dumps({"id": f"{path.stem}-{i}", "text": para}, ensure_ascii=False))
    (folder / "paras.jsonl").write_text("\n".join(lines[:300]) + "\n", encoding="utf-8")
    return [*map(str, FILES), str(folder / "empty.txt"), str(folder / "paras.jsonl")]


def _dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a store holds, keyed by doc_id rather than rowid."""
    con = sqlite3.connect(db)
    q = {"documents": "SELECT doc_id, source, content_hash, title, date, url, symbol, type, "
                      "issuer, locality, identity_title, text, title_tokens, page_starts, "
                      "ocr_pages FROM documents",
         "passages": "SELECT d.doc_id, ordinal, page, start, p.\"end\", p.text, tokens "
                     "FROM passages p JOIN documents d ON d.rowid = p.doc_rowid",
         "refs": "SELECT d.doc_id, passage_ordinal, page, r.start, r.\"end\", surface, r.symbol, "
                 "name, r.type, number, year, r.issuer, r.locality, r.date, r.title, relation, "
                 "pinpoint, short_form, resolved FROM refs r JOIN documents d "
                 "ON d.rowid = r.doc_rowid",
         "dates": "SELECT d.doc_id, t.start, t.\"end\", surface, value, granularity "
                  "FROM dates t JOIN documents d ON d.rowid = t.doc_rowid"}
    out = {k: sorted(con.execute(v).fetchall(), key=repr) for k, v in q.items()}
    con.close()
    return out


def _ingest(db: Path, paths: list[str], cluster: cl.Cluster | None = None,
            **kw: Any) -> IngestSummary:
    with Store(db, create=True) as store:
        return ingest_paths(store, paths, workers=1, cluster=cluster, **kw)


@pytest.fixture(scope="module")
def local_store(tmp_path_factory: pytest.TempPathFactory, inputs: list[str]) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.db"
    summary = _ingest(db, inputs)
    assert [p for p, _ in summary.failures] == [inputs[-2]]
    return db


@pytest.mark.parametrize("send_bytes", [False, True], ids=["shared-files", "bytes"])
def test_same_store_as_local(scheduler: str, inputs: list[str], local_store: Path,
                             tmp_path: Path, send_bytes: bool) -> None:
    errors: list[tuple[str, str]] = []
    with cl.connect(scheduler, send_bytes=send_bytes) as cluster:
        summary = _ingest(tmp_path / "c.db", inputs, cluster,
                          on_error=lambda p, why: errors.append((p, why)))
    assert errors == [(inputs[-2], "empty file")]
    assert summary.added == 9 + 300
    want, got = _dump(local_store), _dump(tmp_path / "c.db")
    assert len(got["passages"]) > 300 and len(got["refs"]) > 20 and len(got["dates"]) > 20
    assert got == want
    with cl.connect(scheduler) as cluster:  # a re-run: everything unchanged
        again = _ingest(tmp_path / "c.db", inputs, cluster)
    assert (again.added, again.unchanged) == (0, 309)


def test_local_cluster_cli(inputs: list[str], local_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    res = CliRunner().invoke(cli, ["ingest", *inputs, "--db", str(db), "--no-index",
                                   "--cluster", "local:2"])
    assert res.exit_code == 1, res.output  # the empty file
    assert f"Error: {inputs[-2]}: empty file" in res.output
    assert "309 documents added" in res.output
    assert "Traceback" not in res.output and "dask:" not in res.output
    assert _dump(db) == _dump(local_store)


def test_worker_killed_mid_run(scheduler: str, inputs: list[str], local_store: Path,
                               tmp_path: Path) -> None:
    extra = _worker(scheduler, tmp_path / "extra.log")
    try:
        _wait_workers(scheduler, 3)
        killed: list[int] = []  # how many tasks the worker was running when killed

        def kill_once(result: FileResult) -> None:
            if killed:
                return
            pid = cluster.client.run(os.getpid)
            address = next(a for a, p in pid.items() if p == extra.pid)
            for _ in range(100):  # until it holds a task (a file or a .jsonl chunk)
                running = len(cluster.client.processing([address])[address])
                if running:
                    break
                time.sleep(0.02)
            os.kill(extra.pid, signal.SIGKILL)
            killed.append(running)

        with cl.connect(scheduler) as cluster:
            summary = _ingest(tmp_path / "k.db", inputs, cluster, on_file=kill_once)
        assert killed[0] > 0 and extra.wait(5) == -signal.SIGKILL
        assert [p for p, _ in summary.failures] == [inputs[-2]]
        assert _dump(tmp_path / "k.db") == _dump(local_store)
    finally:
        _stop([extra])


def test_unreachable_scheduler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cl, "CONNECT_SECONDS", 1.0)
    address = f"tcp://127.0.0.1:{_free_port()}"
    started = time.perf_counter()
    res = CliRunner().invoke(cli, ["ingest", str(FILES[0]), "--db", str(tmp_path / "u.db"),
                                   "--cluster", address])
    assert res.exit_code == 1
    assert res.output.startswith(f"Error: cannot reach the Dask scheduler at {address}: ")
    assert len(res.output.strip().splitlines()) == 1
    assert not (tmp_path / "u.db").exists()  # before any work
    assert time.perf_counter() - started < 15


def test_cluster_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cl, "CONNECT_SECONDS", 1.0)
    monkeypatch.setenv("VANBAN_CLUSTER", "nowhere:8786")
    res = CliRunner().invoke(cli, ["ingest", str(FILES[0]), "--db", str(tmp_path / "e.db")])
    assert res.exit_code == 1
    assert "expected tcp://HOST:PORT or local:N" in res.output


def test_without_dask_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    res = CliRunner().invoke(cli, ["ingest", str(FILES[0]), "--db", str(tmp_path / "x.db"),
                                   "--cluster", "local:2"])
    assert res.exit_code == 1
    assert res.output.strip() == 'Error: --cluster needs Dask: pip install "vanban[dask]"'


class _FakeClient:
    def close(self, timeout: float) -> None:
        pass

    def wait_for_workers(self, n: int, timeout: float) -> None:
        pass


def test_version_mismatch_is_one_line() -> None:
    from distributed.versions import VersionMismatchWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn(VersionMismatchWarning(
            "Mismatched versions found\n\n+---------+--------+\n| Package | Client |\n"
            "| dask    | 2024.1 |\n"), stacklevel=1)
    cluster = cl.Cluster(_FakeClient(), None, "tcp://127.0.0.1:1")
    with pytest.raises(cl.ClusterError) as err:
        cluster.check(caught)
    assert "\n" not in str(err.value)
    assert str(err.value).startswith("the Dask cluster at tcp://127.0.0.1:1: "
                                     "Mismatched versions found")


class _FailedFuture:
    status = "error"
    key = "k"

    def exception(self) -> BaseException:
        return RuntimeError("Attempted to run task on 2 different workers,\nall died")


def test_a_task_that_failed_twice_is_one_error_line() -> None:
    from distributed import KilledWorker

    cluster = cl.Cluster(_FakeClient(), None, "local:2")
    result = cluster._outcome(_FailedFuture(), cl._Task("a.pdf", None))
    assert result == FileResult("a.pdf", error="failed on the cluster (RuntimeError: "
                                "Attempted to run task on 2 different workers, all died)")
    killer = _FailedFuture()
    died = KilledWorker("k", cast(Any, "tcp://127.0.0.1:1"), 1)
    killer.exception = lambda: died  # type: ignore[method-assign]
    assert cluster._outcome(killer, cl._Task("b.pdf", None)) == FileResult(
        "b.pdf", error="the reader crashed (the Dask workers running it died 2 times)")


def test_scheduler_lost_keeps_what_was_stored(inputs: list[str], local_store: Path,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cl, "CONNECT_SECONDS", 1.0)
    address = f"tcp://127.0.0.1:{_free_port()}"
    sched = _start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                    address.rsplit(":", 1)[1], "--no-dashboard",
                    "--dashboard-address", "127.0.0.1:0"], tmp_path / "s.log")
    worker = _worker(address, tmp_path / "w.log")
    try:
        _wait_workers(address, 1)
        seen: list[FileResult] = []

        def kill_scheduler(result: FileResult) -> None:
            seen.append(result)
            if len(seen) == 2:
                os.kill(sched.pid, signal.SIGKILL)

        lost = r"lost the Dask scheduler at .* run the same command again to resume"
        with pytest.raises(cl.ClusterError, match=lost), cl.connect(address) as cluster:
            _ingest(tmp_path / "s.db", inputs, cluster, on_file=kill_scheduler)
        with Store(tmp_path / "s.db") as store:
            kept = store.counts()["documents"]
        assert kept == sum(len(r.docs) for r in seen) > 0
        rerun = _ingest(tmp_path / "s.db", inputs)  # resumes where the lost run stopped
        assert (rerun.unchanged, rerun.added) == (kept, 309 - kept)
        assert _dump(tmp_path / "s.db") == _dump(local_store)
    finally:
        _stop([worker, sched])


def test_a_relative_path_is_read_where_the_client_means(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's working folder is not the client's: it reads the absolute path, and the
    documents keep the path as given (as in a local ingest)."""
    from vanban.ingest.read.readers import Limits
    from vanban.search.jobs import process_file

    monkeypatch.chdir(SAMPLE.parent)
    rel = f"{SAMPLE.name}/{FILES[0].name}"
    stat = cl._stat(rel)
    monkeypatch.chdir("/")
    assert cl.process_here(rel, str(FILES[0]), (1, 1), Limits()) is None  # another file there
    result = cl.process_here(rel, str(FILES[0]), stat, Limits())
    monkeypatch.chdir(SAMPLE.parent)
    assert result == process_file(rel, Limits())
