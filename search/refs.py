"""`vanban refs`: the directives one input relies on."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from vanban.corpus.model import Document, Page, RawDocument
from vanban.corpus.store import Store
from vanban.ingest.pipeline import build_document, read_documents
from vanban.ingest.read.clean import clean_scraped
from vanban.ingest.read.readers import ReadError
from vanban.search.commands import UserError
from vanban.search.report import refs_object


def refs_for_path(path: str, store: Store | None, sort: str = "first") -> list[dict[str, Any]]:
    """One `refs` object per document in ``path`` ('-' = stdin); raises ``UserError``."""
    if path == "-":
        return refs_for_text(sys.stdin.read(), store, sort, source="-")
    else:
        p = Path(path)
        if p.is_dir():
            raise UserError("is a directory (give files, or use `vanban ingest`)")
        try:
            docs = list(read_documents(p))
        except ReadError as exc:
            raise UserError(str(exc)) from None
        except OSError as exc:
            raise UserError(exc.strerror or str(exc)) from None
    return _objects(docs, store, sort)


def refs_for_text(text: str, store: Store | None, sort: str = "first",
                  source: str = "text") -> list[dict[str, Any]]:
    """The `refs` object of a text given as a string; raises ``UserError`` when empty."""
    cleaned = clean_scraped(text)
    if not cleaned.text.strip():
        raise UserError("empty input")
    raw = RawDocument(source=source, pages=(Page(None, cleaned.text),), date=cleaned.date,
                      doc_id="stdin" if source == "-" else source)
    return _objects([build_document(raw, source)], store, sort)


def _objects(docs: list[Document], store: Store | None, sort: str) -> list[dict[str, Any]]:
    return [refs_object(d.source, d.text, d.identity, d.references, d.dates, d.page_starts,
                        store, date=d.date, title=d.identity.title or d.title, sort=sort)
            for d in docs]
