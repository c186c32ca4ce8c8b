"""What a clerk must check in a text's citations, as one ``Notice`` each.

- ``date_conflict``: the same symbol cited with two different dates;
- ``year_mismatch``: a symbol whose year (30/2020/NĐ-CP) is not the year of its date;
- ``unresolved_short_form``: "Nghị quyết 25" with no full citation in the text to expand it;
- ``unknown_locality``: a local symbol (…/QĐ-UBND, …-KH/TU) whose locality is not said;
- ``replaced``, ``repealed``, ``amended``: a directive the text or a corpus document says was
  replaced ("thay thế"), repealed ("bãi bỏ") or amended ("sửa đổi"), naming who did it;
- ``party_symbol_year``, ``unknown_type_code``, ``type_mismatch``: a symbol breaking the
  official format (a year in a Party symbol, a type code that does not exist, a type word
  that the code contradicts);
- ``twin_not_stated``: a symbol without a year ("19-NQ/TW") that the corpus cites as two or
  more directives of different years (numbers restart each term or year), while the text
  gives no date nor term to tell which one it means.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vanban.corpus.model import Directive
from vanban.ingest.extract.codes import (
    PARTY_TYPE_CODES,
    ascii_key,
    is_local_issuer,
    is_party_issuer,
)
from vanban.ingest.extract.symbols import parse_symbol

if TYPE_CHECKING:
    from vanban.corpus.store import Store
    from vanban.search.report import DirectiveEntry

__all__ = ["Notice", "check_entries", "corpus_twins", "vn_date"]

_CHANGE_CODES = {"thay thế": "replaced", "bãi bỏ": "repealed", "sửa đổi": "amended"}
_CHANGE_VERBS = {"thay thế": "replaced", "bãi bỏ": "repealed", "sửa đổi": "amended"}
_YEAR_AFTER = re.compile(r"\s?/\s?((?:19|20)[0-9]{2})(?![0-9])")
# A term named after a Party symbol tells its twins apart: "19-NQ/TW … khóa XII".
_TERM_AFTER = re.compile(r"[^.;\n]{0,160}?\bkh(?:óa|oá|oa)\s+[XVIL]+\b", re.IGNORECASE)
_TERM_BEFORE = re.compile(r"\bkh(?:óa|oá|oa)\s+[XVIL]+\b[^.;\n]{0,80}$", re.IGNORECASE)


@dataclass(frozen=True)
class Notice:
    """One warning about one directive of a text."""

    code: str
    message: str
    symbol: str | None = None
    name: str | None = None
    dates: tuple[str, ...] = ()
    by: str | None = None
    doc_id: str | None = None

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "symbol": self.symbol, "name": self.name,
                               "message": self.message}
        if self.dates:
            out["dates"] = list(self.dates)
        if self.by is not None or self.code in _CHANGE_CODES.values():
            out["by"] = self.by
            out["doc_id"] = self.doc_id
        return out


def vn_date(iso: str) -> str:
    """"2013-06-03" → "03/6/2013", as Vietnamese documents write dates: a day below 10 and
    the months 1 and 2 with a leading zero ("19/01/2011").  Other values are unchanged."""
    parts = iso.split("-")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return iso
    month = int(parts[1])
    shown = f"{month:02d}" if month < 3 else str(month)
    if len(parts) == 2:
        return f"{shown}/{parts[0]}"
    return f"{int(parts[2]):02d}/{shown}/{parts[0]}"


def _label(d: Directive) -> str:
    return d.symbol or f"“{d.name}”"


def _notice(code: str, d: Directive, message: str, **extra: Any) -> Notice:
    return Notice(code, f"{_label(d)}: {message}", d.symbol, d.name, **extra)


def check_entries(entries: Sequence[DirectiveEntry], text: str,
                  cited: frozenset[str] = frozenset(),
                  twins: Mapping[str, Sequence[str]] | None = None) -> list[Notice]:
    """Every notice about a text's directives, in order of their first mention.

    ``cited`` are the symbols the text cites (an amendment by one of them is no news);
    ``twins`` the dates of each symbol the corpus cites as several directives
    (``corpus_twins``)."""
    out: list[Notice] = []
    conflicts = _date_conflicts(entries)
    for entry in entries:
        d = entry.directive
        out.extend(conflicts.pop(_conflict_key(d), []))
        out.extend(_format_notices(entry, text))
        if any(not m.resolved for m in entry.mentions):
            surface = entry.mentions[0].surface
            out.append(_notice("unresolved_short_form", d,
                               f"the short form “{surface}” matches no full citation in this "
                               "text — write its full number and date"))
        if d.symbol and d.locality is None and _is_local(d.symbol):
            out.append(_notice("unknown_locality", d,
                               "a local symbol, but the text does not say which province or "
                               "district issued it (local numbers repeat across localities)"))
        out.extend(_change_notices(entry, cited))
        out.extend(_twin_notices(entry, text, twins or {}))
    return out


def _twin_notices(entry: DirectiveEntry, text: str,
                  twins: Mapping[str, Sequence[str]]) -> list[Notice]:
    """ "19-NQ/TW" cited with no date nor term, while the corpus knows two of them."""
    d = entry.directive
    dates = twins.get(d.symbol or "", ())
    if len(dates) < 2 or d.date or entry.dates_cited:
        return []
    if any(_TERM_AFTER.match(text, m.end) or _TERM_BEFORE.search(text, max(0, m.start - 120),
                                                                  m.start)
           for m in entry.mentions):
        return []  # "Nghị quyết Trung ương 6 khóa XII (19-NQ/TW)"
    shown = " and ".join(f"of {vn_date(x)}" for x in dates)
    return [_notice("twin_not_stated", d,
                    f"the corpus cites {len(dates)} directives with this number ({shown}); "
                    "numbers restart each term or year, and the text gives no date nor term "
                    "to tell which one it means — which one is not stated", dates=tuple(dates))]


def corpus_twins(store: Store, symbols: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """For each symbol without a year that the corpus cites with dates of two or more
    years: one date per year (the one cited most), oldest first."""
    wanted = [s for s in symbols if (p := parse_symbol(s)) is not None and p.year is None]
    out: dict[str, tuple[str, ...]] = {}
    for symbol in dict.fromkeys(wanted):
        rows = store.db.execute(
            "SELECT date, COUNT(*) FROM refs WHERE symbol = ? AND date IS NOT NULL "
            "GROUP BY date", (symbol,)).fetchall()
        best: dict[str, tuple[int, str]] = {}
        for date, count in rows:
            year = str(date)[:4]
            if year not in best or count > best[year][0]:
                best[year] = (count, str(date))
        if len(best) > 1:
            out[symbol] = tuple(sorted(date for _, date in best.values()))
    return out


def _conflict_key(d: Directive) -> tuple[str, str | None] | None:
    return (d.symbol, d.locality) if d.symbol else None


def _date_conflicts(entries: Sequence[DirectiveEntry]) -> dict[Any, list[Notice]]:
    """One notice per symbol cited with two or more dates, keyed to its first entry."""
    dates: dict[tuple[str, str | None], list[str]] = {}
    rows: dict[tuple[str, str | None], int] = {}
    for entry in entries:
        key = _conflict_key(entry.directive)
        if key is None:
            continue
        rows[key] = rows.get(key, 0) + 1
        seen = dates.setdefault(key, [])
        seen.extend(x for x in entry.dates_cited if x not in seen)
    out: dict[Any, list[Notice]] = {}
    for key, values in dates.items():
        if len(values) < 2:
            continue
        shown = " and ".join(vn_date(v) for v in values)
        if rows[key] > 1:
            why = (f"cited with {len(values)} dates, {shown} — two different directives "
                   "(numbers restart each year or term), or a wrong date?")
        else:
            why = f"cited with {len(values)} dates, {shown} — check which one is right"
        out[key] = [Notice("date_conflict", f"{key[0]}: {why}", key[0], None, tuple(values))]
    return out


def _is_local(symbol: str) -> bool:
    parsed = parse_symbol(symbol)
    return parsed is not None and is_local_issuer(list(parsed.issuer_codes))


def _format_notices(entry: DirectiveEntry, text: str) -> list[Notice]:
    d = entry.directive
    if not d.symbol:
        return []
    parsed = parse_symbol(d.symbol)
    if parsed is None:
        return []
    out = []
    party_type = parsed.type_code is not None and ascii_key(parsed.type_code) in PARTY_TYPE_CODES
    if not parsed.party and parsed.year is not None and party_type and \
            any(is_party_issuer(c) for c in parsed.issuer_codes):
        right = f"{parsed.number}-{parsed.type_code}/{'-'.join(parsed.issuer_codes)}"
        out.append(_notice("party_symbol_year", d,
                           f"a Party symbol carries no year — write {right}"))
    elif parsed.party and (year := _year_after(entry, text)) is not None:
        out.append(_notice("party_symbol_year", d,
                           f"written “{d.symbol}/{year}”, but a Party symbol carries no year "
                           f"— write {d.symbol}"))
    if parsed.year is not None and parsed.type_code is None and len(parsed.issuer_codes) > 1:
        out.append(_notice("unknown_type_code", d,
                           f"“{parsed.issuer_codes[0]}” is not a type code (NĐ, QĐ, TT, NQ…)"))
    code_type = parsed.type_name if parsed.type_code is not None else None
    if parsed.party and code_type == "Quyết định" and d.type == "Quy định":
        code_type = None  # Party Quy định were numbered …-QĐ/TW until "QĐi" came in
    if code_type and d.type and code_type not in d.type and d.type not in code_type:
        out.append(_notice("type_mismatch", d,
                           f"cited as a {d.type}, but its code {parsed.type_code} means "
                           f"{code_type}"))
    if parsed.year is not None:
        wrong = [x for x in entry.dates_cited if x[:4] != str(parsed.year)]
        if wrong:
            out.append(_notice("year_mismatch", d,
                               f"dated {vn_date(wrong[0])}, but its number says {parsed.year}",
                               dates=tuple(wrong)))
    return out


def _year_after(entry: DirectiveEntry, text: str) -> str | None:
    """A year written right after a Party symbol ("05-CT/TW/2016")."""
    for m in entry.mentions:
        found = _YEAR_AFTER.match(text, m.end)
        if found and not m.short_form:
            return found.group(1)
    return None


def _change_notices(entry: DirectiveEntry, cited: frozenset[str]) -> list[Notice]:
    out = []
    for note in entry.changed_by:
        if note.relation == "sửa đổi" and note.symbol in cited:
            continue
        who = note.symbol or (f"“{note.name}”" if note.name else "a later document")
        if note.date:
            who += f" of {vn_date(note.date)}"
        where = (f"corpus document {note.doc_id} says so" if note.doc_id
                 else "as this text itself says")
        out.append(_notice(_CHANGE_CODES[note.relation], entry.directive,
                           f"{_CHANGE_VERBS[note.relation]} by {who} ({where})",
                           by=note.symbol or note.name, doc_id=note.doc_id))
    return out
