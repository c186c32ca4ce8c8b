"""A law that replaces an earlier law of the same name: its own title line and "Quốc hội ban
hành Luật …" are the law itself, never mentions of the law it replaces."""

from __future__ import annotations

from vanban.ingest.extract.extraction import extract
from vanban.ingest.normalize import normalize

from .conftest import need_shared

LAW = normalize(
    "QUỐC HỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Luật số: 56/2010/QH12\nHà Nội, ngày 15 tháng 11 năm 2010\nLUẬT\nTHANH TRA\n"
    "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 1992;\n"
    "Quốc hội ban hành Luật thanh tra,\nChương 1.\nNHỮNG QUY ĐỊNH CHUNG\n"
    "Điều 1. Phạm vi điều chỉnh\nLuật này quy định về tổ chức, hoạt động thanh tra.\n"
    "Điều 89. Hiệu lực thi hành\nLuật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2011.\n"
    "Luật thanh tra số 22/2004/QH11 hết hiệu lực kể từ ngày Luật này có hiệu lực.\n")


def test_the_laws_own_name_is_not_the_law_it_replaces() -> None:
    ex = extract(LAW)
    assert (ex.identity.symbol, ex.identity.title) == ("56/2010/QH12", "Luật Thanh tra")
    old = [r for r in ex.references if r.directive.symbol == "22/2004/QH11"]
    assert [r.surface for r in old] == ["Luật thanh tra số 22/2004/QH11"]
    assert old[0].directive.date is None and old[0].relation == "thay thế"
    assert not [r for r in ex.references if r.start < LAW.index("Chương 1")
                and "thanh tra" in r.surface.lower()]


def test_a_bare_name_in_another_law_is_still_a_mention() -> None:
    text = normalize("Căn cứ Luật thanh tra ngày 15 tháng 11 năm 2010;\n"
                     "Chính phủ ban hành Nghị định quy định chi tiết.")
    [ref] = extract(text).references
    assert ref.directive.name and ref.directive.date == "2010-11-15"


def test_the_real_inspection_law() -> None:
    from pathlib import Path

    from vanban.ingest.pipeline import read_documents

    path = need_shared("pdfs", "doc_real", "Luat Thanh tra 2010.doc")
    [doc] = list(read_documents(Path(path)))
    old = [r for r in doc.references if r.directive.symbol == "22/2004/QH11"]
    assert len(old) == 1 and old[0].directive.date != "2010-11-15"
