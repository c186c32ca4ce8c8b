"""The document filters every command shares (--type, --issuer, --from, --to), parsed the
way people type them: accents and case optional, Vietnamese day-first dates."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from typing import Any, TypeVar

import click

from vanban.corpus.filters import fold

F = TypeVar("F", bound=Callable[..., Any])

_ISO = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")
_DAY_FIRST = re.compile(r"(?:(\d{1,2})[-/.])?(\d{1,2})[-/.](\d{4})")
DATE_FORMATS = "dd/mm/yyyy, mm/yyyy, yyyy, yyyy-mm or yyyy-mm-dd"


def known_types() -> list[str]:
    """Every document type vanban recognises, in Vietnamese alphabetical order of keys."""
    from vanban.ingest.extract.codes import PARTY_TYPE_CODES, STATE_TYPE_CODES
    from vanban.ingest.extract.lexicon import TYPE_NAMES

    names = {*TYPE_NAMES, *PARTY_TYPE_CODES.values(), *STATE_TYPE_CODES.values()}
    return sorted(names, key=lambda n: (fold(n), n))


def resolve_type(value: str) -> str:
    """The canonical type name for ``value`` ("quyet dinh" → "Quyết định"), else
    ``ValueError`` naming the known types."""
    wanted = fold(value)
    for name in known_types():
        if fold(name) == wanted:
            return name
    raise ValueError(f"unknown type {value!r} — known types: {', '.join(known_types())}")


def parse_date(value: str) -> tuple[str, str, str]:
    """(ISO prefix, first day, last day) of a typed date: 2020, 2020-05, 2020-05-31,
    31/5/2020, 5/2020 (also with '.' or '-').  ``ValueError`` if none or impossible."""
    text = value.strip()
    if m := _ISO.fullmatch(text):
        y, mo, d = m.group(1), m.group(2), m.group(3)
    elif m := _DAY_FIRST.fullmatch(text):
        d, mo, y = m.group(1), m.group(2), m.group(3)
    else:
        raise ValueError(text)
    year = int(y)
    month = int(mo) if mo else None
    day = int(d) if d else None
    first = dt.date(year, month or 1, day or 1)  # raises for month 13, 31/2…
    if month is None:
        return f"{year:04d}", first.isoformat(), f"{year:04d}-12-31"
    if day is None:
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}", first.isoformat(), f"{year:04d}-{month:02d}-{last:02d}"
    return first.isoformat(), first.isoformat(), first.isoformat()


def _type_callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return resolve_type(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def _date_callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An ISO prefix; and --from after --to is refused (whichever comes second checks)."""
    if value is None:
        return None
    try:
        iso, first, last = parse_date(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date ({DATE_FORMATS})",
                                 ctx=ctx, param=param) from None
    bounds: dict[str, tuple[str, str, str]] = ctx.meta.setdefault("vanban_dates", {})
    bounds[str(param.name)] = (iso, first, last)
    if "date_from" in bounds and "date_to" in bounds:
        (a, a_first, _), (b, _, b_last) = bounds["date_from"], bounds["date_to"]
        if a_first > b_last:
            raise click.UsageError(f"--from {a} is after --to {b}", ctx=ctx)
    return iso


def filter_options(func: F) -> F:
    """--type, --issuer, --from, --to."""
    func = click.option("--to", "date_to", metavar="DATE", callback=_date_callback,
                        help="Only documents dated on/before DATE.")(func)
    func = click.option("--from", "date_from", metavar="DATE", callback=_date_callback,
                        help=f"Only documents dated on/after DATE ({DATE_FORMATS}).")(func)
    func = click.option("--issuer", metavar="TEXT",
                        help="Only documents whose issuer or number contains TEXT "
                             '(accents and case optional: "phu tho").')(func)
    return click.option("--type", "type_", metavar="TYPE", callback=_type_callback,
                        help='Only documents of this type ("quyet dinh", "Kế hoạch"…).')(func)
