"""Legacy font text (TCVN3/VNI) inside documents that also hold Unicode text.

Word files of the 2000s often mix both: a header typed in a Unicode font over a body in
.VnTime.  Converting the whole text would garble the Unicode parts, so the decision is taken
once for the document (``vanban.ingest.read.encoding.fix_legacy`` on all of it), then only the parts
that read as legacy are converted (see ``_is_legacy``)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from vanban.ingest.read.encoding import fix_legacy
from vanban.ingest.read.legacy import TCVN3_CHARS, VNI_MARKS, from_tcvn3, from_vni

__all__ = ["fix_legacy_parts"]

# The Latin-1 letters Unicode Vietnamese text uses; every other Latin-1 letter in a
# Vietnamese text is a legacy font's glyph.
_UNICODE_VI = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_TCVN3_ONLY = TCVN3_CHARS - _UNICODE_VI
_VNI_ONLY = VNI_MARKS - _UNICODE_VI


def fix_legacy_parts(parts: Sequence[str]) -> list[str]:
    """``parts`` (paragraphs, lines, text runs) with the legacy-font ones converted."""
    joined = "\n".join(parts)
    fixed = fix_legacy(joined)
    if fixed == joined:
        return list(parts)
    convert: Callable[[str], str]
    if unicodedata.normalize("NFC", from_tcvn3(joined)) == fixed:
        convert, only = from_tcvn3, _TCVN3_ONLY
    else:
        convert, only = from_vni, _VNI_ONLY
    legacy = TCVN3_CHARS if convert is from_tcvn3 else VNI_MARKS
    return [unicodedata.normalize("NFC", convert(p)) if _is_legacy(p, only, legacy) else p
            for p in parts]


def _is_legacy(part: str, only: frozenset[str], legacy: frozenset[str]) -> bool:
    """A glyph no Unicode text uses, or legacy glyphs and no letter beyond Latin-1
    (Unicode Vietnamese nearly always has one: ạ, ư, đ…)."""
    if any(c in only for c in part):
        return True
    return any(c in legacy for c in part) and not any(
        c.isalpha() and ord(c) > 0xFF for c in part)
