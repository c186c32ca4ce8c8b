"""The SQLite store: idempotent by content hash, transactional, versioned."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from vanban.corpus.model import (
    DateMention,
    Directive,
    Document,
    DocumentIdentity,
    Passage,
    Reference,
)
from vanban.corpus.store import Store, StoreError


def _doc(doc_id: str = "a", source: str = "a.txt", digest: str = "h1",
         text: str = "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020.") -> Document:
    start = text.index("Nghị định")
    end = text.index("CP") + 2
    ref = Reference(start, end, text[start:end],
                    Directive(symbol="30/2020/NĐ-CP", type="Nghị định", date="2020-03-05"),
                    relation="căn cứ")
    d0 = text.index("ngày")
    date = DateMention(d0, d0 + len("ngày 05/3/2020"), "ngày 05/3/2020", "2020-03-05", "day")
    return Document(doc_id=doc_id, source=source, content_hash=digest, text=text,
                    identity=DocumentIdentity(symbol="12/QĐ-UBND", type="Quyết định"),
                    title="T", date="2021-01-02",
                    passages=(Passage(doc_id, 0, 0, len(text), text, None),),
                    references=(ref,), dates=(date,))


def test_round_trip(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db", create=True) as store:
        assert store.put(_doc()).action == "added"
        got = store.get("a")
    assert got is not None
    assert got.references[0].directive.symbol == "30/2020/NĐ-CP"
    assert got.text[got.references[0].start:got.references[0].end] == got.references[0].surface
    assert got.dates[0].value == "2020-03-05"
    assert got.identity.symbol == "12/QĐ-UBND"
    assert got.passages[0].text == got.text


def test_same_content_twice_is_not_duplicated(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db", create=True) as store:
        store.put(_doc())
        assert store.put(_doc(doc_id="b", source="copy.txt")).action == "unchanged"
        assert store.counts()["documents"] == 1


def test_changed_file_replaces_the_old_version(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db", create=True) as store:
        store.put(_doc())
        changed = _doc(digest="h2", text="Thực hiện Nghị định số 30/2020/NĐ-CP ngày 05/3/2020.")
        assert store.put(changed).action == "replaced"
        assert store.counts() == {"documents": 1, "passages": 1, "references": 1, "dates": 1}
        got = store.get("a")
        assert got is not None and got.text.startswith("Thực hiện")


def test_failed_write_leaves_store_as_before(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db", create=True) as store:
        store.put(_doc())
        before = store.counts()
        broken = _doc(digest="h3")
        with pytest.raises(ValueError):
            store.put(broken, tokens=["x", "y"])  # wrong number of token rows
        assert store.counts() == before
        got = store.get("a")
        assert got is not None and got.content_hash == "h1"


def test_missing_and_foreign_databases(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="vanban ingest"):
        Store(tmp_path / "none.db")
    foreign = tmp_path / "other.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not a vanban database"):
        Store(foreign)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a vanban database"):
        Store(junk)


def test_schema_version_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    Store(path, create=True).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="schema version 99"):
        Store(path)


def test_fingerprint_is_kept_and_follows_every_change(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store(path, create=True) as store:
        store.put(_doc())
        first = store.fingerprint()
        assert store.db.execute("SELECT value FROM meta WHERE key = 'fingerprint'"
                                ).fetchone() == (first,)
        assert store.fingerprint() == first == store._compute_fingerprint()
        store.put(_doc(digest="h2", text="Thực hiện Nghị định số 30/2020/NĐ-CP ngày 05/3/2020."))
        second = store.fingerprint()
        assert second != first and second == store._compute_fingerprint()
        store.put(_doc(doc_id="b", source="b.txt", digest="h3"))
        assert store.fingerprint() not in (first, second)


def test_fingerprint_of_a_store_that_cannot_be_written(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store(path, create=True) as store:
        store.put(_doc())
        expected = store._compute_fingerprint()
        store.db.execute("DELETE FROM meta WHERE key = 'fingerprint'")
    blocker = sqlite3.connect(path)
    blocker.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        with Store(path) as store:
            assert store.fingerprint() == expected
            assert not store.db.in_transaction
    finally:
        blocker.rollback()
        blocker.close()
