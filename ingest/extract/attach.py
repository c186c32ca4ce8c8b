"""Read what the text says around a mention: its date, issuer, title and pinpoint.

"Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương về “Tăng cường …”":
the date must follow the symbol (after "ngày", "ban hành ngày"); the issuer follows "của";
the title follows "về" or sits in quotes.  "khoản 2 Điều 5 Nghị định …" is a pinpoint.
"""

from __future__ import annotations

import bisect
import re

from vanban.corpus.model import DateMention
from vanban.ingest.extract.issuers import issuer_words, official_issuer
from vanban.ingest.extract.lexicon import akey, fuzzy
from vanban.ingest.extract.mentions import Doc, Mention, words_after, words_before

__all__ = ["attach_facts", "date_after", "issuer_after", "pinpoint_before", "title_after"]

_GAP_RE = re.compile(
    r"[\s,(]*(?:(?:"
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
# A title opening with the act itself: "… của Chính phủ ban hành Chương trình …".
_VERB_TITLE_RE = re.compile(
    r"[ ,]*(?P<verb>"
    + fuzzy("sua doi")
    + r",?\s+"
    + fuzzy("bo sung")
    + "|"
    + "|".join(
        fuzzy(v)
        for v in (
            "ban hanh",
            "phe duyet",
            "huong dan",
            "sua doi",
            "bo sung",
            "quy dinh",
            "bai bo",
            "thanh lap",
            "cong bo",
        )
    )
    + r")\s+(?!(?:"
    + "|".join(
        fuzzy(w) for w in ("kem", "ngay", "tai", "theo", "tu", "nam", "thi", "la", "cua", "nhu")
    )
    + r")(?![^\W\d_]))(?=[^\W\d_])"
)
_CLAUSE_VERB_RE = re.compile(
    r"\s(?:đã|đang|sẽ|được|thì|là|đạt|vẫn|còn|chưa|cần|phải|tiếp tục|cho thấy|chịu)\s"
)
_SUBJECT_START_RE = re.compile(
    r",\s+(?:các|những|nhiều|mọi|một số|hầu hết|tất cả|toàn|huyện|xã|tỉnh|thành phố|thị xã|"
    r"quận|phường|thị trấn|ủy ban|uỷ ban|ubnd|cơ quan|đơn vị|cán bộ|tỷ lệ|tỉ lệ|số|kết quả|"
    r"chúng ta|chúng tôi|qua đó|đến nay|nhờ đó|từ đó)\s"
)
_CONJUNCTION_RE = re.compile(
    r",\s+(?:dù|mặc dù|tuy|nhưng|song|trong khi|do đó|vì vậy|vì thế|nên|đồng thời|qua đó|"
    r"từ đó|nhờ đó|góp phần|trong đó|bởi vì)\s"
)
_RUNS_ON_RE = re.compile(r"\s*(?:(?:của|cua)\s+)?")
_ASSEMBLY_TYPES = frozenset(["Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh"])
_MAX_SUBJECT = 12  # words between a clause's first word and its verb
_TITLE_TRAIL_RE = re.compile(
    r"(?:[\s,]+(?:và|hoặc|của|theo|tại|với|cho|để|về|số|các|đối với|so với|trong|ban hành kèm"
    r"|kèm|theo quy định|quy định tại))+$"
)
_QUOTES = {"“": "”", '"': '"', "«": "»", "‘": "’", "'": "'"}
_TITLE_STOP_RE = re.compile(
    r",\s*(?=\S)|\s(?:đã|đang|sẽ|được|thì|là|trái với|hết hiệu lực|có hiệu lực)\s"
    r"|\s(?:ban hành|ký|thông qua)\s+(?:vào\s+)?ngày\s"
)
_CLAUSE_END_RE = re.compile(r"[;()]|\n(?![^\S\n]*[a-zà-ỹđ])|\.(?:\s|$)|:\s")
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
_PIN_ID = r"(?:[0-9]+[a-zđ]?(?:\.[0-9]+)*|[ivxlc]{1,6}|[a-zđ][0-9]{0,2})(?![^\W_])"
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
    + r")\s+"
    + _PIN_ID
    + r"(?:\s*(?:,|"
    + fuzzy("va")
    + r")\s*"
    + _PIN_ID
    + ")*"
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
# Before a date opening a sentence: the line start, a list mark, or the previous sentence.
# A connective may come first: "Cụ thể ngày …", "Trước đó, ngày …", "Vào ngày …".
_SENTENCE_OPENING_RE = re.compile(
    r"(?:.*[.!?]\s+|[\s\-+•*]*)(?:(?:cụ thể|trước đó|theo đó|đồng thời|sau đó|mới đây|tiếp đó"
    r"|trước đây|gần đây|vào)\s*,?\s*)?",
    re.DOTALL | re.IGNORECASE,
)
_DATED_SUBJECT_RE = re.compile(r"\s*,?\s*[^\W\d_](?:[^\d.;:\n()“”\"]*[^\W\d_])?")
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
    conjunction = _CONJUNCTION_RE.search(doc.low, start, end)
    if conjunction is not None:
        end = conjunction.start()
    for match in _TITLE_STOP_RE.finditer(doc.low, start, end):
        if match.group().startswith(","):
            if doc.text[match.end() : match.end() + 1].isupper():
                return match.start()
        else:
            return _subject_start(doc, start, match.start())
    comma = doc.low.find(",", start, end)
    verb = _CLAUSE_VERB_RE.search(doc.low, comma, end) if comma >= 0 else None
    if verb is None:
        return end
    cut = _subject_start(doc, start, verb.start())
    return cut if cut < verb.start() else end  # a verb without a new subject: "xã đạt chuẩn"


def _subject_start(doc: Doc, start: int, verb: int) -> int:
    """Where the clause ending a title at ``verb`` starts: ", các xã, thị trấn đã …" is a
    new subject; without a comma the clause is taken to start at the verb."""
    for comma in _SUBJECT_START_RE.finditer(doc.low, start, verb):
        if len(doc.low[comma.end() : verb].split()) < _MAX_SUBJECT:
            return comma.start()
    last = doc.low.rfind(",", start, verb)
    if last >= 0 and len(doc.low[last + 1 : verb].split()) <= 2:
        return last
    return verb


def title_after(
    doc: Doc, pos: int, limit: int, next_end: int | None = None
) -> tuple[str, int] | None:
    """The title after ``pos``: a quoted title, or the phrase after "về", up to the clause end."""
    space = pos
    while space < limit and doc.text[space] in " ,":
        space += 1
    quoted = _quoted(doc, space, len(doc.text))
    if quoted is not None:
        return quoted
    about = _ABOUT_RE.match(doc.low, pos, limit)
    if about is None:
        verb = _VERB_TITLE_RE.match(doc.low, pos)
        if verb is None or verb.end() > limit:
            return None
        return _plain_title(doc, verb.start("verb"), limit, next_end)
    soon = _QUOTED_SOON_RE.match(doc.low, about.end(), limit)
    if soon is not None:
        quoted = _quoted(doc, soon.end() - 1, len(doc.text))
        if quoted is not None:
            return quoted
    return _plain_title(doc, about.end(), limit, next_end)


def _clause_end(doc: Doc, start: int, end: int) -> int:
    """Where an unquoted title starting at ``start`` ends, at most at ``end``."""
    clause = _CLAUSE_END_RE.search(doc.text, start, end)
    if clause is not None:
        end = clause.start()
    end = _title_end(doc, start, end)
    end = start + len(doc.text[start:end].rstrip(" ,"))
    trail = _TITLE_TRAIL_RE.search(doc.low, start, end)
    return end if trail is None else trail.start()


def _coordinated_pinpoint(doc: Doc, start: int, end: int) -> int | None:
    """Where a title ends that runs into a pinpoint of the next item of a list ("… người lao
    động và Điều 8 Nghị định số …"), or ``None``."""
    pin = _PIN_RE.search(doc.low, max(start, end - 90), end)
    if pin is None or pin.start() <= start or not doc.low[pin.start() - 1].isspace():
        return None
    before = doc.text[start : pin.start()].rstrip()
    if before.endswith(",") or re.search(r"\s(?:và|hoặc)$", before):
        return _clause_end(doc, start, pin.start())
    return None


def _plain_title(
    doc: Doc, start: int, limit: int, next_end: int | None
) -> tuple[str, int] | None:
    """The unquoted title from ``start`` to the end of its clause.  A title whose object is
    the next directive ("sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP") is
    read up to the end of that mention."""
    end = _clause_end(doc, start, min(limit, start + _MAX_TITLE))
    if next_end is not None and _RUNS_ON_RE.fullmatch(doc.low, end, limit):
        coordinated = _coordinated_pinpoint(doc, start, end)
        end = next_end if coordinated is None else coordinated
    if end <= start:
        return None  # what was read runs over the next mention: it is no list item
    return " ".join(doc.text[start:end].split()), end


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


def _date_before(doc: Doc, start: int) -> DateMention | None:
    """ "Ngày 05/9/2022, UBND tỉnh ban hành Quyết định số 1187/QĐ-UBND": a sentence opening
    with a date, then the issuer and its verb, then the mention."""
    verb = _SUBJECT_VERB_RE.search(doc.low, max(0, start - 30), start)
    if verb is None:
        return None
    index = bisect.bisect_left(doc.date_starts, verb.start()) - 1
    if index < 0:
        return None
    date = doc.dates[index]
    if date.granularity != "day" or verb.start() - date.end > 120:
        return None
    opening = doc.text[doc.text.rfind("\n", 0, date.start) + 1 : date.start]
    if not _SENTENCE_OPENING_RE.fullmatch(opening):
        return None
    subject = doc.text[date.end : verb.start()]
    return date if _DATED_SUBJECT_RE.fullmatch(subject) else None


def _may_issue(mention: Mention, issuer: str) -> bool:
    """Only the National Assembly (or its Standing Committee) passes laws and ordinances."""
    if mention.type_name not in _ASSEMBLY_TYPES:
        return True
    return akey(issuer).startswith(("quoc hoi", "uy ban thuong vu quoc hoi"))


def attach_facts(doc: Doc, mention: Mention, limit: int, next_end: int | None = None) -> None:
    """Fill in date, issuer, title and pinpoint of ``mention`` (``limit``, ``next_end``: the
    start and end of the next mention)."""
    pos = mention.end
    date = date_after(doc, pos, day_only=mention.kind == "symbol")
    if date is None and mention.kind == "symbol":
        titled = _title_then_date(doc, pos, limit) or _source_citation(doc, mention)
        if titled is not None:
            mention.title, date = titled
            if mention.type_name in {"Luật", "Bộ luật", "Pháp lệnh"} and mention.name is None:
                mention.name = f"{mention.type_name} {mention.title}"
    if date is None and mention.kind == "symbol":
        date = _date_before(doc, mention.start)
    if date is not None:
        if date.granularity == "day":
            mention.date = date.value
        mention.year = mention.year or int(date.value[:4])
        pos = date.end
    issuer = issuer_after(doc, pos)
    if issuer is not None and not _may_issue(mention, issuer[0]):
        issuer = None  # "Luật … của Hội đồng nhân dân và Ủy ban nhân dân": the law's name
    if issuer is not None:
        mention.issuer, pos = issuer
    elif mention.kind in {"symbol", "numbered"}:
        mention.issuer = issuer_before(doc, mention.start)
        mention.subject_issuer = mention.issuer is not None
    mention.facts_end = pos
    if mention.title is None:
        title = title_after(doc, pos, limit, next_end)
        if title is not None:
            mention.title, pos = title
    mention.tail = max(mention.tail, pos)
    mention.pinpoint = pinpoint_before(doc, mention.start)
