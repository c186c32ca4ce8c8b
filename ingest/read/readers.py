"""Readers: each turns a file into a ``RawDocument`` (pages of text plus what the file
says about itself).  Every failure a user can cause raises ``ReadError`` with the reason,
never a traceback: missing, unreadable, empty, too large, corrupt, encrypted, binary."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from vanban.corpus.model import Page, RawDocument
from vanban.ingest.read.clean import clean_scraped
from vanban.ingest.read.encoding import DecodeError, decode_bytes
from vanban.ingest.read.filemeta import (
    FileMeta,
    split_comment_header,
    split_front_matter,
    url_title,
)
from vanban.ingest.read.html import html_to_text
from vanban.ingest.read.limits import Deadline, Limits, ReadError, file_errors
from vanban.ingest.read.markdown import markdown_to_text
from vanban.ingest.read.ocr import IMAGE_SUFFIXES
from vanban.ingest.read.sniff import TEXT_SUFFIXES, sniff_suffix

__all__ = ["SUPPORTED", "Limits", "ReadError", "read_bytes", "read_path", "text_document"]

SUPPORTED = (".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".doc", ".jsonl",
             *IMAGE_SUFFIXES)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def read_path(path: Path, limits: Limits | None = None) -> Iterator[RawDocument]:
    """The documents in one file (several for .jsonl)."""
    limits = limits or Limits()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ReadError(f"unsupported file type '{suffix or path.name}' "
                        f"(supported: {', '.join(SUPPORTED)})")
    size = _size(path)
    if size > limits.max_bytes:
        raise ReadError(f"file is {_mb(size)}, over the {_mb(limits.max_bytes)} limit "
                        "(raise it with --max-mb)")
    if size == 0:
        raise ReadError("empty file")
    _check_readable(path)
    deadline = Deadline(limits.max_seconds)
    if suffix in TEXT_SUFFIXES:  # a PDF or Word file saved under a text name
        suffix = sniff_suffix(_head(path)) or suffix
    if suffix == ".jsonl":
        yield from _read_jsonl(path, limits)
        return
    doc = _read_one(path, suffix, size, limits, deadline)
    chars = sum(len(p.text) for p in doc.pages)
    if chars > limits.max_chars:
        raise ReadError(f"{chars:,} characters, over the {limits.max_chars:,} limit")
    yield doc


def _read_one(path: Path, suffix: str, size: int, limits: Limits,
              deadline: Deadline) -> RawDocument:
    if suffix == ".pdf":
        from vanban.ingest.read.pdf import read_pdf

        return read_pdf(path, limits, deadline)
    if suffix in (".docx", ".doc"):
        from vanban.ingest.read.word import read_word

        return read_word(path, limits, deadline)
    if suffix in IMAGE_SUFFIXES:
        if not limits.ocr:
            raise ReadError("an image needs OCR, and OCR is off")
        from vanban.ingest.read.ocr import read_image

        return read_image(path, limits, deadline)
    if size > 4 * limits.max_chars:
        raise ReadError(f"file is {_mb(size)}: over the {limits.max_chars:,} character limit")
    text = _decode(_read_bytes(path, limits.max_bytes))
    if suffix in (".html", ".htm"):
        page = html_to_text(text)
        return RawDocument(source=str(path), pages=(Page(None, page.text),), title=page.title,
                           date=page.date, url=page.url,
                           title_source="html_title" if page.title else None,
                           date_source=page.date_source)
    return text_document(str(path), text, markdown=suffix == ".md")


def text_document(source: str, text: str, *, markdown: bool = False) -> RawDocument:
    """A plain-text or Markdown file: its front matter or ``# key = value`` lines, then
    the text (Markdown markup removed) without a portal page's timestamp and widgets."""
    meta, text, where = _file_meta(text, markdown)
    if markdown:
        text = markdown_to_text(text)
    cleaned = clean_scraped(text)
    extra = dict(meta.extra)
    if cleaned.views is not None:
        extra["views"] = str(cleaned.views)
    date, date_source = (cleaned.date, "timestamp") if cleaned.date else (meta.date, where)
    title, title_source = meta.title, where
    if title is None:
        title, title_source = url_title(meta.url, cleaned.text), "url"
    return RawDocument(
        source=source, pages=(Page(None, cleaned.text),), title=title,
        date=date, url=meta.url, meta=extra, warnings=meta.warnings,
        title_source=title_source if title else None, date_source=date_source if date else None,
    )


def _file_meta(text: str, markdown: bool) -> tuple[FileMeta, str, str]:
    """What the top of the file says, the text after it, and where it was said."""
    if markdown or text.lstrip("\ufeff").startswith("---"):
        meta, body = split_front_matter(text.lstrip("\ufeff"))
        if meta != FileMeta() or body != text.lstrip("\ufeff"):
            return meta, body, "front_matter"
    meta, body = split_comment_header(text)
    return meta, body, "comment_header"


def read_bytes(data: bytes, source: str = "-", limits: Limits | None = None) -> RawDocument:
    """A document given as bytes without a name (stdin): PDF, Word and images are read
    by their readers (recognised by their first bytes), anything else must be text in an
    encoding ``decode_bytes`` knows; raises ``ReadError`` for what is neither."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise ReadError(f"input is {_mb(len(data))}, over the {_mb(limits.max_bytes)} limit "
                        "(raise it with --max-mb)")
    if not data.strip():
        raise ReadError("empty input")
    suffix = sniff_suffix(data[:4096])
    if suffix is None or suffix in TEXT_SUFFIXES:
        try:
            text = _decode(data)
        except ReadError:
            raise ReadError("not a text or document file") from None
        if suffix == ".html":
            page = html_to_text(text)
            return RawDocument(source=source, pages=(Page(None, page.text),), title=page.title,
                               date=page.date, url=page.url, date_source=page.date_source,
                               title_source="html_title" if page.title else None)
        return text_document(source, text, markdown=_looks_markdown(text))
    with tempfile.TemporaryDirectory(prefix="vanban-") as tmp:
        path = Path(tmp) / f"stdin{suffix}"
        path.write_bytes(data)
        doc = next(read_path(path, limits))
    return replace(doc, source=source)


_MARKDOWN_HINTS = re.compile(r"^(?:#{1,6} |\|.*\|\s*$|---\s*$|\*\*[^*\n]+\*\*)", re.MULTILINE)


def _looks_markdown(text: str) -> bool:
    """Text with Markdown headings, tables, front matter or bold lines (the .md of stdin)."""
    return len(_MARKDOWN_HINTS.findall(text[:20000])) >= 3 and not text.startswith("# doc_id")


def _head(path: Path) -> bytes:
    with file_errors(), path.open("rb") as fh:
        return fh.read(4096)


def _mb(size: int) -> str:
    """Sizes in MB as --max-mb counts them (2**20 bytes)."""
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 10 else f"{value:.2g} MB"


def _size(path: Path) -> int:
    if path.is_dir():
        raise ReadError("is a directory")
    with file_errors():
        return path.stat().st_size


def _check_readable(path: Path) -> None:
    """Open the file once here, so a missing or unreadable file gets one clear reason
    whichever reader (or external converter) handles it."""
    with file_errors(), path.open("rb") as fh:
        fh.read(1)


def _read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, never more than ``limit`` (a file growing while read)."""
    with file_errors(), path.open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ReadError(f"file is over the {_mb(limit)} limit (raise it with --max-mb)")
    if not data.strip():
        raise ReadError("empty file (only blanks)")
    return data


def _decode(data: bytes) -> str:
    """Text in any of the encodings ``vanban.ingest.read.encoding`` detects; binary data refused."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("binary data, not text (NUL bytes)")
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        raise ReadError(str(exc)) from None
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 200):
        raise ReadError("binary data, not text (control characters)")
    return text


def _read_jsonl(path: Path, limits: Limits) -> Iterator[RawDocument]:
    """One document per line; bad lines are skipped and reported together at the end."""
    text = _decode(_read_bytes(path, limits.max_bytes))
    seen: set[str] = set()
    bad: list[str] = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            doc = _jsonl_doc(path, line, seen, limits)
        except ReadError as exc:
            bad.append(f"line {lineno}: {exc}")
            continue
        yield doc
    if bad:
        more = f" (and {len(bad) - 3} more)" if len(bad) > 3 else ""
        raise ReadError("; ".join(bad[:3]) + more)


def _jsonl_doc(path: Path, line: str, seen: set[str], limits: Limits) -> RawDocument:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ReadError(f"not JSON ({exc.msg})") from None
    except RecursionError:
        raise ReadError("JSON nested too deeply") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise ReadError('expected an object with a "text" string')
    raw_id = obj.get("id")
    if not isinstance(raw_id, str | int) or str(raw_id).strip() == "":
        raise ReadError('expected an "id" (string or number)')
    doc_id = str(raw_id).strip()
    if doc_id in seen:
        raise ReadError(f"duplicate id {doc_id!r}")
    seen.add(doc_id)
    if len(obj["text"]) > limits.max_chars:
        raise ReadError(f"text over the {limits.max_chars:,} character limit")
    cleaned = clean_scraped(obj["text"])
    title, date = _opt_str(obj.get("title")), _opt_str(obj.get("date"))
    return RawDocument(
        source=f"{path}#{doc_id}", pages=(Page(None, cleaned.text),), doc_id=doc_id,
        title=title, date=date or cleaned.date, url=_opt_str(obj.get("url")),
        title_source="jsonl" if title else None,
        date_source="jsonl" if date else ("timestamp" if cleaned.date else None),
    )


def _opt_str(v: object) -> str | None:
    return None if v is None or v == "" else str(v)
