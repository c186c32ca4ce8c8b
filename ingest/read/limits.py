"""What every reader shares: the error it raises, the limits it obeys, its deadline."""

from __future__ import annotations

import datetime
import os
import re
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


class ReadError(Exception):
    """A file that cannot be read; the message says why (shown as `Error: PATH: why`)."""


@contextmanager
def file_errors() -> Iterator[None]:
    """Turn the operating system's complaints about a file into one ``ReadError`` reason."""
    try:
        yield
    except FileNotFoundError:
        raise ReadError("no such file (removed or moved?)") from None
    except PermissionError:
        raise ReadError("permission denied (the file is not readable)") from None
    except IsADirectoryError:
        raise ReadError("is a directory") from None
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc)) from None


@dataclass(frozen=True)
class Limits:
    """Guards against hostile or huge input, and how scanned pages are read.

    ``ocr_workers`` 0 means one Tesseract per core (at most 4); a batch that already reads
    files in parallel should pass 1."""

    max_bytes: int = 100 * 1024 * 1024
    max_pages: int = 2000
    max_chars: int = 20_000_000
    max_seconds: float = 600.0
    ocr: bool = True
    ocr_workers: int = 0
    ocr_dpi: int = 300

    def ocr_threads(self) -> int:
        if self.ocr_workers > 0:
            return self.ocr_workers
        return max(1, min(os.cpu_count() or 1, 4))


class Deadline:
    """The per-file time limit, checked between pages and passed to subprocesses."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def check(self) -> None:
        if self.remaining() <= 0:
            raise self.error()

    def error(self) -> ReadError:
        return ReadError(f"took over {self.seconds:g} s, the per-file time limit "
                         "(raise it with --max-seconds)")


_JUNK_TITLE = re.compile(
    r"^(?:microsoft (?:word|excel|powerpoint)\s*-|untitled|no title|document\d*$|slide \d)"
    r"|\.(?:docx?|pdf|rtf|odt|txt)$|^(?:cộng hòa|cộng hoà|đảng cộng sản)", re.IGNORECASE)
# The issuer line a word processor takes as the title ("ỦY BAN NHÂN DÂN", "QUỐC HỘI").
_ISSUER_TITLE = re.compile(
    r"^(?:[UỦỦ][YỶỶ] BAN|UBND|HĐND|HỘI ĐỒNG|QUỐC HỘI|CHÍNH PHỦ|THỦ TƯỚNG|BỘ|SỞ|CHỦ TỊCH|"
    r"TỈNH|THÀNH PHỐ|HUYỆN|ĐẢNG BỘ|BAN|VĂN PHÒNG|THANH TRA|TỔNG CỤC|CỤC)\b")


def usable_title(value: str | None) -> str | None:
    """A title from file metadata, or None when it is empty, a file name or a template's
    leftover ("Microsoft Word - QD15UB.doc", "Untitled", "CỘNG HÒA XÃ HỘI …")."""
    if not value:
        return None
    title = " ".join(value.split())
    if len(title) < 4 or not any(c.isalpha() for c in title) or _JUNK_TITLE.search(title):
        return None
    if title.isupper() and _ISSUER_TITLE.match(unicodedata.normalize("NFC", title)):
        return None
    return title


def past_day(year: str, month: str, day: str) -> str | None:
    """An ISO day from file metadata, or None when it is not a day or lies ahead."""
    try:
        value = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value.isoformat() if value <= datetime.date.today() else None
