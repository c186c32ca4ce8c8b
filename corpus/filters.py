"""Which documents a command asks for, as people type it: the filters `list` and `search`
share, and the accent-free folding they match with."""

from __future__ import annotations

import fnmatch
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentFilter:
    """Which documents a command asks for.  ``type`` is a canonical type name; ``issuer``
    matches issuer or own symbol, accents and case optional; dates are ISO
    prefixes (YYYY, YYYY-MM or YYYY-MM-DD); ``source`` is a glob on the stored source path
    (or its last parts: ``reports/*.pdf``)."""

    type: str | None = None
    issuer: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class DocumentInfo:
    """One line of `vanban list`."""

    doc_id: str
    title: str | None
    date: str | None
    type: str | None
    issuer: str | None
    source: str
    pages: int
    references: int
    directives: int


def fold(text: str | None) -> str | None:
    """Lower case, no accents (đ → d), single spaces: how people type filters."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


def document_conditions(f: DocumentFilter, alias: str = "d") -> tuple[list[str], list[object]]:
    """SQL conditions (on table alias ``alias`` of documents) for the filter's type, issuer
    and dates; the source glob is applied by ``source_matches``."""
    where: list[str] = []
    args: list[object] = []
    if f.type:
        where.append(f"vb_fold({alias}.type) = ?")
        args.append(fold(f.type))
    if f.issuer:
        like = "%" + (fold(f.issuer) or "").replace("\\", "\\\\").replace(
            "%", "\\%").replace("_", "\\_") + "%"
        cols = ("issuer", "symbol")
        where.append("(" + " OR ".join(f"vb_fold({alias}.{c}) LIKE ? ESCAPE '\\'"
                                       for c in cols) + ")")
        args += [like] * len(cols)
    if f.date_from:
        where.append(f"{alias}.date >= ?")
        args.append(f.date_from)
    if f.date_to:
        where.append(f"substr({alias}.date, 1, ?) <= ?")
        args += [len(f.date_to), f.date_to]
    return where, args


def source_matches(pattern: str, source: str) -> bool:
    """``pattern`` matches the whole source path or its last parts (``*.pdf``,
    ``reports/*.docx``)."""
    path = source.replace("\\", "/")
    return fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path, "*/" + pattern)
