"""Vietnamese text normalization: one normalizer for every stage.

``normalize`` makes the stored text (NFC, look-alikes folded, one dash, one space) while
keeping the tone style as written, for display.  Matching uses ``match_key`` (new tone
placement, lower case) or ``strip_accents`` (no diacritics); both keep the length of NFC
text, so a position found in a key is a position in the text.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "fold_same_length",
    "fold_tone",
    "lower_same_length",
    "match_key",
    "normalize",
    "strip_accents",
]

_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_LOOKALIKES = {"\u00d0": "\u0110", "\u00f0": "\u0111"} | dict.fromkeys(_DASHES, "-")
# Blanks other than a plain space become one; then runs of spaces become one.
_BLANKS = "\t\x0b\x0c\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
_SPACE_RUN_RE = re.compile(" {2,}")
# Combining marks that make NFC work; lines without them are already composed.
_COMBINING = "\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323"

# Cyrillic letters that look like Latin ones, folded only inside symbol-like tokens.
_CYRILLIC_LATIN = str.maketrans(
    "АВСЕНІЈКМОРЅТХУаеіјорсхуѕԁ",
    "ABCEHIJKMOPSTXYaeijopcxysd",
)
_CYRILLIC_RE = re.compile("[\u0400-\u052f]")
_SYMBOL_TOKEN_RE = re.compile(
    r"[0-9A-Za-z\u0110\u0111\u0400-\u052f/\-.]*[\u0400-\u052f][0-9A-Za-z\u0110\u0111\u0400-\u052f/\-.]*"
)


def _fold_cyrillic_token(match: re.Match[str]) -> str:
    token = match.group()
    has_latin_or_digit = any(c.isascii() and c.isalnum() for c in token)
    if has_latin_or_digit and ("/" in token or "-" in token):
        return token.translate(_CYRILLIC_LATIN)
    return token


def _has_cyrillic_near_slash(text: str) -> bool:
    """Whether a Cyrillic letter sits near a "/" (symbols always hold one)."""
    covered = 0
    pos = text.find("/")
    while pos >= 0:
        if _CYRILLIC_RE.search(text, max(covered, pos - 24), pos + 48):
            return True
        covered = pos + 48
        pos = text.find("/", pos + 1)
    return False


def _nfc(text: str) -> str:
    """NFC, composing only the lines that need it (a whole-text NFC is slow)."""
    if not any(mark in text for mark in _COMBINING):
        return unicodedata.normalize("NFC", text)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not unicodedata.is_normalized("NFC", line):
            lines[i] = unicodedata.normalize("NFC", line)
    return "\n".join(lines)


def _fold_lookalikes(text: str) -> str:
    for char, replacement in _LOOKALIKES.items():
        if char in text:
            text = text.replace(char, replacement)
    return text


def _blanks(text: str) -> str:
    for blank in _BLANKS:
        if blank in text:
            text = text.replace(blank, " ")
    if "  " in text:
        text = _SPACE_RUN_RE.sub(" ", text)
    if " \n" in text:
        text = text.replace(" \n", "\n")
    return text.rstrip(" ")


def normalize(text: str) -> str:
    """Return the stored form of ``text``.

    NFC; Latin Ð/ð → Đ/đ; Cyrillic look-alikes inside symbols → Latin; every dash → "-";
    zero-width characters removed; CRLF/CR → "\\n"; blank runs → one space; trailing
    spaces stripped on each line.  The tone style stays as written.  Idempotent.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for char in _ZERO_WIDTH:
        if char in text:
            text = text.replace(char, "")
    text = _fold_lookalikes(text)
    if _has_cyrillic_near_slash(text):
        text = _SYMBOL_TOKEN_RE.sub(_fold_cyrillic_token, text)
    text = _nfc(text)
    return _blanks(_fold_lookalikes(text))


# --- tone placement -------------------------------------------------------------------

_TONED = {  # base vowel -> its five toned forms: grave, acute, hook, tilde, dot below
    "a": "àáảãạ",
    "e": "èéẻẽẹ",
    "y": "ỳýỷỹỵ",
    "o": "òóỏõọ",
    "u": "ùúủũụ",
    "A": "ÀÁẢÃẠ",
    "E": "ÈÉẺẼẸ",
    "Y": "ỲÝỶỸỴ",
    "O": "ÒÓỎÕỌ",
    "U": "ÙÚỦŨỤ",
}
_TONE_OF = {c: (base, i) for base, forms in _TONED.items() for i, c in enumerate(forms)}
_OA_OE = "".join(_TONED["a"] + _TONED["e"] + _TONED["A"] + _TONED["E"])
_UY = _TONED["y"] + _TONED["Y"]
# Old placement puts the tone on the second vowel of a final "oa", "oe", "uy" ("hoà",
# "khoẻ", "uỷ"); new placement on the first ("hòa", "khỏe", "ủy").  "qu" + y is not "uy".
_OLD_TONE_RE = re.compile(f"(?:[oO][{_OA_OE}]|(?<![qQ])[uU][{_UY}])(?![^\\W\\d_])")


def _move_tone(match: re.Match[str]) -> str:
    first, second = match.group()[0], match.group()[1]
    base, tone = _TONE_OF[second]
    return _TONED[first][tone] + base


def fold_tone(text: str) -> str:
    """Rewrite old tone placement as new ("hoà" → "hòa", "uỷ" → "ủy", "HOÀ" → "HÒA").

    Length-preserving (two characters for two), idempotent; other text unchanged.
    """
    return _OLD_TONE_RE.sub(_move_tone, text)


# --- accents and case -----------------------------------------------------------------


def _build_strip_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for cp in [*range(0x80, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(cp)
        decomposed = unicodedata.normalize("NFD", char)
        if decomposed != char and not unicodedata.combining(decomposed[0]):
            table[cp] = decomposed[0]
    for cp in range(0x300, 0x370):
        table[cp] = None
    table.update({ord("đ"): "d", ord("Đ"): "D", 0xD0: "D", 0xF0: "d"})
    return table


_STRIP_TABLE = _build_strip_table()
_FOLD_TABLE = {cp: v for cp, v in _STRIP_TABLE.items() if v is not None}


def strip_accents(text: str) -> str:
    """Remove every diacritic (đ → d, Đ → D).  Length-preserving on NFC text."""
    return text.translate(_STRIP_TABLE)


def fold_same_length(text: str) -> str:
    """``strip_accents`` that never changes the length (combining marks are kept)."""
    return text.translate(_FOLD_TABLE)


def lower_same_length(text: str) -> str:
    """``text.lower()``, but never changing the length (so positions carry over)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def match_key(text: str) -> str:
    """The form matching uses: new tone placement, lower case."""
    return fold_tone(text).lower()
