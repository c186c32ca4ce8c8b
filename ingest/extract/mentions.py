"""The working record of one directive mention while references are being extracted.

``Mention`` is internal and mutable: finders create it, ``attach`` fills in what the text
says around it, ``references`` resolves and freezes it into ``vanban.corpus.model.Reference``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from vanban.corpus.model import DateMention
from vanban.ingest.extract.symbols import ParsedSymbol
from vanban.ingest.normalize import fold_same_length, lower_same_length

_WORD_RE = re.compile(r"[^\W_]+|[^\w\s]|\n")


@dataclass(eq=False)
class Mention:
    """One mention: its span and what is known of the directive it names."""

    start: int
    end: int
    kind: str  # "symbol" | "numbered" (number, no symbol) | "named" | "short" | "alias"
    symbol: str | None = None
    parsed: ParsedSymbol | None = None
    type_name: str | None = None
    number: str | None = None
    year: int | None = None
    name: str | None = None
    date: str | None = None
    issuer: str | None = None
    locality: str | None = None
    title: str | None = None
    pinpoint: str | None = None
    relation: str = "nhắc đến"
    short_form: bool = False
    resolved: bool = True
    tail: int = -1  # end of what was read after the mention (date, issuer, title)
    facts_end: int = -1  # end of the date and issuer read after the mention
    target: Mention | None = None  # for short forms: the full citation they abbreviate
    local: bool = False  # issued by a local body (its symbol repeats across localities)
    subject_issuer: bool = False  # the issuer is the sentence's subject ("Huyện ủy ban hành …")

    def __post_init__(self) -> None:
        if self.tail < 0:
            self.tail = self.end
        if self.facts_end < 0:
            self.facts_end = self.end


@dataclass
class Doc:
    """The text under extraction with what every finder shares."""

    text: str
    locality: str | None
    dates: list[DateMention]
    low: str = ""  # the text lower-cased by ``lower_same_length`` (computed when empty)
    dates_by_start: dict[int, DateMention] = field(init=False)
    date_starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        if len(self.low) != len(self.text):
            self.low = lower_same_length(self.text)
        self.dates_by_start = {d.start: d for d in self.dates}
        self.date_starts = [d.start for d in self.dates]

    def line(self, pos: int) -> str:
        """The line of the text around ``pos``."""
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return self.text[start : end if end >= 0 else len(self.text)]

    def flat_case(self, pos: int) -> bool:
        """Whether the line around ``pos`` is all upper or all lower case (no names by case)."""
        line = self.line(pos)
        return line.isupper() or line.islower()


class Word(NamedTuple):
    """A word (or one punctuation mark) of the text, with its ASCII key."""

    key: str
    start: int
    end: int


def _words(doc: Doc, begin: int, end: int) -> list[Word]:
    keys = fold_same_length(doc.low[begin:end])
    words: list[Word] = []
    for m in _WORD_RE.finditer(keys):
        start, stop = begin + m.start(), begin + m.end()
        inner = doc.text[start + 1 : stop]
        if inner == inner.lower():
            words.append(Word(m.group(), start, stop))
        else:
            words += _unglued(doc.text, m.group(), start, stop)
    return words


def _unglued(text: str, key: str, start: int, stop: int) -> list[Word]:
    """ "theoThông", "TheoLuật": words a scraper glued together, split where a capitalised
    word starts after two lower-case letters (codes such as "TTg", "QĐi" stay whole)."""
    cuts = [
        i
        for i in range(start + 2, stop - 1)
        if text[i].isupper() and text[i - 1].islower() and text[i - 2].islower()
        and text[i + 1].islower()
    ]
    bounds = [start, *cuts, stop]
    return [Word(key[a - start : b - start], a, b) for a, b in itertools.pairwise(bounds)]


def words_before(doc: Doc, end: int, span: int = 90) -> list[Word]:
    """The words and punctuation marks in the ``span`` characters before ``end``."""
    begin = max(0, end - span)
    words = _words(doc, begin, end)
    if begin > 0 and words and words[0].start == begin:
        words = words[1:]  # may be cut
    return words


def words_after(doc: Doc, start: int, span: int = 160) -> list[Word]:
    """The words and punctuation marks in the ``span`` characters after ``start``."""
    stop = min(len(doc.text), start + span)
    words = _words(doc, start, stop)
    if stop < len(doc.text) and words and words[-1].end == stop:
        words = words[:-1]
    return words


def is_capitalized(doc: Doc, word: Word) -> bool:
    """Whether the word starts with an upper-case letter in the text."""
    return doc.text[word.start].isupper()
