"""Titles a clerk recognises: the kind and summary of a document, never its issuer line;
"Luật Thanh tra", not "THANH TRA".  Checked on the real files of ../shared/data and the
bundled sample, and on small made headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, need_shared
from vanban.ingest.extract.extraction import extract
from vanban.ingest.pipeline import read_documents
from vanban.ingest.read.readers import Limits

DOC_REAL = ("pdfs", "doc_real")
BORN_DIGITAL = ("pdfs", "born_digital_from_real_doc")
# Issuer and motto lines of a header: never a title.
ISSUER_LINE = re.compile(
    r"^(?:\W*)(?:[UỦ][YỶ] BAN NHÂN DÂN|UBND TỈNH|ĐẢNG BỘ|QUỐC HỘI|THANH TRA|TỈNH ỦY|CỘNG HÒA|"
    r"CỘNG HOÀ|\||\*\*|\d{4}-\d\d-\d\d \d)")


def _title(path: Path) -> tuple[str | None, str | None]:
    doc = next(read_documents(path, Limits(ocr=False)))
    return doc.title, doc.title_source


@pytest.mark.parametrize(
    ("folder", "name", "title"),
    [
        (DOC_REAL, "QD9UB2.DOC", "Quy định việc tuyển chọn, xét chọn tổ chức, cá nhân chủ trì "
         "thực hiện nhiệm vụ khoa học và công nghệ cấp thành phố"),
        (BORN_DIGITAL, "QD9UB2.pdf", "Quy định việc tuyển chọn, xét chọn tổ chức, cá nhân chủ "
         "trì thực hiện nhiệm vụ khoa học và công nghệ cấp thành phố"),
        (DOC_REAL, "Luat Thanh tra 2010.doc", "Luật Thanh tra"),
        (BORN_DIGITAL, "Luat Thanh tra 2010.pdf", "Luật Thanh tra"),
        (DOC_REAL, "CT9UB.DOC",
         "Chỉ thị về việc đẩy mạnh hoạt động khoa học và công nghệ cấp cơ sở"),
        (BORN_DIGITAL, "Giay_Moi.pdf",
         "Bảng tổng hợp kết quả phân loại cán bộ công chức năm 2011"),
        (DOC_REAL, "Ke_hoach_trien_khai_dao_tao_phan_mem_Qlvb&Dh.doc",
         "Kế hoạch triển khai cài đặt, đào tạo hướng dẫn sử dụng phần mềm Quản lý văn bản và "
         "điều hành tại Sở thông tin và Truyền thông tỉnh Phú Thọ"),
        (DOC_REAL, "NGHI DINH 37.2007 ve ke khai minh bach TS.doc",
         "Nghị định về minh bạch tài sản, thu nhập"),
        (BORN_DIGITAL, "Nghi dinh 86 huong dna thi hnah Luat Thanh tra nam 2010.pdf",
         "Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Luật Thanh tra"),
        (BORN_DIGITAL, "Quyet dinh 93-2007 Thuc hien co che mot cua.pdf",
         "Quyết định ban hành Quy chế thực hiện cơ chế một cửa, cơ chế một cửa liên thông tại "
         "cơ quan hành chính nhà nước ở địa phương"),
        (("vlc_laws",), "Bo-luat-hang-hai-Viet-Nam-2015-298374.txt",
         "Bộ luật Hàng hải Việt Nam"),
        (("vlc_laws",), "Luat-ly-lich-tu-phap-2009-28-2009-QH12-90615.txt",
         "Luật Lý lịch tư pháp"),
        (("vlc_laws",), "Luat-Giao-thong-duong-thuy-noi-dia-2004-23-2004-QH11-52184.txt",
         "Luật Giao thông đường thuỷ nội địa"),
        (("vlc_laws",), "Luat-hoat-dong-giam-sat-cua-Quoc-hoi-va-Hoi-dong-nhan-dan-2015-298366.txt",
         "Luật Hoạt động giám sát của Quốc hội và Hội đồng nhân dân"),
    ],
)
def test_real_titles(folder: tuple[str, ...], name: str, title: str) -> None:
    assert _title(need_shared(*folder, name)) == (title, "header")


@pytest.mark.parametrize("folder", [DOC_REAL, BORN_DIGITAL, ("vlc_laws",)])
def test_no_real_title_is_an_issuer_line(folder: tuple[str, ...]) -> None:
    files = sorted(p for p in need_shared(*folder).iterdir() if p.suffix.lower() in
                   (".doc", ".pdf", ".txt"))
    bad = [(p.name, t) for p in files if (t := _title(p)[0]) and ISSUER_LINE.match(t)]
    assert bad == []


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("kh-78-ubnd-cantho-2023.txt", "Kế hoạch triển khai thi hành Luật Thực hiện dân chủ ở "
         "cơ sở trên địa bàn thành phố Cần Thơ"),
        ("kh-45-tu-tpbacninh-2016.txt", "Kế hoạch triển khai thực hiện Nghị quyết số 02-NQ/TU "
         "ngày 11/12/2015 của Thành ủy về tăng cường trật tự, kỷ cương, văn minh đô thị giai "
         "đoạn 2016 - 2020"),
        ("cv-3105-ubnd-hue-2020.txt", "Công văn về việc triển khai thực hiện Nghị định số "
         "30/2020/NĐ-CP của Chính phủ về công tác văn thư"),
        ("qd-1968-ubnd-phutho-2018.txt", "Quyết định ban hành Quy chế hoạt động của Bộ phận Một "
         "cửa các cấp trên địa bàn tỉnh Phú Thọ"),
        ("nghean-chuyen-doi-so-cap-xa-2022.pdf",
         "Chuyển đổi số cấp xã ở Nghệ An: những bước đi đầu tiên"),
    ],
)
def test_sample_titles(name: str, title: str) -> None:
    assert _title(ROOT / "corpus" / "sample" / name)[0] == title


def test_no_sample_title_is_header_furniture() -> None:
    files = sorted((ROOT / "corpus" / "sample").iterdir())
    bad = [(p.name, t) for p in files if (t := _title(p)[0]) and ISSUER_LINE.match(t)]
    assert bad == []


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # a law: "LUẬT" over its name in capitals, re-cased as the text writes it
        ("QUỐC HỘI\nLuật số: 56/2010/QH12\nHà Nội, ngày 15 tháng 11 năm 2010\nLUẬT\nTHANH TRA\n"
         "Căn cứ Hiến pháp;\nQuốc hội ban hành Luật Thanh tra.", "Luật Thanh tra"),
        # the summary over two lines, the issuer repeated under it
        ("ỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ\nSố: 12/QĐ-UBND\nPhú Thọ, ngày 02 tháng 3 năm 2020\n"
         "QUYẾT ĐỊNH\nVề việc ban hành Quy chế làm việc\ncủa Ủy ban nhân dân tỉnh\n"
         "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ\nCăn cứ Luật Tổ chức chính quyền địa phương;",
         "Quyết định về việc ban hành Quy chế làm việc của Ủy ban nhân dân tỉnh"),
        # a Party plan: "Số" without a colon, the summary starting in lower case
        ("ĐẢNG BỘ TỈNH BẮC NINH\nTHÀNH ỦY BẮC NINH\n*\nSố 45-KH/TU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
         "Bắc Ninh, ngày 10 tháng 3 năm 2016\nKẾ HOẠCH\nthực hiện Nghị quyết số 02-NQ/TU\n"
         "-----\nThực hiện Nghị quyết số 02-NQ/TU, Ban Thường vụ ban hành Kế hoạch.",
         "Kế hoạch thực hiện Nghị quyết số 02-NQ/TU"),
        # a header laid out as a table row in text
        ("| UBND TỈNH TUYÊN QUANG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
         "| Số: 986/QĐ-UBND | Tuyên Quang, ngày 10 tháng 8 năm 2021 |\nQUYẾT ĐỊNH\n"
         "Phê duyệt Kế hoạch chuyển đổi số năm 2021\nCăn cứ Luật Tổ chức chính quyền;",
         "Quyết định phê duyệt Kế hoạch chuyển đổi số năm 2021"),
        # a news article has no kind line: no title from the header
        ("Sáng 5/3, UBND tỉnh tổ chức hội nghị triển khai Quyết định số 12/QĐ-UBND.\n"
         "KẾ HOẠCH\nnăm 2021", None),
    ],
)
def test_made_header_titles(text: str, title: str | None) -> None:
    assert extract(text).identity.title == title
