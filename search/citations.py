"""The reverse lookup (who cites a directive) and corpus statistics."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from corpus.model import relation_strength
from corpus.store import Store, page_at
from index.files import read_meta
from ingest.symbols import canonical_symbol, parse_query_symbol

_SENTENCE_END = re.compile(r"[.!?;]\s|\n")


def canonical_query_symbol(text: str) -> str:
    return parse_query_symbol(text) or canonical_symbol(text.strip()) or text.strip()


def sentence_at(text: str, start: int, end: int, limit: int = 300) -> str:
    """The sentence holding ``text[start:end]`` (cut to about ``limit`` characters)."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 2000), start)),
               default=max(0, start - 2000))
    m = _SENTENCE_END.search(text, end)
    right = m.start() + 1 if m else len(text)
    sentence = text[left:right].strip()
    if len(sentence) > limit:
        a = max(0, start - left - limit // 2)
        sentence = ("…" if a else "") + sentence[a:a + limit].strip() + "…"
    return sentence


def citing_documents(store: Store, symbol: str) -> tuple[str, list[dict[str, Any]]]:
    """(canonical symbol, one object per citing document, by date)."""
    canonical = canonical_query_symbol(symbol)
    rows = store.db.execute(
        'SELECT d.rowid, d.doc_id, d.title, d.date, d.text, d.page_starts, r.start, r."end",'
        " r.surface, r.relation, r.pinpoint, r.date FROM refs r JOIN documents d"
        " ON d.rowid = r.doc_rowid WHERE r.symbol = ? ORDER BY d.date, d.doc_id, r.start",
        (canonical,)).fetchall()
    docs: dict[int, dict[str, Any]] = {}
    import json

    for (rowid, doc_id, title, date, text, starts_json, start, end, surface, relation,
         pinpoint, ref_date) in rows:
        starts = json.loads(starts_json)
        d = docs.get(rowid)
        if d is None:
            d = docs[rowid] = {
                "doc_id": doc_id, "title": title, "date": date, "symbol": canonical,
                "directive_date": ref_date, "relation": relation,
                "page": page_at(starts, start), "sentence": sentence_at(text, start, end),
                "mentions": []}
        if relation_strength(relation) < relation_strength(d["relation"]):
            d["relation"] = relation
        d["directive_date"] = d["directive_date"] or ref_date
        d["mentions"].append({"text": surface, "start": start, "end": end,
                              "page": page_at(starts, start), "pinpoint": pinpoint})
    return canonical, list(docs.values())


def index_state(path: Path, store: Store) -> dict[str, Any]:
    meta = read_meta(path)
    if meta is None:
        return {"state": "missing"}
    state = "current" if meta.get("fingerprint") == store.fingerprint() else "stale"
    return {"state": state, "passages": meta.get("passages"), "params": meta.get("params"),
            "tokenizer": meta.get("tokenizer"), "built_at": meta.get("built_at")}


def corpus_stats(path: Path, store: Store, top: int = 20) -> dict[str, Any]:
    counts = store.counts()
    most = [
        {"symbol": s, "name": n, "type": t, "date": dt, "documents": nd, "mentions": nm}
        for s, n, t, dt, nd, nm in store.db.execute(
            "SELECT symbol, CASE WHEN symbol IS NULL THEN name END AS nm, max(type), max(date),"
            " count(DISTINCT doc_rowid) AS nd, count(*) FROM refs"
            " GROUP BY coalesce(symbol, lower(name)) ORDER BY nd DESC, count(*) DESC,"
            " symbol LIMIT ?", (top,))
    ]
    by_type_year = [
        {"type": t or "(unknown)", "year": y or "(undated)", "documents": n}
        for t, y, n in store.db.execute(
            "SELECT type, substr(date, 1, 4) AS y, count(*) FROM documents"
            " GROUP BY type, y ORDER BY y, type")
    ]
    return {"db": str(path), **counts, "index": index_state(path, store),
            "most_cited": most, "by_type_year": by_type_year}
