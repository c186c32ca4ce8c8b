"""Data types passed between the pipeline stages.

Every span (``start``, ``end``) points into the *stored normalized text* of its
document, so ``text[start:end] == surface`` always holds.  ``None`` means unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GRANULARITIES = ("day", "month", "quarter", "year", "period")

# Where a document's title or date came from, strongest first: the text's own header, a
# portal timestamp line in the text, what the file says of itself (a news URL's slug last),
# the text's first line, and last the PDF's metadata.
FIELD_SOURCES = ("header", "timestamp", "front_matter", "comment_header", "html_title",
                 "html_meta", "jsonl", "docx_properties", "url", "byline", "first_line",
                 "pdf_metadata")

# Relation cues, strongest first: a directive's relation is the strongest of its mentions.
RELATIONS = ("căn cứ", "sửa đổi", "thay thế", "bãi bỏ", "hướng dẫn", "thực hiện", "nhắc đến")


def relation_strength(relation: str) -> int:
    """Rank of a relation (0 = strongest); unknown relations rank last."""
    try:
        return RELATIONS.index(relation)
    except ValueError:
        return len(RELATIONS)


@dataclass(frozen=True)
class Directive:
    """The canonical record of a directive (a cited or citing legal/Party document).

    ``symbol`` is the canonical symbol ("25-NQ/TW", "30/2020/NĐ-CP") or ``None`` for a
    directive known only by ``name`` ("Nghị quyết Hội nghị Trung ương 4 khóa XII").
    """

    symbol: str | None = None
    name: str | None = None
    type: str | None = None
    number: str | None = None
    year: int | None = None
    issuer: str | None = None
    locality: str | None = None
    date: str | None = None
    title: str | None = None

    @property
    def key(self) -> str:
        """Identity within a document: symbol (+ year when known), else the name."""
        if self.symbol:
            return self.symbol if self.date is None else f"{self.symbol}@{self.date[:4]}"
        return f"name:{(self.name or '').lower()}"


@dataclass(frozen=True)
class Reference:
    """One mention of a directive in a text."""

    start: int
    end: int
    surface: str
    directive: Directive
    relation: str = "nhắc đến"
    pinpoint: str | None = None
    short_form: bool = False
    resolved: bool = True


@dataclass(frozen=True)
class DateMention:
    """One date stated in a text, as an ISO value ("2013-06-03", "2017-12", "2024-Q3",
    "2016", "2016/2020") with its granularity (one of ``GRANULARITIES``)."""

    start: int
    end: int
    surface: str
    value: str
    granularity: str


@dataclass(frozen=True)
class DocumentIdentity:
    """What a document says about itself: its own number, type, issuer, date, title."""

    symbol: str | None = None
    type: str | None = None
    issuer: str | None = None
    date: str | None = None
    title: str | None = None
    locality: str | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one normalized text."""

    identity: DocumentIdentity
    references: tuple[Reference, ...] = ()
    dates: tuple[DateMention, ...] = ()
    date_source: str | None = None  # "header" or "timestamp" when ``identity.date`` is set


@dataclass(frozen=True)
class Page:
    """A page of extracted text (1-based ``number``; ``None`` for formats without pages)."""

    number: int | None
    text: str
    ocr: bool = False


@dataclass(frozen=True)
class RawDocument:
    """A file read by an ingest reader, before normalization and extraction.

    ``title_source`` and ``date_source`` say where ``title`` and ``date`` were read (one of
    ``FIELD_SOURCES``); ``warnings`` are what the reader could not use (front matter that
    does not parse)."""

    source: str
    pages: tuple[Page, ...]
    title: str | None = None
    date: str | None = None
    url: str | None = None
    doc_id: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    title_source: str | None = None
    date_source: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Passage:
    """A retrievable unit of a document: a paragraph, or an Điều of a legal text."""

    doc_id: str
    ordinal: int
    start: int
    end: int
    text: str
    page: int | None = None


@dataclass(frozen=True)
class Document:
    """A stored document: normalized text plus what was extracted from it."""

    doc_id: str
    source: str
    content_hash: str
    text: str
    identity: DocumentIdentity
    title: str | None = None
    date: str | None = None
    url: str | None = None
    passages: tuple[Passage, ...] = ()
    references: tuple[Reference, ...] = ()
    dates: tuple[DateMention, ...] = ()
    page_starts: tuple[int, ...] = ()
    ocr_pages: tuple[int, ...] = ()
    title_source: str | None = None  # one of FIELD_SOURCES
    date_source: str | None = None
    warnings: tuple[str, ...] = ()  # from reading the file; not stored
