"""Readers: each turns a file into a ``RawDocument`` (pages of text plus what the file
says about itself).  Every failure a user can cause raises ``ReadError`` with the reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from corpus.model import Page, RawDocument
from ingest.clean import clean_scraped
from ingest.encoding import DecodeError, decode_bytes
from ingest.html import html_to_text

SUPPORTED = (".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".doc", ".jsonl")


class ReadError(Exception):
    """A file that cannot be read; the message says why."""


@dataclass(frozen=True)
class Limits:
    """Guards against hostile input."""

    max_bytes: int = 100 * 1024 * 1024
    max_pages: int = 2000
    max_chars: int = 20_000_000


def read_path(path: Path, limits: Limits | None = None) -> Iterator[RawDocument]:
    """The documents in one file (several for .jsonl)."""
    limits = limits or Limits()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ReadError(f"unsupported file type '{suffix or path.name}' "
                        f"(supported: {', '.join(SUPPORTED)})")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc)) from None
    if size > limits.max_bytes:
        raise ReadError(f"file is {size / 1e6:.0f} MB, over the {limits.max_bytes / 1e6:.0f} MB "
                        "limit (raise it with --max-mb)")
    if size == 0:
        raise ReadError("empty file")
    if suffix == ".jsonl":
        yield from _read_jsonl(path, limits)
        return
    if suffix == ".pdf":
        from ingest.pdf import read_pdf

        yield read_pdf(path, max_pages=limits.max_pages)
        return
    if suffix in (".docx", ".doc"):
        from ingest.word import read_word

        yield read_word(path, max_chars=limits.max_chars)
        return
    text = _decode(_read_bytes(path))
    if len(text) > limits.max_chars:
        raise ReadError(f"{len(text):,} characters, over the {limits.max_chars:,} limit")
    if suffix in (".html", ".htm"):
        page = html_to_text(text)
        yield RawDocument(source=str(path), pages=(Page(None, page.text),), title=page.title,
                          date=page.date, url=page.url)
        return
    cleaned = clean_scraped(text)
    meta = {} if cleaned.views is None else {"views": str(cleaned.views)}
    yield RawDocument(source=str(path), pages=(Page(None, cleaned.text),), date=cleaned.date,
                      meta=meta)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except IsADirectoryError:
        raise ReadError("is a directory") from None
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc)) from None


def _decode(data: bytes) -> str:
    try:
        return decode_bytes(data)
    except DecodeError as exc:
        raise ReadError(str(exc)) from None


def _read_jsonl(path: Path, limits: Limits) -> Iterator[RawDocument]:
    """One document per line; bad lines are skipped and reported together at the end."""
    text = _decode(_read_bytes(path))
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
    return RawDocument(
        source=f"{path}#{doc_id}", pages=(Page(None, cleaned.text),), doc_id=doc_id,
        title=_opt_str(obj.get("title")), date=_opt_str(obj.get("date")) or cleaned.date,
        url=_opt_str(obj.get("url")),
    )


def _opt_str(v: object) -> str | None:
    return None if v is None or v == "" else str(v)
