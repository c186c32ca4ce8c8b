"""Who replaced, repealed or amended whom, as a text states it.

The extractor gives every mention the relation cue written before it ("thay thế",
"bãi bỏ", "sửa đổi, bổ sung"), read as the citing text's own act.  That holds for "Quyết
định này thay thế Quyết định số 2150/QĐ-UBND", but not when another directive is the
subject of the cue:

- active: "Nghị định số 107/2021/NĐ-CP … sửa đổi, bổ sung một số điều của Nghị định số
  61/2018/NĐ-CP" (107 amends 61; the text only cites both);
- passive: "Thông tư số 01/2011/TT-BNV … đã bị thay thế bởi Nghị định số 30/2020/NĐ-CP";
- anaphora in an article: "… ban hành Quyết định số 1968/QĐ-UBND … Quyết định này thay thế
  Quyết định số 2150/QĐ-UBND" (in a text that is not itself a Quyết định).

``find_changes`` reads those statements; ``reattribute`` gives the mentions involved the
relation of the citing text instead (the subject's own relation), returning new objects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from vanban.corpus.model import Reference
from vanban.ingest.normalize import fold_same_length, lower_same_length

__all__ = ["CHANGE_RELATIONS", "Change", "find_changes", "reattribute", "title_changes",
           "title_relation"]

CHANGE_RELATIONS = ("thay thế", "bãi bỏ", "sửa đổi")
_CUE_WORDS = {"thay thế": "thay the", "bãi bỏ": "bai bo", "sửa đổi": "sua doi|bo sung"}
# A cue phrase: "sửa đổi, bổ sung", "sửa đổi và bổ sung", "thay thế".
_CUE_RE = {rel: re.compile(rf"(?<![a-z])(?:{words})(?:\s*(?:,|va)\s*(?:{words}))*(?![a-z])")
           for rel, words in _CUE_WORDS.items()}
# Passive: "đã được sửa đổi, bổ sung (một số điều) theo/bởi/bằng Luật số …".
_PASSIVE_BEFORE = re.compile(r"(?<![a-z])(?:bi|duoc)\s+$")
_PASSIVE_AFTER = re.compile(r"\s*(?:mot so dieu\s+)?(?:boi|bang|theo)(?![a-z])")
# "Luật sửa đổi, bổ sung Điều 170 của Luật doanh nghiệp": the cue is part of a name.
_NAME_BEFORE = re.compile(r"(?<![a-z])(?:luat|bo luat|nghi dinh|thong tu|phap lenh|nghi quyet|"
                          r"quyet dinh)\s+$")
_SENTENCE_END = re.compile(r"[.!?]\s|[;\n]")
# "Quyết định này thay thế …": the subject is "this Quyết định".
_THIS_RE = re.compile(r"(?<![a-z])(nghi dinh|nghi quyet|quyet dinh|chi thi|thong tu|ket luan|"
                      r"quy dinh|ke hoach|luat|phap lenh|van ban|thong bao|huong dan) nay"
                      r"(?![a-z])")
# A new clause with its own subject (", UBND tỉnh sẽ …") breaks the link to the subject.
_NEW_SUBJECT = re.compile(r",\s*[A-ZĐÂĂÊÔƠƯ]")
# A document's own title line: "Sửa đổi, bổ sung một số điều của Quy chế … ban hành kèm theo
# Quyết định số 1968/QĐ-UBND …" (before its "Căn cứ …" block).
_TITLE_CUES = (("sua doi", "sửa đổi"), ("bo sung", "sửa đổi"), ("thay the", "thay thế"),
               ("bai bo", "bãi bỏ"))
HEADER_CHARS = 2500
_MAX_GAP = 320
_ANAPHORA_REACH = 800


@dataclass(frozen=True)
class Change:
    """A statement that ``by`` replaced ("thay thế"), repealed ("bãi bỏ") or amended
    ("sửa đổi") the directive of ``target``; ``by`` is None when the text itself does."""

    target: Reference
    relation: str
    by: Reference | None


def _sentence_start(text: str, pos: int) -> int:
    start = max(0, pos - _MAX_GAP)
    for m in _SENTENCE_END.finditer(text, start, pos):
        start = m.end()
    return start


def _last_cue(fold: str, relation: str, lo: int, hi: int) -> re.Match[str] | None:
    last = None
    for m in _CUE_RE[relation].finditer(fold, lo, hi):
        last = m
    return last


def _before(refs: Sequence[Reference], pos: int, lo: int) -> Reference | None:
    """The mention ending last at or before ``pos`` and starting at or after ``lo``."""
    best = None
    for r in refs:
        if lo <= r.start and r.end <= pos and (best is None or r.end > best.end):
            best = r
    return best


def _type_key(type_name: str | None) -> str:
    return fold_same_length((type_name or "").lower())


def _active_subject(text: str, fold: str, refs: Sequence[Reference], cue: re.Match[str],
                    sent: int, own_type: str | None) -> tuple[bool, Reference | None]:
    """(found, subject) of an active cue: the directive written before it.

    ``(True, None)`` means the text itself ("Quyết định này"), ``(False, None)`` no subject.
    """
    this = None
    for m in _THIS_RE.finditer(fold, sent, cue.start()):
        this = m
    if this is not None:
        if own_type is not None and _type_key(own_type) == this.group(1):
            return True, None
        back = max(0, this.start() - _ANAPHORA_REACH)
        same = [r for r in refs if r.end <= this.start() and r.start >= back
                and _type_key(r.directive.type) == this.group(1)]
        if same:
            return True, max(same, key=lambda r: r.end)
        return (own_type is not None), None
    subject = _before(refs, cue.start(), sent)
    if subject is None:
        return False, None
    gap = text[subject.end:cue.start()]
    if _NEW_SUBJECT.search(gap):
        return False, None
    return True, subject


def find_changes(text: str, refs: Sequence[Reference],
                 own_type: str | None = None) -> list[Change]:
    """Every replacement, repeal or amendment ``text`` states between directives.

    ``refs`` are the text's mentions (spans into ``text``); ``own_type`` is the text's own
    document type, so that "Quyết định này" in a Quyết định names the text itself.
    """
    fold = fold_same_length(lower_same_length(text))
    ordered = sorted(refs, key=lambda r: r.start)
    changes: list[Change] = []
    for ref in ordered:
        sent = _sentence_start(text, ref.start)
        if ref.relation not in CHANGE_RELATIONS:
            # the extractor gives the agent of a passive the text's relation ("Hiến pháp …
            # đã được sửa đổi, bổ sung theo Nghị quyết số 51/2001/QH10": căn cứ)
            passive = _passive(fold, sent, ref.start)
            target = _before(ordered, passive[1].start(), sent) if passive else None
            if passive and target is not None and target is not ref:
                changes.append(Change(target, passive[0], ref))
            continue
        cue = _last_cue(fold, ref.relation, sent, ref.start)
        if cue is None or _NAME_BEFORE.search(fold, max(sent, cue.start() - 12), cue.start()):
            continue
        if _is_passive(fold, sent, cue, ref.start):
            target = _before(ordered, cue.start(), sent)
            if target is not None and target is not ref:
                changes.append(Change(target, ref.relation, ref))
            continue
        found, subject = _active_subject(text, fold, ordered, cue, sent, own_type)
        if found and subject is not ref:
            changes.append(Change(ref, ref.relation, subject))
    return changes


def _is_passive(fold: str, sent: int, cue: re.Match[str], end: int) -> bool:
    """ "… đã được sửa đổi, bổ sung theo" right before ``end``."""
    before = _PASSIVE_BEFORE.search(fold, max(sent, cue.start() - 8), cue.start())
    return before is not None and _PASSIVE_AFTER.match(fold[cue.end():end]) is not None


def _passive(fold: str, sent: int, start: int) -> tuple[str, re.Match[str]] | None:
    """The change a passive cue right before ``start`` states, with the cue."""
    for relation in CHANGE_RELATIONS:
        cue = _last_cue(fold, relation, sent, start)
        if cue is not None and _is_passive(fold, sent, cue, start):
            return relation, cue
    return None


def title_relation(text: str, start: int) -> str | None:
    """The relation a document's title line states for the mention at ``start``, if the
    mention is in a header line that opens with "Sửa đổi", "Bổ sung", "Thay thế" or
    "Bãi bỏ" (and no "Căn cứ" comes before it)."""
    if start > HEADER_CHARS:
        return None
    before = fold_same_length(lower_same_length(text[:start]))
    if "can cu" in before:
        return None
    line = re.sub(r"^[\s*#_>]+", "", before[before.rfind("\n") + 1:])
    return next((relation for cue, relation in _TITLE_CUES if line.startswith(cue)), None)


def title_changes(text: str, refs: Sequence[Reference]) -> list[Change]:
    """What a document's own title says it amends, replaces or repeals (call it only for
    a text with a header: a number or a document type)."""
    out = []
    for ref in refs:
        relation = title_relation(text, ref.start)
        if relation is not None and ref.relation not in CHANGE_RELATIONS:
            out.append(Change(ref, relation, None))
    return out


def reattribute(refs: Sequence[Reference], changes: Sequence[Change]) -> list[Reference]:
    """The mentions with the citing text's own relations (new objects, same order).

    A cue whose subject is another directive does not say what the text does: the target
    of an active change, and the agent of a passive one, take the relation of the other
    mention of the statement.  A change by the text itself (its title) is its relation."""
    new: dict[int, str] = {}
    for ch in changes:
        if ch.by is None:
            if ch.target.relation != ch.relation:
                new[id(ch.target)] = ch.relation
            continue
        if ch.by.start > ch.target.start:
            new[id(ch.by)] = ch.target.relation  # passive: "A bị thay thế bởi B"
        else:
            new[id(ch.target)] = ch.by.relation
    return [replace(r, relation=new[id(r)]) if id(r) in new else r for r in refs]
