"""The reverse lookup (who cites a directive) and corpus statistics (pandas)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vanban.corpus.model import Reference, relation_strength
from vanban.corpus.store import Store, page_at
from vanban.ingest.extract.directives import name_key
from vanban.ingest.extract.symbols import canonical_symbol, parse_query_symbol
from vanban.search.changes import CHANGE_RELATIONS, Change, find_changes, reattribute, title_changes
from vanban.search.commands import UserError
from vanban.search.report import sentence_at

__all__ = ["canonical_query_symbol", "citing_documents", "corpus_stats", "document_references",
           "sentence_at"]


def canonical_query_symbol(text: str) -> str:
    """The canonical symbol a user typed ("76/nq-cp", "Nghị quyết 76/NQ-CP", "nq 25/tw")."""
    symbol = parse_query_symbol(text) or canonical_symbol(text.strip())
    if symbol is None:
        raise UserError(f"{text.strip()!r} is not a document symbol — write it like 25-NQ/TW, "
                        "76/NQ-CP or 30/2020/NĐ-CP")
    return symbol


@dataclass(frozen=True)
class DocRefs:
    """One corpus document's mentions, with the relations of the document itself."""

    rowid: int
    doc_id: str
    title: str | None
    date: str | None
    text: str
    page_starts: tuple[int, ...]
    references: tuple[Reference, ...]
    changes: tuple[Change, ...]


def document_references(store: Store, rowid: int) -> DocRefs:
    """A stored document's mentions, reattributed (see ``vanban.search.changes``)."""
    doc_id, title, date, text, starts, own_type, own_symbol = store.db.execute(
        "SELECT doc_id, title, date, text, page_starts, type, symbol FROM documents"
        " WHERE rowid = ?", (rowid,)).fetchone()
    refs = list(store.references(doc_rowid=rowid))
    changes: list[Change] = []
    if any(r.relation in CHANGE_RELATIONS for r in refs):
        changes = find_changes(text, refs, own_type)
    if own_symbol:
        changes += title_changes(text, refs)
    if changes:
        refs = reattribute(refs, changes)
    return DocRefs(rowid, doc_id, title, date, text, tuple(json.loads(starts)), tuple(refs),
                   tuple(changes))


def iter_documents(store: Store, rowids: list[int] | None = None) -> Iterator[DocRefs]:
    if rowids is None:
        rowids = [r[0] for r in store.db.execute("SELECT rowid FROM documents ORDER BY rowid")]
    for rowid in rowids:
        yield document_references(store, rowid)


@dataclass(frozen=True)
class CitedQuery:
    """What ``vanban cites`` was asked for: a canonical symbol, or a name (with the symbols
    the corpus cites that name with)."""

    label: str
    symbols: frozenset[str]
    name: str | None = None  # the name key ("luat thuc hien dan chu o co so"), for names

    def matches(self, symbol: str | None, name: str | None) -> bool:
        if symbol is not None and symbol in self.symbols:
            return True
        return self.name is not None and name is not None and name_key(name) == self.name


def cited_query(store: Store, text: str) -> CitedQuery:
    """A symbol in any spelling ("nq 25/tw"), else a directive's name ("Luật Thực hiện dân
    chủ ở cơ sở", accents optional)."""
    symbol = parse_query_symbol(text) or canonical_symbol(text.strip())
    named = list(store.db.execute("SELECT DISTINCT symbol, name FROM refs WHERE name IS NOT NULL"))
    if symbol is not None:  # a law's name cited alone is a mention of its one number
        names = {name_key(n) for sym, n in named if sym == symbol}
        holders = {sym for sym, n in named if sym and name_key(n) in names}
        name = next(iter(names)) if len(names) == 1 and holders == {symbol} else None
        return CitedQuery(symbol, frozenset([symbol]), name)
    key = name_key(text)
    if len(key.split()) < 2:
        raise UserError(f"{text.strip()!r} is not a document symbol nor a directive's name — "
                        "write it like 25-NQ/TW, 30/2020/NĐ-CP or \"Luật Đất đai\"")
    symbols = frozenset(sym for sym, name in named if sym and name_key(name) == key)
    return CitedQuery(text.strip(), symbols, key)


def _twins(store: Store, query: CitedQuery) -> dict[tuple[int, int], str]:
    """The identity key of every matching mention (by document and start): a symbol cited
    in the corpus with dates of several years is one directive per year."""
    from vanban.search.graph import directive_keys

    rows = [r for r in store.db.execute(
        'SELECT doc_rowid, start, symbol, name, locality, date FROM refs')
        if query.matches(r[2], r[3])]
    keys = directive_keys([(r[2], r[3], r[4], r[5]) for r in rows])
    return {(r[0], r[1]): key for r, key in zip(rows, keys, strict=True)}


def citing_documents(store: Store, symbol: str) -> tuple[str, list[dict[str, Any]]]:
    """(what was asked for, one object per citing document and cited directive, by
    directive then date).  Twins (19-NQ/TW of 2017 and of 2022) are two directives."""
    query = cited_query(store, symbol)
    keys = _twins(store, query)
    rowids = sorted({rowid for rowid, _ in keys})
    out = []
    for doc in iter_documents(store, rowids):
        by_key: dict[str, list[Reference]] = {}
        for ref in doc.references:
            if query.matches(ref.directive.symbol, ref.directive.name):
                key = keys.get((doc.rowid, ref.start), "?")
                by_key.setdefault(key, []).append(ref)
        for key, mentions in by_key.items():
            out.append(_citing_row(doc, key, mentions))
    out.sort(key=lambda row: (row["directive_year"] or 0, row["directive"], row["date"] or "",
                              row["doc_id"]))
    return query.label, out


def _citing_row(doc: DocRefs, key: str, mentions: list[Reference]) -> dict[str, Any]:
    first = mentions[0]
    date = next((m.directive.date for m in mentions if m.directive.date), None)
    year = next((m.directive.year for m in mentions if m.directive.year), None)
    if "#" in key:
        tail = key.rsplit("#", 1)[1]
        year = int(tail) if tail.isdigit() else year
    directive = first.directive.symbol or first.directive.name or "?"
    return {
        "doc_id": doc.doc_id, "title": doc.title, "date": doc.date,
        "symbol": first.directive.symbol, "name": first.directive.name,
        "directive": directive, "directive_key": key,
        "directive_date": date, "directive_year": year,
        "relation": min((m.relation for m in mentions), key=relation_strength),
        "page": page_at(doc.page_starts, first.start),
        "sentence": sentence_at(doc.text, first.start, first.end),
        "mentions": [{"text": m.surface, "start": m.start, "end": m.end,
                      "page": page_at(doc.page_starts, m.start), "pinpoint": m.pinpoint}
                     for m in mentions],
        "directive_locality": next((m.directive.locality for m in mentions
                                    if m.directive.locality), None),
    }


def index_state(path: Path, store: Store) -> dict[str, Any]:
    from vanban.index.files import freshness, read_meta

    meta = read_meta(path)
    if meta is None:
        return {"state": "missing"}
    fresh = freshness(path, store, meta)
    return {"state": fresh.state, "passages": meta.get("passages"),
            "added_since": fresh.added, "removed_since": fresh.removed,
            "params": meta.get("params"), "tokenizer": meta.get("tokenizer"),
            "built_at": meta.get("built_at")}


def _mentions_frame(store: Store) -> Any:
    import pandas as pd

    from vanban.search.graph import directive_keys

    rows = store.db.execute(
        "SELECT r.doc_rowid, r.symbol, r.name, r.type, r.locality, r.date AS ddate,"
        " substr(d.date, 1, 4) AS year FROM refs r JOIN documents d ON d.rowid = r.doc_rowid"
        " ORDER BY r.doc_rowid, r.start").fetchall()
    frame = pd.DataFrame(rows, columns=["doc_rowid", "symbol", "name", "type", "locality",
                                        "ddate", "year"], dtype=object)
    frame["key"] = directive_keys([(r[1], r[2], r[4], r[5]) for r in rows])
    frame["dyear"] = [int(r[5][:4]) if r[5] else None for r in rows]
    return frame


def _ranked(frame: Any, by: list[str], top: int) -> list[dict[str, Any]]:
    """Directives ranked by citing documents, then mentions, within each ``by`` group; the
    date of each is the one the corpus cites most often, its year the one that tells it from
    a twin (or its date's)."""
    from vanban.search.graph import key_year

    dated = frame[frame["ddate"].notna()]
    dates = dated.groupby("key")["ddate"].agg(lambda s: s.mode().iloc[0]).to_dict()
    grouped = frame.groupby([*by, "key"], dropna=False).agg(
        symbol=("symbol", "first"), name=("name", "first"), type=("type", "first"),
        documents=("doc_rowid", "nunique"), mentions=("doc_rowid", "size")).reset_index()
    grouped["date"] = grouped["key"].map(dates)
    years = dated.groupby("key")["dyear"].agg(lambda s: s.mode().iloc[0]).to_dict()
    grouped["directive_year"] = grouped["key"].map(lambda k: key_year(k) or years.get(k))
    grouped = grouped.sort_values([*by, "documents", "mentions", "key"],
                                  ascending=[True] * len(by) + [False, False, True])
    grouped["rank"] = grouped.groupby(by).cumcount() + 1 if by else range(1, len(grouped) + 1)
    grouped = grouped[grouped["rank"] <= top]
    rows = []
    for rec in grouped.to_dict("records"):
        symbol = None if _isna(rec["symbol"]) else rec["symbol"]
        rows.append({
            **{k: rec[k] for k in by}, "rank": int(rec["rank"]), "symbol": symbol,
            "name": None if symbol or _isna(rec["name"]) else rec["name"],
            "type": None if _isna(rec["type"]) else rec["type"],
            "date": None if _isna(rec["date"]) else rec["date"],
            "directive_year": None if _isna(rec["directive_year"])
            else int(rec["directive_year"]),
            "documents": int(rec["documents"]), "mentions": int(rec["mentions"])})
    return rows


def _isna(value: Any) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def corpus_stats(path: Path, store: Store, top: int = 20) -> dict[str, Any]:
    """Corpus size, index state, most-cited directives (overall and by year of the citing
    documents) and documents by type and year."""
    import pandas as pd

    counts = store.counts()
    frame = _mentions_frame(store)
    most = _ranked(frame, [], top)
    for row in most:
        row.pop("rank")
    by_year = _ranked(frame[frame["year"].notna()], ["year"], min(top, 5))
    docs = pd.read_sql_query("SELECT type, substr(date, 1, 4) AS year FROM documents",
                             store.db)
    docs = docs.fillna({"type": "(unknown)", "year": "(undated)"})
    sizes = docs.groupby(["type", "year"]).size().sort_index(level=[1, 0])
    by_type_year = [{"type": str(t), "year": str(y), "documents": int(n)}
                    for (t, y), n in zip(sizes.index, sizes, strict=True)]
    return {"db": str(path), **counts, "index": index_state(path, store),
            "most_cited": most, "most_cited_by_year": by_year, "by_type_year": by_type_year}


def type_year_table(by_type_year: list[dict[str, Any]]) -> tuple[list[dict[str, Any]],
                                                                 list[str]]:
    """Documents by type (rows) and year (columns), with totals, for people to read."""
    import pandas as pd

    frame = pd.DataFrame(by_type_year, columns=["type", "year", "documents"])
    table = frame.pivot_table(index="type", columns="year", values="documents",
                              aggfunc="sum", fill_value=0, margins=True, margins_name="all")
    rows = [{"type": t, **{str(c): int(v) for c, v in row.items()}}
            for t, row in table.iterrows()]
    return rows, ["type", *[str(c) for c in table.columns]]
