"""Decode the bytes of a Vietnamese text file, whatever its encoding.

UTF-8 (with or without BOM), UTF-16/32 with a BOM, Windows-1258 (cp1258), and the legacy font
encodings TCVN3 (ABC) and VNI are recognised and converted to Unicode (NFC).  Text already
decoded but really TCVN3/VNI (a .doc converter's Latin-1-looking output: "§¶ng bé") is
repaired by ``fix_legacy``.  The choice among single-byte encodings is made by how much of
the result reads as Vietnamese (common syllables), never by guessing blindly: bytes that
read as nothing (random data, binary files) raise ``DecodeError``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from vanban.ingest.read.legacy import TCVN3_CHARS, VNI_MARKS, from_tcvn3, from_vni

__all__ = ["DecodeError", "decode_bytes", "fix_legacy", "vietnamese_score"]


class DecodeError(ValueError):
    """The bytes are not text in any encoding this module knows."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Frequent syllables of administrative Vietnamese: a decoding that yields them is right.
_COMMON = frozenset(
    [
        "của",
        "và",
        "các",
        "có",
        "được",
        "trong",
        "là",
        "cho",
        "với",
        "không",
        "người",
        "này",
        "đã",
        "những",
        "một",
        "năm",
        "theo",
        "ngày",
        "về",
        "đến",
        "tháng",
        "để",
        "tại",
        "việc",
        "đồng",
        "đảng",
        "nhân",
        "dân",
        "thực",
        "hiện",
        "công",
        "tác",
        "quy",
        "định",
        "cán",
        "bộ",
        "hội",
        "tỉnh",
        "huyện",
        "xã",
        "nước",
        "chính",
        "phủ",
        "quyết",
        "nghị",
        "số",
        "điều",
        "ban",
        "hành",
        "văn",
        "bản",
        "thành",
        "phố",
        "ủy",
        "uỷ",
        "viên",
        "tư",
        "chức",
        "lãnh",
        "đạo",
        "kiểm",
        "tra",
        "phát",
        "triển",
        "kinh",
        "tế",
        "giáo",
        "dục",
        "quản",
        "lý",
        "trưởng",
        "chủ",
        "tịch",
        "đơn",
        "vị",
        "đại",
        "học",
        "sinh",
        "thông",
        "tin",
        "cơ",
        "quan",
        "thời",
        "gian",
        "kết",
        "quả",
    ]
)
_WORD_RE = re.compile(r"[^\W\d_]+")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.02
_MIN_SCORE = 0.12  # share of words that must be common Vietnamese syllables


def vietnamese_score(text: str) -> float:
    """Share of the words of ``text`` that are common Vietnamese syllables (0..1)."""
    words = _WORD_RE.findall(text[:20000].lower())
    if not words:
        return 0.0
    return _common_count(text) / len(words)


def _common_count(text: str) -> int:
    return sum(1 for w in _WORD_RE.findall(text[:20000].lower()) if w in _COMMON)


_MIN_GAINED = 3  # converting must turn at least this many words into common syllables


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    return bool(sample) and len(_CONTROL_RE.findall(sample)) / len(sample) > _MAX_CONTROL_SHARE


def fix_legacy(text: str) -> str:
    """Text that is really TCVN3 or VNI (read as Latin-1/cp1252) → Unicode; else unchanged.

    The decision is taken on a sample (the first 20,000 characters); only a text judged
    legacy is converted whole."""
    sample = text[:20000]
    has_tcvn3 = any(c in TCVN3_CHARS for c in sample)
    has_vni = any(c in VNI_MARKS for c in sample)
    if not (has_tcvn3 or has_vni):
        return text
    base = vietnamese_score(sample)
    converters = ([from_tcvn3] if has_tcvn3 else []) + ([from_vni] if has_vni else [])
    best_fn = max(converters, key=lambda fn: vietnamese_score(fn(sample)))
    best = best_fn(sample)
    score = vietnamese_score(best)
    gained = _common_count(best) - _common_count(sample)
    if score >= _MIN_SCORE and score > base * 1.5 + 0.02 and gained >= _MIN_GAINED:
        return unicodedata.normalize("NFC", best_fn(text))
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: most high bytes of ASCII-range characters are zero."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) > 0.3 * len(zeros):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _single_byte(data: bytes) -> str:
    """The best reading of single-byte text: cp1258, TCVN3 or VNI, else cp1252."""
    latin = data.decode("latin-1")
    readings = [
        unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")),
        unicodedata.normalize("NFC", from_tcvn3(latin)),
        unicodedata.normalize("NFC", from_vni(data.decode("cp1252", errors="replace"))),
    ]
    best = max(readings, key=vietnamese_score)
    if vietnamese_score(best) >= _MIN_SCORE:
        return best
    fallback = data.decode("cp1252", errors="replace")
    if fallback.count("\ufffd") > len(fallback) * 0.01 or not _mostly_text(fallback):
        raise DecodeError(
            "cannot decode: not UTF-8, UTF-16, cp1258, TCVN3 or VNI text (binary data?)"
        )
    return fallback


def _mostly_text(text: str) -> bool:
    letters = sum(1 for c in text[:20000] if c.isalpha() or c.isspace())
    return letters >= 0.7 * min(len(text), 20000)


def decode_bytes(data: bytes) -> str:
    """Unicode text (NFC) of ``data``; raises ``DecodeError`` for what is not text."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as error:
                raise DecodeError(
                    f"cannot decode: broken {codec} after its BOM ({error})"
                ) from None
            break
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _utf16_without_bom(data) or _single_byte(data)
    if _looks_binary(text):
        raise DecodeError("cannot decode: the bytes look like binary data, not text")
    return unicodedata.normalize("NFC", fix_legacy(text))
