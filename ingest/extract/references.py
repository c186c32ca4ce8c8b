"""Extract the directives a text cites: every mention with its span and canonical record.

Pipeline: find symbol mentions, then directives cited by name or by number only, then short
forms and "(sau đây gọi tắt là …)" aliases; read the date, issuer, title and pinpoint around
each; share the date of a coordinated list ("Nghị quyết số 18-NQ/TW và Nghị quyết số
19-NQ/TW ngày 25/10/2017"); resolve short forms to the full citation they abbreviate (never
guessing); group mentions into one ``Directive`` each.
"""

from __future__ import annotations

import bisect
import itertools
import re

from vanban.corpus.model import DateMention, Reference
from vanban.ingest.extract.aliases import find_alias_mentions
from vanban.ingest.extract.attach import attach_facts
from vanban.ingest.extract.cues import Span, relation_after, relation_before
from vanban.ingest.extract.dates import dates_in
from vanban.ingest.extract.directives import build_references
from vanban.ingest.extract.lexicon import akey
from vanban.ingest.extract.mentions import Doc, Mention
from vanban.ingest.extract.named import find_named_mentions, find_number_mentions
from vanban.ingest.extract.numbered import find_symbol_mentions
from vanban.ingest.normalize import lower_same_length

__all__ = ["extract_references", "references_and_dates", "references_in"]

_LIST_GAPS = frozenset(["", ",", "va", ", va", ", so", "va so", ", va so", ";", "hoac", ", hoac"])


def _without_overlaps(kept: list[Mention], extra: list[Mention]) -> list[Mention]:
    """``extra`` mentions that overlap none of ``kept``."""
    spans = sorted((m.start, m.end) for m in kept)
    starts = [s for s, _ in spans]
    result = []
    for mention in extra:
        i = bisect.bisect_left(starts, mention.end)
        if i and spans[i - 1][1] > mention.start:
            continue
        result.append(mention)
    return result


def _gap(doc: Doc, left: Mention, right: Mention) -> str | None:
    """The words between two adjacent mentions (nothing read after ``left`` in between)."""
    if left.tail != left.end or right.start < left.end or right.start - left.end > 12:
        return None
    return akey(doc.text[left.end : right.start])


def _share_list_facts(doc: Doc, mentions: list[Mention]) -> None:
    """Items of a coordinated list share the type before and the date and issuer after."""
    for left, right in itertools.pairwise(mentions):
        listed = left.kind == right.kind == "symbol" and _gap(doc, left, right) in _LIST_GAPS
        if listed and right.start == _symbol_start(doc, right) and left.type_name:
            code_type = right.parsed.type_name if right.parsed else None
            if code_type in {None, left.type_name}:
                right.type_name = left.type_name
    for left, right in reversed(list(itertools.pairwise(mentions))):
        if left.kind != "symbol" or right.kind != "symbol" or left.date is not None:
            continue
        if _gap(doc, left, right) not in _LIST_GAPS or left.type_name != right.type_name:
            continue
        if right.date is not None and (left.year is None or left.year == int(right.date[:4])):
            left.date = right.date
            left.year = left.year or int(right.date[:4])
            left.issuer = left.issuer or right.issuer
    for left, right in itertools.pairwise(mentions):
        if left.subject_issuer and right.issuer is None and _list_joined(doc, left, right):
            right.issuer, right.subject_issuer = left.issuer, True


def _list_joined(doc: Doc, left: Mention, right: Mention) -> bool:
    """ "ban hành Nghị quyết số 02 … và Kế hoạch số 07": items of one list (titles allowed)."""
    gap = akey(doc.text[left.tail : right.start]) if right.start >= left.tail else None
    return gap in {"va", ", va", ","}


def _symbol_start(doc: Doc, mention: Mention) -> int:
    """Where the symbol itself starts inside the mention (after the type word)."""
    match = re.search(r"[0-9]", doc.text[mention.start : mention.end])
    return mention.start + (match.start() if match else 0)


def _number_key(number: str | None) -> str:
    return (number or "").lstrip("0").lower()


def _resolve(mentions: list[Mention]) -> None:
    """Point each short form at the full citation it abbreviates, or mark it unresolved."""
    full: dict[tuple[str | None, str], list[int]] = {}
    for i, m in enumerate(mentions):
        if m.kind == "symbol" and m.number:
            full.setdefault((m.type_name, _number_key(m.number)), []).append(i)
    for index, mention in enumerate(mentions):
        if mention.kind not in {"short", "numbered"}:
            continue
        candidates = [
            i
            for i in full.get((mention.type_name, _number_key(mention.number)), [])
            if mention.year is None or mentions[i].year in {None, mention.year}
        ]
        before = [i for i in candidates if i < index]
        after = [i for i in candidates if i > index]
        symbols_before = {mentions[i].symbol for i in before}
        if before and len(symbols_before) == 1:
            mention.target = mentions[before[-1]]
        elif not before and len({mentions[i].symbol for i in after}) == 1:
            mention.target = mentions[after[0]]
        if mention.target is not None:
            mention.short_form = True
        elif mention.kind == "short":
            mention.short_form, mention.resolved = True, False


def _attach_all(doc: Doc, mentions: list[Mention]) -> None:
    for i, mention in enumerate(mentions):
        following = mentions[i + 1] if i + 1 < len(mentions) else None
        limit = following.start if following is not None else len(doc.text)
        attach_facts(doc, mention, limit, following.end if following is not None else None)


def extract_references(
    text: str, *, locality: str | None = None, dates: list[DateMention] | None = None
) -> list[Reference]:
    """Every directive mention in ``text`` (spans into ``text``), in order of appearance.

    ``locality`` is the document's own locality, recorded on directives of local issuers
    when the text names no other; ``dates`` are the text's dates if already extracted.
    """
    low = lower_same_length(text)
    return references_in(
        Doc(text, locality, dates if dates is not None else dates_in(text, low), low)
    )


def references_and_dates(
    text: str, *, locality: str | None = None
) -> tuple[list[Reference], list[DateMention]]:
    """``extract_references`` and ``extract_dates`` of ``text`` in one pass."""
    low = lower_same_length(text)
    dates = dates_in(text, low)
    return references_in(Doc(text, locality, dates, low)), dates


def references_in(doc: Doc) -> list[Reference]:
    """The references of a prepared document."""
    mentions = find_symbol_mentions(doc)
    mentions += _without_overlaps(mentions, find_named_mentions(doc))
    mentions += _without_overlaps(mentions, find_number_mentions(doc))
    mentions.sort(key=lambda m: m.start)
    _attach_all(doc, mentions)
    aliases = find_alias_mentions(doc, mentions)
    if aliases:
        shorts = [m for m in mentions if m.kind in {"short", "numbered"}]
        replaced = {id(m) for m in shorts if not _without_overlaps(aliases, [m])}
        mentions = [m for m in mentions if id(m) not in replaced]
        mentions += _without_overlaps(mentions, aliases)
        mentions.sort(key=lambda m: m.start)
    _share_list_facts(doc, mentions)
    _resolve(mentions)
    spans = [Span(m.start, m.facts_end, m.tail) for m in mentions]
    for mention in mentions:
        mention.relation = relation_before(doc, mention.start, spans)
    _relations_after(doc, mentions)
    _share_relations_forward(doc, mentions)
    return build_references(doc, mentions)


def _relations_after(doc: Doc, mentions: list[Mention]) -> None:
    """A cue after a mention ("… hết hiệu lực", "… bị bãi bỏ") governs it and the items
    of a list it ends ("Quyết định số A và Quyết định số B hết hiệu lực"), titles allowed,
    and a directive whose title or aside names the one it ends ("Nghị định số B … sửa đổi,
    bổ sung một số điều của Nghị định số A … hết hiệu lực")."""
    stated: str | None = None
    for index in range(len(mentions) - 1, -1, -1):
        mention = mentions[index]
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        listed = following is not None and (
            _gap(doc, mention, following) in _LIST_GAPS
            or _after_title(doc, mention, following) in _LIST_GAPS
            or _amends(doc, mention, following)
        )
        stated = relation_after(doc, mention.tail) or (stated if listed else None)
        weak = mention.relation == "nhắc đến" or _in_title_of(doc, mentions, index)
        if stated is not None and weak:
            mention.relation = stated


# Strong relations a list shares forward: "thay thế Thông tư số A … ; Thông tư số B …".
_SHARED_FORWARD = frozenset(["thay thế", "bãi bỏ"])
# The end of a title naming what the directive amends: "… sửa đổi, bổ sung một số điều của".
_AMENDS_RE = re.compile(
    r"(?:sua doi|bo sung)(?:[ ,]+(?:va )?(?:sua doi|bo sung))*"
    r"(?: (?:mot so (?:dieu|noi dung)|(?:cac )?(?:diem|khoan|dieu|chuong|muc) [0-9a-z]+"
    r"(?: (?:va|,) ?[0-9a-z]+)*))*(?: cua)?(?: cac)? ?$"
)
_AMENDED_BY_END_RE = re.compile(
    r"(?:da )?(?:duoc|bi) sua doi(?:,? (?:va )?bo sung)?(?: mot so dieu)?"
    r"(?: (?:theo|tai|boi|bang))?(?: (?:diem|khoan|dieu) [0-9a-z]+)* ?$"
)


def _after_title(doc: Doc, left: Mention, right: Mention) -> str | None:
    """The words between what was read after ``left`` (its date, issuer, title) and ``right``."""
    if right.start < left.tail or right.start - left.tail > 12:
        return None
    return akey(doc.text[left.tail : right.start]).strip(" -+").removesuffix(" a").strip()


def _amends(doc: Doc, left: Mention, right: Mention) -> bool:
    """Whether ``right`` is named by ``left``'s title or aside as what it amends or what
    amended it ("B … sửa đổi, bổ sung một số điều của A", "A (đã được sửa đổi … tại B")."""
    if right.start < left.end or right.start - left.facts_end > 400:
        return False
    words = akey(doc.text[left.facts_end : right.start]).replace("(", " ").strip()
    words = " ".join(words.split())
    return bool(_AMENDS_RE.search(words) or _AMENDED_BY_END_RE.search(words))


def _in_title_of(doc: Doc, mentions: list[Mention], index: int) -> bool:
    """Whether the mention at ``index`` is named in the amendment title of the one before,
    so that the cue it took was that title's ("B … sửa đổi … của A"), not the text's."""
    return index > 0 and _amends(doc, mentions[index - 1], mentions[index])


def _share_relations_forward(doc: Doc, mentions: list[Mention]) -> None:
    """A replacement or repeal reaches the next items of its list, past their titles and
    past a directive named in an item's amendment title ("Bãi bỏ Nghị định số A …; Nghị
    định số B … sửa đổi, bổ sung một số điều của Nghị định số A …")."""
    for index, (left, right) in enumerate(itertools.pairwise(mentions)):
        if left.relation not in _SHARED_FORWARD:
            continue
        joined = _after_title(doc, left, right) in _LIST_GAPS and right.relation == "nhắc đến"
        if joined or (_in_title_of(doc, mentions, index + 1) and right.relation != "căn cứ"):
            right.relation = left.relation
