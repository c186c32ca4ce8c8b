"""What the corpus knows about a cited directive: the document that is it, and the
documents saying they (or another directive) replaced, repealed or amended it."""

from __future__ import annotations

import re

from vanban.corpus.filters import fold
from vanban.corpus.model import Directive, DocumentIdentity
from vanban.corpus.store import Store
from vanban.ingest.extract.codes import is_local_issuer
from vanban.ingest.extract.symbols import parse_symbol
from vanban.search.changes import CHANGE_RELATIONS, HEADER_CHARS, find_changes, title_relation
from vanban.search.report import ChangeNote

__all__ = ["corpus_changes", "document_for", "document_named"]



def _is_local(symbol: str) -> bool:
    parsed = parse_symbol(symbol)
    return parsed is not None and is_local_issuer(list(parsed.issuer_codes))


def _compatible(symbol: str, locality: str | None, date: str | None, d: Directive) -> bool:
    """Whether a corpus record of ``symbol`` can be the directive ``d``."""
    if _is_local(symbol) and locality and d.locality and locality != d.locality:
        return False
    parsed = parse_symbol(symbol)
    has_year = parsed is not None and parsed.year is not None
    return not (date and d.date and not has_year and date[:4] != d.date[:4])


def document_for(store: Store, d: Directive) -> str | None:
    """Doc id of the corpus document whose own number is ``d``'s symbol (same date first;
    for a local symbol, of the same locality when both are known)."""
    if not d.symbol:
        return None
    rows = [(doc_id, date) for doc_id, date, locality in store.db.execute(
        "SELECT doc_id, date, locality FROM documents WHERE symbol = ? ORDER BY date, doc_id",
        (d.symbol,)) if _compatible(d.symbol, locality, date, d)]
    same = [doc_id for doc_id, date in rows if d.date and date == d.date]
    if same:
        return str(same[0])
    return str(rows[0][0]) if rows else None


_NAMED_YEAR = re.compile(r"\s+năm\s+\d{4}$", re.IGNORECASE)


def _title_key(title: str) -> str | None:
    return fold(_NAMED_YEAR.sub("", title.strip()))


def document_named(store: Store, d: Directive) -> str | None:
    """Doc id of the corpus document that is ``d`` cited by name and day, without a
    symbol ("Luật Thanh tra ngày 15/11/2010"): of its type, dated that day, titled so
    (case and accents aside).  A name without a day stays unmatched (laws keep their
    names across versions)."""
    if d.symbol or not (d.name and d.type and d.date and len(d.date) == 10):
        return None
    want = _title_key(d.name)
    for doc_id, title, own_title in store.db.execute(
            "SELECT doc_id, title, identity_title FROM documents WHERE type = ? AND date = ?"
            " ORDER BY doc_id", (d.type, d.date)):
        if want in {_title_key(t) for t in (title, own_title) if t}:
            return str(doc_id)
    return None


def corpus_changes(store: Store, d: Directive, own: DocumentIdentity) -> list[ChangeNote]:
    """Who the corpus says replaced, repealed or amended ``d`` (never ``own``, the citing
    text itself, nor a change dated after ``own``'s date)."""
    if not d.symbol:
        return []
    notes = _stated_in_body(store, d) + _stated_in_title(store, d)
    out: list[ChangeNote] = []
    seen: set[tuple[str, str | None]] = set()
    skip = {d.symbol, own.symbol} - {None}
    for note in notes:
        key = (note.relation, note.symbol or note.name)
        if key in seen or note.symbol in skip:
            continue
        if own.date and note.date and note.date[:len(own.date)] > own.date:
            continue
        seen.add(key)
        out.append(note)
    return out


def _stated_in_body(store: Store, d: Directive) -> list[ChangeNote]:
    marks = ",".join("?" * len(CHANGE_RELATIONS))
    rows = store.db.execute(
        "SELECT DISTINCT d.rowid, d.doc_id, d.symbol, d.type, d.date, d.text FROM refs r"
        f" JOIN documents d ON d.rowid = r.doc_rowid WHERE r.symbol = ? AND r.relation IN ({marks})"
        " ORDER BY d.date, d.doc_id", (d.symbol, *CHANGE_RELATIONS)).fetchall()
    notes = []
    for rowid, doc_id, own_symbol, own_type, own_date, text in rows:
        refs = list(store.references(doc_rowid=rowid))
        for ch in find_changes(text, refs, own_type):
            t = ch.target.directive
            if t.symbol is None or t.symbol != d.symbol or \
                    not _compatible(t.symbol, t.locality, t.date, d):
                continue
            if ch.by is not None:
                b = ch.by.directive
                notes.append(ChangeNote(ch.relation, b.symbol, None if b.symbol else b.name,
                                        b.date, doc_id))
            elif own_symbol:
                notes.append(ChangeNote(ch.relation, own_symbol, None, own_date, doc_id))
    return notes


def _stated_in_title(store: Store, d: Directive) -> list[ChangeNote]:
    """Documents whose title line says they amend or replace ``d`` ("Sửa đổi, bổ sung một số
    điều của Quy chế … ban hành kèm theo Quyết định số 1968/QĐ-UBND")."""
    rows = store.db.execute(
        "SELECT d.doc_id, d.symbol, d.date, d.locality, substr(d.text, 1, ?), r.start, r.date"
        " FROM refs r JOIN documents d ON d.rowid = r.doc_rowid"
        " WHERE r.symbol = ? AND d.symbol IS NOT NULL AND r.start < ?"
        " ORDER BY d.date, d.doc_id", (HEADER_CHARS, d.symbol, HEADER_CHARS)).fetchall()
    notes = []
    for doc_id, own_symbol, own_date, locality, head, start, ref_date in rows:
        if not _compatible(d.symbol or "", locality, ref_date, d):
            continue
        relation = title_relation(head, start)
        if relation is not None:
            notes.append(ChangeNote(relation, own_symbol, None, own_date, doc_id))
    return notes
