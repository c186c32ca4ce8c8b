"""What a file really is, from its first bytes: a PDF, a Word file, an image, an HTML page,
or (none of these) text.  Lets stdin, which has no name, go through the reader of its
format, and keeps a PDF named .txt from being read as text."""

from __future__ import annotations

__all__ = ["TEXT_SUFFIXES", "sniff_suffix"]

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")
_MAGIC = (
    (b"%PDF-", ".pdf"),
    (b"PK\x03\x04", ".docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".doc"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"II*\x00", ".tif"),
    (b"MM\x00*", ".tif"),
)
_HTML = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta ", b"<?xml")


def sniff_suffix(head: bytes) -> str | None:
    """The suffix of the format ``head`` (a file's first KB) starts like, or None."""
    for magic, suffix in _MAGIC:
        if head.startswith(magic):
            return suffix
    if b"%PDF-" in head[:1024]:  # PDF allows junk before its header
        return ".pdf"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(_HTML) and (b"<html" in start[:1024] or b"<body" in start[:1024]
                                    or b"<meta" in start[:1024]):
        return ".html"
    return None
