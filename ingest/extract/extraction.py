"""Extract everything from one normalized text: its own identity, references and dates.

The identity comes from the header of an administrative document ("ỦY BAN NHÂN DÂN /
TỈNH PHÚ THỌ", "Số: 2136/QĐ-UBND", "Phú Thọ, ngày 15 tháng 9 năm 2022", "QUYẾT ĐỊNH",
"Về việc …") or, for a scraped portal page, from its header timestamp ("2018-07-31
10:52:26 Số lượt xem 3220").  The document's own number is never one of its references.
"""

from __future__ import annotations

import re
from collections import Counter

from vanban.corpus.model import DateMention, DocumentIdentity, Extraction, Reference
from vanban.ingest.extract.dates import dates_in, extract_dates
from vanban.ingest.extract.header import HeaderLines, find_header
from vanban.ingest.extract.lexicon import akey
from vanban.ingest.extract.mentions import Doc
from vanban.ingest.extract.places import locality_in, province_in
from vanban.ingest.extract.references import references_in
from vanban.ingest.extract.symbols import parse_symbol
from vanban.ingest.extract.title import compose, find_title
from vanban.ingest.normalize import lower_same_length

__all__ = ["extract", "extract_identity"]

_NAMED_TYPES = frozenset(["Luật", "Bộ luật", "Pháp lệnh"])
_TIMESTAMP_RE = re.compile(r"\s*((?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2})[ T][0-9]{1,2}:[0-9]{2}")
_BODY_LOCALITY_RE = re.compile(
    r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Thành ủy|Thành uỷ|Tỉnh ủy|Tỉnh uỷ|Huyện ủy|"
    r"Huyện uỷ|HĐND|Hội đồng nhân dân) (?:tỉnh|thành phố|huyện|quận|thị xã) "
    r"[^\W\d_]+(?: [^\W\d_]+){0,3}"
)


def _body_locality(text: str) -> str | None:
    """For a text without a header: the locality its local bodies are named with."""
    counts = Counter(
        loc for m in _BODY_LOCALITY_RE.finditer(text[:20000]) if (loc := locality_in(m.group()))
    )
    if not counts:
        # "trên địa bàn tỉnh Phú Thọ", "Sở Nội vụ tỉnh Phú Thọ": the province it keeps naming
        return province_in(text[:20000], min_count=2)
    (best, count), *rest = counts.most_common(2)
    return best if not rest or count > rest[0][1] else None


def _identity_from_header(
    text: str, header: HeaderLines, dates: list[DateMention]
) -> DocumentIdentity:
    parsed = parse_symbol(header.symbol) if header.symbol else None
    date = None
    if header.date_start is not None:
        date = next((d.value for d in dates if d.start == header.date_start), None)
    doc_type = header.type_name
    if doc_type is None and parsed is not None:
        doc_type = parsed.type_name or ("Công văn" if parsed.type_code is None else None)
    locality = (locality_in(header.issuer) if header.issuer else None) or header.place_locality
    return DocumentIdentity(
        symbol=parsed.symbol if parsed else None,
        type=doc_type,
        issuer=header.issuer,
        date=date,
        title=_title(text, header.title, doc_type),
        locality=locality or _body_locality(text),
    )


def _title(text: str, summary: str | None, doc_type: str | None) -> str | None:
    """Kind and summary from the lines under the header; else the header's "V/v …" line
    under the type its number gives ("Công văn về việc …")."""
    kind, found = find_title(text) or (doc_type, "")
    summary = found or summary
    if kind is None:
        return summary
    return compose(kind, summary, text) if summary else kind


def extract_identity(text: str, dates: list[DateMention] | None = None) -> DocumentIdentity:
    """What the text says about itself: number, type, issuer, date, title, locality."""
    if dates is None:
        dates = extract_dates(text[:4000])
    stamp = _TIMESTAMP_RE.match(text)
    header = find_header(text, dates)
    if header is None:
        return DocumentIdentity(
            date=stamp.group(1) if stamp else None, title=_title(text, None, None),
            locality=_body_locality(text),
        )
    identity = _identity_from_header(text, header, dates)
    if identity.date is None and stamp is not None:
        identity = DocumentIdentity(**{**identity.__dict__, "date": stamp.group(1)})
    return identity


def _own_name(identity: DocumentIdentity) -> str | None:
    """The name a law goes by ("LUẬT / THANH TRA" → "luat thanh tra"), as a match key."""
    if identity.type not in _NAMED_TYPES or not identity.title:
        return None
    title = akey(identity.title)
    kind = akey(identity.type)
    return title if title.startswith(kind + " ") else f"{kind} {title}"


def _is_self(reference: Reference, identity: DocumentIdentity, own_name: str | None) -> bool:
    directive = reference.directive
    if directive.symbol is not None:
        return directive.symbol == identity.symbol
    if own_name is None or directive.name is None or akey(directive.name) != own_name:
        return False
    year = int(identity.date[:4]) if identity.date else None
    return directive.year in {None, year} and directive.date in {None, identity.date}


def _not_self(references: list[Reference], identity: DocumentIdentity) -> tuple[Reference, ...]:
    """The references, without the document's own number and (for a law) its own name."""
    if identity.symbol is None and identity.title is None:
        return tuple(references)
    own_name = _own_name(identity)
    return tuple(r for r in references if not _is_self(r, identity, own_name))


def extract(text: str, *, locality: str | None = None) -> Extraction:
    """Identity, references (the document's own number not among them) and dates.

    ``locality`` defaults to the one the document states (``identity.locality``).
    """
    low = lower_same_length(text)
    dates = dates_in(text, low)
    identity = extract_identity(text, dates)
    doc = Doc(text, locality or identity.locality, dates, low)
    refs = references_in(doc, _own_name(identity))
    return Extraction(identity, _not_self(refs, identity), tuple(dates),
                      date_source=_date_source(text, identity))


def _date_source(text: str, identity: DocumentIdentity) -> str | None:
    """"timestamp" when the date is a portal page's timestamp line, else "header"."""
    if identity.date is None:
        return None
    stamp = _TIMESTAMP_RE.match(text)
    if stamp is not None and stamp.group(1) == identity.date:
        return "timestamp"
    return "header"
