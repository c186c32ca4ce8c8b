"""Normalization: NFC, look-alikes, dashes, blanks; tone placement; accents; symbols."""

from __future__ import annotations

import unicodedata

import pytest

from vanban.ingest.extract.symbols import canonical_symbol, parse_query_symbol
from vanban.ingest.normalize import (
    fold_tone,
    lower_same_length,
    match_key,
    normalize,
    strip_accents,
)

NORMALIZE_CASES = [
    ("Nghị quyết", "Nghị quyết"),
    (unicodedata.normalize("NFD", "Nghị quyết số 25"), "Nghị quyết số 25"),
    ("N\u00d0-CP \u00f0ảng", "NĐ-CP đảng"),
    ("25\u2013NQ/TW", "25-NQ/TW"),
    ("35 \u2014 NQ/TW", "35 - NQ/TW"),
    ("30/2020/N\u0110\u2011CP", "30/2020/NĐ-CP"),
    ("x \u2212 y \u2010 z \u2012 w \u2015 v", "x - y - z - w - v"),
    ("a\u00a0\u00a0b\t\tc   d", "a b c d"),
    ("dòng 1  \r\ndòng 2 \rdòng 3   ", "dòng 1\ndòng 2\ndòng 3"),
    ("Đảng\u200b bộ\ufeff", "Đảng bộ"),
    ("25-NQ/Т\u0412", "25-NQ/TB"),  # Cyrillic Т, В inside a symbol
    ("Москва", "Москва"),  # Cyrillic words stay
    ("Thành uỷ và Thành ủy", "Thành uỷ và Thành ủy"),  # tone style kept as written
    ("hai\n\ndòng", "hai\n\ndòng"),
]


@pytest.mark.parametrize(("text", "expected"), NORMALIZE_CASES)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected
    assert normalize(expected) == expected


FOLD_CASES = [
    ("hoà", "hòa"),
    ("Hoà", "Hòa"),
    ("HOÀ", "HÒA"),
    ("uỷ", "ủy"),
    ("Thành uỷ", "Thành ủy"),
    ("thuỷ", "thủy"),
    ("hoá", "hóa"),
    ("khoẻ", "khỏe"),
    ("tuỳ", "tùy"),
    ("huỷ bỏ", "hủy bỏ"),
    ("hoạ sĩ", "họa sĩ"),
    ("quý", "quý"),
    ("quỳ", "quỳ"),
    ("hoàn", "hoàn"),
    ("thuyền", "thuyền"),
    ("hòa", "hòa"),
    ("Ủy ban", "Ủy ban"),
    ("UỶ BAN", "ỦY BAN"),
]


@pytest.mark.parametrize(("text", "expected"), FOLD_CASES)
def test_fold_tone(text: str, expected: str) -> None:
    assert fold_tone(text) == expected
    assert len(fold_tone(text)) == len(text)
    assert fold_tone(expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nghị quyết", "Nghi quyet"),
        ("Đảng bộ", "Dang bo"),
        ("ĐẢNG", "DANG"),
        ("dân vận khéo", "dan van kheo"),
        ("Quyết đinh số 2729", "Quyet dinh so 2729"),
        ("Ư Ơ Ă Â Ê Ô", "U O A A E O"),
    ],
)
def test_strip_accents(text: str, expected: str) -> None:
    assert strip_accents(text) == expected
    assert len(strip_accents(text)) == len(text)


def test_match_key_joins_tone_styles() -> None:
    assert match_key("Thành uỷ") == match_key("Thành ủy") == "thành ủy"
    assert match_key("HOÀ BÌNH") == match_key("Hòa Bình")


def test_lower_same_length_keeps_positions() -> None:
    text = "İstanbul ĐẢNG"
    assert len(lower_same_length(text)) == len(text)
    assert lower_same_length("ĐẢNG BỘ") == "đảng bộ"


SYMBOL_CASES = [
    ("02- NQ/TU", "02-NQ/TU"),
    ("34/2016/ND-CP", "34/2016/NĐ-CP"),
    ("26-NQ/TƯ", "26-NQ/TW"),
    ("91/2015/QH 13", "91/2015/QH13"),
    ("5-CT/TW", "05-CT/TW"),
    ("30c/NQ-CP", "30c/NQ-CP"),
    ("2729 /QĐ-UBND", "2729/QĐ-UBND"),
    ("35 – NQ/TW", "35-NQ/TW"),
    ("08-QDi/TW", "08-QĐi/TW"),
    ("1234/BTNMT-TCQLDD", "1234/BTNMT-TCQLĐĐ"),
    ("03/2016/TTLT-BNV-BTC", "03/2016/TTLT-BNV-BTC"),
    ("02/2020/UBTVQH14", "02/2020/UBTVQH14"),
    ("80/2015/QH13", "80/2015/QH13"),
    ("2345/UBND-KGVX", "2345/UBND-KGVX"),
    ("6582/VPCP-KSTT", "6582/VPCP-KSTT"),
    ("45-KH/HU", "45-KH/HU"),
    ("84-CV/DU", "84-CV/ĐU"),
    ("114-KL/TW", "114-KL/TW"),
    ("125-TB/TU", "125-TB/TU"),
    ("15/2020/qd-ttg", "15/2020/QĐ-TTg"),
    ("1/QĐ-TTG", "1/QĐ-TTg"),
    ("5/2020/NĐ-CP", "5/2020/NĐ-CP"),  # State numbers are kept as written
    ("29/NQ-TƯ", "29-NQ/TW"),  # a Party symbol written State style
    ("05/2010/TTLT/BTP-BNG-BCA", "05/2010/TTLT-BTP-BNG-BCA"),
    ("19/2012/TTLT-BTC-BKH&ĐT-BTTTT", "19/2012/TTLT-BTC-BKH&ĐT-BTTTT"),
    ("18-L/CTN", "18-L/CTN"),
    ("Số: 1510/QĐ-UBND", "1510/QĐ-UBND"),
    ("12/15", None),
    ("3,5/10", None),
    ("hello", None),
    ("2016", None),
    ("1/2/2019", None),
    ("", None),
]


@pytest.mark.parametrize(("raw", "expected"), SYMBOL_CASES)
def test_canonical_symbol(raw: str, expected: str | None) -> None:
    assert canonical_symbol(raw) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("25-NQ/TW", "25-NQ/TW"),
        ("25/NQ-TW", "25-NQ/TW"),
        ("nq 25/tw", "25-NQ/TW"),
        ("Nghị quyết 25-NQ/TW", "25-NQ/TW"),
        ("76/nq-cp", "76/NQ-CP"),
        ("nghị quyết 25/tw", "25-NQ/TW"),
        ("nghi dinh 34/2016/nd-cp", "34/2016/NĐ-CP"),
        ("quyết định 1234/ubnd", "1234/QĐ-UBND"),
        # type and issuer codes typed without their hyphen
        ("86/2011/NĐCP", "86/2011/NĐ-CP"),
        ("86/2011/ndcp", "86/2011/NĐ-CP"),
        ("12/2020/QĐUBND", "12/2020/QĐ-UBND"),
        ("05/2019/TTBTC", "05/2019/TT-BTC"),
        ("19/2022/QH15", "19/2022/QH15"),
        ("2345/UBND", "2345/UBND"),
        ("công tác dân vận", None),
        ("2016", None),
        ("Thành ủy Bắc Ninh", None),
    ],
)
def test_parse_query_symbol(query: str, expected: str | None) -> None:
    assert parse_query_symbol(query) == expected
