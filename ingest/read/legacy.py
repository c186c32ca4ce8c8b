"""Legacy Vietnamese font encodings: TCVN3 (ABC) and VNI, to Unicode and back.

Both predate Unicode: their fonts drew Vietnamese letters in place of Latin-1 characters, so a
converter that reads the bytes as Latin-1 shows "§¶ng bé" (TCVN3) or "Ñaûng boä" (VNI) for
"Đảng bộ".  TCVN3 has one byte per letter (lower case; upper-case fonts draw the same bytes in
capitals); VNI writes a base letter followed by a diacritic character.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["from_tcvn3", "from_vni", "to_tcvn3", "to_vni"]

# TCVN3 (ABC): Latin-1 code point -> letter.
_TCVN3 = {
    0xA1: "Ă",
    0xA2: "Â",
    0xA3: "Ê",
    0xA4: "Ô",
    0xA5: "Ơ",
    0xA6: "Ư",
    0xA7: "Đ",
    0xA8: "ă",
    0xA9: "â",
    0xAA: "ê",
    0xAB: "ô",
    0xAC: "ơ",
    0xAD: "ư",
    0xAE: "đ",
    0xB5: "à",
    0xB6: "ả",
    0xB7: "ã",
    0xB8: "á",
    0xB9: "ạ",
    0xBB: "ằ",
    0xBC: "ẳ",
    0xBD: "ẵ",
    0xBE: "ắ",
    0xC6: "ặ",
    0xC7: "ầ",
    0xC8: "ẩ",
    0xC9: "ẫ",
    0xCA: "ấ",
    0xCB: "ậ",
    0xCC: "è",
    0xCE: "ẻ",
    0xCF: "ẽ",
    0xD0: "é",
    0xD1: "ẹ",
    0xD2: "ề",
    0xD3: "ể",
    0xD4: "ễ",
    0xD5: "ế",
    0xD6: "ệ",
    0xD7: "ì",
    0xD8: "ỉ",
    0xDC: "ĩ",
    0xDD: "í",
    0xDE: "ị",
    0xDF: "ò",
    0xE1: "ỏ",
    0xE2: "õ",
    0xE3: "ó",
    0xE4: "ọ",
    0xE5: "ồ",
    0xE6: "ổ",
    0xE7: "ỗ",
    0xE8: "ố",
    0xE9: "ộ",
    0xEA: "ờ",
    0xEB: "ở",
    0xEC: "ỡ",
    0xED: "ớ",
    0xEE: "ợ",
    0xEF: "ù",
    0xF1: "ủ",
    0xF2: "ũ",
    0xF3: "ú",
    0xF4: "ụ",
    0xF5: "ừ",
    0xF6: "ử",
    0xF7: "ữ",
    0xF8: "ứ",
    0xF9: "ự",
    0xFA: "ỳ",
    0xFB: "ỷ",
    0xFC: "ỹ",
    0xFD: "ý",
    0xFE: "ỵ",
}
_FROM_TCVN3 = {chr(code): letter for code, letter in _TCVN3.items()}
_TO_TCVN3 = {letter: chr(code) for code, letter in _TCVN3.items()}
TCVN3_CHARS = frozenset(_FROM_TCVN3)

# VNI: tones after a base vowel (lower case; upper case uses the upper-case characters).
_TONE = {"\u0300": "ø", "\u0301": "ù", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_CIRCUMFLEX = {"": "â", "\u0300": "à", "\u0301": "á", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_BREVE = {"": "ê", "\u0300": "è", "\u0301": "é", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_I = {"": "i", "\u0300": "ì", "\u0301": "í", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
_VOWELS = "aăâeêioôơuưy"


def _vni_of(letter: str) -> str | None:
    """The VNI spelling of one Vietnamese letter (``None`` if it needs none)."""
    if letter in "đĐ":
        return "ñ" if letter == "đ" else "Ñ"
    parts = unicodedata.normalize("NFD", letter)
    base, marks = parts[0], parts[1:]
    lower = base.lower()
    if lower not in "aeiouy" or not marks:
        return None
    shape = next((m for m in marks if m in "\u0302\u0306\u031b"), "")
    tone = next((m for m in marks if m in _TONE), "")
    if lower == "i":
        spelled = _I[tone]
    elif lower == "y" and tone == "\u0323":
        spelled = "î"
    elif shape == "\u0302":
        spelled = lower + _CIRCUMFLEX[tone]
    elif shape == "\u0306":
        spelled = lower + _BREVE[tone]
    elif shape == "\u031b":
        spelled = ("ô" if lower == "o" else "ö") + _TONE.get(tone, "")
    else:
        spelled = lower + _TONE.get(tone, "")
    return spelled.upper() if base.isupper() else spelled


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for cp in [*range(0xC0, 0x1B1), *range(0x1EA0, 0x1EFA), 0x110, 0x111]:
        letter = chr(cp)
        base = unicodedata.normalize("NFD", letter)[0].lower()
        if base in "aeiouyđ" and unicodedata.normalize("NFC", letter) == letter:
            spelled = _vni_of(letter)
            if spelled is not None and letter.lower() in _vietnamese_letters():
                table[letter] = spelled
    return table


def _vietnamese_letters() -> frozenset[str]:
    letters = set("đ")
    for vowel in _VOWELS:
        for tone in ("", *_TONE):
            letters.add(unicodedata.normalize("NFC", unicodedata.normalize("NFD", vowel) + tone))
    return frozenset(letters)


_TO_VNI = _vni_table()
_FROM_VNI = {spelled: letter for letter, spelled in _TO_VNI.items()}
_VNI_RE = re.compile("|".join(re.escape(s) for s in sorted(_FROM_VNI, key=len, reverse=True)))
VNI_MARKS = frozenset("øùûõïâàáåãäêèéúüëôöìíæóòîñ" + "øùûõïâàáåãäêèéúüëôöìíæóòîñ".upper())


def from_tcvn3(text: str) -> str:
    """TCVN3 text read as Latin-1 → Unicode."""
    return "".join(_FROM_TCVN3.get(c, c) for c in text)


def to_tcvn3(text: str) -> str:
    """Unicode → TCVN3 as Latin-1 characters (upper-case toned letters become lower case)."""
    return "".join(_TO_TCVN3.get(c, _TO_TCVN3.get(c.lower(), c)) for c in text)


def from_vni(text: str) -> str:
    """VNI text read as Latin-1 → Unicode."""
    return _VNI_RE.sub(lambda m: _FROM_VNI[m.group()], text)


def to_vni(text: str) -> str:
    """Unicode → VNI as Latin-1 characters."""
    return "".join(_TO_VNI.get(c, c) for c in text)
