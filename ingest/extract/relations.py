"""Relations a list, a title or an aside passes between mentions, once each mention has the
cue written before it (``cues.relation_before``).

- A cue after a mention ("… hết hiệu lực kể từ …", "… bị bãi bỏ") governs it and every item
  of the list it ends, titles allowed: "Thông tư số A … về X và Thông tư số B … về Y hết
  hiệu lực".
- A replacement or repeal reaches the next items of its list past their titles: "thay thế
  Thông tư liên tịch số A … hướng dẫn …; Thông tư liên tịch số B …".
- A directive named in another's title or aside ("Nghị định số B … sửa đổi, bổ sung một số
  điều của Nghị định số A", "A (đã được sửa đổi, bổ sung tại B)") is context: the title's cue
  is that directive's act, not the text's, when the text replaces or repeals the directive
  whose title it is; the list's relation passes over it to the next item.
"""

from __future__ import annotations

import re

from vanban.ingest.extract.cues import relation_after
from vanban.ingest.extract.lexicon import akey
from vanban.ingest.extract.mentions import Doc, Mention
from vanban.ingest.normalize import fold_same_length

__all__ = ["LIST_GAPS", "gap", "list_relations"]

LIST_GAPS = frozenset(["", ",", "va", ", va", ", so", "va so", ", va so", ";", "hoac", ", hoac"])
# Strong relations a list shares forward.
_SHARED_FORWARD = frozenset(["thay thế", "bãi bỏ"])
# A title naming what its directive amends or details: "… sửa đổi, bổ sung một số điều của",
# "… quy định chi tiết và hướng dẫn thực hiện một số điều của".
_PINPOINTS = (
    r"(?: (?:mot so (?:dieu|noi dung)|(?:cac )?(?:diem|khoan|dieu|chuong|muc) [0-9a-z]+"
    r"(?: (?:va|,) ?[0-9a-z]+)*))*"
)
_NAMES_RE = re.compile(
    r"(?:(?:sua doi|bo sung)(?:[ ,]+(?:va )?(?:sua doi|bo sung))*"
    r"|(?:quy dinh chi tiet|huong dan)(?: (?:va )?(?:huong dan )?(?:thi hanh|thuc hien))?)"
    + _PINPOINTS
    + r"(?: cua)?(?: cac)? ?$"
)
_AMENDED_BY_RE = re.compile(
    r"(?:da )?(?:duoc|bi) sua doi(?:,? (?:va )?bo sung)?(?: mot so dieu)?"
    r"(?: (?:theo|tai|boi|bang))?(?: (?:diem|khoan|dieu) [0-9a-z]+)* ?$"
)
# A cue at the end of a long title: "… thư viện xã, phường, thị trấn hết hiệu lực."
_LATE_CUE_RE = re.compile(
    r"(?<![a-z])(?P<past>da\s+)?(?P<cue>het hieu luc|(?:bi|duoc)\s+bai bo|(?:bi|duoc)\s+thay the)"
    r"(?=\s*(?:thi hanh|ke tu|tu ngay|khi|(?P<bare>[.;,]|$)))"
)
# The text itself: "Thông tư này", "Nghị định này", "Luật này".
_SELF_RE = re.compile(r"(?<![a-z])(?:thong tu|nghi dinh|quyet dinh|luat|nghi quyet|phap lenh) nay")
_LATE_RELATION = {"h": "thay thế", "bai bo": "bãi bỏ", "thay the": "thay thế"}
_CLAUSE_BREAK_RE = re.compile(r"[.;:\n()]")
# The end of the words before a list's next item: a joiner, a list mark, then a pinpoint or
# the part of the item it names ("; Điều 2 của", "và các biểu mẫu tại").
_JOINER_RE = re.compile(
    r"(?:,|;|\bva|, va)\s*(?:[a-z]\)|-|\+)?\s*(?:cac\s+)?"
    r"(?:(?:(?:diem|khoan|dieu|chuong|muc|phan|phu luc) [0-9a-z]+(?: (?:va|,) ?[0-9a-z]+)* ?)+"
    r"(?:cua )?|(?:bieu mau|quy dinh|noi dung|phu luc)(?: [a-z]+){0,5} (?:tai|cua|trong) )?$"
)
_TITLE_LIST_RE = re.compile(
    r"\s*(?:,|va|, va)\s*(?P<pin>(?:diem|khoan|dieu) [0-9a-z]+(?: (?:va|,) ?[0-9a-z]+)* (?:cua )?)?"
)
_MAX_TITLE = 400
_CUE_WORDS = {
    "hướng dẫn": r"huong dan|quy dinh chi tiet",
    "sửa đổi": r"sua doi|bo sung",
    "thực hiện": r"thuc hien|trien khai|quan triet",
}


def gap(doc: Doc, left: Mention, right: Mention) -> str | None:
    """The words between two adjacent mentions (nothing read after ``left`` in between)."""
    if left.tail != left.end or right.start < left.end or right.start - left.end > 12:
        return None
    return akey(doc.text[left.end : right.start])


def list_relations(doc: Doc, mentions: list[Mention]) -> None:
    """Pass the relations of lists, titles and asides between ``mentions`` (in order)."""
    _relations_after(doc, mentions)
    _share_forward(doc, mentions)


def _relations_after(doc: Doc, mentions: list[Mention]) -> None:
    stated: str | None = None
    for index in range(len(mentions) - 1, -1, -1):
        mention = mentions[index]
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        listed = following is not None and (
            gap(doc, mention, following) in LIST_GAPS
            or _after_title(doc, mention, following) in LIST_GAPS
            or _names(doc, mention, following)
        )
        limit = following.start if following is not None else len(doc.text)
        stated = _cue_after(doc, mention, limit) or (stated if listed else None)
        if index > 0 and _in_title_of(doc, mentions, index):
            continue  # named in the title before: the stated cue passes over it
        weak = mention.relation == "nhắc đến" or _cue_in_title(doc, mentions, index)
        if stated is not None and weak:
            mention.relation = stated


def _cue_in_title(doc: Doc, mentions: list[Mention], index: int) -> bool:
    """Whether the cue the mention at ``index`` took stands after an earlier directive of
    its sentence, in that directive's title ("Thông tư số A … hướng dẫn thực hiện … Quyết
    định số B … và Thông tư số C"): that directive's act, which an explicit cue after the
    mention outweighs."""
    mention = mentions[index]
    words = _CUE_WORDS.get(mention.relation)
    if words is None:
        return False
    first = None
    for before in reversed(mentions[max(0, index - 4) : index]):
        between = doc.low[before.facts_end : mention.start]
        if mention.start - before.start > 600 or ". " in between or "\n" in between:
            break
        first = before
    if first is None or mention.start <= first.facts_end:
        return False
    return re.search(words, fold_same_length(doc.low[first.facts_end : mention.start])) is not None


def _cue_after(doc: Doc, mention: Mention, limit: int) -> str | None:
    """The cue right after the mention, or at the end of its (long) title."""
    stated = relation_after(doc, mention.tail)
    if stated is not None:
        return stated
    segment = fold_same_length(doc.low[mention.facts_end : min(limit, mention.facts_end + 600)])
    late = _LATE_CUE_RE.search(segment)
    if late is None or late.group("past") or _CLAUSE_BREAK_RE.search(segment, 0, late.start()):
        return None
    if late.group("bare") is not None and not _SELF_RE.search(_sentence(doc, mention.start)):
        return None  # "… đồng thời Thông tư số A hết hiệu lực.": a fact the text reports
    return next(r for k, r in _LATE_RELATION.items() if k in late.group("cue"))


def _sentence(doc: Doc, pos: int) -> str:
    """The folded sentence (or list item) around ``pos``."""
    start = max(doc.low.rfind(". ", 0, pos), doc.low.rfind("\n", 0, pos)) + 1
    return fold_same_length(doc.low[start : pos + 600].split(". ", 1)[0])


def _after_title(doc: Doc, left: Mention, right: Mention) -> str | None:
    """The words between what was read after ``left`` (its date, issuer, title) and ``right``."""
    if right.start < left.tail or right.start - left.tail > 12:
        return None
    return akey(doc.text[left.tail : right.start]).strip(" -+").removesuffix(" a").strip()


def _title_words(doc: Doc, left: Mention, right: Mention) -> str | None:
    """The words from ``left``'s date and issuer to ``right``, if within a title's reach."""
    if right.start < left.end or right.start - left.facts_end > _MAX_TITLE:
        return None
    return " ".join(akey(doc.text[left.facts_end : right.start]).replace("(", " ").split())


def _names(doc: Doc, left: Mention, right: Mention) -> bool:
    """Whether ``right`` is named by ``left``'s title or aside as what it amends or details,
    or what amended it ("B … sửa đổi, bổ sung một số điều của A", "A (đã được sửa đổi …
    tại B")."""
    words = _title_words(doc, left, right)
    return words is not None and bool(_NAMES_RE.search(words) or _AMENDED_BY_RE.search(words))


def _in_title_of(doc: Doc, mentions: list[Mention], index: int) -> bool:
    return index > 0 and _names(doc, mentions[index - 1], mentions[index])


def _joined(doc: Doc, left: Mention, right: Mention) -> bool:
    """Whether ``right`` is the next item of ``left``'s list, past ``left``'s title."""
    if _after_title(doc, left, right) in LIST_GAPS:
        return True
    words = doc.low[left.facts_end : right.start] if right.start > left.facts_end else None
    if words is None or len(words) > _MAX_TITLE:
        return False
    folded = fold_same_length(words)
    joiner = _JOINER_RE.search(folded)
    return joiner is not None and not _CLAUSE_BREAK_RE.search(folded, 0, joiner.start())


def _coordinated(doc: Doc, mentions: list[Mention], index: int) -> bool:
    """ "… sửa đổi Điều 126 của Luật nhà ở và Điều 121 của Luật đất đai": the mention at
    ``index`` goes on the title's list (a joiner and a pinpoint only)."""
    left, right = mentions[index - 1], mentions[index]
    words = doc.low[left.end : right.start] if right.start >= left.end else ""
    listed = _TITLE_LIST_RE.fullmatch(fold_same_length(words)) if len(words) < 40 else None
    # a numbered directive with its own facts after a bare "và" is the outer list's next item
    return listed is not None and (right.kind != "symbol" or listed.group("pin") is not None)


def _share_forward(doc: Doc, mentions: list[Mention]) -> None:
    current: str | None = None
    titled = False
    for index, mention in enumerate(mentions):
        joined = index > 0 and _joined(doc, mentions[index - 1], mention)
        titled = _in_title_of(doc, mentions, index) or (
            titled and _coordinated(doc, mentions, index)
        )
        if current is not None and titled:
            if mention.relation != "căn cứ":
                mention.relation = "nhắc đến"  # the title's cue, not the text's
            continue  # the list's relation passes over it
        if current is not None and joined and mention.relation == "nhắc đến":
            mention.relation = current
        current = mention.relation if mention.relation in _SHARED_FORWARD else None
