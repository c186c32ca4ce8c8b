"""Localities named in Vietnamese administrative text ("tỉnh Bắc Giang", "Thành ủy Hà Nội").

A locality is written as its level in lower case and its name ("tỉnh Phú Thọ",
"thành phố Bắc Ninh", "huyện Lâm Thao"), whatever the case of the source.
"""

from __future__ import annotations

import re

from vanban.ingest.extract.lexicon import fuzzy

__all__ = ["PROVINCES", "locality_in", "proper_case", "province_in", "province_of"]

# Provinces and centrally-run cities (before the 2025 mergers), to restore names written
# without diacritics.
PROVINCES = (
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bạc Liêu",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Định",
    "Bình Dương",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cần Thơ",
    "Cao Bằng",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Hồ Chí Minh",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
)


_LEVELS = {
    "tinh": "tỉnh",
    "thanh pho": "thành phố",
    "tp": "thành phố",
    "huyen": "huyện",
    "quan": "quận",
    "thi xa": "thị xã",
    "xa": "xã",
    "phuong": "phường",
    "thi tran": "thị trấn",
}
_COMMITTEES = {
    "tinh uy": "tỉnh",
    "thanh uy": "thành phố",
    "huyen uy": "huyện",
    "quan uy": "quận",
    "thi uy": "thị xã",
}
_UPPER = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
_NAME = f"[{_UPPER}][^\\W\\d_]*(?:[ ][{_UPPER}][^\\W\\d_]*){{0,3}}"
_LEVEL_RE = re.compile(
    r"(?<![^\W\d_])(?P<level>(?i:"
    + "|".join(fuzzy(k) for k in sorted(_LEVELS, key=len, reverse=True))
    + r"|tp\.?))\s+(?P<name>"
    + _NAME
    + ")"
)
_COMMITTEE_RE = re.compile(
    r"(?<![^\W\d_])(?P<level>(?i:"
    + "|".join(fuzzy(k) for k in _COMMITTEES)
    + r"))\s+(?P<name>"
    + _NAME
    + ")"
)
_NOT_NAMES = frozenset(["ủy", "uỷ", "ban", "nhân", "dân", "đảng", "và", "về", "của"])


def proper_case(name: str) -> str:
    """ "PHÚ THỌ" → "Phú Thọ"; a name already in mixed case is kept."""
    if name.isupper():
        return " ".join(w.capitalize() for w in name.split())
    return name


def _key(level: str) -> str:
    from vanban.ingest.normalize import strip_accents

    return strip_accents(level).lower().rstrip(".")


def _trim(name: str) -> str | None:
    words = name.split()
    while words and words[-1].lower() in _NOT_NAMES:
        words.pop()
    if not words or words[0].lower() in _NOT_NAMES:
        return None
    return proper_case(" ".join(words))


def locality_in(phrase: str) -> str | None:
    """The locality a phrase names: "UBND tỉnh Bắc Giang" → "tỉnh Bắc Giang"."""
    for regex, table in ((_COMMITTEE_RE, _COMMITTEES), (_LEVEL_RE, _LEVELS)):
        match = regex.search(phrase)
        if match is None:
            continue
        name = _trim(match.group("name"))
        level = table.get(_key(match.group("level")))
        if name and level:
            return f"{level} {name}"
    return None


_CENTRAL_CITIES = frozenset(["Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Hồ Chí Minh", "Huế"])


def _province_level(locality: str) -> bool:
    level, _, name = locality.partition(" ")
    if level == "thành":
        name = locality.removeprefix("thành phố ")
        return name in _CENTRAL_CITIES
    return level == "tỉnh"


def province_of(locality: str) -> str | None:
    """The province a locality lies in, when its name says it: "thành phố Bắc Ninh" →
    "tỉnh Bắc Ninh" (a city named after a province is its capital); a province itself."""
    if _province_level(locality):
        return locality
    name = locality.removeprefix("thành phố ")
    if name != locality and name in PROVINCES:
        return f"tỉnh {name}"
    return None


def province_in(text: str, min_count: int = 1) -> str | None:
    """The one province (or centrally-run city) ``text`` names most, if one clearly leads
    (and is named at least ``min_count`` times)."""
    counts: dict[str, int] = {}
    for regex, table in ((_COMMITTEE_RE, _COMMITTEES), (_LEVEL_RE, _LEVELS)):
        for match in regex.finditer(text):
            name = _trim(match.group("name"))
            level = table.get(_key(match.group("level")))
            if name and level and _province_level(f"{level} {name}"):
                key = f"{level} {name}"
                counts[key] = counts.get(key, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if not ranked or (len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]):
        return None
    return ranked[0][0] if ranked[0][1] >= min_count else None
