"""Laws, codes, ordinances and constitutions cited by name, without a number.

"Luật Tổ chức chính quyền địa phương", "Bộ luật Lao động năm 2019", "Pháp lệnh Ưu đãi người
có công với cách mạng", "Hiến pháp năm 2013".  Listed names are read whole (also across "và"
and commas, and without diacritics); other names stop at the first word that is not part of
a name.  "Luật này", "luật sư", "pháp luật" are not references.
"""

from __future__ import annotations

import re

from vanban.ingest.extract.law_names import known_name_span
from vanban.ingest.extract.lexicon import TYPE_BY_KEY, fuzzy
from vanban.ingest.extract.mentions import Doc, Mention, Word, words_after
from vanban.ingest.normalize import fold_same_length

__all__ = ["find_law_mentions"]

# Literal prefixes ("lu", "ph", "hi") keep the scans fast; "Bộ" is checked before "luật".
_LUAT_RE = re.compile(fuzzy("luat") + r"(?=\s)")
_PHAP_LENH_RE = re.compile(fuzzy("phap lenh") + r"(?=\s)")
_HIEN_PHAP_RE = re.compile(fuzzy("hien phap"))
_BO_RE = re.compile(fuzzy("bo") + r"\s+$")
_REPUBLIC_RE = re.compile(r"\s+" + fuzzy("nuoc cong hoa xa hoi chu nghia viet nam"))
# Lower-case words that end a name not listed (compared with accents: "vệ" is not "về").
_STOPS = frozenset(
    [
        "số",
        "năm",
        "ngày",
        "của",
        "được",
        "đã",
        "này",
        "về",
        "tại",
        "các",
        "hiện",
        "có",
        "thì",
        "là",
        "để",
        "theo",
        "với",
        "trong",
        "đối",
        "quy",
        "hướng",
        "ban",
        "mới",
        "cũ",
        "trước",
        "sau",
        "đó",
        "nêu",
        "nói",
        "trên",
        "như",
        "đây",
        "đều",
        "cũng",
        "phải",
        "nhằm",
        "cho",
        "từ",
        "đến",
        "khi",
        "mà",
        "thuộc",
        "và",
        "hoặc",
        "điều",
        "khoản",
        "chương",
        "mục",
        "điểm",
        "phần",
        "áp",
        "sửa",
        "bổ",
        "những",
        "gồm",
        "cần",
        "thay",
        "hết",
        "do",
        "bởi",
        "tới",
        "nên",
        "giữa",
        "bao",
        "nhưng",
        "còn",
        "vì",
        "nếu",
        "thực",
        "giới",
        "hoặc",
        "quyền",
        "nghĩa",
        "trách",
        "so",
        "nam",
        "ngay",
        "cua",
        "duoc",
        "nay",
        "tai",
        "cac",
        "theo",
        "voi",
        "trong",
    ]
)
# First words that make "Luật …" a common noun: luật sư, luật gia, luật pháp…
_NOT_NAMES = frozenset(
    [
        *("sư", "gia", "pháp", "lệ", "học", "chơi", "tục", "này", "đó", "thi", "đấu"),
        *("su", "phap", "le", "hoc", "nay"),
    ]
)
_TYPE_FIRST_WORDS = frozenset(k.split()[0] for k in TYPE_BY_KEY)
_MAX_WORDS = 8
_BARE_YEAR_RE = re.compile(r" ((?:19|20)[0-9]{2})(?![0-9/.,-][0-9])(?![0-9])")
_FIRM_RE = re.compile(
    r"(?:cong ty|van phong|hang|khoa|dai hoc|truong|vien|doan|hoi|chinh tri va)\s*$"
)
_TREATY_RE = re.compile(r"(?:cong uoc|hiep dinh|hiep uoc)[^.;\n]{0,45}\bve\s*$")
_LEGAL_BEFORE_RE = re.compile(
    r"(?:cua|theo|tai|can cu|thi hanh|hanh|vao|trong|ve|voi|va|nhu|\(|,|:|;)\s*$"
    r"|(?:dieu|khoan|diem|chuong|muc)\s+[0-9a-z.]+\s*,?\s*$"
)
# Before an unlisted name in lower case: a citation's opening ("Căn cứ Luật tổ chức …").
_CITED_LOWER_RE = re.compile(r"(?:can cu|quy dinh cua|quy dinh tai|thi hanh)\s*$")
_LEGAL_AFTER_RE = re.compile(r"\s*(?:so\b|nam\s+(?:19|20)|(?:19|20)[0-9]{2}\b|ngay\b|\(sua)")


def _fallback_end(doc: Doc, words: list[Word], flat: bool) -> int:
    """How many words an unlisted name takes (0: not a name)."""
    taken = 0
    for i, word in enumerate(words[:_MAX_WORDS]):
        lower = not doc.text[words[0].start].isupper()
        if word.key == "," and i and lower and _comma_part(doc, words[i + 1 : i + 4]):
            continue  # "Pháp lệnh Cán bộ, công chức": a comma inside the name
        if not word.key.isalpha():
            break
        capital = doc.text[word.start].isupper()
        low = doc.low[word.start : word.end]
        if i == 0 and ((not capital and not flat) or low in _NOT_NAMES or low in _STOPS):
            return 0
        if i and word.key in _TYPE_FIRST_WORDS and capital and not flat:
            break
        if i and low in _STOPS and (not capital or flat):
            break
        taken = i + 1
    return 0 if flat and taken < 2 else taken


def _comma_part(doc: Doc, words: list[Word]) -> bool:
    """Whether the words after a comma continue a name written in lower case ("công chức,
    viên chức"): one or two lower-case words, then the end of the name ("và", "năm", "số",
    a stop or punctuation)."""
    for size, word in enumerate(words):
        low = doc.low[word.start : word.end]
        if not word.key.isalpha() or low in _STOPS:
            return 0 < size <= 2 and word.key not in {","}
        if not doc.text[word.start].islower():
            return False
    return False


def _before_key(doc: Doc, start: int) -> str:
    """The ASCII key of the few words before ``start``."""
    return fold_same_length(doc.low[max(0, start - 24) : start])


def _not_a_law(doc: Doc, start: int) -> bool:
    """ "Công ty Luật TNHH …", "Đại học Luật", "Công ước … về Luật Biển": not a law."""
    before = fold_same_length(doc.low[max(0, start - 60) : start])
    return bool(_FIRM_RE.search(before) or _TREATY_RE.search(before))


def _cited_as_law(doc: Doc, start: int, end: int) -> bool:
    """An unlisted name needs a legal context: "theo quy định của Luật X", "Điều 5 Luật X",
    or a number, date or year after it."""
    if _LEGAL_BEFORE_RE.search(_before_key(doc, start)):
        return True
    return bool(_LEGAL_AFTER_RE.match(fold_same_length(doc.low[end : end + 12])))


def _law_words(doc: Doc) -> list[tuple[int, int, str]]:
    """Start, end and type of each "Luật", "Bộ luật", "Pháp lệnh" starting a word."""
    found = []
    for match in _LUAT_RE.finditer(doc.low):
        start = match.start()
        if _inside_word(doc.text, start):
            continue
        bo = _BO_RE.search(doc.low, max(0, start - 6), start)
        if bo is not None:
            found.append((bo.start(), match.end(), "Bộ luật"))
        else:
            found.append((start, match.end(), "Luật"))
    for match in _PHAP_LENH_RE.finditer(doc.low):
        if not _inside_word(doc.text, match.start()):
            found.append((match.start(), match.end(), "Pháp lệnh"))
    return found


def _inside_word(text: str, start: int) -> bool:
    """Whether ``start`` is inside a word; a capital glued to a lower-case word by a scraper
    ("TheoLuật Giáo dục") starts one."""
    if not (start and text[start - 1].isalnum()):
        return False
    glued = text[start].isupper() and text[start - 1].islower()
    return not (glued and start > 1 and text[start - 2].islower())


def _name_span(
    doc: Doc, type_name: str, start: int, type_start: int
) -> tuple[int, str] | None:
    """End and name of the law named from ``start`` (just after the type word)."""
    following = doc.text[start : start + 160].split("\n", 1)[0]
    known = known_name_span(type_name, following, plain=doc.line(start).isascii())
    if known is not None:
        name, size, expanded = known
        end = start + size
        if expanded or doc.text[start:end].isascii() or doc.text[start:end].isupper():
            return end, name  # restore the listed spelling
        return end, " ".join(doc.text[start:end].split())
    flat = doc.flat_case(start)
    lower = not flat and not doc.text[start : start + 1].isupper()
    if lower and not _CITED_LOWER_RE.search(_before_key(doc, type_start)):
        return None  # "Luật này", "Luật thi đấu": an unlisted name starts with a capital
    words = words_after(doc, start, 80)
    taken = _fallback_end(doc, words, flat or lower)
    if taken == 0:
        return None
    end = words[taken - 1].end
    if not _cited_as_law(doc, type_start, end):
        return None
    return end, " ".join(doc.text[start:end].split())


def _with_year(doc: Doc, mention: Mention) -> None:
    """ "Bộ luật Lao động năm 2019", "Luật Giáo dục 2019": the year belongs to the name."""
    if doc.text[mention.end : mention.end + 1] != " ":
        return
    date = doc.dates_by_start.get(mention.end + 1)
    if date and date.granularity == "year":
        mention.end, mention.year = date.end, int(date.value)
        mention.name = f"{mention.name} năm {date.value}"
        return
    bare = _BARE_YEAR_RE.match(doc.text, mention.end)
    if bare is not None:
        mention.end, mention.year = bare.end(), int(bare.group(1))
        mention.name = f"{mention.name} {bare.group(1)}"


def _laws(doc: Doc) -> list[Mention]:
    mentions: list[Mention] = []
    for start, word_end, type_name in _law_words(doc):
        if not doc.text[start].isupper() and not doc.flat_case(start):
            continue
        if _not_a_law(doc, start):
            continue
        name_start = word_end + 1
        found = _name_span(doc, type_name, name_start, start)
        if found is None:
            continue
        end, name = found
        mention = Mention(start, end, "named", type_name=type_name, name=f"{type_name} {name}")
        _with_year(doc, mention)
        mentions.append(mention)
    return mentions


def _constitutions(doc: Doc) -> list[Mention]:
    mentions: list[Mention] = []
    for match in _HIEN_PHAP_RE.finditer(doc.low):
        start, end = match.span()
        if not doc.text[start].isupper() and not doc.flat_case(start):
            continue
        rest = _REPUBLIC_RE.match(doc.low[end : end + 60])
        name = "Hiến pháp"
        if rest is not None:
            end += rest.end()
            name = "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam"
        mention = Mention(start, end, "named", type_name="Hiến pháp", name=name)
        _with_year(doc, mention)
        mentions.append(mention)
    if not any(m.year is not None or m.name != "Hiến pháp" for m in mentions):
        return []  # "Hiến pháp" alone is cited once the text names which one
    return [m for m in mentions if doc.text[m.start].isupper()]


def find_law_mentions(doc: Doc) -> list[Mention]:
    """Laws, codes, ordinances and constitutions cited by name, in order."""
    return sorted(_laws(doc) + _constitutions(doc), key=lambda m: m.start)
