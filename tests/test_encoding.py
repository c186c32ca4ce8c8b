"""Decoding bytes: UTF-8/16/32, cp1258, TCVN3 (ABC), VNI; undecodable input raises."""

from __future__ import annotations

import codecs
import random
import unicodedata

import pytest

from tests.conftest import need_shared
from vanban.ingest.read.encoding import DecodeError, decode_bytes, fix_legacy, vietnamese_score
from vanban.ingest.read.legacy import from_tcvn3, from_vni, to_tcvn3, to_vni

TEXT = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Ủy ban nhân dân "
    "tỉnh Phú Thọ đã ban hành Quyết định số 12/QĐ-UBND về việc quản lý cán bộ, công chức."
)
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 writes tones as combining marks after a precomposed base letter."""
    out = bytearray()
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        tones = "".join(c for c in parts if c in _TONES)
        out += (base + tones).encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),
        lambda t: t.encode("utf-16-le"),
        lambda t: t.encode("utf-32"),
        lambda t: unicodedata.normalize("NFD", t).encode("utf-8"),
        cp1258_bytes,
        lambda t: to_vni(t).encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16-le-no-bom", "utf32", "utf8-nfd", "cp1258", "vni"],
)
def test_decode_round_trip(encode: object) -> None:
    assert callable(encode)
    assert decode_bytes(encode(TEXT)) == TEXT


def test_decode_tcvn3() -> None:
    # TCVN3 has no upper-case toned letters (the font draws capitals): those come back lower.
    assert decode_bytes(to_tcvn3(TEXT).encode("latin-1")) == TEXT.replace("Ủy", "ủy")


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("§¶ng bé c¬ quan UBND huyÖn lÖ thuû, ngµy 29 th¸ng 11 n¨m 2011 cña chi bé", None),
        (
            "Ñaûng boä Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam, ngaøy 12 thaùng 5 naêm 2011 cuûa",
            None,
        ),
    ],
)
def test_fix_legacy(legacy: str, expected: None) -> None:
    fixed = fix_legacy(legacy)
    assert fixed != legacy
    assert "Đảng bộ" in fixed or "Đảng bộ" in fixed.replace("ñ", "đ")
    assert vietnamese_score(fixed) > vietnamese_score(legacy)
    assert expected is None


def test_fix_legacy_leaves_unicode_and_other_languages() -> None:
    for text in (TEXT, "Plain English text, nothing to fix.", "café crème brûlée au déjeuner"):
        assert fix_legacy(text) == text


def test_legacy_tables_round_trip() -> None:
    assert from_vni(to_vni(TEXT)) == TEXT
    assert from_tcvn3(to_tcvn3("đảng bộ cơ quan ưu tiên")) == "đảng bộ cơ quan ưu tiên"


@pytest.mark.parametrize(
    "data",
    [random.Random(seed).randbytes(3000) for seed in range(5)]
    + [b"\x00\x01\x02\x03" * 200, bytes(range(256)) * 8],
    ids=[f"random-{seed}" for seed in range(5)] + ["controls", "all-bytes"],
)
def test_undecodable_raises(data: bytes) -> None:
    with pytest.raises(DecodeError, match="cannot decode"):
        decode_bytes(data)
    assert issubclass(DecodeError, ValueError)


def test_plain_latin_text_decodes() -> None:
    assert decode_bytes("café crème".encode("cp1252")) == "café crème"
    assert decode_bytes(b"") == ""


def test_real_tcvn3_word_document() -> None:
    path = need_shared("pdfs", "doc_real", "KDIEM DANG VIEN 2011 PHU TTRA.doc")
    data = path.read_bytes()
    start = data.find(b"\xa7\xb6ng b\xe9")  # "§¶ng bé" in the Word text stream
    assert start >= 0
    text = fix_legacy(data[start : start + 2000].decode("latin-1"))
    assert text.startswith("Đảng bộ cơ quan UBND")
    assert "ngày  29  tháng 11 năm 2011" in text
    assert "Chức vụ hiện nay: Phó Chánh thanh tra huyện" in text
