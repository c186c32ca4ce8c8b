"""From a file to stored-ready documents: read → normalize → extract → passages."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from vanban.corpus.model import FIELD_SOURCES, Document, Extraction, RawDocument
from vanban.ingest.extract.extraction import extract
from vanban.ingest.normalize import normalize, strip_accents
from vanban.ingest.passages import split_passages
from vanban.ingest.read.limits import file_errors
from vanban.ingest.read.readers import Limits, read_path

PAGE_BREAK = "\n\n"


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_documents(path: Path, limits: Limits | None = None) -> Iterator[Document]:
    """Every document in one file, ready to store (raises ``ReadError``)."""
    whole_file = path.suffix.lower() != ".jsonl"
    for raw in read_path(path, limits):
        digest = _hash_of(path) if whole_file else None
        yield build_document(raw, digest or raw_hash(raw))


def _hash_of(path: Path) -> str:
    with file_errors():
        return file_hash(path)


def build_document(raw: RawDocument, content_hash: str) -> Document:
    """Normalize the pages of ``raw``, extract references and dates, cut passages."""
    parts: list[str] = []
    page_starts: list[int] = []
    pos = 0
    for page in raw.pages:
        text = normalize(page.text).strip("\n")
        page_starts.append(pos)
        parts.append(text)
        pos += len(text) + len(PAGE_BREAK)
    text = PAGE_BREAK.join(parts)
    has_pages = any(p.number is not None for p in raw.pages)
    starts = tuple(page_starts) if has_pages else ()
    ex = extract(text)
    doc_id = raw.doc_id or slug(Path(raw.source).stem)
    passages = tuple(split_passages(doc_id, text, starts))
    ocr = tuple(p.number for p in raw.pages if p.ocr and p.number is not None)
    title, title_source = _pick([(ex.identity.title, "header"), (raw.title, raw.title_source),
                                 (_first_line(text), "first_line")])
    file_date = _iso(raw.date)
    if raw.date_source == "pdf_metadata" and not _plausible_creation(file_date, ex):
        file_date = None
    date, date_source = _pick([(ex.identity.date, ex.date_source),
                               (file_date, raw.date_source)])
    return Document(
        doc_id=doc_id, source=raw.source, content_hash=content_hash, text=text,
        identity=ex.identity, title=title, date=date, url=raw.url, passages=passages,
        references=ex.references, dates=ex.dates, page_starts=starts, ocr_pages=ocr,
        title_source=title_source, date_source=date_source, warnings=raw.warnings,
    )


def _plausible_creation(created: str | None, ex: Extraction) -> bool:
    """A PDF's creation day stands for the document's date only when the text states no
    date (a day, a month, a year: "năm 2011") more than a year before it: a converter or
    scanner stamps the day it ran, and a 2011 table converted in 2026 is not dated 2026."""
    if created is None:
        return False
    years = [int(d.value[-4:] if d.granularity == "period" else d.value[:4])
             for d in ex.dates if d.value[:4].isdigit()]
    if not years:
        return True
    return int(created[:4]) - max(years) <= 1


def _pick(candidates: list[tuple[str | None, str | None]]) -> tuple[str | None, str | None]:
    """The value whose source ranks first in ``FIELD_SOURCES`` (the text's own header, then
    what the file says of itself, the first line, PDF metadata last), with that source."""
    found = [(value, source or "file") for value, source in candidates if value]
    if not found:
        return None, None
    return min(found, key=lambda pair: _rank(pair[1]))


def _rank(source: str) -> int:
    return FIELD_SOURCES.index(source) if source in FIELD_SOURCES else len(FIELD_SOURCES) - 2


def extract_text(text: str) -> tuple[str, Extraction]:
    """Normalize and extract one text (for `vanban refs` on stdin)."""
    norm = normalize(text)
    return norm, extract(norm)


def with_doc_id(doc: Document, doc_id: str) -> Document:
    """The same document under another id (passages follow)."""
    return replace(doc, doc_id=doc_id,
                   passages=tuple(replace(p, doc_id=doc_id) for p in doc.passages))


def slug(name: str) -> str:
    """An ASCII id from a file name: 'Quyết định 93-2007.pdf' → 'quyet-dinh-93-2007'."""
    ascii_name = strip_accents(unicodedata.normalize("NFC", name)).lower()
    ascii_name = unicodedata.normalize("NFKD", ascii_name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-") or "doc"


def raw_hash(raw: RawDocument) -> str:
    """Content hash of a document that is not a whole file (a .jsonl line)."""
    h = hashlib.sha256()
    for part in (raw.doc_id, raw.title, raw.date, raw.url, *(p.text for p in raw.pages)):
        h.update((part or "").encode("utf-8", "surrogatepass") + b"\x00")
    return h.hexdigest()


_STAMP_LINE = re.compile(r"^\s*(?:19|20)\d\d-[01]\d-[0-3]\d[ T][0-2]?\d:[0-5]\d")
_HEADER_FURNITURE = re.compile(
    r"^(?:CỘNG HÒA|CỘNG HOÀ|ĐẢNG CỘNG SẢN|Độc lập|ĐỘC LẬP|Số\s*:|[UỦ][YỶ] BAN NHÂN DÂN|UBND|"
    r"QUỐC HỘI|CHÍNH PHỦ|ĐẢNG BỘ|TỈNH ỦY|TỈNH UỶ|THÀNH ỦY|THÀNH UỶ|HUYỆN ỦY|HUYỆN UỶ|BỘ |SỞ )")


def _first_line(text: str) -> str | None:
    """A first line that reads as a title: short, not a sentence of the body, not a portal
    timestamp, not the issuer or motto of a header."""
    for line in text.split("\n"):
        s = line.strip()
        if not s or _STAMP_LINE.match(s):
            continue
        if (len(s) > 160 or s.endswith((".", ";", ":")) or _HEADER_FURNITURE.match(s)
                or s.startswith("|")):
            return None
        return s
    return None


_ISO = re.compile(r"^((?:19|20)\d\d)(?:-?([01]\d)(?:-?([0-3]\d))?)?")


def _iso(value: str | None) -> str | None:
    """'20200514', '2020-05-14T08:00', '2020-05' → ISO date; None if not a date."""
    if not value:
        return None
    m = _ISO.match(value.strip())
    if not m:
        return None
    return "-".join(g for g in m.groups() if g)
