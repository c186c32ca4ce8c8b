"""Code tables for Vietnamese document symbols: type codes, issuer codes, their names.

Keys are ASCII upper case without diacritics ("ND", "QDI", "BGDDT"), so that a code written
without "Đ" or in another case finds its official spelling.
"""

from __future__ import annotations

from vanban.ingest.normalize import strip_accents

# Official spelling of codes whose ASCII form loses a letter ("Đ") or its case.
_OFFICIAL = [
    "NĐ",
    "QĐ",
    "QĐi",
    "HĐND",
    "ĐU",
    "ĐUK",
    "ĐA",
    "BGDĐT",
    "GDĐT",
    "SGDĐT",
    "BLĐTBXH",
    "LĐTBXH",
    "SLĐTBXH",
    "BKHĐT",
    "KHĐT",
    "SKHĐT",
    "HĐBT",
    "TCQLĐĐ",
    "HĐTP",
    "BCSĐ",
    "BCĐ",
    "ĐUQSTW",
    "TLĐ",
    "CĐ",
    "TTg",
    "TTr",
    "CTr",
    "HĐQT",
    "HĐTV",
    "ĐĐ",
    "ĐT",
    "ĐB",
    "QyĐ",
    "BQLDA",
    "VBHN",
    "HĐ",
    "TANDTC",
    "VKSNDTC",
    "ĐCT",
    "KH&ĐT",
]
# "HD" (Hướng dẫn) and "HĐ" (Hội đồng/Hợp đồng) differ; "DT" (Dân tộc) and "ĐT" differ:
# only the ASCII forms below are restored to Đ.
_NO_RESTORE = {"HD", "DT", "DB", "DD"}


def ascii_key(text: str) -> str:
    """ASCII upper-case key of a code ("NĐ" → "ND", "QĐi" → "QDI", "TƯ" → "TU")."""
    return strip_accents(text).upper()


OFFICIAL_CODE: dict[str, str] = {
    ascii_key(code): code for code in _OFFICIAL if ascii_key(code) not in _NO_RESTORE
}
OFFICIAL_CODE["HD"] = "HD"

# Type codes: ASCII key -> type name.  Party codes (number-TYPE/ISSUER) and State codes
# (number/year/TYPE-ISSUER) overlap; "QĐi" was the Party code for Quy định until 2018.
PARTY_TYPE_CODES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "QD": "Quyết định",
    "QDI": "Quy định",
    "KL": "Kết luận",
    "KH": "Kế hoạch",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CV": "Công văn",
    "BC": "Báo cáo",
    "TTR": "Tờ trình",
    "DA": "Đề án",
    "CTR": "Chương trình",
    "QC": "Quy chế",
    "TT": "Thông tri",
    "NQLT": "Nghị quyết liên tịch",
    "BB": "Biên bản",
    "GM": "Giấy mời",
    "CTHD": "Chương trình hành động",
    "DE": "Đề án",
}
STATE_TYPE_CODES: dict[str, str] = {
    "ND": "Nghị định",
    "QD": "Quyết định",
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "NQLT": "Nghị quyết liên tịch",
    "PL": "Pháp lệnh",
    "L": "Lệnh",
    "SL": "Sắc lệnh",
    "KH": "Kế hoạch",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "BC": "Báo cáo",
    "TTR": "Tờ trình",
    "DA": "Đề án",
    "CTR": "Chương trình",
    "QC": "Quy chế",
    "QYD": "Quy định",
    "CD": "Công điện",
    "GM": "Giấy mời",
    "BB": "Biên bản",
    "PA": "Phương án",
    "VBHN": "Văn bản hợp nhất",
    "KL": "Kết luận",
    "CV": "Công văn",
    "HDLT": "Hướng dẫn liên tịch",
    "LCT": "Luật",
}
# Issuer codes of national bodies: ASCII key -> issuer name.
NATIONAL_ISSUERS: dict[str, str] = {
    "CP": "Chính phủ",
    "TTG": "Thủ tướng Chính phủ",
    "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "CTN": "Chủ tịch nước",
    "HDBT": "Hội đồng Bộ trưởng",
    "BTC": "Bộ Tài chính",
    "BTP": "Bộ Tư pháp",
    "BNV": "Bộ Nội vụ",
    "BCA": "Bộ Công an",
    "BQP": "Bộ Quốc phòng",
    "BGDDT": "Bộ Giáo dục và Đào tạo",
    "BYT": "Bộ Y tế",
    "BCT": "Bộ Công Thương",
    "BXD": "Bộ Xây dựng",
    "BGTVT": "Bộ Giao thông vận tải",
    "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BLDTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "BKHDT": "Bộ Kế hoạch và Đầu tư",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BNG": "Bộ Ngoại giao",
    "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "TTCP": "Thanh tra Chính phủ",
    "VPCP": "Văn phòng Chính phủ",
    "UBDT": "Ủy ban Dân tộc",
    "TANDTC": "Tòa án nhân dân tối cao",
    "VKSNDTC": "Viện kiểm sát nhân dân tối cao",
    "KTNN": "Kiểm toán nhà nước",
    "BHXH": "Bảo hiểm xã hội Việt Nam",
    "BVHTT": "Bộ Văn hóa - Thông tin",
    "BCN": "Bộ Công nghiệp",
    "BTM": "Bộ Thương mại",
    "BTS": "Bộ Thủy sản",
    "HDTP": "Hội đồng Thẩm phán Tòa án nhân dân tối cao",
    "BGD": "Bộ Giáo dục",
}
# Issuer codes of local bodies (their symbols repeat across localities).
LOCAL_ISSUERS: dict[str, str] = {
    "UBND": "Ủy ban nhân dân",
    "HDND": "Hội đồng nhân dân",
    "TU": "Tỉnh ủy",
    "HU": "Huyện ủy",
    "QU": "Quận ủy",
    "TXU": "Thị ủy",
    "DU": "Đảng ủy",
    "DUK": "Đảng ủy Khối",
}
# Codes that are a Party issuer (the last part of number-TYPE/ISSUER).
PARTY_ISSUER_SUFFIXES = ("TW", "TU", "HU", "QU", "DU", "DUK", "TXU")


def official_code(token: str) -> str:
    """Official spelling of one code token ("nd" → "NĐ", "ttg" → "TTg", "TƯ" → "TW")."""
    key = ascii_key(token)
    if key == "TU" and "Ư" in token.upper():
        return "TW"
    if key in OFFICIAL_CODE:
        return OFFICIAL_CODE[key]
    return token.upper()


def is_known_code(token: str) -> bool:
    """Whether a token is a type or issuer code this module knows."""
    key = ascii_key(token).rstrip("0123456789")
    return (
        key in PARTY_TYPE_CODES
        or key in STATE_TYPE_CODES
        or key in NATIONAL_ISSUERS
        or key in LOCAL_ISSUERS
        or key in {"TW", "VPTW", "BTGTW", "BDVTW", "BTCTW", "UBKTTW", "BCSD"}
    )


def is_party_issuer(token: str) -> bool:
    """Whether a code is a Party body ("TW", "TU", "HU", "ĐU", "BTGTW", "BDVTU"…)."""
    key = ascii_key(token)
    return key.endswith(PARTY_ISSUER_SUFFIXES) or key in {"BCSD", "BCS", "DDQ"}


def is_local_issuer(codes: list[str]) -> bool:
    """Whether a symbol's issuer codes name a local body (UBND, HĐND, TU, HU, Sở…)."""
    for code in codes:
        key = ascii_key(code)
        if key in LOCAL_ISSUERS or key in {"TU", "HU", "QU", "DU", "DUK", "TXU"}:
            return True
        if key.endswith(("TU", "HU", "QU")) and key not in {"TW"} and len(key) > 2:
            return True
        if key.startswith("S") and "B" + key[1:] in NATIONAL_ISSUERS:
            return True
    return False


# Codes of registrations and licences, not directives ("7347/2020/ĐKSP", "…/XNQC-ATTP").
NOT_DIRECTIVE_CODES = frozenset(["XNQC", "DKSP", "GPQC", "CBSP", "TCCS", "DKLH", "GPXB", "SDK"])
