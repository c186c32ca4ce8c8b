"""Find mentions of directives by symbol ("Nghị quyết số 25-NQ/TW", "34/2016/NĐ-CP").

Every symbol holds a "/", so the scan jumps from one "/" to the next (a fast string
search) and parses the few characters around it.  A candidate is kept when its codes are
written as codes and, for a bare symbol, when the codes are known or the form is
unmistakable; form numbers ("Mẫu số 01/TH-ĐĐ") are not directives.
"""

from __future__ import annotations

import re

from vanban.ingest.extract.codes import (
    NOT_DIRECTIVE_CODES,
    ascii_key,
    is_known_code,
    is_local_issuer,
)
from vanban.ingest.extract.lexicon import akey, type_before
from vanban.ingest.extract.mentions import Doc, Mention, Word, is_capitalized, words_before
from vanban.ingest.extract.symbols import (
    SYMBOL_RE,
    ParsedSymbol,
    parse_match,
    parse_symbol,
    token_is_written_as_code,
)

__all__ = ["find_symbol_mentions"]

# Words right before a symbol that make it a form, an annex or a record number.
_FORM_PHRASES = (
    ("mau",),
    ("mau", "so"),
    ("bieu",),
    ("bieu", "so"),
    ("bieu", "mau"),
    ("bieu", "mau", "so"),
    ("phu", "luc"),
    ("phu", "luc", "so"),
    ("to", "khai"),
    ("ky", "hieu"),
    ("ma", "so"),
    ("mau", "bieu"),
    ("mau", "bieu", "so"),
    ("so", "hieu"),
    ("ma", "hieu"),
    ("bang", "so"),
    ("mau", "to", "khai"),
    ("mau", "bao", "cao"),
    ("bieu", "so", "lieu"),
    ("gpqc",),
    ("giay", "phep"),
    ("dksp",),
    ("xnqc",),
    ("dang", "ky"),
    ("ma", "so", "thue"),
)
# "1177/QĐ BGDĐT": an issuer code after a space instead of a dash.
_ISSUER_AFTER_SPACE_RE = re.compile(r" ([A-ZĐ]{2,10})(?![^\W_])")
_FORM_LAST_WORDS = frozenset(p[-1] for p in _FORM_PHRASES)
_LAW_TYPES = {("bo", "luat"): "Bộ luật", ("phap", "lenh"): "Pháp lệnh", ("luat",): "Luật"}
_MAX_NAME_WORDS = 12
_MAX_AMENDING_WORDS = 36
_PINPOINT_WORDS = frozenset(["dieu", "khoan", "diem", "chuong", "muc"])


def _boundary_ok(text: str, start: int) -> bool:
    """The number must not continue a number, a word, a path or a decimal."""
    if start == 0:
        return True
    prev = text[start - 1]
    if prev.isalnum() or prev in "/.,_":
        return False
    return not (prev in ":-" and start > 1 and text[start - 2].isdigit())


def _strip_so(words: list[Word]) -> tuple[list[Word], bool]:
    """Drop a trailing "số" / "số:" / "số :" before the symbol."""
    had_so = False
    if words and words[-1].key == ":":
        words = words[:-1]
    if words and words[-1].key == "so":
        words, had_so = words[:-1], True
    return words, had_so


def _is_form(keys: list[str]) -> bool:
    if not keys or keys[-1] not in _FORM_LAST_WORDS:
        return False
    return any(len(p) <= len(keys) and tuple(keys[-len(p) :]) == p for p in _FORM_PHRASES)


def _law_name_start(doc: Doc, words: list[Word]) -> tuple[str, int] | None:
    """For "Luật Tố cáo số 25/2018/QH14": the type and the start of "Luật …".

    An amending law's name holds the names it amends: "Luật sửa đổi, bổ sung một số điều
    của Luật thuế tiêu thụ đặc biệt và Luật thuế giá trị gia tăng số 57/2005/QH11" starts
    at its first "Luật"."""
    found: tuple[str, int] | None = None
    for i in range(len(words) - 2, max(-1, len(words) - _MAX_AMENDING_WORDS - 2), -1):
        pinpoint = words[i].key.isdigit() and i > 0 and words[i - 1].key in _PINPOINT_WORDS
        if not (words[i].key.isalpha() or (words[i].key == "," and i > 0) or pinpoint):
            break
        for law, display in _LAW_TYPES.items():
            first = i - len(law) + 1
            spelled = first >= 0 and tuple(w.key for w in words[first : i + 1]) == law
            if not spelled or not is_capitalized(doc, words[first]):
                continue
            amending = i + 1 < len(words) and words[i + 1].key in {"sua", "bo"}
            if found is None and len(words) - i - 2 < _MAX_NAME_WORDS:
                found = (display, words[first].start)
            elif found is not None and amending:
                return display, words[first].start
    return found


def _code_tokens(match: re.Match[str]) -> list[str]:
    raw = match.group("codes") or f"{match.group('ptype')}-{match.group('pissuer')}"
    return [t for t in re.split(r"[\s/_-]+", raw) if t]


def _codes_ok(parsed: ParsedSymbol, tokens: list[str], typed: bool) -> bool:
    """Codes written as codes; a bare symbol needs known codes or a telling shape."""
    written = all(token_is_written_as_code(t) for t in tokens)
    if not written and not (typed and all(is_known_code(t) for t in tokens)):
        return False
    if typed or parsed.party or parsed.year is not None:
        return True
    codes = [c for c in (parsed.type_code, *parsed.issuer_codes) if c]
    return any(is_known_code(c) for c in codes)


def _candidate(doc: Doc, pos: int, covered: int) -> re.Match[str] | None:
    text = doc.text
    window_end = min(len(text), pos + 100)
    match = SYMBOL_RE.search(text, max(covered, pos - 24), window_end)
    while match is not None and match.end() <= pos:
        match = SYMBOL_RE.search(text, match.end(), window_end)
    if match is None or match.start() > pos:
        return None
    if match.end() >= window_end and window_end < len(text):
        return None
    return match if _boundary_ok(text, match.start()) else None


def _type_code_only(parsed: ParsedSymbol) -> bool:
    """ "1177/QĐ": a State number with a type code and no issuer nor year."""
    codes = parsed.issuer_codes
    return (
        not parsed.party
        and parsed.year is None
        and len(codes) == 1
        and (ascii_key(codes[0]) in {"QD", "ND", "NQ", "CT", "TT", "TTLT", "KH", "TB", "BC", "HD"})
    )


def _mention(doc: Doc, match: re.Match[str]) -> Mention | str:
    """The mention a symbol match makes, or why not ("form", "reject")."""
    parsed = parse_match(match)
    if parsed is None:
        return "reject"
    start, end = match.span()
    if _type_code_only(parsed):
        joined = _ISSUER_AFTER_SPACE_RE.match(doc.text, end)
        parsed = parse_symbol(f"{match.group()}-{joined.group(1)}") if joined else None
        if parsed is None:
            return "reject"  # "1177/QĐ" alone is cut short: no directive rather than a wrong one
        end = joined.end() if joined else end
    words, had_so = _strip_so(words_before(doc, start, 36))
    keys = [w.key for w in words]
    if _is_form(keys):
        return "form"
    found = type_before(keys)
    surface_start, type_name, name = start, None, None
    typed_as_document = found is not None and found[0] == "Văn bản" and had_so
    if found is not None and found[0] == "Văn bản":
        found = None  # "văn bản số 6582/VPCP-KSTT": not a type word; the code tells
    if found is not None:
        type_name, size = found
        surface_start = words[-size].start
    elif had_so:
        words = _strip_so(words_before(doc, start, 240))[0]
        law = _law_name_start(doc, words)
        if law is not None:
            type_name, surface_start = law
            name = " ".join(doc.text[surface_start : words[-1].end].split())
    typed = type_name is not None or typed_as_document
    if not _codes_ok(parsed, _code_tokens(match), typed):
        return "reject"
    if any(ascii_key(t) in NOT_DIRECTIVE_CODES for t in _code_tokens(match)):
        return "form"
    codes = [c for c in (parsed.type_code, *parsed.issuer_codes) if c and c != "TW"]
    return Mention(
        start=surface_start,
        end=end,
        kind="symbol",
        symbol=parsed.symbol,
        parsed=parsed,
        type_name=type_name or parsed.type_name,
        number=parsed.number,
        year=parsed.year,
        name=name,
        local=is_local_issuer(codes),
    )


def _continues_form_list(doc: Doc, previous_form_end: int, start: int) -> bool:
    """ "các mẫu số 01/TH-ĐĐ, 02/TH-SDĐ và 03/TH-KD": later items are forms too."""
    if previous_form_end < 0 or start - previous_form_end > 12:
        return False
    gap = akey(doc.text[previous_form_end:start])
    return gap in {",", "va", ", va", ";", "hoac", "-"}


def find_symbol_mentions(doc: Doc) -> list[Mention]:
    """Every symbol mention in the text, in order."""
    mentions: list[Mention] = []
    text = doc.text
    covered = 0
    form_end = -1
    pos = text.find("/")
    while pos >= 0:
        match = _candidate(doc, pos, covered) if pos >= covered else None
        if match is not None:
            covered = match.end()
            if _continues_form_list(doc, form_end, match.start()):
                form_end = match.end()
            else:
                mention = _mention(doc, match)
                if isinstance(mention, Mention):
                    mentions.append(mention)
                elif mention == "form":
                    form_end = match.end()
        pos = text.find("/", pos + 1)
    return mentions
