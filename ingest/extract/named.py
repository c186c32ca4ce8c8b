"""Find directives cited without a symbol: by name, by number only, or by a short form.

- Party resolutions by conference or congress: "Nghị quyết Hội nghị Trung ương 4 khóa XII",
  "Nghị quyết Đại hội Đảng bộ Thành phố lần thứ XXI" (an ordinal is required, so "Nghị quyết
  Đại hội Đảng bộ các cấp" is not one).
- Laws and codes by name: "Luật Tổ chức chính quyền địa phương", "Bộ luật Lao động năm 2019",
  "Hiến pháp năm 2013".
- Numbers without a symbol: "Quy chế số 01", and short forms "Nghị quyết 02", "Chỉ thị 05".
"""

from __future__ import annotations

import re

from vanban.ingest.extract.laws import find_law_mentions
from vanban.ingest.extract.lexicon import (
    SHORT_FORM_TYPES,
    TYPE_BY_KEY,
    UNIT_WORDS,
    fuzzy,
    type_before,
)
from vanban.ingest.extract.mentions import Doc, Mention, Word, words_after, words_before

__all__ = ["find_named_mentions", "find_number_mentions"]

_NGHI_QUYET_RE = re.compile(
    fuzzy("nghi quyet")
    + r"\s+(?="
    + "|".join(fuzzy(w) for w in ("hoi nghi", "dai hoi", "trung uong", "hn "))
    + ")"
)
_ORDINAL_WORDS = frozenset(
    ["nhat", "hai", "ba", "tu", "nam", "sau", "bay", "tam", "chin", "muoi", "mot", "lam"]
)
_ROMAN_RE = re.compile(r"[ivxlc]+")
_TYPE_FIRST_WORDS = frozenset(k.split()[0] for k in TYPE_BY_KEY)
_MAX_NAME_WORDS = 10
_NUMBER_RE = re.compile(r"[0-9]{1,4}[a-zđ]?(?![0-9])")
_SO_RE = re.compile(fuzzy("so") + r"\s*:?\s*(?=[0-9])")
# "/2012" or "-2017" after a number, ending there (not "/2012/NĐ-CP", "/5/2020", "-2017-…").
_YEAR_SUFFIX_RE = re.compile(r" ?[/-] ?((?:19|20)[0-9]{2})(?![0-9]|[/-] ?[^\W_])")


_BODY_WORDS = frozenset(
    [
        "trung",
        "uong",
        "tw",
        "dang",
        "bo",
        "tinh",
        "thanh",
        "pho",
        "huyen",
        "quan",
        "xa",
        "khoi",
        "dai",
        "bieu",
        "toan",
        "quoc",
    ]
)
_CONFERENCE_WORDS = frozenset(
    ["hoi", "nghi", "hn", "lan", "thu", "ban", "chap", "hanh", "bch", "khoa", "(", ")"]
)


def _ordinal(doc: Doc, word: Word) -> bool:
    key = word.key
    return (key.isdigit() and len(key) <= 2) or bool(
        _ROMAN_RE.fullmatch(key) and doc.text[word.start].isupper()
    )


def _end_of_conference(doc: Doc, words: list[Word]) -> int | None:
    """Words of "Hội nghị lần thứ tám Ban Chấp hành Trung ương khóa XI" / "Đại hội … XXI"."""
    has_body = has_ordinal = False
    end = None
    for i, word in enumerate(words[:18]):
        key = word.key
        after_thu = i > 0 and words[i - 1].key == "thu"
        if (after_thu and (key in _ORDINAL_WORDS or _ordinal(doc, word))) or (
            _ordinal(doc, word) and i > 0 and words[i - 1].key != "khoa"
        ):
            has_ordinal, end = True, i + 1
        elif (i > 0 and words[i - 1].key == "khoa" and _ROMAN_RE.fullmatch(key)) or (
            key == ")" and end == i
        ):
            end = i + 1
        elif key in _BODY_WORDS or (key.isalpha() and doc.text[word.start].isupper()):
            has_body = has_body or key in _BODY_WORDS or key == "dang"
        elif key not in _CONFERENCE_WORDS:
            break
    return end if has_body and has_ordinal else None


def _party_resolutions(doc: Doc) -> list[Mention]:
    mentions: list[Mention] = []
    for match in _NGHI_QUYET_RE.finditer(doc.low):
        if not doc.text[match.start()].isupper():
            continue
        words = words_after(doc, match.end(), 160)
        end = _end_of_conference(doc, words)
        if end is None:
            continue
        stop = words[end - 1].end
        name = " ".join(doc.text[match.start() : stop].split())
        period = doc.dates_by_start.get(_skip(doc.text, stop, " "))
        if (
            period is not None
            and period.granularity == "period"
            and "nhi" in period.surface.lower()
        ):
            stop = period.end  # "… lần thứ XXI nhiệm kỳ 2015 – 2020": the term is in the mention
        mentions.append(Mention(match.start(), stop, "named", type_name="Nghị quyết", name=name))
    return mentions


def _skip(text: str, pos: int, chars: str) -> int:
    while pos < len(text) and text[pos] in chars:
        pos += 1
    return pos


def find_named_mentions(doc: Doc) -> list[Mention]:
    """Directives cited by name (no number): Party resolutions, laws, constitutions."""
    found = sorted(_party_resolutions(doc) + find_law_mentions(doc), key=lambda m: m.start)
    kept: list[Mention] = []
    for mention in found:  # "Luật Luật sư": the outer name wins
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


# --- numbers without a symbol -------------------------------------------------------------

# One scan per family of type words, each with a literal prefix ("ngh", "quy", "ch"…) so that
# the regex engine skips quickly to candidates.
_SHORT_FAMILIES = tuple(
    re.compile(p + r"\s+(?P<so>" + fuzzy("so") + r"\s*:?\s*)?[0-9]")
    for p in (
        "ngh" + fuzzy("i") + r"\s+(?:" + fuzzy("quyet") + "|" + fuzzy("dinh") + ")",
        "quy(?:" + fuzzy("et dinh") + "|" + fuzzy(" dinh") + "|" + fuzzy(" che") + ")",
        "ch" + fuzzy("i thi"),
        "k(?:" + fuzzy("et luan") + "|" + fuzzy("e hoach") + ")",
        "th"
        + fuzzy("ong")
        + r"\s+(?:"
        + fuzzy("tu")
        + "|"
        + fuzzy("bao")
        + "|"
        + fuzzy("tri")
        + ")",
        "h" + fuzzy("uong dan"),
        "đ" + fuzzy("e an"),
    )
)


def _number_mention(doc: Doc, number_start: int, had_so: bool) -> Mention | None:
    """ "Quy chế số 01", "Nghị quyết 02": the type word before, the number, what follows.

    A year written after the number without any code ("Nghị định 24/2012", "Thông tư
    08-2017", "Nghị định số 51/2021") is a symbol cut short: a short form with its year.
    """
    number = _NUMBER_RE.match(doc.low, number_start)
    if number is None:
        return None
    end = number.end()
    year = _YEAR_SUFFIX_RE.match(doc.text, end)
    if year is not None:
        end = year.end()
    after = doc.text[end : end + 2]
    if after[:1] in {"/", "-", ".", ",", "%"} and after[1:2].isalnum():
        return None  # a symbol, a decimal, a date or a range
    words = words_before(doc, number_start, 40)
    if had_so:
        words = words[:-1] if words and words[-1].key == ":" else words
        if not words or words[-1].key != "so":
            return None
        words = words[:-1]
    found = type_before([w.key for w in words])
    if found is None:
        return None
    type_name, size = found
    start = words[-size].start
    following = words_after(doc, end, 20)
    if following and not had_so and doc.low[following[0].start : following[0].end] in UNIT_WORDS:
        return None
    digits = doc.text[number.start() : number.end()]
    if not had_so and len(digits) == 4 and digits[:2] in {"19", "20"}:
        return None
    if digits[-1:].isupper():
        return None  # "quy định 5K" names a campaign, "30c" keeps a lower-case suffix
    common = type_name in _COMMON_NOUN_TYPES and year is None
    if not had_so and not doc.text[start].isupper() and common:
        return None  # "theo quy định 12 tháng": a lower-case common noun
    if from_key(type_name) not in SHORT_FORM_TYPES and not had_so:
        return None
    if type_name == "Văn bản" and year is None:
        return None  # "văn bản số 2" is any document
    name = " ".join(doc.text[start:end].split())
    kind = "numbered" if had_so and year is None else "short"
    return Mention(
        start,
        end,
        kind,
        type_name=type_name,
        number=digits,
        year=int(year.group(1)) if year else None,
        name=name,
    )


# Type words that are also common nouns or verbs in lower case ("quy định", "kế hoạch").
_COMMON_NOUN_TYPES = frozenset(
    [
        "Quy định",
        "Quyết định",
        "Kế hoạch",
        "Hướng dẫn",
        "Thông báo",
        "Đề án",
        "Công văn",
        "Quy chế",
        "Báo cáo",
        "Tờ trình",
        "Chương trình",
        "Kết luận",
    ]
)


def from_key(type_name: str) -> str:
    """ASCII key of a type name."""
    for key, name in TYPE_BY_KEY.items():
        if name == type_name:
            return key
    return type_name.lower()


# News write the type as its code: "NĐ 116", "QĐ số 1234/2021" (upper case, as written).
_ABBREVIATED_RE = re.compile(r"(?<![^\W_])(NĐ|NQ|QĐ) (?:số )?(?=[0-9])")
_ABBREVIATED_TYPES = {"NĐ": "Nghị định", "NQ": "Nghị quyết", "QĐ": "Quyết định"}


def _abbreviated_mention(doc: Doc, match: re.Match[str]) -> Mention | None:
    """ "NĐ 116", "NĐ 116/2020": a short form whose type word is the type's code."""
    number = _NUMBER_RE.match(doc.low, match.end())
    if number is None:
        return None
    year = _YEAR_SUFFIX_RE.match(doc.text, number.end())
    end = year.end() if year else number.end()
    after = doc.text[end : end + 2]
    if after[:1] in {"/", "-", ".", ",", "%"} and after[1:2].isalnum():
        return None
    following = words_after(doc, end, 20)
    if following and doc.low[following[0].start : following[0].end] in UNIT_WORDS:
        return None
    digits = doc.text[number.start() : number.end()]
    if digits[-1:].isupper() or (len(digits) == 4 and digits[:2] in {"19", "20"}):
        return None
    name = " ".join(doc.text[match.start() : end].split())
    type_name = _ABBREVIATED_TYPES[match.group(1)]
    year_value = int(year.group(1)) if year else None
    return Mention(
        match.start(), end, "short", type_name=type_name, number=digits, year=year_value, name=name
    )


def find_number_mentions(doc: Doc) -> list[Mention]:
    """ "Type số N" and "Type N" without a symbol (numbered directives and short forms)."""
    found: dict[int, Mention] = {}
    for match in _ABBREVIATED_RE.finditer(doc.text):
        mention = _abbreviated_mention(doc, match)
        if mention is not None:
            found[mention.start] = mention
    for match in _SO_RE.finditer(doc.low):
        mention = _number_mention(doc, match.end(), had_so=True)
        if mention is not None:
            found[mention.start] = mention
    for family in _SHORT_FAMILIES:
        for match in family.finditer(doc.low):
            if match.start() in found or match.group("so") is not None:
                continue
            mention = _number_mention(doc, match.end() - 1, had_so=False)
            if mention is not None:
                found[mention.start] = mention
    return sorted(found.values(), key=lambda m: m.start)
