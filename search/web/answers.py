"""The answers the pages and the JSON API share: each is the CLI's `--json` object, built
by the CLI's own functions (``vanban.search.commands``, ``reporting``, ``citations``)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

import click

from vanban.corpus.model import Directive, Document
from vanban.index.files import Freshness
from vanban.search.commands import SearchOptions, UserError, search_hits, search_object
from vanban.search.options import DATE_FORMATS, parse_date, resolve_type
from vanban.search.web.access import CorpusAccess, Unavailable


class Problem(Exception):
    """A request that gets an error page (or JSON error) with ``status`` and ``message``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class UploadTooLarge(Problem):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the upload is over the {limit / 1024 / 1024:g} MB limit "
                              "(the server's --max-mb)")


@dataclass(frozen=True)
class SearchForm:
    """The search filters, as typed in the form or the query string."""

    q: str = ""
    k: int = 10
    type: str = ""
    issuer: str = ""
    date_from: str = ""
    date_to: str = ""
    cites: str = ""
    group_by: str = "document"

    def options(self) -> SearchOptions:
        """The CLI's options (``Problem`` 400 for a bad date or group)."""
        if self.group_by not in ("passage", "document"):
            raise Problem(400, f"group_by: {self.group_by!r} is not passage or document")
        dates = [_date(d) for d in (self.date_from, self.date_to)]
        if dates[0] and dates[1] and dates[0][1] > dates[1][2]:
            raise Problem(400, f"from {dates[0][0]} is after to {dates[1][0]}")
        try:
            typ = resolve_type(self.type) if self.type.strip() else None
        except ValueError as exc:
            raise Problem(400, str(exc)) from None
        return SearchOptions(k=self.k, type=typ, issuer=self.issuer.strip() or None,
                             date_from=dates[0][0] if dates[0] else None,
                             date_to=dates[1][0] if dates[1] else None,
                             cites=self.cites.strip() or None,
                             group_by_document=self.group_by == "document")


def _date(value: str) -> tuple[str, str, str] | None:
    """(ISO prefix, first day, last day) of a typed date, as the CLI reads it."""
    if not value.strip():
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise Problem(400, f"{value!r} is not a date ({DATE_FORMATS})") from None


def search_answer(access: CorpusAccess, form: SearchForm
                  ) -> tuple[dict[str, Any], Freshness]:
    """(`vanban search --json` object, how the index answering it stands to the corpus)."""
    if not form.q.strip():
        raise Problem(400, "empty query — type some words, a phrase or a symbol")
    opts = form.options()
    searcher = access.searcher()
    try:
        hits = search_hits(searcher, form.q, opts)
    except click.UsageError as exc:
        raise Problem(400, exc.message) from None
    except (TypeError, sqlite3.DatabaseError):  # a passage went while an ingest runs
        raise Problem(503, "the corpus is being updated — try again in a moment") from None
    return search_object(form.q, hits), access.freshness(searcher)


def cites_answer(access: CorpusAccess, symbol: str
                 ) -> tuple[str, list[dict[str, Any]], str | None]:
    """(what was asked for: a canonical symbol or a name, `vanban cites --json` objects,
    doc id of the directive itself).  ``Problem`` 404 when the corpus neither holds nor
    cites it."""
    from vanban.search.citations import canonical_query_symbol, citing_documents
    from vanban.search.report import find_in_corpus

    with access.store() as store:
        try:
            canonical, docs = citing_documents(store, symbol)
        except UserError as exc:
            raise Problem(404, str(exc)) from None
        try:
            own = find_in_corpus(store, Directive(symbol=canonical_query_symbol(canonical)))
        except UserError:  # a name
            own = None
    if not docs and own is None:
        raise Problem(404, f"no corpus document is or cites {canonical}")
    return canonical, docs, own


def document_answer(access: CorpusAccess, doc_id: str
                    ) -> tuple[Document, dict[str, Any], list[dict[str, Any]]]:
    """(stored document, `vanban show --json` object, `cites` objects of who cites it)."""
    from vanban.search.citations import citing_documents
    from vanban.search.commands import show_object

    with access.store() as store:
        try:
            obj = show_object(store, doc_id)
        except UserError as exc:
            raise Problem(404, str(exc)) from None
        doc = store.get(doc_id)
        if doc is None:  # removed in between
            raise Problem(404, f"no document {doc_id!r} in the corpus")
        cited_by: list[dict[str, Any]] = []
        if doc.identity.symbol:
            try:
                _, cited_by = citing_documents(store, doc.identity.symbol)
            except UserError:
                cited_by = []
    year = int(doc.date[:4]) if doc.date and doc.date[:4].isdigit() else None
    return doc, obj, [d for d in cited_by if d["doc_id"] != doc.doc_id
                      and (year is None or d["directive_year"] in (None, year))]


def stats_answer(access: CorpusAccess, top: int = 20) -> dict[str, Any]:
    """The `vanban stats --json` object."""
    from vanban.search.citations import corpus_stats

    with access.store() as store:
        return corpus_stats(access.path, store, top=top)


__all__ = ["CorpusAccess", "Problem", "SearchForm", "Unavailable", "cites_answer",
           "document_answer", "search_answer", "stats_answer"]
