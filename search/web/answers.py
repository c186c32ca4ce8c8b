"""The answers the pages and the JSON API share: each is the CLI's `--json` object, built
by the CLI's own functions (``vanban.search.commands``, ``reporting``, ``citations``)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

import click

from vanban.corpus.model import Directive, Document
from vanban.search.commands import SearchOptions, UserError, check_date, run_query, search_object
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
    group_by: str = "passage"

    def options(self) -> SearchOptions:
        """The CLI's options (``Problem`` 400 for a bad date or group)."""
        if self.group_by not in ("passage", "document"):
            raise Problem(400, f"group_by: {self.group_by!r} is not passage or document")
        try:
            dates = [check_date(d) if d.strip() else None
                     for d in (self.date_from, self.date_to)]
        except UserError as exc:
            raise Problem(400, str(exc)) from None
        return SearchOptions(k=self.k, type=self.type.strip() or None,
                             issuer=self.issuer.strip() or None, date_from=dates[0],
                             date_to=dates[1], cites=self.cites.strip() or None,
                             group_by_document=self.group_by == "document")


def search_answer(access: CorpusAccess, form: SearchForm) -> tuple[dict[str, Any], bool]:
    """(`vanban search --json` object, whether the index is current)."""
    if not form.q.strip():
        raise Problem(400, "empty query — type some words, a phrase or a symbol")
    opts = form.options()
    searcher = access.searcher()
    try:
        hits = run_query(searcher, form.q, opts)
    except click.UsageError as exc:
        raise Problem(400, exc.message) from None
    except (TypeError, sqlite3.DatabaseError):  # a passage went while an ingest runs
        raise Problem(503, "the corpus is being updated — try again in a moment") from None
    return search_object(form.q, hits), access.index_is_current(searcher.store)


def cites_answer(access: CorpusAccess, symbol: str
                 ) -> tuple[str, list[dict[str, Any]], str | None]:
    """(canonical symbol, `vanban cites --json` objects, doc id of the directive itself).
    ``Problem`` 404 when the corpus neither holds nor cites it."""
    from vanban.search.citations import citing_documents
    from vanban.search.report import find_in_corpus

    with access.store() as store:
        try:
            canonical, docs = citing_documents(store, symbol)
        except UserError as exc:
            raise Problem(404, str(exc)) from None
        own = find_in_corpus(store, Directive(symbol=canonical))
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
            doc, obj = show_object(store, doc_id)
        except UserError as exc:
            raise Problem(404, str(exc)) from None
        cited_by: list[dict[str, Any]] = []
        if doc.identity.symbol:
            try:
                _, cited_by = citing_documents(store, doc.identity.symbol)
            except UserError:
                cited_by = []
    return doc, obj, [d for d in cited_by if d["doc_id"] != doc.doc_id]


def stats_answer(access: CorpusAccess, top: int = 20) -> dict[str, Any]:
    """The `vanban stats --json` object."""
    from vanban.search.citations import corpus_stats

    with access.store() as store:
        return corpus_stats(access.path, store, top=top)


__all__ = ["CorpusAccess", "Problem", "SearchForm", "Unavailable", "cites_answer",
           "document_answer", "search_answer", "stats_answer"]
