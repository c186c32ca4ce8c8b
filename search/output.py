"""Output formats shared by every command: a table for people, JSON and CSV for tools."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def output_options(func: F) -> F:
    """--json / --csv / (default) table."""
    func = click.option("--csv", "fmt", flag_value="csv", help="Output CSV.")(func)
    func = click.option("--json", "fmt", flag_value="json",
                        help="Output JSON (one object per line where several).")(func)
    return click.option("--table", "fmt", flag_value="table", default=True,
                        help="Output a table for people (the default).")(func)


def dumps(obj: object) -> str:
    """JSON with Vietnamese as written (never escaped)."""
    return json.dumps(obj, ensure_ascii=False)


def emit_json_lines(objs: Iterable[object]) -> None:
    for obj in objs:
        click.echo(dumps(obj))


def emit_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    click.echo(csv_text(rows, columns), nl=False)


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _cell(row.get(c)) for c in columns})
    return buf.getvalue()


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return "; ".join(_cell(x) for x in v)
    if isinstance(v, dict):
        return dumps(v)
    return str(v)


def width(s: str) -> int:
    """Display width (combining marks take no room, wide characters two)."""
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def truncate(s: str, limit: int) -> str:
    if width(s) <= limit:
        return s
    out, w = [], 0
    for ch in s:
        cw = width(ch)
        if w + cw > limit - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def render_table(rows: Sequence[dict[str, Any]], columns: Sequence[str],
                 headers: Sequence[str] | None = None, max_width: int = 60) -> str:
    headers = list(headers or columns)
    cells = [[truncate(_cell(r.get(c)).replace("\n", " "), max_width) for c in columns]
             for r in rows]
    widths = [max([width(h)] + [width(row[i]) for row in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (widths[i] - width(v)) for i, v in enumerate(values)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def emit_table(rows: Sequence[dict[str, Any]], columns: Sequence[str],
               headers: Sequence[str] | None = None, max_width: int = 60) -> None:
    click.echo(render_table(rows, columns, headers, max_width))
