"""Never wrong, never down: search during an ingest, an index built from one snapshot,
crashed readers, tiny corpora, BM25 parameters that persist, durable index writes."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vanban.corpus.model import Directive, Document, DocumentIdentity, Passage, Reference
from vanban.corpus.store import Store
from vanban.index import files
from vanban.index.build import build_index
from vanban.index.files import index_dir, read_meta
from vanban.ingest.pipeline import read_documents
from vanban.search import jobs
from vanban.search.cli import cli
from vanban.search.engine import Searcher

TEXTS = [
    "Ban Dân vận Thành ủy phát động phong trào thi đua Dân vận khéo trong toàn thể cán bộ.",
    "Ủy ban nhân dân tỉnh triển khai cải cách hành chính theo cơ chế một cửa liên thông.",
    "Thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013 về công tác dân vận ở cơ sở.",
    "Kế hoạch phát triển du lịch cộng đồng gắn với bảo tồn di sản văn hóa dân tộc.",
    "Hội nghị tổng kết công tác chuyển đổi số cấp xã năm 2023, phương hướng năm 2024.",
    "Tăng cường công tác hòa giải ở cơ sở, giữ gìn an ninh trật tự trên địa bàn.",
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _folder(tmp_path: Path, texts: list[str], name: str = "docs") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for i, text in enumerate(texts):
        (folder / f"vb-{name}-{i}.txt").write_text(text, encoding="utf-8")
    return folder


def _doc(doc_id: str, source: str, digest: str, text: str = TEXTS[2]) -> Document:
    refs: tuple[Reference, ...] = ()
    if "25-NQ/TW" in text:
        start, end = text.index("Nghị quyết"), text.index("TW") + 2
        refs = (Reference(start, end, text[start:end], Directive(symbol="25-NQ/TW"),
                          relation=""),)
    return Document(doc_id=doc_id, source=source, content_hash=digest, text=text,
                    identity=DocumentIdentity(), title="T",
                    passages=(Passage(doc_id, 0, 0, len(text), text, None),),
                    references=refs)


# -- 1. search during an ingest, refreshed as it goes -----------------------------------
def test_search_answers_during_an_ingest_and_the_index_follows(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert run("ingest", str(_folder(tmp_path, TEXTS[:1], "first")), "--db", str(db))[0] == 0
    answers: list[int] = []
    store = Store(db)

    def search_now(result: jobs.FileResult) -> None:  # another reader, mid-batch
        with Store(db) as reader:
            answers.append(len(Searcher(db, reader).search("công tác", k=20)))

    refresher = jobs.Refresher(lambda: build_index(db, store), documents=2, seconds=1e9,
                               spacing=0)
    summary = jobs.ingest_paths(store, [str(_folder(tmp_path, TEXTS[1:]))], workers=1,
                                on_file=search_now, refresh=refresher)
    assert summary.added == 5 and len(answers) == 5
    assert refresher.builds == 2          # after the 2nd and the 4th new document
    assert answers[-1] >= 2               # the refreshed index already holds them
    from vanban.index.files import freshness

    fresh = freshness(db, store)
    assert fresh.state == "stale" and fresh.added == 1
    assert fresh.note() == "1 document added since the index was built"
    build_index(db, store)
    assert freshness(db, store).state == "current"
    store.close()


# -- 2. one snapshot, stamped with the generation it read --------------------------------
def test_a_document_committed_during_a_build_is_never_lost(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    db = tmp_path / "c.db"
    store = Store(db, create=True)
    store.put(_doc("a", "a.txt", "h1"))
    original = Store.iter_index_titles

    def commit_meanwhile(self: Store) -> Iterator[tuple[int, str | None, str]]:
        with Store(db) as other:   # another ingest commits between the build's reads
            other.put(_doc("b", "b.txt", "h2", TEXTS[3]))
        yield from original(self)

    monkeypatch.setattr(Store, "iter_index_titles", commit_meanwhile)
    data = build_index(db, store)
    monkeypatch.undo()
    assert data.meta["documents"] == 1 and len(data.rowids) == 1   # what it read, together
    from vanban.index.files import freshness

    fresh = freshness(db, store)
    assert fresh.state == "stale" and fresh.added == 1              # b is counted, not lost
    build_index(db, store)
    assert freshness(db, store).state == "current"
    assert Searcher(db, store).search("du lịch")[0].doc_id == "b"
    store.close()


def test_a_removed_documents_rowids_are_never_given_again(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db", create=True) as store:
        store.put(_doc("a", "a.txt", "h1"))
        before = store.db.execute("SELECT max(rowid) FROM passages").fetchone()[0]
        doc_before = store.db.execute("SELECT rowid FROM documents").fetchone()[0]
        assert store.put(_doc("a", "a.txt", "h2", TEXTS[0])).action == "replaced"
        assert store.db.execute("SELECT min(rowid) FROM passages").fetchone()[0] > before
        assert store.db.execute("SELECT rowid FROM documents").fetchone()[0] > doc_before


def test_a_search_skips_passages_removed_since_the_build(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Store(db, create=True) as store:
        store.put(_doc("a", "a.txt", "h1"))
        store.put(_doc("b", "b.txt", "h2", TEXTS[0] + " Nghị quyết số 25-NQ/TW."))
        build_index(db, store)
        store.put(_doc("a", "a.txt", "h3", TEXTS[4]))       # replaced: its passage is gone
        hits = Searcher(db, store).search("nghị quyết dân vận")
        assert [h.doc_id for h in hits] == ["b"] and hits[0].rank == 1


# -- 3. a crashed reader ------------------------------------------------------------------
def test_a_crashed_worker_names_its_file_and_the_batch_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = read_documents

    def crashing(path: Path, limits: Any = None) -> Any:   # a segfault in a PDF library
        if path.name.startswith("crash"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, limits)

    monkeypatch.setattr("vanban.search.jobs.read_documents", crashing)   # forked workers inherit it
    folder = _folder(tmp_path, TEXTS)
    (folder / "crash.txt").write_text("Văn bản làm hỏng trình đọc.", encoding="utf-8")
    errors: list[tuple[str, str]] = []
    with Store(tmp_path / "c.db", create=True) as store:
        summary = jobs.ingest_paths(store, [str(folder)], workers=2,
                                    on_error=lambda p, why: errors.append((p, why)))
        assert summary.added == len(TEXTS)
        assert store.counts()["documents"] == len(TEXTS)
    assert errors == [(str(folder / "crash.txt"), "the reader crashed (killed by SIGKILL)")]


def test_the_cli_reports_a_crashed_reader(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real = read_documents

    def crashing(path: Path, limits: Any = None) -> Any:
        if path.name.startswith("crash"):
            os._exit(139)
        return real(path, limits)

    monkeypatch.setattr("vanban.search.jobs.read_documents", crashing)
    folder = _folder(tmp_path, TEXTS[:3])
    (folder / "crash.txt").write_text("x", encoding="utf-8")
    code, _, err = run("ingest", str(folder), "--db", str(tmp_path / "c.db"), "--workers", "2")
    assert code == 1
    assert f"Error: {folder / 'crash.txt'}: the reader crashed (the worker exited with code " \
           "139)" in err
    assert "3 documents added" in err


# -- 4. tiny corpora ------------------------------------------------------------------------
def test_a_one_document_corpus_finds_its_own_words(tmp_path: Path) -> None:
    folder = _folder(tmp_path, TEXTS[2:3])
    db = tmp_path / "one.db"
    assert run("ingest", str(folder), "--db", str(db))[0] == 0
    for query in ("công tác dân vận", "25-NQ/TW", "nq 25/tw", "co so"):
        code, out, err = run("search", query, "--db", str(db), "--json")
        hits = json.loads(out)["hits"]
        assert code == 0 and hits, (query, err)
        assert all(h["score"] > 0 for h in hits)


# -- 5. BM25 parameters ---------------------------------------------------------------------
def test_bm25_parameters_persist_and_impossible_ones_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert run("ingest", str(_folder(tmp_path, TEXTS[:3])), "--db", str(db))[0] == 0
    assert run("index", "--db", str(db), "--variant", "lucene", "--k1", "0.9",
               "--b", "0.4")[0] == 0
    want = {"variant": "lucene", "k1": 0.9, "b": 0.4}
    assert run("ingest", str(_folder(tmp_path, TEXTS[3:], "more")), "--db", str(db))[0] == 0
    meta = read_meta(db)
    assert meta is not None and meta["passages"] == 6
    assert {k: meta["params"][k] for k in want} == want
    assert run("index", "--db", str(db), "--k1", "1.1")[0] == 0   # the others are kept
    params = (read_meta(db) or {})["params"]
    assert (params["variant"], params["k1"], params["b"]) == ("lucene", 1.1, 0.4)
    for option, value in (("--k1", "-1"), ("--b", "5"), ("--k1", "nan"), ("--b", "-0.1"),
                          ("--k1", "inf")):
        code, out, err = run("index", "--db", str(db), option, value)
        assert code == 2 and out == "" and f"BM25 {option[2:]} must be" in err, err
    params = (read_meta(db) or {})["params"]
    assert (params["variant"], params["k1"], params["b"]) == ("lucene", 1.1, 0.4)


# -- 7. durability ---------------------------------------------------------------------------
def test_the_new_version_is_on_disk_before_current_names_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "c.db"
    store = Store(db, create=True)
    store.put(_doc("a", "a.txt", "h1"))
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        events.append(("replace", str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    build_index(db, store)
    monkeypatch.undo()
    root = index_dir(db)
    switch = events.index(("replace", str(root / "CURRENT")))
    synced = {Path(p) for kind, p in events[:switch] if kind == "fsync"}
    tmp_dirs = {p for p in synced if p.name.startswith("tmp-")}
    assert len(tmp_dirs) == 1
    (tmp,) = tmp_dirs
    current = root / (root / "CURRENT").read_text()
    assert {tmp / f.name for f in current.iterdir()} <= synced   # every file of the version
    assert root in synced                                        # its rename
    assert ("fsync", str(root)) in events[switch:]               # and CURRENT's
    store.close()


def test_a_failed_build_leaves_no_temporary_directory(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "c.db"
    with Store(db, create=True) as store:
        store.put(_doc("a", "a.txt", "h1"))

        def full_disk(*args: Any) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(files, "_save_vocab", full_disk)
        with pytest.raises(OSError):
            build_index(db, store)
    assert not list(index_dir(db).glob("tmp-*"))
    assert read_meta(db) is None


def test_the_content_hash_is_checked_under_the_write_lock(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """Two ingests of the same content from two places: the second checked before the
    first committed; under the write lock it sees it and stores nothing."""
    db = tmp_path / "c.db"
    first, second = Store(db, create=True), Store(db)
    checks = iter([None])
    real = Store.has_hash

    def raced(self: Store, digest: str) -> str | None:
        if self is second:
            try:
                return next(checks)   # the first look: before the other commit
            except StopIteration:
                pass
        return real(self, digest)

    monkeypatch.setattr(Store, "has_hash", raced)
    first.put(_doc("a", "a.txt", "same"))
    assert second.put(_doc("b", "copy/a.txt", "same")).action == "unchanged"
    assert first.counts()["documents"] == 1
    first.close()
    second.close()


def test_a_killed_builds_directory_is_removed_by_the_next_build(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "c.db"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    with Store(db, create=True) as store:
        store.put(_doc("a", "a.txt", "h1"))
        killed = index_dir(db) / f"tmp-{dead}-abcd1234"   # a build killed by kill -9
        killed.mkdir(parents=True)
        (killed / "word.data.npy").write_bytes(b"half")
        build_index(db, store)
    assert not killed.exists()
    assert read_meta(db) is not None
