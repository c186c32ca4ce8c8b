"""Markdown read as Markdown: headings, emphasis, links, code and tables are markup, not text.

The text stored is the plain text this module writes (spans point into it), laid out as the
other readers lay out the same content: a table of a few rows in two columns (the emblem
header "| TỈNH ỦY LÀO CAI | ĐẢNG CỘNG SẢN VIỆT NAM |", the signature block) is read column by
column, as a .docx reader reads the same table; wider tables one row per line, cells joined by
" | ".
"""

from __future__ import annotations

import re

__all__ = ["markdown_to_text", "table_lines"]

_HEADING_RE = re.compile(r"^ {0,3}#{1,6}(?:\s+|$)(.*?)(?:\s+#+)?\s*$")
_SETEXT_RE = re.compile(r"^ {0,3}(?:=+|-+)\s*$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_QUOTE_RE = re.compile(r"^ {0,3}>\s?")
_BULLET_RE = re.compile(r"^(\s*)[*+-]\s+")
_ITEM_RE = re.compile(r"^\s*(?:\d{1,3}|[a-zđ]|[IVXL]{1,6})[.)]\s+")
_RULE_RE = re.compile(r"^ {0,3}(?:[-*_]\s*){3,}$")
_TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK_RE = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_REF_LINK_RE = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK_RE = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_CODE_RE = re.compile(r"`+([^`]*)`+")
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR_RE = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_EM_UNDER_RE = re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")
_STRIKE_RE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_TAG_RE = re.compile(r"</?(?:br|b|i|u|em|strong|span|sup|sub|p|div)\b[^>]*>", re.IGNORECASE)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_LINK_DEF_RE = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+")


def inline(text: str) -> str:
    """One line's inline markup removed: emphasis, code, links, images, simple tags."""
    text = _CODE_RE.sub(r"\1", text)
    text = _IMAGE_RE.sub(r"\1", text)
    text = _LINK_RE.sub(r"\1", text)
    text = _REF_LINK_RE.sub(r"\1", text)
    text = _AUTOLINK_RE.sub(r"\1", text)
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    text = _TAG_RE.sub("", text)
    for pattern in (_STRONG_RE, _STRIKE_RE):
        text = pattern.sub(lambda m: m.group(m.lastindex or 1), text)
    text = _EM_STAR_RE.sub(r"\1", text)
    text = _EM_UNDER_RE.sub(r"\1", text)
    return _ESCAPE_RE.sub(r"\1", text)


def _cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [inline(c.strip()) for c in re.split(r"(?<!\\)\|", body)]


def table_lines(rows: list[list[str]]) -> list[str]:
    """A table's lines: two columns of a few rows column by column, else row by row."""
    width = max((len(r) for r in rows), default=0)
    if len(rows) <= 6 and width == 2:
        return [row[col].strip() for col in range(2) for row in rows
                if col < len(row) and row[col].strip()]
    return [" | ".join(c for c in row if c) for row in rows if any(row)]


def _table(block: list[str]) -> list[str]:
    rows = [_cells(line) for line in block if not _TABLE_RULE_RE.match(line)]
    return table_lines(rows)


def _is_table_start(lines: list[str], i: int) -> bool:
    """A table: a row of cells followed by its rule line (or a run of '|' rows)."""
    line = lines[i].strip()
    if not line.startswith("|") and not (i + 1 < len(lines) and "|" in line
                                          and _TABLE_RULE_RE.match(lines[i + 1])):
        return False
    return "|" in line[1:]


def markdown_to_text(markdown: str) -> str:
    """Plain text of a Markdown document, one block (paragraph, heading, list item, table
    row or column cell) per line: the lines of a paragraph wrapped in the source are joined."""
    lines = _COMMENT_RE.sub("", markdown).split("\n")
    out: list[str] = []
    paragraph: list[str] = []
    fence: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        opened = _FENCE_RE.match(line)
        if fence is not None or opened:
            _flush(paragraph, out)
            if opened and (fence is None or opened.group(1)[0] == fence[0]):
                fence = None if fence is not None else opened.group(1)
            elif line.strip():
                out.append(line)
            i += 1
            continue
        if _is_table_start(lines, i):
            _flush(paragraph, out)
            block = []
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                block.append(lines[i])
                i += 1
            out.extend(_table(block))
            continue
        _block_line(line, paragraph, out)
        i += 1
    _flush(paragraph, out)
    return "\n".join(out)


def _flush(paragraph: list[str], out: list[str]) -> None:
    if paragraph:
        out.append(inline(" ".join(p.strip() for p in paragraph)))
        paragraph.clear()


def _block_line(line: str, paragraph: list[str], out: list[str]) -> None:
    """One line outside tables and code: heading, quote, list item, rule or paragraph."""
    if _LINK_DEF_RE.match(line):
        return
    heading = _HEADING_RE.match(line)
    if heading or not line.strip():
        _flush(paragraph, out)
        if heading:
            out.append(inline(heading.group(1)))
        return
    if _SETEXT_RE.match(line) and paragraph:
        _flush(paragraph, out)  # the underline of a heading written over two lines
        return
    line = _QUOTE_RE.sub("", line)
    item = _BULLET_RE.match(line) or _ITEM_RE.match(line)
    if item or _RULE_RE.match(line):
        _flush(paragraph, out)
        line = _BULLET_RE.sub(r"\1- ", line)
    paragraph.append(line)
    if line.endswith(("  ", "\\")) or _RULE_RE.match(line):
        if line.endswith("\\"):
            paragraph[-1] = line[:-1]
        _flush(paragraph, out)  # a hard line break
