"""Issuing bodies: recognise an issuer phrase and write it the official way.

"của Ban Chấp hành Trung ương Đảng khóa XI về …" → "Ban Chấp hành Trung ương Đảng khóa XI";
"BỘ CHÍNH TRỊ" and "Bo Chinh tri" → "Bộ Chính trị".  A phrase starts with a head ("Ban",
"Bộ", "Ủy ban", "UBND", "Tỉnh ủy", "Sở"…) and goes on over capitalised words and the
lower-case syllables of body names ("nhân dân", "Chấp hành", "Tuyên giáo"); a verb ends it.
"""

from __future__ import annotations

from vanban.ingest.extract.codes import NATIONAL_ISSUERS
from vanban.ingest.extract.lexicon import akey, type_before
from vanban.ingest.extract.mentions import Doc, Word
from vanban.ingest.extract.places import PROVINCES

__all__ = ["ISSUER_HEADS", "KNOWN_ISSUERS", "issuer_words", "official_issuer"]

ISSUER_HEADS = frozenset(
    [
        "ban",
        "bo",
        "uy",
        "ubnd",
        "hdnd",
        "hoi",
        "chinh",
        "thu",
        "quoc",
        "chu",
        "tinh",
        "thanh",
        "huyen",
        "quan",
        "thi",
        "dang",
        "so",
        "tong",
        "cuc",
        "ngan",
        "toa",
        "vien",
        "kiem",
        "van",
        "mttq",
        "mat",
        "lien",
        "doan",
        "bhxh",
        "trung",
        "tw",
        "btv",
        "bch",
        "ubmttq",
        "phong",
        "chi",
    ]
)
# Lower-case syllables that occur inside names of bodies (not verbs).
_NAME_SYLLABLES = frozenset(
    [
        "nhân",
        "dân",
        "hành",
        "vụ",
        "giáo",
        "chức",
        "trị",
        "thư",
        "ương",
        "ủy",
        "uỷ",
        "ban",
        "tịch",
        "trưởng",
        "phủ",
        "dục",
        "tạo",
        "tin",
        "thông",
        "nghiệp",
        "triển",
        "nông",
        "thôn",
        "lao",
        "động",
        "binh",
        "hội",
        "nguyên",
        "trường",
        "hoạch",
        "tư",
        "học",
        "nghệ",
        "hóa",
        "hoá",
        "thao",
        "lịch",
        "giao",
        "vận",
        "tải",
        "dựng",
        "chính",
        "nội",
        "tế",
        "phòng",
        "quốc",
        "pháp",
        "công",
        "thương",
        "ngoại",
        "cơ",
        "quan",
        "khối",
        "các",
        "tỉnh",
        "huyện",
        "xã",
        "phường",
        "quận",
        "thị",
        "trấn",
        "thành",
        "phố",
        "khóa",
        "khoá",
        "đảng",
        "bộ",
        "kiểm",
        "tra",
        "sát",
        "tối",
        "cao",
        "nhà",
        "nước",
        "sự",
        "thường",
        "đạo",
        "đầu",
        "sản",
        "tài",
        "môi",
        "hiểm",
        "bảo",
        "cục",
        "trận",
        "đoàn",
        "niên",
        "doanh",
        "kinh",
        "vệ",
        "văn",
        "đô",
        "ngân",
        "hàng",
        "dịch",
        "khoa",
        "cảnh",
        "biên",
        "sinh",
        "y",
        "dược",
        "gia",
        "đình",
        "trẻ",
        "em",
        "lực",
        "lượng",
        "vũ",
        "trang",
        "tướng",
        "đồng",
        "chấp",
        "bí",
        "tuyên",
        "tổ",
        "chỉ",
        "trung",
        "nghị",
        "an",
        "án",
        "tộc",
        "tuong",
        "dong",
        "chap",
        "bi",
        "tuyen",
        "nghi",
        "toc",
        "nhan",
        "dan",
        "hanh",
        "vu",
        "giao",
        "chuc",
        "tri",
        "thu",
        "uong",
        "uy",
        "tich",
        "truong",
        "phu",
        "duc",
        "tao",
        "tin",
        "thong",
        "nghiep",
        "trien",
        "nong",
        "thon",
        "lao",
        "dong",
        "binh",
        "hoi",
        "nguyen",
        "hoach",
        "tu",
        "hoc",
        "nghe",
        "hoa",
        "thao",
        "lich",
        "van",
        "tai",
        "dung",
        "chinh",
        "noi",
        "te",
        "phong",
        "quoc",
        "phap",
        "cong",
        "thuong",
        "ngoai",
        "co",
        "quan",
        "khoi",
        "cac",
        "tinh",
        "huyen",
        "xa",
        "phuong",
        "thi",
        "tran",
        "thanh",
        "pho",
        "khoa",
        "dang",
        "bo",
        "kiem",
        "tra",
        "sat",
        "toi",
        "cao",
        "nha",
        "nuoc",
        "su",
        "dau",
        "san",
        "moi",
        "hiem",
        "bao",
        "soát",
        "thủ",
        "tục",
        "lý",
        "thuế",
        "hải",
        "thống",
        "kê",
        "kho",
        "bạc",
        "khen",
        "thưởng",
        "đua",
        "phụ",
        "nữ",
        "cựu",
        "chiến",
        "lợi",
        "thủy",
        "thuỷ",
        "lâm",
        "sách",
        "xuất",
        "nhập",
        "vật",
        "chất",
        "lượng",
        "lường",
        "đất",
        "đai",
        "mại",
        "tiêu",
        "chuẩn",
        "điều",
        "tra",
        "soat",
        "thue",
        "thong",
        "ke",
        "bac",
        "thuong",
        "dua",
        "nu",
        "cuu",
        "chien",
        "loi",
        "thuy",
        "lam",
        "sach",
        "xuat",
        "nhap",
        "vat",
        "chat",
        "luong",
        "dat",
        "mai",
        "tieu",
        "chuan",
        "dieu",
    ]
)
# Verbs opening a title, even when written with a capital ("của Chính phủ Quy định chi tiết").
_STOP_PAIRS = frozenset(
    [
        "ban hành",
        "ban hanh",
        "thông qua",
        "thong qua",
        "quy định",
        "quy dinh",
        "hướng dẫn",
        "huong dan",
        "phê duyệt",
        "phe duyet",
        "sửa đổi",
        "sua doi",
    ]
)
_LEVEL_WORDS = frozenset(["tinh", "huyen", "xa", "pho", "quan", "phuong", "uy"])
_PLACE_STOPS = frozenset(
    [
        "ve",
        "trong",
        "cua",
        "nam",
        "ngay",
        "tai",
        "theo",
        "va",
        "voi",
        "da",
        "dang",
        "duoc",
        "cho",
        "den",
        "tu",
        "ban",
        "quy",
        "huong",
        "thuc",
    ]
)
_LIST_HEADS = frozenset(["bo", "van", "toa", "vien", "ngan"])
_ROMANS = frozenset(
    [
        "i",
        "ii",
        "iii",
        "iv",
        "v",
        "vi",
        "vii",
        "viii",
        "ix",
        "x",
        "xi",
        "xii",
        "xiii",
        "xiv",
        "xv",
        "xvi",
        "xvii",
        "xviii",
        "xix",
        "xx",
        "xxi",
    ]
)
_MAX_WORDS = 20

_KNOWN = [
    *NATIONAL_ISSUERS.values(),
    "Bộ Chính trị",
    "Ban Bí thư",
    "Ban Bí thư Trung ương",
    "Ban Chấp hành Trung ương",
    "Ban Chấp hành Trung ương Đảng",
    "Ban Thường vụ Tỉnh ủy",
    "Ban Thường vụ Thành ủy",
    "Ban Thường vụ Huyện ủy",
    "Tỉnh ủy",
    "Thành ủy",
    "Huyện ủy",
    "Đảng ủy",
    "Ủy ban nhân dân",
    "Hội đồng nhân dân",
    "UBND",
    "HĐND",
    "Hội nghị Trung ương",
    "Văn phòng Trung ương Đảng",
    "Ban Tuyên giáo Trung ương",
    "Ban Tổ chức Trung ương",
    "Ban Dân vận Trung ương",
    "Ủy ban Kiểm tra Trung ương",
    "Ban Chấp hành Đảng bộ",
]
_KNOWN_BY_KEY = {akey(name): name for name in _KNOWN}
KNOWN_ISSUERS = tuple(_KNOWN)
_WORDS = {akey(w): w for name in _KNOWN for w in name.split()} | {"khoa": "khóa"}
_LEVELS = {"tinh": "tỉnh", "huyen": "huyện", "xa": "xã", "phuong": "phường", "quan": "quận"}
_PROVINCE_BY_KEY = {akey(p): p for p in PROVINCES}


def _is_name_word(doc: Doc, word: Word, flat: bool) -> bool:
    """A word of a body's name; ``flat``: the text has no case to tell names by."""
    original = doc.text[word.start : word.end]
    if original[:1].isupper() and not flat:
        return True
    if (word.key in _ROMANS and original.isupper()) or (word.key.isdigit() and len(word.key) <= 2):
        return True
    low = doc.low[word.start : word.end]
    return low in _NAME_SYLLABLES or (flat and word.key in _NAME_SYLLABLES)


def _flat(doc: Doc, words: list[Word]) -> bool:
    """Whether the words are all upper case or all lower case (no case signal)."""
    letters = [c for w in words[:_MAX_WORDS] for c in doc.text[w.start : w.end] if c.isalpha()]
    return all(c.isupper() for c in letters) or all(c.islower() for c in letters)


def issuer_words(doc: Doc, words: list[Word]) -> int:
    """How many of ``words`` an issuer phrase takes (0 when it does not start one)."""
    flat = _flat(doc, words)
    if not words or words[0].key not in ISSUER_HEADS:
        return 0
    if not (flat or doc.text[words[0].start].isupper()):
        return 0
    taken = 0
    place_words = 0
    for i, word in enumerate(words[:_MAX_WORDS]):
        after = words[i + 1] if i + 1 < len(words) else None
        pair = (
            f"{doc.low[word.start : word.end]} {doc.low[after.start : after.end]}" if after else ""
        )
        if word.key in {"-", "&"} and taken:
            continue
        if word.key == ",":
            if after is None or after.key not in _LIST_HEADS or not doc.text[after.start].isupper():
                break
            continue
        if word.key == "va":
            following = [w.key for w in words[i + 1 : i + 4]]
            names_type = any(type_before(following[:n]) for n in range(1, len(following) + 1))
            if after is None or names_type or not (doc.text[after.start].isupper() or flat):
                break
            continue
        if not word.key.isalnum() or pair in _STOP_PAIRS:
            break
        # a place name after "tỉnh", "huyện", "Tỉnh ủy" in text without case
        level = i > place_words and words[i - 1 - place_words].key in _LEVEL_WORDS
        if flat and level and place_words < 3 and word.key not in _PLACE_STOPS:
            place_words += 1
        elif i and not _is_name_word(doc, word, flat):
            break
        else:
            place_words = 0
        taken = i + 1
    if taken >= 2 and words[taken - 2].key == "va" and words[taken - 1].key in ISSUER_HEADS:
        taken -= 2  # "Hội đồng nhân dân và Ủy bân nhân dân": no second issuer read
    return taken


def official_issuer(phrase: str) -> str:
    """The official writing of an issuer phrase (diacritics and case restored when known)."""
    words = phrase.split()
    key_words = akey(phrase).split()
    plain = phrase.isascii()
    if not (plain or phrase.isupper() or phrase.islower()):
        return phrase
    for size in range(len(words), 0, -1):
        known = _KNOWN_BY_KEY.get(" ".join(key_words[:size]))
        if known is not None:
            return " ".join([known, *_rest(words[size:])])
    return " ".join([words[0].capitalize(), *_rest(words[1:])])


def _rest(words: list[str]) -> list[str]:
    """Words after a known head: a level and a place ("tinh Phu Tho" → "tỉnh Phú Thọ")."""
    for i, word in enumerate(words):
        if akey(word) in _LEVELS:
            place = " ".join(words[i + 1 :])
            province = _PROVINCE_BY_KEY.get(akey(place))
            name = province or " ".join(
                w.capitalize() if (w.isupper() or w.islower()) else w for w in words[i + 1 :]
            )
            return [*(_word(w) for w in words[:i]), _LEVELS[akey(word)], *name.split()]
    return [_word(w) for w in words]


def _word(word: str) -> str:
    """One word of a phrase written without case or diacritics."""
    key = akey(word)
    if key in _ROMANS and word.isupper():
        return word
    if key in _WORDS:
        return _WORDS[key]
    return word.capitalize() if (word.isupper() or word.islower()) else word
