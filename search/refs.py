"""`vanban refs`: the directives one input relies on."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from vanban.corpus.model import Page, RawDocument
from vanban.corpus.store import Store
from vanban.ingest.pipeline import build_document, read_documents
from vanban.ingest.read.clean import clean_scraped
from vanban.ingest.read.readers import ReadError
from vanban.search.commands import UserError
from vanban.search.report import refs_object


def refs_for_path(path: str, store: Store | None, sort: str = "first") -> list[dict[str, Any]]:
    """One `refs` object per document in ``path`` ('-' = stdin); raises ``UserError``."""
    if path == "-":
        cleaned = clean_scraped(sys.stdin.read())
        if not cleaned.text.strip():
            raise UserError("empty input")
        raw = RawDocument(source="-", pages=(Page(None, cleaned.text),), date=cleaned.date,
                          doc_id="stdin")
        docs = [build_document(raw, "-")]
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
    return [refs_object(d.source, d.text, d.identity, d.references, d.dates, d.page_starts,
                        store, date=d.date, title=d.identity.title or d.title, sort=sort)
            for d in docs]
