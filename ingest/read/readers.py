"""Readers: each turns a file into a ``RawDocument`` (pages of text plus what the file
says about itself).  Every failure a user can cause raises ``ReadError`` with the reason,
never a traceback: missing, unreadable, empty, too large, corrupt, encrypted, binary."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from vanban.corpus.model import Page, RawDocument
from vanban.ingest.read.clean import clean_scraped
from vanban.ingest.read.encoding import DecodeError, decode_bytes
from vanban.ingest.read.html import html_to_text
from vanban.ingest.read.limits import Deadline, Limits, ReadError, file_errors
from vanban.ingest.read.ocr import IMAGE_SUFFIXES

__all__ = ["SUPPORTED", "Limits", "ReadError", "read_path"]

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
                           date=page.date, url=page.url)
    cleaned = clean_scraped(text)
    meta = {} if cleaned.views is None else {"views": str(cleaned.views)}
    return RawDocument(source=str(path), pages=(Page(None, cleaned.text),), date=cleaned.date,
                       meta=meta)


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
    return RawDocument(
        source=f"{path}#{doc_id}", pages=(Page(None, cleaned.text),), doc_id=doc_id,
        title=_opt_str(obj.get("title")), date=_opt_str(obj.get("date")) or cleaned.date,
        url=_opt_str(obj.get("url")),
    )


def _opt_str(v: object) -> str | None:
    return None if v is None or v == "" else str(v)
