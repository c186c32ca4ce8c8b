"""Passages: paragraphs of a sensible size, or one Điều (article) each in legal texts.

Passage spans point into the document's normalized text; a passage's page is the page
its first character is on."""

from __future__ import annotations

import re
from collections.abc import Sequence

from vanban.corpus.model import Passage
from vanban.corpus.store import page_at

MIN_CHARS = 160
MAX_CHARS = 1800
_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+\d+[a-zđ]?\s*[.:]", re.MULTILINE)
_HEADING = re.compile(r"^(?:Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN)\s+[IVXLC\d]+\b")
_SENTENCE_END = re.compile(r"(?<=[.;!?…])\s+(?=\S)")
# a distribution list opens its own passage (with the signature after it): never part of
# the article or paragraph before it
_RECIPIENTS = re.compile(r"^[*_ \t]*(?:Nơi nhận|NƠI NHẬN|Nơi gửi)\b", re.MULTILINE)


def split_passages(doc_id: str, text: str, page_starts: Sequence[int] = ()) -> list[Passage]:
    """Cut ``text`` into passages (spans into ``text``)."""
    lines = _line_spans(text)
    if len(_ARTICLE.findall(text)) >= 2:
        groups = _group_articles(text, lines)
    else:
        groups = _group_paragraphs(text, lines)
    spans: list[tuple[int, int]] = []
    for start, end in groups:
        spans.extend(_split_long(text, start, end))
    return [Passage(doc_id, i, s, e, text[s:e], page_at(page_starts, s))
            for i, (s, e) in enumerate(spans)]


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, trimmed."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            out.append((start, start + len(stripped)))
        pos += len(line) + 1
    return out


def _group_paragraphs(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each paragraph stands alone; short lines (headings, signatures) join the next ones."""
    groups: list[tuple[int, int]] = []
    start: int | None = None
    for s, e in lines:
        if start is not None and _RECIPIENTS.match(text, s):
            groups.append((start, _last_end(lines, s)))
            start = None
        if start is None:
            start = s
        if e - start >= MIN_CHARS:
            groups.append((start, e))
            start = None
    if start is not None:
        last = lines[-1][1]
        if (groups and last - start < MIN_CHARS // 2 and last - groups[-1][0] <= MAX_CHARS
                and not _RECIPIENTS.match(text, start)):
            groups[-1] = (groups[-1][0], last)
        else:
            groups.append((start, last))
    return groups


def _last_end(lines: list[tuple[int, int]], before: int) -> int:
    """End of the last line that starts before ``before``."""
    return max(e for s, e in lines if s < before)


def _group_articles(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One group per Điều; what comes before the first Điều is grouped as paragraphs."""
    groups: list[tuple[int, int]] = []
    preamble: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for s, e in lines:
        line = text[s:e]
        if current and _RECIPIENTS.match(line):
            groups.append(current)
            current = None
            preamble.append((s, e))
        elif _ARTICLE.match(line):
            if current:
                groups.append(current)
            current = (s, e)
        elif current is None:
            preamble.append((s, e))
        elif _HEADING.match(line):
            groups.append(current)
            current = None
            preamble.append((s, e))
        else:
            current = (current[0], e)
    if current:
        groups.append(current)
    head = _group_paragraphs(text, preamble) if preamble else []
    return sorted(head + groups)


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span over ``MAX_CHARS`` cut at sentence ends into roughly equal pieces."""
    if end - start <= MAX_CHARS:
        return [(start, end)]
    pieces = max(2, -(-(end - start) // MAX_CHARS))
    target = (end - start) / pieces
    out: list[tuple[int, int]] = []
    piece_start = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.start() - piece_start >= target and end - m.end() >= MIN_CHARS:
            out.append((piece_start, m.start()))
            piece_start = m.end()
    out.append((piece_start, end))
    return [p for span in out for p in _hard_cut(span)]


def _hard_cut(span: tuple[int, int]) -> list[tuple[int, int]]:
    """Text without sentence ends is cut at fixed size."""
    s, e = span
    if e - s <= 2 * MAX_CHARS:
        return [span]
    return [(i, min(i + MAX_CHARS, e)) for i in range(s, e, MAX_CHARS)]
