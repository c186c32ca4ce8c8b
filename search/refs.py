"""`vanban refs`: the directives one input relies on."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from vanban.corpus.model import Document
from vanban.corpus.store import Store, content_hash
from vanban.ingest.pipeline import build_document, read_documents
from vanban.ingest.read.readers import Limits, ReadError, read_bytes, text_document
from vanban.search.commands import UserError
from vanban.search.report import refs_object


def read_inputs(path: str, limits: Limits | None = None) -> list[Document]:
    """The documents of one input ('-' = stdin); raises ``UserError``."""
    if path == "-":
        data = sys.stdin.buffer.read((limits or Limits()).max_bytes + 1)
        try:
            raw = replace(read_bytes(data), doc_id="stdin")
        except ReadError as exc:
            raise UserError(str(exc)) from None
        return [build_document(raw, content_hash(data))]
    p = Path(path)
    if p.is_dir():
        raise UserError("is a directory (give files, or use `vanban ingest`)")
    try:
        return list(read_documents(p, limits))
    except ReadError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(exc.strerror or str(exc)) from None


def typed_document(text: str, source: str = "text") -> Document:
    """A text given as a string (typed, pasted) as one document; ``UserError`` when empty."""
    raw = replace(text_document(source, text), doc_id="stdin" if source == "-" else source)
    if not "".join(p.text for p in raw.pages).strip():
        raise UserError("empty input")
    return build_document(raw, content_hash(text.encode("utf-8", "replace")))


def refs_for_document(d: Document, store: Store | None, sort: str = "first",
                      source: str | None = None) -> dict[str, Any]:
    """The `refs` object of one document (``source`` names it, else its own source)."""
    return _with_sources(refs_object(source or d.source, d.text, d.identity, d.references,
                                     d.dates, d.page_starts, store, date=d.date,
                                     title=d.title, sort=sort), d)


def refs_for_path(path: str, store: Store | None, sort: str = "first",
                  limits: Limits | None = None) -> list[dict[str, Any]]:
    """One `refs` object per document in ``path`` ('-' = stdin); raises ``UserError``."""
    return [refs_for_document(d, store, sort) for d in read_inputs(path, limits)]


def refs_for_text(text: str, store: Store | None, sort: str = "first",
                  source: str = "text") -> list[dict[str, Any]]:
    """The `refs` object of a text given as a string; raises ``UserError`` when empty."""
    return [refs_for_document(typed_document(text, source), store, sort)]


def _with_sources(obj: dict[str, Any], doc: Document) -> dict[str, Any]:
    """Where the document's title and date came from; what reading the file could not use."""
    obj["document"]["title_source"] = doc.title_source if doc.title else None
    obj["document"]["date_source"] = doc.date_source if doc.date else None
    obj["warnings"] = obj["warnings"] + [
        {"code": "file_metadata", "symbol": None, "name": None, "message": w}
        for w in doc.warnings]
    return obj
