"""Document symbols ("số, ký hiệu"): recognise, parse and write them canonically.

Two formats exist.  State: ``number[/year]/TYPE-ISSUER`` ("30/2020/NĐ-CP", "1234/QĐ-UBND",
"80/2015/QH13", "2345/UBND-KGVX").  Party: ``number-TYPE/ISSUER`` ("25-NQ/TW", "08-QĐi/TW").
The canonical symbol is the official writing: codes upper case with "Đ" restored where the
code is known, "-" and "/" without spaces, numbers below 10 with a leading zero.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from vanban.ingest.extract.codes import (
    LOCAL_ISSUERS,
    NATIONAL_ISSUERS,
    PARTY_TYPE_CODES,
    STATE_TYPE_CODES,
    ascii_key,
    is_known_code,
    is_party_issuer,
    official_code,
)
from vanban.ingest.normalize import normalize, strip_accents

__all__ = ["ParsedSymbol", "canonical_symbol", "parse_query_symbol", "parse_symbol"]

_DASH = "[-\u2010-\u2015\u2212]"
_LETTERS = (
    "A-Za-z\u0110\u0111\u01af\u01b0\u01a0\u01a1\u00c2\u00e2\u0102\u0103\u00ca\u00ea\u00d4\u00f4"
)
_WORD_CHAR = f"{_LETTERS}0-9\u00c0-\u1ef9"
# Lower-case words a scraper glues to a symbol's last code ("NĐ-CPngày", "TT-BGDĐTsẽ").
_GLUED_WORDS = (
    "(?:ng[a\u00e0]y|c[u\u1ee7]a|v[e\u1ec1]|s\u1ebd|v\u00e0|\u0111\u01b0\u1ee3c|\u0111\u00e3"
    "|c\u00f3|quy|ban|theo|t\u1ea1i|th\u00ec|l\u00e0|do|nay|n\u00e0y)\\b"
)
# One code token: letters, then digits ("QH13", "QH 13" only after QH).  A token never
# stops inside a word, except before a glued "ngày"/"của"/"về" ("NĐ-CPngày").
_TOKEN = (
    f"(?:[{_LETTERS}]{{1,12}}(?:&[{_LETTERS}]{{1,8}})?(?:(?<=QH) ?[0-9]{{1,2}}|[0-9]{{1,2}})?"
    f"(?![{_WORD_CHAR}&])"
    f"|(?:TTg|QĐi|TTr|CTr|[A-Z\u0110]{{1,12}})(?={_GLUED_WORDS}))"
)
_CODES = f"{_TOKEN}(?: ?{_DASH} ?{_TOKEN})*"
# State codes also come with "/" between them ("05/2010/TTLT/BTP-BNG-BCA"), or "_" typed
# for "-" ("10/2007/QĐ_BKHCN"); written "-".  A police unit code may follow in brackets,
# glued: "10/2002/TT-BCA(A11)" (kept).
_STATE_CODES = f"{_TOKEN}(?: ?(?:{_DASH}|/|_) ?{_TOKEN})*"
_UNIT = "\\((?P<unit>[A-Z\u0110][0-9]{1,3})\\)"
_NUMBER = "[0-9]{1,5}[a-zA-Z]?"
_YEAR = "(?:19|20)[0-9]{2}"
SYMBOL_PATTERN = (
    f"(?P<num>{_NUMBER})"
    f"(?:\\s?{_DASH}\\s?(?P<ptype>[{_LETTERS}]{{1,5}})\\s?/\\s?(?P<pissuer>{_CODES})"
    f"|\\s?/\\s?(?:(?P<year>{_YEAR})\\s?/\\s?)?(?P<codes>{_STATE_CODES})(?:{_UNIT})?)"
    f"(?!{_DASH}[{_LETTERS}0-9])"
)
SYMBOL_RE = re.compile(SYMBOL_PATTERN)


@functools.cache
def _full_re() -> re.Pattern[str]:
    """A whole string that is one symbol (compiled on first use: searching rarely needs it)."""
    return re.compile(f"\\s*(?:s[oố]\\s*:?\\s*)?{SYMBOL_PATTERN}\\s*", re.IGNORECASE)


_SPLIT_RE = re.compile(f"\\s*(?:{_DASH}|/|_)\\s*")
_MIXED_CASE = {"TTg", "QĐi", "TTr", "CTr", "QyĐ"}
# Type codes of State symbols written the old way, with a dash: "18-L/CTN", "21-LCT/HĐNN8".
_OLD_STATE_TYPES = frozenset(["L", "LCT", "SL", "PL"])


@dataclass(frozen=True)
class ParsedSymbol:
    """A symbol split into its parts (canonical spelling)."""

    symbol: str
    number: str
    year: int | None
    type_code: str | None
    issuer_codes: tuple[str, ...]
    party: bool

    @property
    def type_name(self) -> str | None:
        """The document type the code names, if any ("NQ" → "Nghị quyết").

        A State symbol of issuer letters only ("6582/VPCP-KSTT") is a Công văn.
        """
        if self.type_code is None:
            return "Công văn" if not self.party and self.year is None else None
        table = PARTY_TYPE_CODES if self.party else STATE_TYPE_CODES
        return table.get(ascii_key(self.type_code))


def _pad(number: str) -> str:
    digits = number.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    suffix = number[len(digits) :].lower()
    if len(digits) == 1:
        digits = "0" + digits
    return digits + suffix


def _tokens(codes: str) -> list[str]:
    return [re.sub(r"\s+", "", t) for t in _SPLIT_RE.split(codes.strip()) if t]


def token_is_written_as_code(token: str) -> bool:
    """Whether a token is written like a code (upper case, or a known mixed-case code)."""
    letters = token.rstrip("0123456789 ")
    return letters.isupper() or letters in _MIXED_CASE or official_code(letters) == letters


def parse_match(match: re.Match[str]) -> ParsedSymbol | None:
    """Parse a ``SYMBOL_RE`` match into canonical parts; ``None`` if the parts are invalid.

    Party numbers below 10 get a leading zero; State numbers are kept as written.  A Party
    symbol written State style ("29/NQ-TƯ") is written the Party way ("29-NQ/TW").
    """
    number = _pad(match.group("num"))
    if match.group("ptype") is not None:
        ptype = official_code(match.group("ptype"))
        issuers = [official_code(t) for t in _tokens(match.group("pissuer"))]
        if ascii_key(ptype) in _OLD_STATE_TYPES and not is_party_issuer(issuers[0]):
            symbol = f"{match.group('num')}-{ptype}/{'-'.join(issuers)}"  # "18-L/CTN" (1990s)
            return ParsedSymbol(symbol, match.group("num"), None, ptype, tuple(issuers), False)
        if ascii_key(ptype) not in PARTY_TYPE_CODES:
            return None
        symbol = f"{number}-{ptype}/{'-'.join(issuers)}"
        return ParsedSymbol(symbol, number, None, ptype, tuple(issuers), party=True)
    tokens = [official_code(t) for t in _tokens(match.group("codes"))]
    year_text = match.group("year")
    year = int(year_text) if year_text else None
    first_key = ascii_key(tokens[0]).rstrip("0123456789")
    type_code = tokens[0] if first_key in STATE_TYPE_CODES and len(tokens) > 1 else None
    if len(tokens) == 1 and first_key in STATE_TYPE_CODES and first_key in {"PL", "SL", "L"}:
        type_code = tokens[0]
    issuers = tokens[1:] if type_code is not None and len(tokens) > 1 else tokens
    party = year is None and type_code is not None and len(issuers) == 1
    if party and is_party_issuer(issuers[0]) and ascii_key(str(type_code)) in PARTY_TYPE_CODES:
        symbol = f"{number}-{type_code}/{issuers[0]}"
        return ParsedSymbol(symbol, number, None, type_code, tuple(issuers), party=True)
    number = match.group("num")
    middle = f"{year_text}/" if year_text else ""
    unit = f"({match.group('unit')})" if match.group("unit") else ""
    symbol = f"{number}/{middle}{'-'.join(tokens)}{unit}"
    return ParsedSymbol(symbol, number, year, type_code, tuple(issuers), party=False)


def parse_symbol(raw: str) -> ParsedSymbol | None:
    """Parse a whole string as one symbol (any case, any dash, spaces around "-" and "/")."""
    text = normalize(raw)
    match = _full_re().fullmatch(text)
    if match is None:
        return None
    parsed = parse_match(match)
    if parsed is None:
        return None
    tokens = (
        parsed.issuer_codes
        if parsed.type_code is None
        else (parsed.type_code, *parsed.issuer_codes)
    )
    if len(tokens) == 1 and len(tokens[0]) < 2 and not is_known_code(tokens[0]):
        return None
    return parsed


def canonical_symbol(raw: str) -> str | None:
    """The canonical symbol of ``raw`` ("02- NQ/TU" → "02-NQ/TU"), or ``None``."""
    parsed = parse_symbol(raw)
    return parsed.symbol if parsed else None


# --- queries ----------------------------------------------------------------------------

_QUERY_TYPE_WORDS = {
    "nghi quyet": "NQ",
    "nghi dinh": "NĐ",
    "quyet dinh": "QĐ",
    "chi thi": "CT",
    "ket luan": "KL",
    "thong tu": "TT",
    "ke hoach": "KH",
    "thong bao": "TB",
    "huong dan": "HD",
    "quy dinh": "QĐi",
    "cong van": "",
    "van ban": "",
}
_QUERY_RE = re.compile(
    r"\b(?P<type>" + "|".join(_QUERY_TYPE_WORDS) + r"|[a-z]{2,4})\s*(?:so\s*:?\s*)?"
    r"(?P<num>[0-9]{1,5}[a-z]?)\s*/\s*(?:(?P<year>(?:19|20)[0-9]{2})\s*/\s*)?"
    r"(?P<issuer>[a-z]{1,10}[0-9]{0,2})\s*$"
)


def _party_form(parsed: ParsedSymbol) -> str | None:
    """ "25/NQ-TW" (Party symbol written State style) → "25-NQ/TW"."""
    if parsed.party or parsed.year is not None or parsed.type_code is None:
        return None
    single = len(parsed.issuer_codes) == 1 and is_party_issuer(parsed.issuer_codes[0])
    if single and ascii_key(parsed.type_code) in PARTY_TYPE_CODES:
        return f"{parsed.number}-{parsed.type_code}/{parsed.issuer_codes[0]}"
    return None


def parse_query_symbol(query: str) -> str | None:
    """The canonical symbol a search query names, or ``None``.

    "25-NQ/TW", "25/NQ-TW", "nq 25/tw", "Nghị quyết 25-NQ/TW", "76/nq-cp" are all read.
    """
    if not any(c.isdigit() for c in query):
        return None  # every symbol has a number
    text = normalize(query).strip()
    composed = _compose_query(strip_accents(text).lower())
    if composed is not None:
        return composed
    for match in re.finditer(SYMBOL_PATTERN, text, re.IGNORECASE):
        parsed = parse_match(match)
        if parsed is not None and len(match.group()) >= 4:
            return _unglued(_party_form(parsed) or parsed.symbol)
    return None


def _unglued(symbol: str) -> str:
    """A query's type and issuer codes typed without their hyphen, apart again:
    "86/2011/NĐCP" → "86/2011/NĐ-CP", "12/2020/QĐUBND" → "12/2020/QĐ-UBND"."""
    head, sep, tail = symbol.rpartition("/")
    if not sep or "-" in tail:
        return symbol
    for cut in range(len(tail) - 2, 0, -1):   # the longest type code first
        code, issuer = ascii_key(tail[:cut]), ascii_key(tail[cut:])
        if code in STATE_TYPE_CODES and (issuer in NATIONAL_ISSUERS
                                         or issuer in LOCAL_ISSUERS):
            return canonical_symbol(f"{head}/{tail[:cut]}-{tail[cut:]}") or symbol
    return symbol


def _compose_query(text: str) -> str | None:
    """ "nq 25/tw" → "25-NQ/TW"; "cong van 2345/ubnd" → "2345/UBND"."""
    match = _QUERY_RE.search(text)
    if match is None:
        return None
    type_word = match.group("type")
    code = _QUERY_TYPE_WORDS.get(type_word, type_word)
    if code and ascii_key(code) not in STATE_TYPE_CODES | PARTY_TYPE_CODES:
        return None
    number, year, issuer = match.group("num"), match.group("year"), match.group("issuer")
    if code and year is None and is_party_issuer(issuer):
        return canonical_symbol(f"{number}-{code}/{issuer}")
    middle = f"{year}/" if year else ""
    codes = f"{code}-{issuer}" if code else issuer
    return canonical_symbol(f"{number}/{middle}{codes}")
