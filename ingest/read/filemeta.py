"""What a text file says about itself before its text: YAML front matter (``---`` … ``---``
at the top of a .md) and ``# key = value`` comment lines (the news corpus' ``# date =
20210415``, ``# url = …``, ``# title = …``).

Front matter is read with a small safe parser of ``key: value`` lines (quoted or plain
scalars; lists and nested blocks are skipped): nothing is ever executed, and front matter that
does not parse is left out of the text and ignored, with a warning.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

__all__ = ["FileMeta", "iso_date", "split_comment_header", "split_front_matter", "url_title"]

_FENCE = "---"
_MAX_FRONT_LINES = 200
_KEY_RE = re.compile(r"^([A-Za-z_][\w.-]*)\s*:(?:\s+(.*)|\s*)$")
_COMMENT_RE = re.compile(r"^#\s*([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$")
_TITLE_KEYS = ("title", "tieu_de", "name")
_DATE_KEYS = ("date", "published", "published_at", "publish_date", "pubdate", "created",
              "issued", "ngay", "ngay_ban_hanh")
_ISO_RE = re.compile(r"^((?:19|20)\d\d)(?:-?([01]\d)(?:-?([0-3]\d))?)?(?:$|[T ]|\D)")
_VN_RE = re.compile(r"^([0-3]?\d)[/.-]([01]?\d)[/.-]((?:19|20)\d\d)\b")


@dataclass(frozen=True)
class FileMeta:
    """Fields read from the top of a file (all optional) and what could not be read."""

    title: str | None = None
    date: str | None = None
    url: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def iso_date(value: str | None) -> str | None:
    """'20210415', '2021-04-15T08:00', '2021-04', '15/04/2021' → ISO date; else None."""
    if not value:
        return None
    value = value.strip()
    m = _ISO_RE.match(value)
    if m:
        year, month, day = m.groups()
        if (month and not 1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
            return None
        return "-".join(g for g in (year, month, day) if g)
    v = _VN_RE.match(value)
    if v and 1 <= int(v[1]) <= 31 and 1 <= int(v[2]) <= 12:
        return f"{v[3]}-{int(v[2]):02d}-{int(v[1]):02d}"
    return None


def _fields(pairs: dict[str, str], where: str) -> FileMeta:
    low = {k.lower(): v for k, v in pairs.items() if v}
    title = next((low[k] for k in _TITLE_KEYS if k in low), None)
    raw_date = next((low[k] for k in _DATE_KEYS if k in low), None)
    date = iso_date(raw_date)
    warnings = () if raw_date is None or date else (
        f"{where}: date {raw_date!r} is not a date (YYYY-MM-DD), ignored",)
    extra = {k: v for k, v in low.items() if k not in _TITLE_KEYS + _DATE_KEYS + ("url",)}
    return FileMeta(title=title, date=date, url=low.get("url"), extra=extra,
                    warnings=warnings)


def _scalar(raw: str) -> str | None:
    """A plain or quoted YAML scalar; None for what is not one (lists, blocks, anchors)."""
    raw = raw.strip()
    if not raw or raw[0] in "[{|>&*!":
        return None
    if raw[0] in "\"'":
        quote = raw[0]
        end = raw.find(quote, 1)
        while quote == "'" and end != -1 and raw[end + 1 : end + 2] == "'":
            end = raw.find(quote, end + 2)
        while quote == '"' and end != -1 and _escaped(raw, end):
            end = raw.find(quote, end + 1)
        rest = raw[end + 1 :].strip() if end != -1 else ""
        if end == -1 or (rest and not rest.startswith("#")):
            raise ValueError("unclosed quote")
        body = raw[1:end]
        if quote == "'":
            return body.replace("''", "'")
        return body.replace('\\"', '"').replace("\\\\", "\\")
    return re.sub(r"\s+#.*$", "", raw).strip()


def _escaped(raw: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd run of backslashes."""
    count = 0
    while at - count - 1 >= 0 and raw[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def split_front_matter(text: str) -> tuple[FileMeta, str]:
    """(what the front matter says, the text after it); text without front matter as is."""
    lines = text.split("\n", _MAX_FRONT_LINES + 1)
    if lines[0].strip() != _FENCE:
        return FileMeta(), text
    end = next((i for i, line in enumerate(lines[1:_MAX_FRONT_LINES + 1], 1)
                if line.rstrip() in (_FENCE, "...")), None)
    if end is None:
        return FileMeta(warnings=("front matter: no closing '---' line, read as text",)), text
    body = "\n".join(lines[end + 1 :])
    pairs: dict[str, str] = {}
    for number, line in enumerate(lines[1:end], 2):
        if not line.strip() or line.lstrip().startswith("#") or line[:1] in " \t-":
            continue  # blanks, comments, items of a list or a nested block
        match = _KEY_RE.match(line.rstrip())
        try:
            value = _scalar(match.group(2) or "") if match else None
        except ValueError:
            match = None
        if match is None:
            return FileMeta(warnings=(f"front matter line {number} does not parse "
                                      f"({line.strip()[:40]!r}); front matter ignored",)), body
        if value is not None:
            pairs[match.group(1)] = value
    return _fields(pairs, "front matter"), body


def split_comment_header(text: str) -> tuple[FileMeta, str]:
    """(the ``# key = value`` lines at the top, the text after them)."""
    pairs: dict[str, str] = {}
    lines = text.split("\n", 50)
    count = 0
    for line in lines[:50]:
        match = _COMMENT_RE.match(line.strip())
        if match is None:
            break
        pairs[match.group(1)] = match.group(2).strip().strip("\"'")
        count += 1
    if not count:
        return FileMeta(), text
    return _fields(pairs, "header"), "\n".join(lines[count:])


_SLUG_RE = re.compile(r"/([^/?#]+?)(?:-\d{6,})?(?:\.[a-z]{2,5})?/?(?:[?#].*)?$")
_TEXT_WORD_RE = re.compile(r"[^\W_]+")


def url_title(url: str | None, text: str) -> str | None:
    """The headline a news URL spells ("…/kenh-cnn-quang-ba-giai-thuong-vin-future-
    20210422141636661.htm"), its accents restored from how the article writes each word."""
    from vanban.ingest.normalize import strip_accents

    match = _SLUG_RE.search(url or "")
    words = [w for w in re.split(r"[-_+]+", match.group(1)) if w] if match else []
    if len(words) < 3 or not all(w.isascii() and w.isalnum() for w in words):
        return None
    out = _restore(words, text, strip_accents)
    title = " ".join(out)
    return title[:1].upper() + title[1:]


def _restore(words: list[str], text: str, strip: Callable[[str], str]) -> list[str]:
    """Each slug word as the article writes it where the article has the same two words
    side by side (so "dau dau" finds "đau đầu", never a guess word by word); a word without
    that evidence stays as the URL spells it."""
    pairs: dict[tuple[str, str], Counter[tuple[str, str]]] = {}
    found = _TEXT_WORD_RE.findall(text[:50000])
    for first, second in pairwise(found):
        key = (strip(first).lower(), strip(second).lower())
        pairs.setdefault(key, Counter())[(first, second)] += 1
    out = [w.lower() for w in words]
    for i in range(len(words) - 1):
        seen = pairs.get((out[i] if out[i].isascii() else strip(out[i]).lower(),
                          words[i + 1].lower()))
        if seen:
            first, second = seen.most_common(1)[0][0]
            out[i] = first if out[i].isascii() else out[i]
            out[i + 1] = second
    return out
