"""The title of a document as a clerk names it: its kind and its summary.

    ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ        ← issuer: never the title
    Số: 1968/QĐ-UBND   Phú Thọ, ngày 15 tháng 8 năm 2018
    QUYẾT ĐỊNH                          ← kind
    Ban hành Quy chế hoạt động …        ← summary, possibly over several lines
    … trên địa bàn tỉnh Phú Thọ

gives "Quyết định ban hành Quy chế hoạt động … trên địa bàn tỉnh Phú Thọ"; "LUẬT / THANH TRA"
gives "Luật Thanh tra"; a summary in capitals is re-cased from how the text itself writes its
words ("VIỆT NAM" → "Việt Nam").  A text without a kind line (a news article) has no title
here: the caller falls back to the file's metadata or its first line.
"""

from __future__ import annotations

import re
from collections import Counter

from vanban.ingest.extract.header import table_cells
from vanban.ingest.extract.lexicon import TYPE_BY_KEY, akey

__all__ = ["find_title", "recase"]

_MAX_LINES = 40
_MAX_TITLE = 400
_NAMED = frozenset(["Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp"])
_MOTTO = ("cong hoa xa hoi chu nghia", "doc lap", "dang cong san viet nam")
_BODY = ("can cu", "kinh gui", "dieu 1", "chuong i", "chuong 1", "phan i", "phan 1",
         "xet de nghi", "theo de nghi", "ban hanh kem theo", "(ban hanh kem theo", "i.", "1.",
         "a)", "- ", "+ ", "trong thoi gian")
_ISSUERS = ("uy ban", "ubnd", "hoi dong", "hdnd", "quoc hoi", "chinh phu", "thu tuong",
            "chu tich", "bo truong", "tinh uy", "thanh uy", "huyen uy", "quan uy", "dang uy",
            "dang bo", "ban thuong vu", "ban chap hanh", "ban chi dao", "so ", "bo ",
            "thanh tra", "van phong", "toa an", "vien kiem sat", "chi bo", "tong cuc", "cuc ",
            "tong thanh tra", "giam doc")
_NUMBER_RE = re.compile(r"^(?:(?:bộ\s+)?luật\s+|pháp\s+lệnh\s+)?s[oố]\s*:?\s*(?:[\d/]|$)",
                        re.IGNORECASE)
_PLACE_DATE_RE = re.compile(r"^[^\W\d_][^,\n]{0,40},\s*ng[àa]y\b.{0,40}$", re.IGNORECASE)
_RULE_RE = re.compile(r"^[-_*=.•~ ]*$")
_GAZETTE_OF_RE = re.compile(r"^(?:CỦA\s+.*\s)?SỐ\b")
_ABOUT_RE = re.compile(r"^(?:v/v|về việc|ve viec)\b\s*:?\s*", re.IGNORECASE)
_WORD_RE = re.compile(r"[^\W\d_]+")
_ANNEX_RE = re.compile(r"\s*\((?:ban hành |được ban hành )?kèm theo\b.*$", re.IGNORECASE)
_ROMAN_RE = re.compile(r"^[ivxl]{2,6}$")
_SENTENCE_END = (".", ";", "!", "?")


def _is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _kind(line: str, evidence: bool, known_only: bool) -> tuple[str, str] | None:
    """(kind, rest of the line) when ``line`` names what the document is."""
    stripped = line.strip().strip("#*_ ").rstrip(":").strip()
    key = akey(stripped)
    if not stripped or len(stripped) > 80 or any(c.isdigit() for c in stripped):
        return None
    if key in TYPE_BY_KEY and (_is_upper(stripped) or evidence):
        return TYPE_BY_KEY[key], ""
    if not _is_upper(stripped) or key.startswith(_MOTTO):
        return None
    for named in ("bo luat", "luat", "phap lenh"):  # "LUẬT GIÁ", "BỘ LUẬT HÌNH SỰ"
        if key.startswith(named + " "):
            return TYPE_BY_KEY[named], stripped.split(maxsplit=len(named.split()))[-1]
    if (known_only or not evidence or len(key.split()) > 10 or key.startswith(_ISSUERS)
            or re.search(r"\b(?:khoa|ky hop)\b", key)):
        return None
    return stripped[:1] + stripped[1:].lower(), ""


def _is_stop(line: str) -> bool:
    key = akey(line)
    return (not line.strip() or bool(_RULE_RE.match(line)) or key.startswith(_BODY)
            or key.startswith(_MOTTO) or (_is_upper(line) and key.startswith(_ISSUERS))
            or bool(_NUMBER_RE.match(line.strip())) or len(line) > 600)


def _summary(lines: list[str], named: bool) -> str:
    """The summary lines after the kind line, joined."""
    parts: list[str] = []
    for line in lines:
        stripped = line.strip().strip("*_ ").strip()
        if not parts and not stripped:
            continue
        if not parts and _GAZETTE_OF_RE.match(stripped):
            # "CỦA CHÍNH PHỦ SỐ 37/2007/NĐ-CP NGÀY … [VỀ …]" between kind and summary
            about = _GAZETTE_ABOUT_RE.search(stripped)
            if about is None:
                named = False
                continue
            stripped = "VỀ " + stripped[about.end() :]
        if not parts and not stripped[:1].isalpha():
            break
        if not (named and not parts and _is_upper(stripped)) and _is_stop(stripped):
            break
        if parts and not _continues(parts, stripped):
            break
        parts.append(stripped)
        if stripped.endswith(_SENTENCE_END) or sum(len(p) for p in parts) > _MAX_TITLE:
            break
    return " ".join(parts)


def _continues(parts: list[str], line: str) -> bool:
    """Whether ``line`` goes on with the summary (capitals after capitals, or a line
    starting in lower case)."""
    if _is_upper(parts[-1]) and _is_upper(line):
        return len(parts) < 4
    return line[:1].islower()


def _evidence(line: str) -> bool:
    """A header line: the motto, an own number, a place and date."""
    stripped = line.strip()
    return (akey(stripped).startswith(_MOTTO) or bool(_NUMBER_RE.match(stripped))
            or bool(_PLACE_DATE_RE.match(stripped)))


def find_title(text: str) -> tuple[str, str] | None:
    """(kind, summary) from the lines under the header: "QUYẾT ĐỊNH" + "Ban hành …", "LUẬT"
    + "THANH TRA"; the summary is "" when the text gives none."""
    lines = _header_lines(text)
    for known_only in (True, False):
        found = _kind_at(lines, known_only)
        if found is not None:
            index, kind, rest = found
            summary = rest or _summary(lines[index + 1 : index + 8], kind in _NAMED)
            if not summary and kind not in _NAMED:
                summary = next((ln.strip() for ln in lines[:index]
                                if _ABOUT_RE.match(ln.strip())), "")
            return kind, _trim_named(summary) if kind in _NAMED else summary
    return None


def _header_lines(text: str) -> list[str]:
    """The lines before the body: up to the first long paragraph or "Căn cứ …"."""
    out: list[str] = []
    for index, line in enumerate(text[:8000].split("\n", _MAX_LINES)[:_MAX_LINES]):
        if len(line) > 250 or (index and akey(line).startswith(("can cu", "dieu 1"))):
            break
        if len(line) > 60 and line.rstrip().endswith((".", ";")):
            break  # a sentence of the body: whatever follows is no header
        out.extend(cell for _, cell in table_cells(0, line))
    return out


def _kind_at(lines: list[str], known_only: bool) -> tuple[int, str, str] | None:
    evidence = False
    for index, line in enumerate(lines):
        if index == 0 and akey(line) == "phu luc":
            return index, "Phụ lục", ""
        found = _kind(line, evidence, known_only)
        if found is not None:
            return index, *found
        evidence = evidence or _evidence(line)
    return None


_NAMED_TAIL_RE = re.compile(
    r"\s+(?:SỐ\s*:?\s*\d|NGÀY\s+\d|CỦA QUỐC HỘI\s+KH|CỦA\s+.*\bSỐ\s*:?\s*\d).*$")
_GAZETTE_ABOUT_RE = re.compile(r"\bVỀ\s+(?:VIỆC\s+)?")


def _trim_named(summary: str) -> str:
    """A law's name without what follows it ("… SỐ 23-L/CTN NGÀY …", "… CỦA QUỐC HỘI
    KHÓA XII") or precedes it ("VỀ …")."""
    summary = _NAMED_TAIL_RE.sub("", summary)
    return re.sub(r"^(?:về|VỀ)\s+", "", summary)


def compose(kind: str, summary: str, text: str) -> str:
    """Kind and summary as one title, the summary re-cased when written in capitals."""
    if _is_upper(summary):
        summary = recase(summary, text)
    about = _ABOUT_RE.match(summary)
    if about is not None:
        summary = "về việc " + summary[about.end() :]
    if kind in _NAMED:
        summary = summary[:1].upper() + summary[1:]
    else:
        first = summary.split(maxsplit=1)[0] if summary.split() else ""
        if not (len(first) > 1 and first.isupper()) and not _proper(first, text):
            summary = summary[:1].lower() + summary[1:]
    summary = _ANNEX_RE.sub("", summary)
    title = f"{kind} {summary}".strip()
    return title if len(title) <= _MAX_TITLE else title[: _MAX_TITLE - 1].rstrip() + "…"


def _proper(word: str, text: str) -> bool:
    """A word the text writes capitalized inside its sentences (a name: "Hội", "Nghệ")."""
    return word[:1].isupper() and _casing(text).get(word.lower(), False)


_CACHE: dict[int, dict[str, bool]] = {}


def _casing(text: str) -> dict[str, bool]:
    """For each word: whether the text writes it capitalized inside sentences more often
    than in lower case (lines in capitals and sentence starts do not count)."""
    key = hash(text[:20000])
    if key in _CACHE:
        return _CACHE[key]
    upper: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for line in text[:200000].split("\n"):
        if _is_upper(line):
            continue
        previous = "."
        for match in _WORD_RE.finditer(line):
            word = match.group()
            gap = line[max(0, match.start() - 2) : match.start()]
            starts = previous == "." or any(c in gap for c in ".:;!?(\"“")
            if word[:1].isupper() and not starts and not word.isupper():
                upper[word.lower()] += 1
            elif word.islower():
                lower[word] += 1
            previous = ""
    result = {w: n > lower[w] for w, n in upper.items()}
    _CACHE.clear()
    _CACHE[key] = result
    return result


def recase(summary: str, text: str) -> str:
    """A summary in capitals as the text writes it: the phrase found in the body in mixed
    case, else each word capitalized only where the text capitalizes it."""
    lowered = summary.lower()
    for line in text.split("\n"):
        if _is_upper(line) or len(line.lower()) != len(line):
            continue
        at = line.lower().find(lowered)
        if at >= 0:
            return line[at : at + len(summary)]
    casing = _casing(text)
    words = _WORD_RE.split(lowered)
    found = _WORD_RE.findall(lowered)
    out = [words[0]]
    for word, gap in zip(found, words[1:], strict=True):
        if _ROMAN_RE.match(word):
            word = word.upper()
        elif casing.get(word, False):
            word = word.capitalize()
        out.append(word + gap)
    return "".join(out)
