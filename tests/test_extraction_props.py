"""Properties: extraction never raises and every span holds, on any text; normalization is
idempotent; tone folding and accent stripping keep lengths; decoding round-trips."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from vanban.ingest.extract.dates import extract_dates
from vanban.ingest.extract.extraction import extract, extract_identity
from vanban.ingest.extract.references import extract_references
from vanban.ingest.extract.symbols import canonical_symbol, parse_query_symbol
from vanban.ingest.normalize import fold_tone, match_key, normalize, strip_accents
from vanban.ingest.read.encoding import decode_bytes
from vanban.ingest.read.legacy import to_tcvn3, to_vni

FRAGMENTS = [
    "Nghị quyết số",
    "Nghị định",
    "Quyết định số",
    "Chỉ thị",
    "Luật",
    "Bộ luật",
    "Hiến pháp",
    "Kế hoạch số",
    "Quy chế số",
    "Thông tư liên tịch số",
    "25-NQ/TW",
    "02- NQ/TU",
    "30c/NQ-CP",
    "34/2016/NĐ-CP",
    "2729 /QĐ-UBND",
    "91/2015/QH 13",
    "6582/VPCP-KSTT",
    "12/15",
    "3,5/10",
    "ngày",
    "03/6/2013",
    "31/02/2020",
    "tháng 12 năm 2017",
    "quý III năm 2024",
    "năm 2016",
    "giai đoạn 2016 - 2020",
    "nhiệm kỳ 2015 – 2020",
    "2018-07-31 10:52:26",
    "của",
    "Ban Bí thư",
    "UBND tỉnh Bắc Giang",
    "về",
    "“Tăng cường”",
    "(sau đây gọi tắt là",
    "Nghị quyết 02",
    ")",
    "Đất đai",
    "Phòng, chống tham nhũng",
    "Hội nghị Trung ương 4 khóa XII",
    "Đại hội",
    "lần thứ",
    "XXI",
    "Căn cứ",
    "Thực hiện",
    "thay thế",
    "khoản 2 Điều 5",
    "Số:",
    "Số lượt xem 3220",
    "Đang online49",
    "\n",
    ",",
    ";",
    ".",
    ":",
    "-",
    "–",
    "/",
    " ",
    "  ",
    "Ð",
    "\u00a0",
    "\u200b",
    "Mẫu số",
    "Công ty Luật",
    "ỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ",
    "QUYẾT ĐỊNH",
    "V/v",
]
fragment_texts = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(" ".join)
any_texts = st.text(max_size=300)
texts = st.one_of(any_texts, fragment_texts, fragment_texts.map(normalize))


def _spans_hold(text: str) -> None:
    for ref in extract_references(text):
        assert text[ref.start : ref.end] == ref.surface
        assert ref.start < ref.end
    for date in extract_dates(text):
        assert text[date.start : date.end] == date.surface
    result = extract(text)
    for ref in result.references:
        assert text[ref.start : ref.end] == ref.surface
    for date in result.dates:
        assert text[date.start : date.end] == date.surface


@settings(max_examples=300, deadline=None)
@given(texts)
def test_extraction_never_raises_and_spans_hold(text: str) -> None:
    _spans_hold(text)
    extract_identity(text)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    _spans_hold(once)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_fold_tone_and_strip_accents_keep_length(text: str) -> None:
    folded = fold_tone(text)
    assert len(folded) == len(text)
    assert fold_tone(folded) == folded
    nfc = unicodedata.normalize("NFC", text)
    if not any(unicodedata.combining(c) for c in nfc):
        assert len(strip_accents(nfc)) == len(nfc)
    match_key(text)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_symbol_parsers_never_raise(text: str) -> None:
    symbol = canonical_symbol(text)
    if symbol is not None:
        assert canonical_symbol(symbol) == symbol
    parse_query_symbol(text)


printable = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")), min_size=1, max_size=200
)


@settings(max_examples=200, deadline=None)
@given(printable)
def test_unicode_decodes_back(text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    assert decode_bytes(nfc.encode("utf-8")) == nfc
    assert decode_bytes(nfc.encode("utf-16")) == nfc


WORDS = [
    "của",
    "và",
    "các",
    "có",
    "được",
    "trong",
    "là",
    "cho",
    "với",
    "không",
    "người",
    "này",
    "đã",
    "năm",
    "theo",
    "ngày",
    "về",
    "đến",
    "tháng",
    "để",
    "tại",
    "việc",
    "đồng",
    "đảng",
    "nhân",
    "dân",
    "thực",
    "hiện",
    "công",
    "tác",
    "quy",
    "định",
    "cán",
    "bộ",
    "hội",
    "tỉnh",
    "huyện",
    "xã",
    "nước",
    "chính",
    "phủ",
    "quyết",
    "nghị",
    "số",
    "điều",
    "ban",
    "hành",
    "văn",
    "bản",
    "thành",
    "phố",
    "ủy",
    "viên",
    "lãnh",
    "đạo",
    "kiểm",
    "tra",
    "phát",
    "triển",
    "kinh",
    "tế",
    "giáo",
    "dục",
    "quản",
    "lý",
    "trưởng",
    "chủ",
    "tịch",
    "đơn",
    "vị",
    "sinh",
    "thông",
    "tin",
    "cơ",
    "quan",
    "kết",
    "quả",
    "phú",
    "thọ",
    "bắc",
    "giang",
    "nghệ",
    "thuật",
    "biển",
    "đảo",
    "ưu",
    "tiên",
    "mười",
    "lăm",
]
vietnamese = st.lists(st.sampled_from(WORDS), min_size=12, max_size=60).map(" ".join)


@settings(max_examples=100, deadline=None)
@given(vietnamese)
def test_legacy_encodings_decode_back(text: str) -> None:
    assert decode_bytes(to_tcvn3(text).encode("latin-1")) == text
    assert decode_bytes(to_vni(text).encode("cp1252")) == text
