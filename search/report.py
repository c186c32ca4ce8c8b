"""The directives a text relies on: mentions grouped into one entry per directive."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from corpus.model import (
    DateMention,
    Directive,
    DocumentIdentity,
    Reference,
    relation_strength,
)
from corpus.store import Store, page_at


@dataclass
class DirectiveEntry:
    """One distinct directive of a text, with all its mentions."""

    directive: Directive
    mentions: list[Reference] = field(default_factory=list)

    @property
    def relation(self) -> str:
        return min((m.relation for m in self.mentions), key=relation_strength)


def _merge(a: Directive, b: Directive) -> Directive:
    """Fill what ``a`` lacks from ``b``."""
    return Directive(**{k: getattr(a, k) if getattr(a, k) is not None else getattr(b, k)
                        for k in a.__dataclass_fields__})


def group_references(refs: Sequence[Reference]) -> list[DirectiveEntry]:
    """One entry per distinct directive, in order of first mention.

    Same symbol and locality → one directive, unless two different dates are attached
    (Party numbers restart each term: 18-NQ/TW of 2017 and of 2022).  A mention without
    a date joins the entry of the same symbol.  Numberless directives group by name."""
    entries: list[DirectiveEntry] = []
    for ref in sorted(refs, key=lambda r: r.start):
        d = ref.directive
        entry = _find(entries, d)
        if entry is None:
            entries.append(DirectiveEntry(d, [ref]))
        else:
            entry.mentions.append(ref)
            entry.directive = _merge(entry.directive, d)
    return entries


def _find(entries: list[DirectiveEntry], d: Directive) -> DirectiveEntry | None:
    for e in entries:
        ed = e.directive
        if d.symbol:
            if ed.symbol != d.symbol:
                continue
            if d.locality and ed.locality and d.locality != ed.locality:
                continue
            if d.date and ed.date and d.date != ed.date:
                continue
            return e
        elif ed.symbol is None and (ed.name or "").casefold() == (d.name or "").casefold():
            return e
    return None


def entry_json(entry: DirectiveEntry, page_starts: Sequence[int],
               in_corpus: str | None = None) -> dict[str, Any]:
    d = entry.directive
    return {
        "symbol": d.symbol, "name": d.name, "type": d.type, "number": d.number,
        "year": d.year, "issuer": d.issuer, "locality": d.locality, "date": d.date,
        "title": d.title, "relation": entry.relation,
        "mentions": [{"text": m.surface, "start": m.start, "end": m.end,
                      "page": page_at(page_starts, m.start), "pinpoint": m.pinpoint,
                      "short_form": m.short_form, "resolved": m.resolved}
                     for m in entry.mentions],
        "in_corpus": in_corpus,
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
    """Doc id of the corpus document whose own number is this directive's symbol."""
    if store is None or not d.symbol:
        return None
    matches = store.documents_with_symbol(d.symbol)
    if d.date:
        same = [doc_id for doc_id, date in matches if date == d.date]
        if same:
            return same[0]
        matches = [(i, dt) for i, dt in matches if dt is None or dt[:4] == d.date[:4]]
    return matches[0][0] if matches else None


def refs_object(source: str, text: str, identity: DocumentIdentity,
                refs: Sequence[Reference], dates: Sequence[DateMention],
                page_starts: Sequence[int] = (), store: Store | None = None,
                date: str | None = None, title: str | None = None) -> dict[str, Any]:
    """The `vanban refs --json` object of one input."""
    entries = group_references(refs)
    return {
        "source": source,
        "document": identity_json(identity, date, title),
        "references": [entry_json(e, page_starts, find_in_corpus(store, e.directive))
                       for e in entries],
        "dates": [date_json(d) for d in dates],
    }
