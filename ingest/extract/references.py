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
from vanban.ingest.extract.cues import Span, relation_before
from vanban.ingest.extract.dates import dates_in
from vanban.ingest.extract.directives import build_references
from vanban.ingest.extract.lexicon import akey
from vanban.ingest.extract.mentions import Doc, Mention
from vanban.ingest.extract.named import find_named_mentions, find_number_mentions
from vanban.ingest.extract.numbered import find_symbol_mentions
from vanban.ingest.extract.relations import LIST_GAPS, gap, list_relations
from vanban.ingest.normalize import lower_same_length

__all__ = ["extract_references", "references_and_dates", "references_in"]



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


def _share_list_facts(doc: Doc, mentions: list[Mention]) -> None:
    """Items of a coordinated list share the type before and the date and issuer after."""
    for left, right in itertools.pairwise(mentions):
        listed = left.kind == right.kind == "symbol" and gap(doc, left, right) in LIST_GAPS
        if listed and right.start == _symbol_start(doc, right) and left.type_name:
            code_type = right.parsed.type_name if right.parsed else None
            if code_type in {None, left.type_name}:
                right.type_name = left.type_name
    for left, right in reversed(list(itertools.pairwise(mentions))):
        if left.kind != "symbol" or right.kind != "symbol" or left.date is not None:
            continue
        if gap(doc, left, right) not in LIST_GAPS or left.type_name != right.type_name:
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


def _identity(mention: Mention) -> tuple[str | None, str, int | None]:
    """What tells full citations apart: the symbol, or type, number and year."""
    if mention.symbol:
        return mention.symbol, "", None
    return mention.type_name, _number_key(mention.number), mention.year


def _resolve(mentions: list[Mention]) -> None:
    """Point each short form at the full citation it abbreviates, or mark it unresolved."""
    full: dict[tuple[str | None, str], list[int]] = {}
    for i, m in enumerate(mentions):
        # a number with its year ("Nghị định số 39/2021") is what "Nghị định 39" abbreviates
        if m.number and (m.kind == "symbol" or (m.kind == "short" and m.year is not None)):
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
        # a later number-and-year short form heads its own group: no cycle of targets
        after = [i for i in candidates if i > index and mentions[i].kind == "symbol"]
        if before and len({_identity(mentions[i]) for i in before}) == 1:
            mention.target = mentions[before[-1]]
        elif not before and len({_identity(mentions[i]) for i in after}) == 1:
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


def references_in(doc: Doc, own_name: str | None = None) -> list[Reference]:
    """The references of a prepared document; ``own_name`` (a law's own name, as a match
    key): a bare mention of that name is the law itself (its title line, "Quốc hội ban
    hành Luật thanh tra"), never the earlier law of the same name it replaces."""
    mentions = find_symbol_mentions(doc)
    named = find_named_mentions(doc)
    if own_name is not None:
        named = [m for m in named if not (m.kind == "named" and m.symbol is None
                                          and akey(doc.text[m.start:m.end]) == own_name)]
    mentions += _without_overlaps(mentions, named)
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
    list_relations(doc, mentions)
    return build_references(doc, mentions)
