"""Group mentions into directives and freeze them into ``Reference`` records.

Identity within a text: the symbol, plus the year when known (Party numbers restart each
term: 18-NQ/TW exists for 2017 and for 2022), plus the locality for local issuers (one
city's 02-NQ/TU is not another's); the name for directives cited without a symbol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vanban.corpus.model import Directive, Reference
from vanban.ingest.extract.codes import NATIONAL_ISSUERS, ascii_key
from vanban.ingest.extract.lexicon import akey
from vanban.ingest.extract.mentions import Doc, Mention
from vanban.ingest.extract.places import locality_in, province_in, province_of

__all__ = ["build_references"]


@dataclass
class _Group:
    key: tuple[str, ...]
    date: str | None
    year: int | None
    locality: str | None
    mentions: list[Mention] = field(default_factory=list)


def _explicit_locality(mention: Mention) -> str | None:
    return locality_in(mention.issuer) if mention.issuer else None


_BELOW_CITY = ("huyện ", "quận ", "thị xã ", "xã ", "phường ", "thị trấn ")


def _inherited_locality(doc: Doc, full: list[Mention]) -> str | None:
    """The document's own locality, or its province for a province's directive: 819-QĐ/TU
    "của Ban Thường vụ Tỉnh ủy" cited by a city or a district is the province's; a
    district's text citing a …/TU symbol cites its province's (unknown: ``None``)."""
    local = doc.locality
    if local is None:
        return None
    says_province = any(m.issuer and "tinh uy" in akey(m.issuer) for m in full)
    province_code = any(
        m.parsed is not None and [ascii_key(c) for c in m.parsed.issuer_codes] == ["TU"]
        for m in full
    )
    if not (says_province or (province_code and local.startswith(_BELOW_CITY))):
        return local
    return province_of(local) or province_in(doc.text)


def _compatible(group: _Group, mention: Mention, locality: str | None) -> bool:
    """Same directive unless the date, the year or the issuing locality differ."""
    year = int(mention.date[:4]) if mention.date else mention.year
    if mention.date and group.date and mention.date != group.date:
        return False
    if year is not None and group.year is not None and year != group.year:
        return False
    return not (locality and group.locality and locality != group.locality)


_NAME_YEAR_RE = re.compile(r"(?:\s+nam)?\s+(?:19|20)[0-9]{2}$")


def name_key(name: str) -> str:
    """A law's name as a key, without its year ("Hiến pháp năm 1992" → "hien phap")."""
    return _NAME_YEAR_RE.sub("", akey(name))


def _base_key(mention: Mention) -> tuple[str, ...]:
    if mention.kind == "symbol":
        return ("symbol", mention.symbol or "")
    if mention.kind == "numbered":
        return ("numbered", mention.type_name or "", (mention.number or "").lstrip("0"))
    return (mention.kind, name_key(mention.name or ""))


def _group(mentions: list[Mention]) -> dict[int, _Group]:
    """Group of each mention (by ``id``); short forms join their target's group."""
    groups: dict[tuple[str, ...], list[_Group]] = {}
    of: dict[int, _Group] = {}
    for mention in mentions:
        if mention.target is not None:
            continue
        year = int(mention.date[:4]) if mention.date else mention.year
        locality = _explicit_locality(mention) if mention.local else None
        key = _base_key(mention)
        options = groups.setdefault(key, [])
        fitting = [g for g in options if _compatible(g, mention, locality)]
        exact = [g for g in fitting if g.date and g.date == mention.date]
        chosen = exact or fitting
        if year is None and mention.kind == "named" and len({g.year for g in fitting}) > 1:
            chosen = []  # "Hiến pháp" beside "Hiến pháp năm 1992" and "… năm 2013": which?
        group = chosen[-1] if chosen else None
        if group is None:
            group = _Group(key, mention.date, year, locality)
            options.append(group)
        group.date = group.date or mention.date
        group.year = group.year or year
        group.locality = group.locality or locality
        group.mentions.append(mention)
        of[id(mention)] = group
    _names_join_symbols(groups, of)
    for mention in mentions:
        target = mention.target
        while target is not None and id(target) not in of:
            target = target.target
        if target is not None:
            of[id(mention)] = of[id(target)]
            of[id(target)].mentions.append(mention)
    return of


def _names_join_symbols(groups: dict[tuple[str, ...], list[_Group]], of: dict[int, _Group]) -> None:
    """ "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15" names the law: the text's other
    mentions of that name are mentions of 10/2022/QH15 (when one numbered law has it)."""
    numbered: dict[str, list[_Group]] = {}
    for key, options in groups.items():
        if key[0] != "symbol":
            continue
        for group in options:
            names = {name_key(m.name) for m in group.mentions if m.name}
            for name in names:
                numbered.setdefault(name, []).append(group)
    for (kind, name, *_), options in groups.items():
        targets = numbered.get(name, []) if kind == "named" else []
        if len(targets) != 1:
            continue
        target = targets[0]
        for group in options:
            if group.year is not None and target.year is not None and group.year != target.year:
                continue
            for mention in group.mentions:
                of[id(mention)] = target
            target.mentions.extend(group.mentions)
            group.mentions = []


def _first(values: list[str | None]) -> str | None:
    return next((v for v in values if v), None)


def _code_issuer(mention: Mention) -> str | None:
    parsed = mention.parsed
    if parsed is None or len(parsed.issuer_codes) != 1:
        return None
    return NATIONAL_ISSUERS.get(ascii_key(parsed.issuer_codes[0]).rstrip("0123456789"))


def _directive(doc: Doc, group: _Group) -> Directive:
    full = [m for m in group.mentions if not m.short_form] or group.mentions
    head = next((m for m in full if m.kind == "symbol"), full[0])
    symbol = head.symbol if head.kind == "symbol" else None
    unresolved = head.kind == "short" and not head.resolved
    date = _first([m.date for m in full])
    issuer = _first([m.issuer for m in full]) or _first([_code_issuer(m) for m in full])
    year = group.year or head.year or (int(date[:4]) if date else None)
    locality = None
    if any(m.local for m in full) or (symbol is None and issuer and locality_in(issuer)):
        locality = (
            group.locality
            or _first([_explicit_locality(m) for m in full])
            or _inherited_locality(doc, full)
        )
    name = head.name if (symbol is None or head.name) else None
    return Directive(
        symbol=symbol,
        name=name,
        type=_first([m.type_name for m in full]),
        number=head.number if not unresolved or head.number else None,
        year=year,
        issuer=issuer,
        locality=locality,
        date=date,
        title=_first([m.title for m in full]) or (name if symbol else None),
    )


def build_references(doc: Doc, mentions: list[Mention]) -> list[Reference]:
    """Freeze mentions into references sharing one ``Directive`` per group."""
    of = _group(mentions)
    directives: dict[int, Directive] = {}
    references: list[Reference] = []
    for mention in mentions:
        group = of[id(mention)]
        directive = directives.get(id(group))
        if directive is None:
            directive = directives[id(group)] = _directive(doc, group)
        references.append(
            Reference(
                start=mention.start,
                end=mention.end,
                surface=doc.text[mention.start : mention.end],
                directive=directive,
                relation=mention.relation,
                pinpoint=mention.pinpoint,
                short_form=mention.short_form,
                resolved=mention.resolved,
            )
        )
    return references
