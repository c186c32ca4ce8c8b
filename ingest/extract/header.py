"""Read the header of an administrative document: issuer, own number, place and date,
type line and title.

    ỦY BAN NHÂN DÂN                 ← issuer lines
    TỈNH PHÚ THỌ
    Số: 2136/QĐ-UBND                ← own number ("Số", "Số:", "Luật số:")
    Phú Thọ, ngày 15 tháng 9 năm 2022   ← place and date
    QUYẾT ĐỊNH                      ← type line
    Về việc công bố …               ← title ("Về việc", "V/v", or the line after the type)

Two-column headers extracted from PDFs come interleaved ("Số: 275/STTTT-CNTT Phú Thọ, ngày
16 tháng 12 năm 2011"): each item is searched for, not expected on its own line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vanban.corpus.model import DateMention
from vanban.ingest.extract.issuers import KNOWN_ISSUERS, official_issuer
from vanban.ingest.extract.lexicon import TYPE_BY_KEY, akey, fuzzy, type_before
from vanban.ingest.extract.places import locality_in, proper_case
from vanban.ingest.extract.symbols import SYMBOL_PATTERN

__all__ = ["HeaderLines", "find_header", "table_cells"]

_MAX_LINES = 24
_OWN_NUMBER_RE = re.compile(
    r"(?:(?:Luật|LUẬT|Bộ luật|BỘ LUẬT|Pháp lệnh|PHÁP LỆNH)\s+)?(?:S|s(?=ố:))[oốỐO]\s*:?\s*"
    r"(?P<sym>" + SYMBOL_PATTERN.replace("?P<", "?P<h_") + ")"
)
# The gazette style: "NGHỊ ĐỊNH / CỦA CHÍNH PHỦ SỐ 37/2007/NĐ-CP NGÀY 09 THÁNG 3 NĂM 2007 / VỀ …".
_GAZETTE_RE = re.compile(
    r"(?P<head>[^\W\d_][^\n]*?\s)?CỦA\s+(?P<issuer>[^\W\d_][^\n]{1,80}?)\s+SỐ\s*:?\s*(?P<sym>"
    + SYMBOL_PATTERN.replace("?P<", "?P<g_")
    + ")"
)
_GAZETTE_ABOUT_RE = re.compile(r"\s*(?:VỀ VIỆC|V/V|VỀ)\s*:?\s+(?=\S)")
_MOTTO = ("cong hoa xa hoi chu nghia", "doc lap", "dang cong san viet nam")
_BODY_START = ("can cu", "kinh gui", "thuc hien", "trien khai")
_ORG_HEADS = (
    "chu tich",
    "ban ",
    "uy ban",
    "bo truong",
    "thu tuong",
    "hoi dong",
    "quoc hoi",
    "chinh phu",
    "tinh uy",
    "thanh uy",
    "huyen uy",
    "dang uy",
    "so ",
    "ubnd",
    "giam doc",
    "hdnd",
)
# A title line opens with a verb; "Ban hành …" is no issuer line ("Ban Thường vụ …").
_TITLE_VERBS = (
    "ban hanh",
    "phe duyet",
    "sua doi",
    "bo sung",
    "huong dan",
    "quy dinh",
    "bai bo",
    "thay the",
    "cong bo",
    "giao ",
    "thanh lap",
)
_ISSUER_LINE_STARTS = ("uy ban", "ubnd", "quoc hoi", "dang bo", "bo ", "tong cuc", "cuc ", "-")
_MOTTO_SPLIT_RE = re.compile(r"\s*(?:CỘNG HÒA|CỘNG HOÀ|ĐẢNG CỘNG SẢN|Độc lập\s*-|ĐỘC LẬP\s*-)")
_KNOWN_KEYS = frozenset(akey(name) for name in KNOWN_ISSUERS)
_RULE_RE = re.compile(r"\s*[-_*=.]{3,}\s*")
_ABOUT_RE = re.compile(r"(?:v/v|" + fuzzy("ve viec") + r")\s*:?\s*", re.IGNORECASE)
_PLACE_RE = re.compile(r"(?:^|\s)([^\W\d_]+(?: [^\W\d_]+){0,4}),\s*$")
_ISSUER_HEADS = {
    "uy ban nhan dan": "Ủy ban nhân dân",
    "hoi dong nhan dan": "Hội đồng nhân dân",
    "tinh uy": "Tỉnh ủy",
    "huyen uy": "Huyện ủy",
    "thanh uy": "Thành ủy",
    "quan uy": "Quận ủy",
    "dang uy": "Đảng ủy",
    "ubnd": "UBND",
    "hdnd": "HĐND",
    "so": "Sở",
    "ban": "Ban",
    "dang bo": "Đảng bộ",
    "ban chap hanh dang bo": "Ban Chấp hành Đảng bộ",
    "bo": "Bộ",
}
_LEVELS = {
    "tinh": "tỉnh",
    "thanh pho": "thành phố",
    "huyen": "huyện",
    "quan": "quận",
    "thi xa": "thị xã",
    "xa": "xã",
    "phuong": "phường",
}


@dataclass(frozen=True)
class HeaderLines:
    """What the header says, as read from its lines."""

    symbol: str | None
    date_start: int | None
    type_name: str | None
    title: str | None
    issuer: str | None
    place_locality: str | None = None


def _lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n", _MAX_LINES)[:_MAX_LINES]:
        if len(line) > 400 or akey(line[:40]).startswith(_BODY_START):
            break
        out.extend(table_cells(pos, line))
        pos += len(line) + 1
    return out


_CELL_RE = re.compile(r"[^|]+")


def table_cells(pos: int, line: str) -> list[tuple[int, str]]:
    """A header laid out as a table row in text ("| Số: 986/QĐ-UBND | Tuyên Quang, ngày …
    |"): each filled cell as a line of its own, at its offset; any other line as is."""
    if not line.lstrip().startswith("|") or line.count("|") < 2:
        return [(pos, line)]
    cells = [(pos + m.start(), m.group()) for m in _CELL_RE.finditer(line) if m.group().strip()]
    return [(start + len(cell) - len(cell.lstrip()), cell.strip()) for start, cell in cells]


def _own_number(lines: list[tuple[int, str]]) -> tuple[str, int] | None:
    """The "Số: …" of the header: at a line start, or after upper-case issuer words."""
    for index, (_, line) in enumerate(lines):
        if "S" not in line and "số:" not in line:  # the pattern needs "S…" or "số:"
            continue
        for match in _OWN_NUMBER_RE.finditer(line):
            prefix = line[: match.start()].strip()
            words = akey(prefix).split()
            if prefix and (prefix != prefix.upper() or type_before(words) is not None):
                continue  # "NGHỊ QUYẾT SỐ 35-NQ/TW …" cites, it does not number
            if prefix and not akey(prefix).startswith(_ORG_HEADS + _ISSUER_LINE_STARTS):
                continue
            return match.group("sym"), index
    return None


def _named_number(line: str, index: int) -> tuple[str, int] | None:
    """"Luật số: 75/2006/QH11" names the kind of a law without a "LUẬT" line."""
    words = akey(line).split()
    size = 2 if words[:2] in (["bo", "luat"], ["phap", "lenh"]) else 1
    kind = TYPE_BY_KEY.get(" ".join(words[:size]))
    return (kind, index) if kind in ("Luật", "Bộ luật", "Pháp lệnh") else None


def _type_line(lines: list[tuple[int, str]]) -> tuple[str, int] | None:
    for index, (_, line) in enumerate(lines):
        stripped = line.strip()
        if stripped and stripped == stripped.upper() and akey(stripped) in TYPE_BY_KEY:
            return TYPE_BY_KEY[akey(stripped)], index
    return None


def _title(lines: list[tuple[int, str]], after: int | None) -> str | None:
    for _, line in lines:
        about = _ABOUT_RE.match(line.strip())
        if about is not None:
            return line.strip()[about.end() :].strip() or None
    if after is None:
        return None
    parts: list[str] = []
    for _, line in lines[after + 1 : after + 4]:
        stripped = line.strip()
        key = akey(stripped)
        if not stripped or set(stripped) <= set("-_*=. "):
            break
        if key.startswith(_ORG_HEADS) and not key.startswith(_TITLE_VERBS):
            break  # the issuer line repeated above the body ("THỦ TƯỚNG CHÍNH PHỦ")
        parts.append(stripped)
    return " ".join(parts) or None


def _date_line(lines: list[tuple[int, str]], dates: list[DateMention]) -> int | None:
    if not lines:
        return None
    end = lines[-1][0] + len(lines[-1][1])
    for date in dates:
        if date.start >= end:
            break
        if date.granularity not in {"day", "month"}:
            continue
        line_start = next(p for p, line in reversed(lines) if p <= date.start)
        prefix = lines[[p for p, _ in lines].index(line_start)][1][: date.start - line_start]
        if prefix.strip() == "" or _PLACE_RE.search(prefix):
            return date.start
    return None


def _proper_issuer(line: str) -> str:
    official = official_issuer(line)
    if (
        official != line
        and akey(official.split()[0]) == akey(line.split()[0])
        and (official.split()[0] != line.split()[0])
        and akey(official) in _KNOWN_KEYS
    ):
        return official
    key = akey(line)
    for head in sorted(_ISSUER_HEADS, key=len, reverse=True):
        if key == head or key.startswith(head + " "):
            rest = line.split()[len(head.split()) :]
            rest_key = akey(" ".join(rest))
            for level in sorted(_LEVELS, key=len, reverse=True):
                if rest_key.startswith(level + " "):
                    name = " ".join(rest[len(level.split()) :])
                    return f"{_ISSUER_HEADS[head]} {_LEVELS[level]} {proper_case(name)}"
            tail = " ".join(w.lower() if akey(w) == "va" else proper_case(w) for w in rest)
            return f"{_ISSUER_HEADS[head]} {tail}".strip()
    return proper_case(line.strip())


def _issuer(lines: list[tuple[int, str]], before: int) -> str | None:
    kept = [
        line.strip()
        for _, line in lines[:before]
        if line.strip()
        and not set(line.strip()) <= set("-_*=. ")
        and not akey(line).startswith(_MOTTO)
    ]
    kept = [_RULE_RE.sub("", _MOTTO_SPLIT_RE.split(line)[0]).strip() for line in kept]
    kept = [line for line in kept if line]
    if not kept:
        return None
    last = kept[-1]
    if len(kept) > 1 and not akey(last).startswith(_ORG_HEADS):
        last = f"{kept[-2]} {last}"
    return _proper_issuer(last)


def _gazette(
    lines: list[tuple[int, str]], dates: list[DateMention]
) -> HeaderLines | None:
    """A header in the gazette style (type, then "CỦA issuer SỐ number NGÀY date", "VỀ …")."""
    for index, (pos, line) in enumerate(lines[:4]):
        match = _GAZETTE_RE.match(line.strip())
        if match is None or match.group("issuer") != match.group("issuer").upper():
            continue
        head = (match.group("head") or "").strip()
        type_name = TYPE_BY_KEY.get(akey(head)) if head else None
        if type_name is None and index:
            found = _type_line(lines[index - 1 : index])
            type_name = found[0] if found else None
        if type_name is None:
            continue
        offset = pos + len(line) - len(line.lstrip())
        sym_end = offset + match.end()
        date = next((d for d in dates if sym_end <= d.start < pos + len(line)), None)
        title = None
        rest = line[sym_end - pos if date is None else date.end - pos :]
        if not rest.strip() and index + 1 < len(lines):
            rest = lines[index + 1][1]
        about = _GAZETTE_ABOUT_RE.match(rest)
        if about is not None:
            title = rest[about.end() :].strip() or None
        return HeaderLines(
            symbol=match.group("sym"),
            date_start=date.start if date is not None else None,
            type_name=type_name,
            title=title,
            issuer=_proper_issuer(match.group("issuer")),
            place_locality=locality_in(match.group("issuer")),
        )
    return None


def find_header(text: str, dates: list[DateMention]) -> HeaderLines | None:
    """The header of ``text``, or ``None`` when the text does not start with one."""
    lines = _lines(text)
    number = _own_number(lines)
    type_line = _type_line(lines)
    date_start = _date_line(lines, dates)
    if number is None and not (type_line and date_start is not None):
        return _gazette(lines, dates)
    title_after = type_line[1] if type_line else None
    if type_line is None and number is not None:
        type_line = _named_number(lines[number[1]][1], number[1])
    before = number[1] if number else (type_line[1] if type_line else 0)
    issuer_lines = "\n".join(_MOTTO_SPLIT_RE.split(line)[0] for _, line in lines[:before])
    return HeaderLines(
        symbol=number[0] if number else None,
        date_start=date_start,
        type_name=type_line[0] if type_line else None,
        title=_title(lines, title_after),
        issuer=_issuer(lines, before),
        place_locality=locality_in(issuer_lines),
    )
