"""The directives a text relies on: mentions grouped into one entry per directive.

``refs_object`` builds the `vanban refs --json` object of one input: its own identity,
one entry per directive (relation, mentions, first page and sentence, pinpoints, whether
the corpus holds it, who replaced or amended it) and the warnings a clerk must check.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from vanban.corpus.model import (
    DateMention,
    Directive,
    DocumentIdentity,
    Reference,
    relation_strength,
)
from vanban.corpus.store import Store, page_at
from vanban.ingest.extract.symbols import parse_symbol
from vanban.ingest.normalize import match_key
from vanban.search.changes import Change, find_changes, reattribute, title_changes

SORTS = ("first", "mentions")
_SENTENCE_END = re.compile(r"[.!?;]\s|\n")


@dataclass(frozen=True)
class ChangeNote:
    """A directive was replaced, repealed or amended (``relation``) by another one.

    ``doc_id`` is the corpus document stating it, or None when the text itself does."""

    relation: str
    symbol: str | None
    name: str | None = None
    date: str | None = None
    doc_id: str | None = None

    def json(self) -> dict[str, Any]:
        return {"relation": self.relation, "symbol": self.symbol, "name": self.name,
                "date": self.date, "doc_id": self.doc_id,
                "found_in": "corpus" if self.doc_id else "text"}


@dataclass
class DirectiveEntry:
    """One distinct directive of a text, with all its mentions."""

    directive: Directive
    mentions: list[Reference] = field(default_factory=list)
    changed_by: list[ChangeNote] = field(default_factory=list)

    @property
    def relation(self) -> str:
        return min((m.relation for m in self.mentions), key=relation_strength)

    @property
    def pinpoints(self) -> list[str]:
        """The Điều/khoản/điểm cited, in order, each once."""
        return list(dict.fromkeys(m.pinpoint for m in self.mentions if m.pinpoint))

    @property
    def dates_cited(self) -> list[str]:
        """The distinct dates the mentions give, in order."""
        return list(dict.fromkeys(m.directive.date for m in self.mentions if m.directive.date))


def _merge(a: Directive, b: Directive) -> Directive:
    """Fill what ``a`` lacks from ``b``."""
    return Directive(**{k: getattr(a, k) if getattr(a, k) is not None else getattr(b, k)
                        for k in a.__dataclass_fields__})


def group_references(refs: Sequence[Reference]) -> list[DirectiveEntry]:
    """One entry per distinct directive, in order of first mention.

    Same symbol and locality → one directive.  Two dates of different years stay apart
    when the symbol has no year of its own (Party numbers restart each term: 18-NQ/TW of
    2017 and of 2022; State numbers each year); two dates of one year, or of a symbol with
    its year (30/2020/NĐ-CP), are one directive cited with a wrong date.  A mention without
    a date joins the first entry of its symbol.  Numberless directives group by name."""
    entries: list[DirectiveEntry] = []
    for ref in sorted(refs, key=lambda r: r.start):
        entry = _find(entries, ref.directive)
        if entry is None:
            entries.append(DirectiveEntry(ref.directive, [ref]))
        else:
            entry.mentions.append(ref)
            entry.directive = _merge(entry.directive, ref.directive)
    return entries


def _symbol_year(symbol: str) -> int | None:
    parsed = parse_symbol(symbol)
    return parsed.year if parsed else None


def _find(entries: list[DirectiveEntry], d: Directive) -> DirectiveEntry | None:
    for e in entries:
        ed = e.directive
        if d.symbol:
            if ed.symbol != d.symbol:
                continue
            if d.locality and ed.locality and d.locality != ed.locality:
                continue
            if d.date and ed.date and d.date[:4] != ed.date[:4] and \
                    _symbol_year(d.symbol) is None:
                continue
            return e
        elif ed.symbol is None and match_key(ed.name or "") == match_key(d.name or ""):
            return e
    return None


def sentence_at(text: str, start: int, end: int, limit: int = 300) -> str:
    """The sentence holding ``text[start:end]`` (cut to about ``limit`` characters)."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 2000), start)),
               default=max(0, start - 2000))
    m = _SENTENCE_END.search(text, end)
    right = m.start() + 1 if m else len(text)
    sentence = " ".join(text[left:right].split())
    if len(sentence) > limit:
        a = max(0, start - left - limit // 2)
        sentence = ("…" if a else "") + sentence[a:a + limit].strip() + "…"
    return sentence


def entry_json(entry: DirectiveEntry, page_starts: Sequence[int],
               in_corpus: str | None = None, text: str | None = None) -> dict[str, Any]:
    d = entry.directive
    first = entry.mentions[0]
    return {
        "symbol": d.symbol, "name": d.name, "type": d.type, "number": d.number,
        "year": d.year, "issuer": d.issuer, "locality": d.locality, "date": d.date,
        "title": d.title, "relation": entry.relation,
        "mentions": [{"text": m.surface, "start": m.start, "end": m.end,
                      "page": page_at(page_starts, m.start), "pinpoint": m.pinpoint,
                      "short_form": m.short_form, "resolved": m.resolved}
                     for m in entry.mentions],
        "in_corpus": in_corpus,
        "first_page": page_at(page_starts, first.start),
        "sentence": sentence_at(text, first.start, first.end) if text is not None else None,
        "pinpoints": entry.pinpoints,
        "dates_cited": entry.dates_cited,
        "changed_by": [c.json() for c in entry.changed_by],
    }


def date_json(d: DateMention) -> dict[str, Any]:
    return {"text": d.surface, "value": d.value, "granularity": d.granularity,
            "start": d.start, "end": d.end}


def identity_json(ident: DocumentIdentity, date: str | None = None,
                  title: str | None = None) -> dict[str, Any]:
    return {"symbol": ident.symbol, "type": ident.type, "issuer": ident.issuer,
            "date": date or ident.date, "title": title or ident.title,
            "locality": ident.locality}


def find_in_corpus(store: Store | None, d: Directive) -> str | None:
    """Doc id of the corpus document whose own number is this directive's symbol (or, for
    one cited by name and day, of that name and day)."""
    if store is None:
        return None
    from vanban.search.lookup import document_for, document_named

    return document_for(store, d) if d.symbol else document_named(store, d)


def text_changes(entries: Sequence[DirectiveEntry], changes: Sequence[Change]) -> None:
    """Record on each entry who the text says replaced or amended it."""
    by_start = {m.start: e for e in entries for m in e.mentions}
    for ch in changes:
        entry = by_start.get(ch.target.start)
        if entry is None or ch.by is None:
            continue
        by = ch.by.directive
        note = ChangeNote(ch.relation, by.symbol, None if by.symbol else by.name, by.date)
        if note not in entry.changed_by and by.symbol != entry.directive.symbol:
            entry.changed_by.append(note)


def sort_entries(entries: list[DirectiveEntry], sort: str) -> list[DirectiveEntry]:
    """By first appearance (as grouped), or by number of mentions (ties: first first)."""
    if sort == "mentions":
        return sorted(entries, key=lambda e: -len(e.mentions))
    return entries


def refs_object(source: str, text: str, identity: DocumentIdentity,
                refs: Sequence[Reference], dates: Sequence[DateMention],
                page_starts: Sequence[int] = (), store: Store | None = None,
                date: str | None = None, title: str | None = None,
                sort: str = "first") -> dict[str, Any]:
    """The `vanban refs --json` object of one input."""
    from vanban.search.warnings import check_entries, corpus_twins

    changes = find_changes(text, refs, identity.type)
    if identity.symbol or identity.type:
        changes += title_changes(text, refs)
    entries = group_references(reattribute(refs, changes))
    text_changes(entries, changes)
    in_corpus = [find_in_corpus(store, e.directive) for e in entries]
    if store is not None:
        from vanban.search.lookup import corpus_changes

        own = replace(identity, date=date or identity.date)
        for e in entries:
            for note in corpus_changes(store, e.directive, own):
                if note not in e.changed_by:
                    e.changed_by.append(note)
    cited = frozenset(e.directive.symbol for e in entries if e.directive.symbol)
    twins = corpus_twins(store, sorted(cited)) if store is not None else None
    warnings = check_entries(entries, text, cited, twins)
    where = {id(e): i for i, e in enumerate(entries)}
    return {
        "source": source,
        "document": identity_json(identity, date, title),
        "references": [entry_json(e, page_starts, in_corpus[where[id(e)]], text)
                       for e in sort_entries(entries, sort)],
        "dates": [date_json(d) for d in dates],
        "warnings": [w.json() for w in warnings],
    }
