"""Read what the text says around a mention: its date, issuer, title and pinpoint.

"Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương về “Tăng cường …”":
the date must follow the symbol (after "ngày", "ban hành ngày"); the issuer follows "của";
the title follows "về" or sits in quotes.  "khoản 2 Điều 5 Nghị định …" is a pinpoint.
"""

from __future__ import annotations

import bisect
import re

from corpus.model import DateMention
from ingest.issuers import issuer_words, official_issuer
from ingest.lexicon import fuzzy
from ingest.mentions import Doc, Mention, words_after, words_before

__all__ = ["attach_facts", "date_after", "issuer_after", "pinpoint_before", "title_after"]

_GAP_RE = re.compile(
    r"[ ,(]*(?:(?:"
    + fuzzy("duoc")
    + r"\s+|"
    + fuzzy("da")
    + r"\s+)?(?:"
    + fuzzy("ban hanh")
    + "|"
    + fuzzy("ky")
    + "|"
    + fuzzy("thong qua")
    + r")\s+(?:"
    + fuzzy("vao")
    + r"\s+)?)?"
)
_CITATION_START_RE = re.compile(r"\(\s*" + fuzzy("dieu") + r"\s+[0-9a-z.]+\s+$")
_EFFECT_RE = re.compile(r",\s*" + fuzzy("co hieu luc"))
_OF_RE = re.compile(r"[ ,]*(?:" + fuzzy("cua") + ")\\s+")
_ABOUT_RE = re.compile(r"[ ,]*(?:v/v|" + fuzzy("ve viec") + "|" + fuzzy("ve") + r")\s+")
_QUOTES = {"“": "”", '"': '"', "«": "»", "‘": "’", "'": "'"}
_TITLE_STOP_RE = re.compile(r",\s*(?=\S)|\s(?:đã|đang|sẽ|được|thì|là)\s")
_CLAUSE_END_RE = re.compile(r"[;\n()]|\.(?:\s|$)|:\s")
_QUOTED_SOON_RE = re.compile(
    r"(?:"
    + fuzzy("viec")
    + r"\s+)?(?:"
    + fuzzy("ban hanh")
    + "|"
    + fuzzy("phe duyet")
    + "|"
    + fuzzy("thong qua")
    + r")?[^“\"«;\n]{0,25}?[“\"«]"
)
_PIN_UNIT = (
    r"(?:"
    + "|".join(
        fuzzy(k)
        for k in (
            "diem",
            "khoan",
            "dieu",
            "chuong",
            "muc",
            "tiet",
            "phan",
            "phu luc",
            "cac dieu",
            "cac khoan",
        )
    )
    + r")\s+[0-9a-zđ]{1,5}(?:\.[0-9]+)*(?:\s*(?:,|"
    + fuzzy("va")
    + r")\s*[0-9a-zđ]{1,5}(?:\.[0-9]+)*)*"
)
_PIN_RE = re.compile(
    r"(?:" + _PIN_UNIT + r")(?:\s*,?\s*(?:" + fuzzy("va") + r"\s+)?" + _PIN_UNIT + r")*"
    r"(?:\s+(?:" + fuzzy("cua") + "|" + fuzzy("tai") + r"))?\s*$"
)
_PIN_TRAIL_RE = re.compile(r"[\s,]+(?:" + fuzzy("cua") + "|" + fuzzy("tai") + r")?\s*$")

_SUBJECT_VERB_RE = re.compile(
    r"\s(?:đã\s+|vừa\s+|mới\s+|cũng\s+)?(?:ký\s+)?(?:ban\s+hành|có|ký|trình|gửi|phát\s+hành"
    r"|xây\s+dựng|thông\s+qua)\s+(?:văn\s+bản\s+(?:số\s+)?)?$"
)
_MAX_SUBJECT_WORDS = 12
_MAX_TITLE = 300


def date_after(doc: Doc, pos: int, *, day_only: bool = True) -> DateMention | None:
    """The date stated right after ``pos`` ("ngày 03/6/2013", "ban hành ngày …")."""
    gap = _GAP_RE.match(doc.low, pos)
    start = gap.end() if gap else pos
    date = doc.dates_by_start.get(start)
    if date is None:
        return None
    if date.granularity == "day" or (not day_only and date.granularity == "year"):
        return date
    return None


def issuer_after(doc: Doc, pos: int) -> tuple[str, int] | None:
    """The issuer named after ``pos`` ("của Ban Bí thư Trung ương"), and where it ends."""
    of = _OF_RE.match(doc.low, pos)
    if of is None:
        return None
    words = words_after(doc, of.end(), 110)
    taken = issuer_words(doc, words)
    if taken == 0:
        return None
    end = words[taken - 1].end
    return official_issuer(" ".join(doc.text[of.end() : end].split())), end


def issuer_before(doc: Doc, start: int) -> str | None:
    """The subject issuing the mention: "Huyện ủy đã ban hành Kế hoạch số 45-KH/HU"."""
    verb = _SUBJECT_VERB_RE.search(doc.low, max(0, start - 30), start)
    if verb is None:
        return None
    words = [w for w in words_before(doc, verb.start(), 100) if w.key != "\n"]
    for first in range(max(0, len(words) - _MAX_SUBJECT_WORDS), len(words)):
        run = words[first:]
        if issuer_words(doc, run) == len(run) and run:
            if (
                first
                and words[first - 1].key.isalpha()
                and issuer_words(doc, words[first - 1 :]) == len(run) + 1
            ):
                continue
            return official_issuer(" ".join(doc.text[run[0].start : run[-1].end].split()))
    return None


def _quoted(doc: Doc, start: int, limit: int) -> tuple[str, int] | None:
    opening = doc.text[start : start + 1]
    closing = _QUOTES.get(opening)
    if closing is None:
        return None
    end = doc.text.find(closing, start + 1, min(limit, start + _MAX_TITLE))
    if end < 0:
        return None
    title = " ".join(doc.text[start + 1 : end].split())
    return (title, end + 1) if title else None


def _title_end(doc: Doc, start: int, end: int) -> int:
    """Cut an unquoted title before a new clause: ", Huyện ủy đã …", " được ký kết"."""
    if doc.text[start:end].isupper():
        return end
    for match in _TITLE_STOP_RE.finditer(doc.low, start, end):
        if match.group().startswith(","):
            if doc.text[match.end() : match.end() + 1].isupper():
                return match.start()
        else:
            return match.start()
    return end


def title_after(doc: Doc, pos: int, limit: int) -> tuple[str, int] | None:
    """The title after ``pos``: a quoted title, or the phrase after "về", up to the clause end."""
    space = pos
    while space < limit and doc.text[space] in " ,":
        space += 1
    quoted = _quoted(doc, space, len(doc.text))
    if quoted is not None:
        return quoted
    about = _ABOUT_RE.match(doc.low, pos, limit)
    if about is None:
        return None
    soon = _QUOTED_SOON_RE.match(doc.low, about.end(), limit)
    if soon is not None:
        quoted = _quoted(doc, soon.end() - 1, len(doc.text))
        if quoted is not None:
            return quoted
    end = min(limit, about.end() + _MAX_TITLE)
    clause = _CLAUSE_END_RE.search(doc.text, about.end(), end)
    if clause is not None:
        end = clause.start()
    end = _title_end(doc, about.end(), end)
    title = doc.text[about.end() : end].rstrip(" ,")
    title = re.sub(r"(?:,| và| hoặc)$", "", title).rstrip(" ,")
    return (" ".join(title.split()), about.end() + len(title)) if title else None


def pinpoint_before(doc: Doc, start: int) -> str | None:
    """ "khoản 2 Điều 5" in "… khoản 2 Điều 5 Nghị định số …"."""
    window_start = max(0, start - 90)
    match = _PIN_RE.search(doc.low, window_start, start)
    if match is None or (match.start() > 0 and doc.low[match.start() - 1].isalnum()):
        return None
    text = doc.text[match.start() : start]
    trail = _PIN_TRAIL_RE.search(text)
    if trail is not None:
        text = text[: trail.start()]
    return " ".join(text.split()) or None


def _title_then_date(doc: Doc, pos: int, limit: int) -> tuple[str, DateMention] | None:
    """ "Luật số 08/2007/QH12 Tương trợ tư pháp ngày 21/11/2007 của Quốc hội"."""
    if pos + 1 >= len(doc.text) or doc.text[pos] != " " or not doc.text[pos + 1].isupper():
        return None
    index = bisect.bisect_left(doc.date_starts, pos)
    if index >= len(doc.date_starts):
        return None
    date = doc.dates[index]
    if date.start > min(limit, pos + 250) or date.granularity != "day":
        return None
    between = doc.text[pos : date.start]
    if re.search(r"[;\n()“”\"]", between) or not _OF_RE.match(doc.low, date.end):
        return None
    title = " ".join(between.split())
    return (title, date) if title else None


def _source_citation(doc: Doc, mention: Mention) -> tuple[str, DateMention] | None:
    """ "(Điều 1 Thông tư số 01/2018/TT-BVHTTDL Quy định … ngày 18/01/2018 của Bộ …, có hiệu
    lực thi hành …)": the source citation of codified law; its date is the last one before
    the effect clause, followed by the issuer."""
    if not _CITATION_START_RE.search(doc.low, max(0, mention.start - 16), mention.start):
        return None
    marker = _EFFECT_RE.search(doc.low, mention.end, mention.end + 700)
    if marker is None:
        return None
    index = bisect.bisect_left(doc.date_starts, marker.start()) - 1
    while index >= 0 and doc.dates[index].start > mention.end:
        date = doc.dates[index]
        if date.granularity == "day" and _OF_RE.match(doc.low, date.end):
            title = " ".join(doc.text[mention.end : date.start].split())
            return title, date
        index -= 1
    return None


def attach_facts(doc: Doc, mention: Mention, limit: int) -> None:
    """Fill in date, issuer, title and pinpoint of ``mention`` (``limit``: next mention)."""
    pos = mention.end
    date = date_after(doc, pos, day_only=mention.kind == "symbol")
    if date is None and mention.kind == "symbol":
        titled = _title_then_date(doc, pos, limit) or _source_citation(doc, mention)
        if titled is not None:
            mention.title, date = titled
            if mention.type_name in {"Luật", "Bộ luật", "Pháp lệnh"} and mention.name is None:
                mention.name = f"{mention.type_name} {mention.title}"
    if date is not None:
        if date.granularity == "day":
            mention.date = date.value
        mention.year = mention.year or int(date.value[:4])
        pos = date.end
    issuer = issuer_after(doc, pos)
    if issuer is not None:
        mention.issuer, pos = issuer
    elif mention.kind in {"symbol", "numbered"}:
        mention.issuer = issuer_before(doc, mention.start)
        mention.subject_issuer = mention.issuer is not None
    mention.facts_end = pos
    if mention.title is None:
        title = title_after(doc, pos, limit)
        if title is not None:
            mention.title, pos = title
    mention.tail = max(mention.tail, pos)
    mention.pinpoint = pinpoint_before(doc, mention.start)
