"""Aliases a text defines for a directive: "(sau đây gọi tắt là Nghị định 61)".

The alias, where defined and wherever it recurs, is a short form of the directive cited
right before the parenthesis.  Only aliases that name a directive (a type word and a number
or a name: "Nghị quyết 35", "Bộ luật Hình sự năm 2015", "Đề án 911") are followed; "(sau
đây gọi là Hội đồng)" defines a term, not a directive.
"""

from __future__ import annotations

import bisect
import re

from vanban.ingest.extract.lexicon import akey, fuzzy, type_before
from vanban.ingest.extract.mentions import Doc, Mention

__all__ = ["find_alias_mentions"]

_DEFINITION_RE = re.compile(
    r"\(\s*(?:"
    + fuzzy("sau day")
    + r"\s+)?(?:"
    + fuzzy("goi tat la")
    + "|"
    + fuzzy("goi chung la")
    + "|"
    + fuzzy("goi la")
    + "|"
    + fuzzy("viet tat la")
    + r")\s*:?\s*"
)
_MAX_ALIAS = 80


def _alias_text(doc: Doc, start: int) -> tuple[int, int] | None:
    """Span of the alias if it names a directive ("Nghị quyết 35"), else ``None``."""
    close = doc.text.find(")", start, start + _MAX_ALIAS)
    if close < 0:
        return None
    while start < close and doc.text[start] in "“\"'‘«":
        start += 1
    end = close
    while end > start and doc.text[end - 1] in "”\"'’» ":
        end -= 1
    words = akey(doc.text[start:end]).split()
    if len(words) < 2 or not doc.text[start : start + 1].isupper():
        return None
    for size in range(min(4, len(words) - 1), 0, -1):
        if type_before(words[:size]) is not None:
            return start, end
    return None


def _owner(mentions: list[Mention], paren: int, doc: Doc) -> Mention | None:
    """The mention the parenthesis follows directly (``mentions`` in order)."""
    index = bisect.bisect_left([m.start for m in mentions], paren)
    for mention in reversed(mentions[max(0, index - 3) : index]):
        if mention.tail <= paren:
            gap = doc.text[mention.tail : paren]
            return mention if len(gap) <= 3 and not gap.strip(" ,") else None
    return None


def find_alias_mentions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Short-form mentions made of aliases defined right after a directive."""
    found: list[Mention] = []
    owners = [m for m in mentions if m.kind != "alias"]
    for match in _DEFINITION_RE.finditer(doc.low):
        owner = _owner(owners, match.start(), doc)
        span = _alias_text(doc, match.end())
        if owner is None or span is None or owner.kind in {"short"}:
            continue
        alias = doc.text[span[0] : span[1]]
        for start in _occurrences(doc.text, alias, span[0]):
            found.append(
                Mention(
                    start,
                    start + len(alias),
                    "alias",
                    type_name=owner.type_name,
                    name=alias,
                    short_form=True,
                    target=owner,
                )
            )
    return found


def _occurrences(text: str, word: str, start: int) -> list[int]:
    """Starts of ``word`` in ``text`` from ``start``, as a whole word."""
    found = []
    pos = text.find(word, start)
    while pos >= 0:
        end = pos + len(word)
        if not (pos and text[pos - 1].isalnum()) and not (end < len(text) and text[end].isalnum()):
            found.append(pos)
        pos = text.find(word, end)
    return found
