"""Dates stated in Vietnamese administrative text, as ISO values with a granularity.

Forms: "ngày 03 tháng 6 năm 2013", "03/6/2013", "3-6-2013", "3.6.2013" (day);
"tháng 12 năm 2017", "tháng 12/2017" (month); "quý III năm 2024", "quý 3/2024" (quarter);
"năm 2016" (year); "giai đoạn 2016 - 2020", "nhiệm kỳ 2015 – 2020" (period); and a page
header timestamp "2018-07-31 10:52:26" (day).  A bare number is never a date, nor is a
view counter, a phone number, a fraction ("12/15 hộ") or an impossible day ("31/02").

Every date has a four-digit year, so the scan looks for years (a cheap search) and parses
the few characters around each one.
"""

from __future__ import annotations

import calendar
import re

from vanban.corpus.model import DateMention
from vanban.ingest.extract.lexicon import fuzzy
from vanban.ingest.normalize import lower_same_length, strip_accents

__all__ = ["dates_in", "extract_dates", "valid_day"]

_YEAR = "(?:19|20)[0-9]{2}"
_DASH = "[-\u2010-\u2015\u2212]"
_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_NUMBER_BEFORE = r"(?<![0-9])(?<![0-9][.,/:])"
_NGAY = fuzzy("ngay")
_THANG = fuzzy("thang")
_NAM = fuzzy("nam")
_PERIOD_WORD = "|".join(
    fuzzy(w) for w in ("giai doan", "nhiem ky", "thoi ky", "nam hoc", "nien khoa", "nien do", "nam")
)
_ROMAN_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_DATE_RE = re.compile(
    "|".join(
        (
            # ngày 03 tháng 6 năm 2013
            f"(?P<wd>{_NOT_LETTER_BEFORE}(?:{_NGAY}\\s*)?{_NOT_NUMBER_BEFORE}"
            f"(?P<d1>[0-9]{{1,2}})\\s*{_THANG}\\s*(?P<m1>[0-9]{{1,2}})\\s*,?\\s*{_NAM}\\s*"
            f"(?P<y1>{_YEAR}))",
            # ngày 03/6/2013, 3-6-2013, 3.6.2013
            f"(?P<nd>(?:{_NOT_LETTER_BEFORE}{_NGAY}\\s*)?{_NOT_NUMBER_BEFORE}"
            f"(?P<d2>[0-9]{{1,2}})\\s?(?P<sep>[/.]|{_DASH})\\s?(?P<m2>[0-9]{{1,2}})\\s?(?P=sep)\\s?"
            f"(?P<y2>{_YEAR}))",
            # 2018-07-31 (page header timestamps)
            f"(?P<iso>{_NOT_NUMBER_BEFORE}(?P<y3>{_YEAR})-(?P<m3>[0-9]{{2}})-(?P<d3>[0-9]{{2}}))",
            # giai đoạn 2016 - 2020, nhiệm kỳ 2015 – 2020, năm 2016-2020
            f"(?P<per>{_NOT_LETTER_BEFORE}(?:{_PERIOD_WORD})\\s+(?:t[uừ]\\s+)?(?P<y6>{_YEAR})"
            f"(?:\\s?{_DASH}\\s?|\\s+(?:{fuzzy('den')}|{fuzzy('toi')})\\s+(?:{_NAM}\\s+)?)"
            f"(?P<y6b>{_YEAR}))",
            # tháng 12 năm 2017, tháng 12/2017
            f"(?P<mon>{_NOT_LETTER_BEFORE}{_THANG}\\s*(?P<m4>[0-9]{{1,2}})"
            f"(?:\\s*,?\\s*{_NAM}\\s*|\\s?[/.]\\s?|\\s?{_DASH}\\s?)(?P<y4>{_YEAR}))",
            # quý III năm 2024, quý 3/2024
            f"(?P<qua>{_NOT_LETTER_BEFORE}{fuzzy('quy')}\\s+(?P<q>iv|i{{1,3}}|[1-4])"
            f"(?:\\s*,?\\s+{_NAM}\\s+|\\s?[/.]\\s?|\\s?{_DASH}\\s?)(?P<y5>{_YEAR}))",
            # năm 2016
            f"(?P<yea>{_NOT_LETTER_BEFORE}{_NAM}\\s+(?P<y7>{_YEAR}))",
        )
    )
    + r"(?![0-9])(?![.,][0-9])(?!/[0-9A-Za-z\u0110])"
)
# The first day of a range that shares the year of the second: "(từ) ngày 17 tháng 10 đến
# ngày 29 tháng 11 năm 2006", "từ 17/10 - 29/11/2006" (matched on the text before it).
_TO = f"(?:{fuzzy('den')}|{fuzzy('toi')}|{_DASH})"
_RANGE_HEAD_RE = re.compile(
    f"(?:{_NOT_LETTER_BEFORE}(?P<ngay>{_NGAY})\\s*)?{_NOT_NUMBER_BEFORE}(?P<d>[0-9]{{1,2}})"
    f"(?:\\s*{_THANG}\\s*|\\s?(?P<sep>[/.])\\s?)(?P<m>[0-9]{{1,2}})\\s*{_TO}\\s*$"
)
_FROM_RE = re.compile(f"{_NOT_LETTER_BEFORE}{fuzzy('tu')}\\s*$")
_YEAR_HIT_RE = re.compile(_YEAR)
_WORD_START_RE = re.compile(r"\b\w")
_SEPARATORS = frozenset("/.-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_WORDS_BEFORE_YEAR = frozenset(["nam", "doan", "ky", "hoc", "khoa", "do", "tu", "den", "toi"])
_BACK = 48
_AHEAD = 16


def valid_day(year: int, month: int, day: int) -> bool:
    """Whether the day exists (no 31/02, no 29/02 outside leap years)."""
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _value(match: re.Match[str]) -> tuple[str, str] | None:
    """ISO value and granularity of a date match, or ``None`` when it is impossible."""
    group = match.lastgroup
    g = match.group
    if group in {"wd", "nd", "iso"}:
        n = {"wd": "1", "nd": "2", "iso": "3"}[group]
        year, month, day = int(g("y" + n)), int(g("m" + n)), int(g("d" + n))
        return (f"{year:04d}-{month:02d}-{day:02d}", "day") if valid_day(year, month, day) else None
    if group == "mon":
        month = int(g("m4"))
        return (f"{g('y4')}-{month:02d}", "month") if 1 <= month <= 12 else None
    if group == "qua":
        return f"{g('y5')}-Q{_ROMAN_QUARTER[g('q')]}", "quarter"
    if group == "per":
        first, last = int(g("y6")), int(g("y6b"))
        return (f"{first}/{last}", "period") if 0 < last - first <= 30 else None
    return g("y7"), "year"


def _may_start_date(low: str, year_start: int) -> bool:
    """Cheap test on what precedes a year: "năm", a period word, or a separator."""
    if low.startswith("-", year_start + 4):
        return True  # 2018-07-31, 2016-2020 is handled from "giai đoạn"
    if year_start == 0:
        return False
    prev = low[year_start - 1]
    if prev.isalpha():  # "tháng 01năm2010": a word glued to the year
        return strip_accents(low[max(0, year_start - 3) : year_start]) == "nam"
    if not prev.isspace():  # "năm\n2001": a line break inside a date
        return prev in _SEPARATORS
    before = low[year_start - 2] if year_start > 1 else ""
    if before in _SEPARATORS:
        return True
    word_start = year_start - 1
    while word_start > 0 and year_start - word_start < 8 and low[word_start - 1].isalpha():
        word_start -= 1
    return strip_accents(low[word_start : year_start - 1]) in _WORDS_BEFORE_YEAR


def _date_around(low: str, year_start: int, lower_bound: int) -> re.Match[str] | None:
    """The date match that holds the year at ``year_start``, tried from each word start."""
    end = min(len(low), year_start + 4 + _AHEAD)
    for word in _WORD_START_RE.finditer(low, max(lower_bound, year_start - _BACK), year_start + 1):
        match = _DATE_RE.match(low, word.start(), end)
        if match is not None and match.end() > year_start:
            return match
    return None


def extract_dates(text: str) -> list[DateMention]:
    """Every date stated in ``text``, in order, with ``text[start:end] == surface``."""
    return dates_in(text, lower_same_length(text))


def dates_in(text: str, low: str) -> list[DateMention]:
    """``extract_dates`` given the text already lower-cased (``lower_same_length``)."""
    dates: list[DateMention] = []
    covered = 0
    for hit in _YEAR_HIT_RE.finditer(text):
        year_start, year_end = hit.span()
        if year_start < covered or (year_start and text[year_start - 1].isdigit()):
            continue
        if text[year_end : year_end + 1].isdigit() or not _may_start_date(low, year_start):
            continue
        match = _date_around(low, year_start, covered)
        if match is None:
            continue
        value = _value(match)
        if value is not None and value[1] == "day":
            head = _range_head(text, low, match, value[0], covered)
            dates += [head] if head is not None else []
        covered = match.end()
        if value is not None:
            surface = text[match.start() : match.end()]
            dates.append(DateMention(match.start(), match.end(), surface, *value))
    return dates


def _range_head(
    text: str, low: str, tail: re.Match[str], value: str, covered: int
) -> DateMention | None:
    """The first day of "ngày 17 tháng 10 đến ngày 29 tháng 11 năm 2006" (the year is the
    second day's, or the one before when the range crosses new year)."""
    begin = max(covered, tail.start() - 40)
    head = _RANGE_HEAD_RE.search(low, begin, tail.start())
    if head is None or (head.group("sep") and head.group("sep") != tail.group("sep")):
        return None
    if not head.group("ngay") and not _FROM_RE.search(low, begin, head.start()):
        return None  # "kỳ họp thứ 10 tháng 6 đến …": "ngày" or "từ" opens a range
    year, month, day = int(value[:4]), int(head.group("m")), int(head.group("d"))
    if (month, day) > (int(value[5:7]), int(value[8:])):
        year -= 1
    if not valid_day(year, month, day):
        return None
    start, end = head.start(), head.end("m")
    return DateMention(start, end, text[start:end], f"{year:04d}-{month:02d}-{day:02d}", "day")
