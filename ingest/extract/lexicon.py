"""Words of Vietnamese administrative text, matched whatever the accents or the case.

Patterns are written in ASCII ("nghi quyet") and compiled to match lower-cased text with
any accents on the vowels ("nghị quyết", "nghi quyet", "nghi quyết" from OCR).  Callers
lower-case with ``normalize.lower_same_length`` so positions carry over.
"""

from __future__ import annotations

from vanban.ingest.normalize import strip_accents

_VOWELS = {
    "a": "aàáảãạăằắẳẵặâầấẩẫậ",
    "e": "eèéẻẽẹêềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọôồốổỗộơờớởỡợ",
    "u": "uùúủũụưừứửữự",
    "y": "yỳýỷỹỵ",
}


def fuzzy(phrase: str) -> str:
    """Regex source matching the lower-case ASCII ``phrase`` with any accents.

    "nghi quyet" → "ngh[iìíỉĩị]\\s+quy[eè…]t".  A space matches one or more blanks.
    """
    parts: list[str] = []
    for char in phrase:
        if char in _VOWELS:
            parts.append(f"[{_VOWELS[char]}]")
        elif char == "d":
            parts.append("[dđ]")
        elif char == " ":
            parts.append("\\s+")
        else:
            parts.append(char)
    return "".join(parts)


def akey(text: str) -> str:
    """ASCII key of a phrase: no accents, lower case, single spaces."""
    return " ".join(strip_accents(text).lower().split())


# Directive type names as written in prose, longest first where one extends another.
TYPE_NAMES = (
    "Nghị quyết liên tịch",
    "Nghị quyết",
    "Nghị định",
    "Quyết định",
    "Quy định",
    "Chỉ thị",
    "Kết luận",
    "Thông tư liên tịch",
    "Thông tư",
    "Thông tri",
    "Bộ luật",
    "Luật",
    "Pháp lệnh",
    "Hiến pháp",
    "Công văn",
    "Văn bản hợp nhất",
    "Văn bản",
    "Kế hoạch",
    "Thông báo kết luận",
    "Thông báo",
    "Tờ trình",
    "Quy chế",
    "Hướng dẫn",
    "Đề án",
    "Chương trình hành động",
    "Chương trình",
    "Báo cáo",
    "Sắc lệnh",
    "Lệnh",
    "Công điện",
    "Giấy mời",
    "Điều lệ",
    "Phương án",
)
TYPE_BY_KEY: dict[str, str] = {akey(name): name for name in TYPE_NAMES}
_TYPE_KEYS_BY_LAST: dict[str, list[tuple[str, ...]]] = {}
for _key in sorted({tuple(k.split()) for k in TYPE_BY_KEY}, key=len, reverse=True):
    _TYPE_KEYS_BY_LAST.setdefault(_key[-1], []).append(_key)
# Types a bare "Type + number" short form may name ("Nghị quyết 36", "Chỉ thị 05").
SHORT_FORM_TYPES = frozenset(
    akey(n)
    for n in (
        "Nghị quyết",
        "Nghị định",
        "Quyết định",
        "Quy định",
        "Chỉ thị",
        "Kết luận",
        "Thông tư",
        "Thông tư liên tịch",
        "Hướng dẫn",
        "Kế hoạch",
        "Đề án",
        "Thông báo",
        "Công văn",
        "Quy chế",
        "Pháp lệnh",
        "Luật",
        "Thông báo kết luận",
        "Tờ trình",
        "Báo cáo",
        "Chương trình",
        "Văn bản",
    )
)
# Of those, the ones a short form may name without being resolved ("Nghị quyết 36").
UNRESOLVED_TYPES = frozenset(
    akey(n)
    for n in (
        "Nghị quyết",
        "Nghị định",
        "Quyết định",
        "Quy định",
        "Chỉ thị",
        "Kết luận",
        "Thông tư",
        "Thông tư liên tịch",
        "Đề án",
        "Kế hoạch",
        "Hướng dẫn",
        "Thông báo kết luận",
    )
)


def type_before(words: list[str]) -> tuple[str, int] | None:
    """The type name that the last words (ASCII keys) spell, and how many words it takes."""
    if not words:
        return None
    for key in _TYPE_KEYS_BY_LAST.get(words[-1], ()):
        size = len(key)
        if size <= len(words) and tuple(words[-size:]) == key:
            if len(words) > size and (words[-size - 1], *key) in _NOT_TYPES:
                return None
            return TYPE_BY_KEY[" ".join(key)], size
    return None


# Phrases ending in a type word that are no type word: "pháp luật", "văn bản".
_NOT_TYPES = frozenset(
    [("phap", "luat"), ("ve", "luat"), ("ky", "luat"), ("dieu", "luat"), ("trai", "luat")]
)


# Words after a number that make "Type + number" a quantity, not a short form; compared
# with accents ("ngay" is "right away", "ngày" a day), plus unambiguous ASCII spellings.
UNIT_WORDS = frozenset(
    [
        "năm",
        "tháng",
        "ngày",
        "tuần",
        "giờ",
        "phút",
        "người",
        "hộ",
        "%",
        "đồng",
        "triệu",
        "tỷ",
        "tỉ",
        "nghìn",
        "ngàn",
        "lần",
        "km",
        "ha",
        "m",
        "điểm",
        "khóa",
        "khoá",
        "mục",
        "cấp",
        "nhóm",
        "loại",
        "thôn",
        "xã",
        "hàng",
        "tiết",
        "phòng",
        "trạm",
        "vạn",
        "chiếc",
        "cái",
        "buổi",
        "đợt",
        "lớp",
        "trường",
        "học",
        "đơn",
        "tổ",
        "khu",
        "phường",
        "quận",
        "huyện",
        "nam",
        "thang",
        "tuan",
        "gio",
        "phut",
        "nguoi",
        "trieu",
        "ty",
        "nghin",
        "lan",
        "diem",
        "khoa",
        "muc",
        "cap",
        "nhom",
        "loai",
        "thon",
        "xa",
        "tiet",
        "phong",
        "tram",
        "chiec",
        "buoi",
        "dot",
        "lop",
        "truong",
        "hoc",
        "khu",
        "phuong",
        "quan",
        "huyen",
    ]
)
