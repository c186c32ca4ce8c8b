"""The relation a text states between itself and a directive it cites.

"Căn cứ" → căn cứ; "Thực hiện", "Triển khai", "Quán triệt" → thực hiện; "sửa đổi, bổ
sung" → sửa đổi; "thay thế" → thay thế; "bãi bỏ" → bãi bỏ; "hướng dẫn (thi hành)",
"quy định chi tiết" → hướng dẫn; otherwise nhắc đến.

A cue governs the directive it introduces: the nearest cue before the mention, with only a
pinpoint, "một số điều của", or directives coordinated with the mention in between (with
their dates, issuers and titles).  It does not reach past a new clause (", Huyện ủy đã ban
hành …").  Every item of a "Căn cứ …;" block is căn cứ; items of a list opened by ":" share
the cue written before the colon.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from vanban.ingest.extract.mentions import Doc
from vanban.ingest.normalize import fold_same_length

__all__ = ["Span", "relation_after", "relation_before"]

_CUES = (
    ("huong dan thi hanh", "hướng dẫn"),
    ("huong dan thuc hien", "hướng dẫn"),
    ("huong dan chi tiet", "hướng dẫn"),
    ("quy dinh chi tiet", "hướng dẫn"),
    ("huong dan trien khai", "hướng dẫn"),
    ("can cu", "căn cứ"),
    ("sua doi", "sửa đổi"),
    ("bo sung", "sửa đổi"),
    ("thay the", "thay thế"),
    ("bai bo", "bãi bỏ"),
    ("huong dan", "hướng dẫn"),
    ("thuc hien", "thực hiện"),
    ("trien khai", "thực hiện"),
    ("quan triet", "thực hiện"),
)
_RELATION = dict(_CUES)
_CUE_RE = re.compile(r"(?<![a-z])(?:" + "|".join(c for c, _ in _CUES) + r")(?![a-z])")
_SENTENCE_END_RE = re.compile(r"[.!?]\s|\n")
# Words a cue reaches across: pinpoints, "một số điều của", "ban hành kèm theo".
_ID = r"(?:[0-9]+[a-z]?|[ivxlc]{1,6}|[a-z])(?![a-z0-9])"
_PINPOINT_RE = re.compile(
    r"(?<![a-z])(?:cac\s+)?(?:diem|khoan|dieu|chuong|muc|phan|phu luc|tiet)\s+"
    + _ID
    + r"(?:\s*(?:,|va)\s*"
    + _ID
    + ")*"
)
_INSTRUMENTS = (
    r"quy dinh|quy che|dieu le|quy trinh|danh muc|bang gia|bo don gia|huong dan|ke hoach|"
    r"chuong trinh|de an"
)
_TRANSPARENT_RE = re.compile(
    r"(?<![a-z])(?:mot so dieu|mot so noi dung|(?:(?:quy dinh|quy che|dieu le|quy trinh|"
    r"danh muc)(?:\s+[a-z]+){0,4}?\s+)?ban hanh kem theo|kem theo|cua|va|cac|so|tai|nhu)"
    r"(?![a-z0-9])"
)
# Right after the cue, an instrument issued with the directive: "sửa đổi, bổ sung một số
# điều của Quy chế làm việc của Ủy ban nhân dân tỉnh ban hành kèm theo Quyết định số …".
_ANNEXED_RE = re.compile(
    r"[\s,]*(?:(?:mot so dieu|mot so noi dung|cua|tai)\s+)*(?:"
    + _INSTRUMENTS
    + r")(?:\s+[a-z0-9]+){0,24}?\s+ban hanh kem theo(?![a-z0-9])"
)
_LETTERS_RE = re.compile(r"[a-z]")
_QUOTED_WORDS_RE = re.compile(
    r"(?:(?:cac\s+)?(?:cum\s+)?tu(?:\s+ngu)?\s+)?[“\"«][^”\"»\n]{1,160}[”\"»]"
)
_NEW_CLAUSE_RE = re.compile(r"[,:] ?[a-z0-9]+ [a-z0-9]+|;")
# After the mention: "… số 22/2004/QH11 hết hiệu lực kể từ ngày Luật này có hiệu lực",
# "Quyết định số 12/2010/QĐ-UBND bị bãi bỏ", "… được thay thế bằng Quyết định này".
_AFTER_RE = re.compile(
    r"[\s,]*(?:\([^()\n]{0,80}\)\s*)?(?:se\s+|cung\s+)?"
    r"(?P<cue>het hieu luc\s+(?:thi hanh|(?:ke\s+)?tu\s+ngay)|(?:bi|duoc)\s+bai bo"
    r"|(?:bi|duoc)\s+thay the|(?:bi|duoc)\s+sua doi)(?![a-z])"
)
_AFTER_RELATION = {"bai bo": "bãi bỏ", "sua doi": "sửa đổi", "h": "thay thế", "thay": "thay thế"}
# "X đã được sửa đổi, bổ sung một số điều theo Y": Y amended X, the text states no relation to
# Y of its own; the phrase is no cue, and a cue before X reaches Y across it.
_AMENDED_BY_RE = re.compile(
    r"(?<![a-z])(?:da\s+)?(?:duoc|bi)\s+sua doi(?:\s*,?\s*(?:va\s+)?bo sung)?"
    r"(?:\s+mot so (?:dieu|noi dung))?(?:\s+(?:theo|tai|boi|bang))?(?![a-z])"
)
# A list item on a line of its own: "a) …", "- …", "1. …".
_ITEM_RE = re.compile(r"[ \t]*(?:[a-zđ]\)|[0-9]{1,2}[.)]|[-+•*])\s")
_LEAD_REACH = 3000
_CUE_LINE_RE = re.compile(
    r"\s*(?:[0-9]{1,2}[.)]|[a-z]\)|[-+•*])?\s*(?P<cue>bai bo|thay the|sua doi|can cu)\s*"
)
# Nothing of an item's own before its mention: "; Nghị định số …", "; Văn bản số 6582/…".
_EMPTY_ITEM_RE = re.compile(r"[\s\-+•*]*(?:(?:van ban|cong van)\s+(?:so\s*:?\s*)?)?")
_WINDOW = 320
_REACH = 12  # letters a cue reaches over, besides what is transparent


class Span(NamedTuple):
    """Another mention: its start, the end of its date and issuer, the end of its title."""

    start: int
    facts_end: int
    tail: int


def _blank(key: str, offset: int, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        lo, hi = max(start - offset, 0), min(end - offset, len(key))
        if lo < hi:
            key = key[:lo] + " " * (hi - lo) + key[hi:]
    return key


def _reaches(gap: str) -> bool:
    """Whether a cue reaches over ``gap`` (other mentions in it are blanked), and over the
    words a pinpoint quotes ("bãi bỏ cụm từ “kiểm soát thủ tục hành chính” tại điểm c …")."""
    gap = _QUOTED_WORDS_RE.sub(" ", gap)
    gap = _PINPOINT_RE.sub(lambda m: " " * len(m.group()), gap)
    if _NEW_CLAUSE_RE.search(gap):
        return False
    annexed = _ANNEXED_RE.match(gap) if "kem theo" in gap else None
    if annexed is not None:
        gap = gap[annexed.end() :]
    rest = _TRANSPARENT_RE.sub(" ", gap)
    return len(rest.replace(" ", "").replace(",", "")) <= _REACH


def _cue(key: str, offset: int, spans: list[Span]) -> str | None:
    """The nearest cue of ``key`` that reaches the end of ``key``."""
    for cue in reversed(list(_CUE_RE.finditer(key))):
        cue_end = offset + cue.end()
        later = [(s.start, s.tail) for s in spans if s.start >= cue_end]
        if not _reaches(_blank(key, offset, later)[cue.end() :]):
            continue
        if later and not _listed_after(key, offset, later):
            return None  # "sửa đổi Quyết định A cho phù hợp với Nghị định B": A's cue only
        return _RELATION[cue.group()]
    return None


def _listed_after(key: str, offset: int, later: list[tuple[int, int]]) -> bool:
    """Whether the mention ending ``key`` is coordinated with the ones the cue reached first
    ("sửa đổi Quyết định A và Quyết định B"), not the object of a new phrase ("A cho phù hợp
    với B") nor of A's own title ("A hướng dẫn thi hành B")."""
    tail = max(end for _, end in later) - offset
    if tail > len(key):
        return False
    gap = _PINPOINT_RE.sub(" ", key[tail:])
    return not _LETTERS_RE.search(_TRANSPARENT_RE.sub(" ", gap))


def relation_before(doc: Doc, start: int, spans: list[Span]) -> str:
    """The relation cue governing the mention that starts at ``start`` (``spans`` sorted)."""
    low = doc.low
    window_start = max(0, start - _WINDOW)
    sentence_start = window_start
    for match in _SENTENCE_END_RE.finditer(low, window_start, start):
        sentence_start = match.end()
    first = bisect.bisect_left(spans, (max(0, sentence_start - _WINDOW),))
    last = bisect.bisect_left(spans, (start,))
    near = [s for s in spans[first:last] if s.tail > sentence_start]
    key = _key(low, sentence_start, start, near)
    relation = _cue(key, sentence_start, near)
    if relation is not None:
        return relation
    relation = _block_relation(low, sentence_start, start)
    if relation is not None:
        return relation
    colon = low.rfind(":", sentence_start, start)
    if colon >= 0 and low.rfind(";", colon, start) >= 0:
        lead = key[: colon - sentence_start]
        relation = _cue(lead, sentence_start, [s for s in near if s.start < colon])
        if relation is not None:
            return relation
    return _item_relation(doc, sentence_start, spans) or _cue_line_before(low, sentence_start)


def _block_relation(low: str, sentence_start: int, start: int) -> str | None:
    """For an item of a "Căn cứ A; B; C" or "Thực hiện A; B; C" block (however long)."""
    clause_start = low.rfind(";", sentence_start, start) + 1
    if clause_start == 0:
        return None
    block_start = sentence_start
    if sentence_start == max(0, start - _WINDOW) and sentence_start > 0:
        block_start = max(0, start - _LEAD_REACH)
        for match in _SENTENCE_END_RE.finditer(low, block_start, start):
            block_start = match.end()
    lead = fold_same_length(low[block_start : block_start + 40]).lstrip(" -+•*")
    if lead.startswith("can cu"):
        return "căn cứ"
    item = fold_same_length(low[clause_start:start])
    if lead.startswith(("thuc hien", "trien khai")) and _EMPTY_ITEM_RE.fullmatch(item):
        return "thực hiện"
    return None


def _cue_line_before(low: str, line_start: int) -> str:
    """ "3. Bãi bỏ⏎khoản 3 … của Luật Thủ đô …": a line holding only a cue goes on."""
    if line_start == 0 or low[line_start - 1] != "\n":
        return "nhắc đến"
    line = fold_same_length(low[low.rfind("\n", 0, line_start - 1) + 1 : line_start - 1])
    cue = _CUE_LINE_RE.fullmatch(line)
    return _RELATION[cue.group("cue")] if cue else "nhắc đến"


def _key(low: str, begin: int, end: int, near: list[Span]) -> str:
    """The folded text from ``begin`` to ``end``, other mentions' facts and amended-by asides
    blanked."""
    key = _blank(fold_same_length(low[begin:end]), begin, [(s.start, s.facts_end) for s in near])
    return _AMENDED_BY_RE.sub(lambda m: " " * len(m.group()), key)


def _item_relation(doc: Doc, line_start: int, spans: list[Span]) -> str | None:
    """For an item of a list laid out one per line after a lead ending in ":" ("Bãi bỏ các
    văn bản sau đây:", "Các văn bản sau hết hiệu lực …:"): the lead's cue."""
    low = doc.low
    if not _ITEM_RE.match(low, line_start):
        return None
    colon = low.rfind(":", max(0, line_start - _LEAD_REACH), line_start)
    if colon < 0:
        return None
    lines = [line for line in low[colon + 1 : line_start].split("\n") if line.strip()]
    if not all(_ITEM_RE.match(line) for line in lines):
        return None
    lead_start = max(0, colon - _WINDOW)
    for match in _SENTENCE_END_RE.finditer(low, lead_start, colon):
        lead_start = match.end()
    near = [s for s in spans if lead_start <= s.start < colon]
    key = _key(low, lead_start, colon, near)
    relation = _cue(key, lead_start, near)
    if relation is None and re.search(r"(?<![a-z])het hieu luc(?![a-z])", key):
        return "thay thế"  # "Các văn bản sau đây hết hiệu lực …:"
    return relation


def relation_after(doc: Doc, end: int) -> str | None:
    """The relation a cue right after a mention states ("… hết hiệu lực", "… bị bãi bỏ"):
    the text replaces, repeals or amends it.  "đã hết hiệu lực" tells a past fact, no cue."""
    match = _AFTER_RE.match(fold_same_length(doc.low[end : end + 140]))
    if match is None:
        return None
    cue = match.group("cue")
    return next(r for k, r in _AFTER_RELATION.items() if k in cue)
