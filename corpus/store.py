"""The SQLite corpus store: documents, passages, references and dates.

One file per corpus.  Every document is written in one transaction, so an interrupted
ingest leaves the store as it was before that document.  Ingest is idempotent by
content hash: the same content twice is skipped; a changed file (same source) replaces
the stored version.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from vanban.corpus.filters import (
    DocumentFilter,
    DocumentInfo,
    document_conditions,
    fold,
    source_matches,
)
from vanban.corpus.model import (
    DateMention,
    Directive,
    Document,
    DocumentIdentity,
    Passage,
    Reference,
)

SCHEMA_VERSION = 2
# Version 2 added documents.title_source and documents.date_source (where the title and the
# date were read: "header", "front_matter", "pdf_metadata"…); a version 1 store gains them,
# empty, when opened.
_MIGRATIONS = {1: ("ALTER TABLE documents ADD COLUMN title_source TEXT",
                   "ALTER TABLE documents ADD COLUMN date_source TEXT")}
APP_ID = "vanban"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    rowid INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT, date TEXT, url TEXT,
    symbol TEXT, type TEXT, issuer TEXT, locality TEXT, identity_title TEXT,
    text TEXT NOT NULL,
    title_tokens TEXT,
    page_starts TEXT NOT NULL DEFAULT '[]',
    ocr_pages TEXT NOT NULL DEFAULT '[]',
    title_source TEXT, date_source TEXT
);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE INDEX IF NOT EXISTS documents_symbol ON documents(symbol);
CREATE TABLE IF NOT EXISTS passages (
    rowid INTEGER PRIMARY KEY,
    doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    page INTEGER,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    tokens TEXT,
    UNIQUE (doc_rowid, ordinal)
);
CREATE TABLE IF NOT EXISTS refs (
    rowid INTEGER PRIMARY KEY,
    doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    passage_ordinal INTEGER,
    page INTEGER,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    surface TEXT NOT NULL,
    symbol TEXT, name TEXT, type TEXT, number TEXT, year INTEGER,
    issuer TEXT, locality TEXT, date TEXT, title TEXT,
    relation TEXT NOT NULL, pinpoint TEXT,
    short_form INTEGER NOT NULL DEFAULT 0, resolved INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS refs_symbol ON refs(symbol);
CREATE INDEX IF NOT EXISTS refs_doc ON refs(doc_rowid);
CREATE TABLE IF NOT EXISTS dates (
    rowid INTEGER PRIMARY KEY,
    doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    surface TEXT NOT NULL, value TEXT NOT NULL, granularity TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dates_doc ON dates(doc_rowid);
"""

# The corpus generation: documents ever added and ever removed, counted by the database
# itself (whatever writes them), in the same transaction as the change.  An index is
# stamped with the counts it read; any later change shows as a difference.
_GENERATION = """
CREATE TRIGGER IF NOT EXISTS documents_added AFTER INSERT ON documents BEGIN
  INSERT INTO meta VALUES ('added', '1')
    ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1;
  DELETE FROM meta WHERE key = 'fingerprint';
END;
CREATE TRIGGER IF NOT EXISTS documents_removed AFTER DELETE ON documents BEGIN
  INSERT INTO meta VALUES ('removed', '1')
    ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1;
  INSERT INTO meta VALUES ('documents_rowid_hwm', old.rowid)
    ON CONFLICT(key) DO UPDATE SET value = max(CAST(value AS INTEGER), old.rowid);
  DELETE FROM meta WHERE key = 'fingerprint';
END;
CREATE TRIGGER IF NOT EXISTS passages_removed AFTER DELETE ON passages BEGIN
  INSERT INTO meta VALUES ('passages_rowid_hwm', old.rowid)
    ON CONFLICT(key) DO UPDATE SET value = max(CAST(value AS INTEGER), old.rowid);
END;
"""
_TRIGGERS = {"documents_added", "documents_removed", "passages_removed"}


class StoreError(Exception):
    """A store that cannot be used: missing, foreign, or of another schema version."""


@dataclass(frozen=True)
class Generation:
    """Which state of the corpus: documents ever added and ever removed."""

    added: int
    removed: int

    def since(self, earlier: Generation) -> tuple[int, int]:
        """(documents added, removed) from ``earlier`` to this one."""
        return self.added - earlier.added, self.removed - earlier.removed


@dataclass(frozen=True)
class PutResult:
    """What ``Store.put`` did with a document: "added", "replaced" or "unchanged"."""

    action: str
    doc_id: str


def content_hash(data: bytes) -> str:
    """The content hash documents are keyed by."""
    return hashlib.sha256(data).hexdigest()


class Store:
    """A corpus store in one SQLite file."""

    def __init__(self, path: Path, *, create: bool = False) -> None:
        self.path = Path(path)
        self.read_only = False  # opened from a folder it cannot write in (never written)
        if not create and not self.path.exists():
            raise StoreError(
                f"no corpus database at {self.path} — create one with `vanban ingest PATH... "
                f"--db {self.path}`"
            )
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder, not a database file — give a file "
                             "name such as corpus.db")
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._connect(create)
            self.db.create_function("vb_fold", 1, fold, deterministic=True)
            self._check_or_create(create)
        except sqlite3.DatabaseError as exc:
            if not os.access(self.path.parent, os.W_OK):
                raise self.read_only_error() from None
            raise StoreError(
                f"{self.path} is not a vanban database ({exc}) — choose another --db path"
            ) from None

    def _connect(self, create: bool) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), isolation_level=None)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = WAL")
            return db
        except sqlite3.OperationalError:
            db.close()
            if create or not self.path.is_file() or os.access(self.path.parent, os.W_OK):
                raise
        # A store in a folder nobody here may write (a read-only share, a disc): WAL needs
        # its -shm file beside it, so the store is read as it is, unchanging, never written.
        db = sqlite3.connect(f"{self.path.resolve().as_uri()}?immutable=1", uri=True,
                             isolation_level=None)
        db.execute("PRAGMA foreign_keys = ON")
        self.read_only = True
        return db

    def read_only_error(self) -> StoreError:
        """What a command that would change this read-only store says."""
        return StoreError(f"{self.path}: cannot write in {self.path.parent} (a read-only "
                          "folder) — choose another --db path, or copy the database")

    # -- schema -----------------------------------------------------------------
    def _check_or_create(self, create: bool) -> None:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master")}
        if "meta" not in tables:
            if tables - {"sqlite_sequence"} or not create:
                raise StoreError(
                    f"{self.path} is not a vanban database — choose another --db path"
                )
            self.db.executescript(_SCHEMA + _GENERATION)
            with self.transaction():
                self.db.execute("INSERT INTO meta VALUES ('app', ?)", (APP_ID,))
                self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
            return
        meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("app") != APP_ID:
            raise StoreError(f"{self.path} is not a vanban database — choose another --db path")
        version = int(meta.get("schema_version", 0))
        if version in _MIGRATIONS:
            self._migrate(version)
            version = SCHEMA_VERSION
        if version != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {meta.get('schema_version')}, this vanban "
                f"reads version {SCHEMA_VERSION} — re-ingest into a new --db"
            )
        if not tables >= _TRIGGERS:  # a store made before the generation was counted
            with contextlib.suppress(sqlite3.OperationalError):  # read-only: its next
                self.db.executescript(_GENERATION)               # writer adds them

    def _migrate(self, version: int) -> None:
        """Bring an older store up to ``SCHEMA_VERSION`` (additive changes only)."""
        try:
            with self.transaction() as db:
                for statement in _MIGRATIONS[version]:
                    db.execute(statement)
                db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                           (str(SCHEMA_VERSION),))
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path} has schema version {version} and cannot be "
                             f"upgraded ({exc}) — re-ingest into a new --db") from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: committed on success, rolled back on any error."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every read inside sees the same state of the corpus, while
        writers go on (WAL)."""
        self.db.execute("BEGIN")
        try:
            self.db.execute("SELECT count(*) FROM meta").fetchone()  # the snapshot starts here
            yield self.db
        finally:
            self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------
    def has_hash(self, digest: str) -> str | None:
        """The doc id of a stored document with this content hash, if any."""
        row = self.db.execute(
            "SELECT doc_id FROM documents WHERE content_hash = ?", (digest,)
        ).fetchone()
        return None if row is None else str(row[0])

    def unique_doc_id(self, wanted: str, source: str) -> str:
        """``wanted`` if free or already this source's, else ``wanted-2``, ``wanted-3``…"""
        candidate, n = wanted, 1
        while True:
            row = self.db.execute(
                "SELECT source FROM documents WHERE doc_id = ?", (candidate,)
            ).fetchone()
            if row is None or row[0] == source:
                return candidate
            n += 1
            candidate = f"{wanted}-{n}"

    def put(self, doc: Document, tokens: Sequence[str | None] | None = None,
            title_tokens: str | None = None) -> PutResult:
        """Store a document (replacing an earlier version from the same source), with the
        stored tokens of its passages and title when already computed."""
        if (known := self.has_hash(doc.content_hash)) is not None:
            return PutResult("unchanged", known)
        with self.transaction() as db:
            # checked again under the write lock: another ingest may have stored it meanwhile
            if (known := self.has_hash(doc.content_hash)) is not None:
                return PutResult("unchanged", known)
            _mark_changed(db)
            old = db.execute(
                "SELECT rowid FROM documents WHERE source = ? OR doc_id = ?",
                (doc.source, doc.doc_id),
            ).fetchall()
            for (rowid,) in old:
                db.execute("DELETE FROM documents WHERE rowid = ?", (rowid,))
            rowid = self._insert_document(db, doc)
            if title_tokens is not None:
                db.execute("UPDATE documents SET title_tokens = ? WHERE rowid = ?",
                           (title_tokens, rowid))
            self._insert_children(db, rowid, doc, tokens)
        return PutResult("replaced" if old else "added", doc.doc_id)

    def remove(self, doc_id: str) -> bool:
        """Remove a document (its passages, references and dates go with it).  False if
        the store holds no such document."""
        with self.transaction() as db:
            gone = db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,)).rowcount
            if gone:
                _mark_changed(db)
        return bool(gone)

    def move(self, doc_id: str, source: str) -> int:
        """Record that a document's file now lives at ``source`` (same content).  A document
        stored from that path before is superseded, as when a file changes: removed.  How
        many were."""
        with self.transaction() as db:
            gone = db.execute("DELETE FROM documents WHERE source = ? AND doc_id != ?",
                              (source, doc_id)).rowcount
            if gone:
                _mark_changed(db)
            db.execute("UPDATE documents SET source = ? WHERE doc_id = ?", (source, doc_id))
        return int(gone)

    def _next_rowid(self, db: sqlite3.Connection, table: str) -> int:
        """Above every rowid the table ever held: a removed document's rowids are never
        given to another, so an index built before names no passage it did not read."""
        hwm = db.execute("SELECT value FROM meta WHERE key = ?",
                         (f"{table}_rowid_hwm",)).fetchone()
        top = db.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
        return max(int(top), int(hwm[0]) if hwm else 0) + 1

    def _insert_document(self, db: sqlite3.Connection, doc: Document) -> int:
        ident = doc.identity
        cur = db.execute(
            "INSERT INTO documents (rowid, doc_id, source, content_hash, title, date, url,"
            " symbol, type, issuer, locality, identity_title, text, page_starts, ocr_pages,"
            " title_source, date_source) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                self._next_rowid(db, "documents"), doc.doc_id, doc.source, doc.content_hash,
                doc.title, doc.date, doc.url,
                ident.symbol, ident.type, ident.issuer, ident.locality, ident.title, doc.text,
                json.dumps(list(doc.page_starts)), json.dumps(list(doc.ocr_pages)),
                doc.title_source, doc.date_source,
            ),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def _insert_children(
        self,
        db: sqlite3.Connection,
        rowid: int,
        doc: Document,
        tokens: Sequence[str | None] | None,
    ) -> None:
        toks = list(tokens) if tokens is not None else [None] * len(doc.passages)
        first = self._next_rowid(db, "passages")
        db.executemany(
            'INSERT INTO passages (rowid, doc_rowid, ordinal, page, start, "end", text, tokens)'
            " VALUES (?,?,?,?,?,?,?,?)",
            [(first + i, rowid, p.ordinal, p.page, p.start, p.end, p.text, t)
             for i, (p, t) in enumerate(zip(doc.passages, toks, strict=True))],
        )
        db.executemany(
            'INSERT INTO refs (doc_rowid, passage_ordinal, page, start, "end", surface, symbol,'
            " name, type, number, year, issuer, locality, date, title, relation, pinpoint,"
            " short_form, resolved) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [_ref_row(rowid, doc, r) for r in doc.references],
        )
        db.executemany(
            'INSERT INTO dates (doc_rowid, start, "end", surface, value, granularity)'
            " VALUES (?,?,?,?,?,?)",
            [(rowid, d.start, d.end, d.surface, d.value, d.granularity) for d in doc.dates],
        )

    def setting(self, key: str) -> str | None:
        """A corpus setting kept in the store (e.g. the BM25 parameters), or None."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?",
                              ("setting:" + key,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", ("setting:" + key, value))

    def set_tokens(self, rows: Iterable[tuple[int, str]]) -> None:
        """Store tokens for passages (by passage rowid)."""
        with self.transaction() as db:
            db.executemany("UPDATE passages SET tokens = ? WHERE rowid = ?",
                           [(t, r) for r, t in rows])

    # -- reading ----------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {}
        for table, key in (("documents", "documents"), ("passages", "passages"),
                           ("refs", "references"), ("dates", "dates")):
            out[key] = int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        return out

    def fingerprint(self) -> str:
        """A digest of which documents (and versions) the store holds.  Kept in ``meta``
        (every write of a document drops it), so a search does not rehash the corpus."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        if row is not None:
            return str(row[0])
        timeout = self.db.execute("PRAGMA busy_timeout").fetchone()[0]
        self.db.execute("PRAGMA busy_timeout = 0")  # never wait for a writer just for this
        try:
            with self.transaction() as db:  # computed and kept under the write lock
                value = self._compute_fingerprint()
                db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (value,))
        except sqlite3.OperationalError:  # read-only or busy: compute without keeping it
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            value = self._compute_fingerprint()
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {int(timeout)}")
        return value

    def generation(self) -> Generation:
        """The corpus generation (inside ``snapshot``: the snapshot's)."""
        meta = dict(self.db.execute(
            "SELECT key, value FROM meta WHERE key IN ('added', 'removed')"))
        return Generation(int(meta.get("added", 0)), int(meta.get("removed", 0)))

    def read_fingerprint(self) -> str:
        """``fingerprint()`` without keeping it (no write: usable inside ``snapshot``)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        return str(row[0]) if row is not None else self._compute_fingerprint()

    def _compute_fingerprint(self) -> str:
        h = hashlib.sha256()
        for doc_id, digest in self.db.execute(
            "SELECT doc_id, content_hash FROM documents ORDER BY doc_id"
        ):
            h.update(f"{doc_id}\t{digest}\n".encode())
        return h.hexdigest()[:16]

    def sources(self) -> list[tuple[str, str, str]]:
        """(doc id, source, content hash) of every document, in source order."""
        return [(str(i), str(s), str(h)) for i, s, h in self.db.execute(
            "SELECT doc_id, source, content_hash FROM documents ORDER BY source, doc_id")]

    def source_of(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT source FROM documents WHERE doc_id = ?",
                              (doc_id,)).fetchone()
        return None if row is None else str(row[0])

    def list_documents(self, f: DocumentFilter | None = None) -> list[DocumentInfo]:
        """The documents matching ``f``, by doc id, with their counts."""
        where, args = document_conditions(f or DocumentFilter())
        sql = ("SELECT d.doc_id, d.title, d.date, d.type, d.issuer, d.source, d.page_starts,"
               " (SELECT count(*) FROM refs r WHERE r.doc_rowid = d.rowid),"
               " (SELECT count(DISTINCT coalesce(r.symbol, r.name)) FROM refs r"
               "  WHERE r.doc_rowid = d.rowid) FROM documents d"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY d.doc_id")
        out = []
        for doc_id, title, date, typ, issuer, source, starts, refs, directives in \
                self.db.execute(sql, args):
            if f is not None and f.source and not source_matches(f.source, source):
                continue
            out.append(DocumentInfo(doc_id, title, date, typ, issuer, source,
                                    max(1, len(json.loads(starts))), refs, directives))
        return out

    def get(self, doc_id: str) -> Document | None:
        row = self.db.execute(
            "SELECT rowid, doc_id, source, content_hash, title, date, url, symbol, type, issuer,"
            " locality, identity_title, text, page_starts, ocr_pages, title_source, date_source"
            " FROM documents"
            " WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            return None
        rowid = row[0]
        identity = DocumentIdentity(symbol=row[7], type=row[8], issuer=row[9], date=row[5],
                                    title=row[11], locality=row[10])
        passages = tuple(
            Passage(doc_id, o, s, e, t, pg) for o, pg, s, e, t in self.db.execute(
                'SELECT ordinal, page, start, "end", text FROM passages WHERE doc_rowid = ?'
                " ORDER BY ordinal", (rowid,))
        )
        return Document(
            doc_id=row[1], source=row[2], content_hash=row[3], text=row[12], identity=identity,
            title=row[4], date=row[5], url=row[6], passages=passages,
            references=tuple(self.references(doc_rowid=rowid)),
            dates=tuple(
                DateMention(s, e, sf, v, g) for s, e, sf, v, g in self.db.execute(
                    'SELECT start, "end", surface, value, granularity FROM dates'
                    " WHERE doc_rowid = ? ORDER BY start", (rowid,))
            ),
            page_starts=tuple(json.loads(row[13])), ocr_pages=tuple(json.loads(row[14])),
            title_source=row[15], date_source=row[16],
        )

    def references(self, *, doc_rowid: int | None = None,
                   symbol: str | None = None) -> Iterator[Reference]:
        sql = ('SELECT start, "end", surface, symbol, name, type, number, year, issuer, locality,'
               " date, title, relation, pinpoint, short_form, resolved FROM refs")
        if doc_rowid is not None:
            cur = self.db.execute(sql + " WHERE doc_rowid = ? ORDER BY start", (doc_rowid,))
        elif symbol is not None:
            cur = self.db.execute(sql + " WHERE symbol = ? ORDER BY doc_rowid, start", (symbol,))
        else:
            cur = self.db.execute(sql + " ORDER BY doc_rowid, start")
        for r in cur:
            yield _row_ref(r)

    def titles_needing_tokens(self) -> list[tuple[int, str]]:
        return [(r, t or "") for r, t in self.db.execute(
            "SELECT rowid, title FROM documents WHERE title_tokens IS NULL ORDER BY rowid")]

    def set_title_tokens(self, rows: Iterable[tuple[int, str]]) -> None:
        with self.transaction() as db:
            db.executemany("UPDATE documents SET title_tokens = ? WHERE rowid = ?",
                           [(t, r) for r, t in rows])

    def iter_title_tokens(self) -> Iterator[tuple[int, str]]:
        """(document rowid, stored title tokens), in rowid order."""
        yield from self.db.execute(
            "SELECT rowid, coalesce(title_tokens, '') FROM documents ORDER BY rowid")

    def passages_needing_tokens(self) -> list[tuple[int, str]]:
        return list(self.db.execute(
            "SELECT rowid, text FROM passages WHERE tokens IS NULL ORDER BY rowid"))

    def iter_index_rows(self) -> Iterator[tuple[int, int, str | None, str | None]]:
        """Every passage: (rowid, document rowid, stored tokens, text when there are no
        tokens yet), in rowid order."""
        yield from self.db.execute(
            "SELECT rowid, doc_rowid, tokens, CASE WHEN tokens IS NULL THEN text END"
            " FROM passages ORDER BY rowid")

    def iter_index_titles(self) -> Iterator[tuple[int, str | None, str]]:
        """Every document: (rowid, stored title tokens, title), in rowid order."""
        yield from self.db.execute(
            "SELECT rowid, title_tokens, coalesce(title, '') FROM documents ORDER BY rowid")

    def iter_passage_tokens(self) -> Iterator[tuple[int, int, str]]:
        """(passage rowid, document rowid, stored tokens), in rowid order."""
        yield from self.db.execute("SELECT rowid, doc_rowid, tokens FROM passages"
                                   " WHERE tokens IS NOT NULL ORDER BY rowid")


def _mark_changed(db: sqlite3.Connection) -> None:
    """The document set changed: the kept fingerprint no longer holds."""
    db.execute("DELETE FROM meta WHERE key = 'fingerprint'")


def _ref_row(rowid: int, doc: Document, r: Reference) -> tuple[object, ...]:
    d = r.directive
    ordinal, page = _locate(doc, r.start)
    return (rowid, ordinal, page, r.start, r.end, r.surface, d.symbol, d.name, d.type, d.number,
            d.year, d.issuer, d.locality, d.date, d.title, r.relation, r.pinpoint,
            int(r.short_form), int(r.resolved))


def _row_ref(r: Sequence[object]) -> Reference:
    directive = Directive(
        symbol=_s(r[3]), name=_s(r[4]), type=_s(r[5]), number=_s(r[6]),
        year=None if r[7] is None else int(str(r[7])), issuer=_s(r[8]), locality=_s(r[9]),
        date=_s(r[10]), title=_s(r[11]),
    )
    return Reference(start=int(str(r[0])), end=int(str(r[1])), surface=str(r[2]),
                     directive=directive, relation=str(r[12]), pinpoint=_s(r[13]),
                     short_form=bool(r[14]), resolved=bool(r[15]))


def _s(v: object) -> str | None:
    return None if v is None else str(v)


def _locate(doc: Document, offset: int) -> tuple[int | None, int | None]:
    """(passage ordinal, page) holding a character offset."""
    for p in doc.passages:
        if p.start <= offset < p.end:
            return p.ordinal, p.page
    return None, page_at(doc.page_starts, offset)


def page_at(page_starts: Sequence[int], offset: int) -> int | None:
    """1-based page holding ``offset`` given each page's start offset (None: no pages)."""
    if not page_starts:
        return None
    page = 1
    for i, start in enumerate(page_starts, 1):
        if start <= offset:
            page = i
    return page
