"""Classes of misses seen in real files (../shared/data/pdfs, news, laws), each as a table of
(text, expected): glued date words, a date on the next line or before the citation, type
words before "số", agency names, law names with abbreviations or in lower case, relation cues
after the mention, and the locality a text states anywhere."""

from __future__ import annotations

import pytest

from tests.conftest import need_shared
from vanban.ingest.extract.dates import extract_dates
from vanban.ingest.extract.extraction import extract
from vanban.ingest.extract.references import extract_references


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("ngày 21 tháng 01năm 2010 của", "2010-01-21"),
        ("ngày 08 tháng8 năm 2011", "2011-08-08"),
        ("ngày21 tháng 5 năm 2009", "2009-05-21"),
        ("ngày 3 tháng 02 năm2012", "2012-02-03"),
        ("Hà Nội, ngày 15tháng 11 năm 2010", "2010-11-15"),
        ("vào tháng 12năm 2017", "2017-12"),
    ],
)
def test_glued_date_words(text: str, value: str) -> None:
    assert [d.value for d in extract_dates(text)] == [value]


@pytest.mark.parametrize(
    "text",
    ["mã số 12năm 2010x", "ông Năm2010", "1234năm 2010"],
)
def test_glued_words_are_no_date_when_no_date_is_written(text: str) -> None:
    assert [d.granularity for d in extract_dates(text)] in ([], ["year"])


@pytest.mark.parametrize(
    ("text", "symbol", "date"),
    [
        # the date on the next line after the symbol
        (
            "(Ban hành kèm theo Nghị định số 68/2011/NĐ-CP\nngày 08 tháng 8 năm 2011 của CP)",
            "68/2011/NĐ-CP",
            "2011-08-08",
        ),
        ("Quyết định số 15/2010/QĐ-UBND\n ngày 26/4/2010 của", "15/2010/QĐ-UBND", "2010-04-26"),
        # a sentence opening with the date, then the issuer and its verb
        (
            "Ngày 05/9/2022, UBND tỉnh ban hành Quyết định số 1187/QĐ-UBND về việc phê duyệt",
            "1187/QĐ-UBND",
            "2022-09-05",
        ),
        (
            "Ngày 20/9/2022, Đảng ủy Khối có Công văn số 84-CV/ĐU đề nghị",
            "84-CV/ĐU",
            "2022-09-20",
        ),
        (
            "Kết quả tốt. Ngày 3-10-2021 Sở Nội vụ đã ban hành Kế hoạch số 12/KH-SNV",
            "12/KH-SNV",
            "2021-10-03",
        ),
        # the date a citation states itself wins over the sentence's
        (
            "Ngày 05/9/2022, UBND tỉnh ban hành Quyết định số 1187/QĐ-UBND ngày 04/9/2022",
            "1187/QĐ-UBND",
            "2022-09-04",
        ),
        # not a sentence opening: a date inside the sentence belongs to something else
        ("Hội nghị ngày 05/9/2022, UBND tỉnh ban hành Quyết định số 1187/QĐ-UBND", "1187/QĐ-UBND",
         None),
        ("Ngày 05/9/2022, tỉnh có 12 xã; UBND ban hành Quyết định số 1187/QĐ-UBND", "1187/QĐ-UBND",
         None),
    ],
)
def test_date_attached_across_lines_and_before(text: str, symbol: str, date: str | None) -> None:
    refs = [r for r in extract_references(text) if r.directive.symbol == symbol]
    assert refs, text
    assert refs[0].directive.date == date


@pytest.mark.parametrize(
    ("text", "symbol", "issuer"),
    [
        (
            "Văn bản số 348/KSTT-VP ngày 28/11/2011 của Cục Kiểm soát thủ tục hành chính về",
            "348/KSTT-VP",
            "Cục Kiểm soát thủ tục hành chính",
        ),
        (
            "Công văn số 348/KSTT-VP ngày 28/11/2011 của Cục Kiểm soát thủ tục hành chính về",
            "348/KSTT-VP",
            "Cục Kiểm soát thủ tục hành chính",
        ),
        ("theo văn bản số 55/QLCL-KH của Cục Quản lý chất lượng về", "55/QLCL-KH",
         "Cục Quản lý chất lượng"),
        ("Tờ trình số 45/TTr-STTTT ngày 2/3/2022 của Sở Thông tin và Truyền thông", "45/TTr-STTTT",
         "Sở Thông tin và Truyền thông"),
        ("Công văn số 12/TCT-CS ngày 5/1/2020 của Tổng cục Thuế về", "12/TCT-CS",
         "Tổng cục Thuế"),
    ],
)
def test_type_words_before_so_and_agency_names(text: str, symbol: str, issuer: str) -> None:
    refs = extract_references(text)
    assert [r.directive.symbol for r in refs] == [symbol]
    assert refs[0].directive.issuer == issuer


@pytest.mark.parametrize(
    ("text", "name", "date"),
    [
        (
            "Căn cứ Luật tổ chức HĐND và UBND ngày 26 tháng 11 năm 2003;",
            "luat to chuc hoi dong nhan dan va uy ban nhan dan",
            "2003-11-26",
        ),
        (
            "Căn cứ Luật Tổ chức HĐND và UBND năm 2003;",
            "luat to chuc hoi dong nhan dan va uy ban nhan dan nam 2003",
            None,
        ),
        ("theo Luật Ban hành VBQPPL năm 2015", "luat ban hanh van ban quy pham phap luat nam 2015",
         None),
        ("Căn cứ Luật MTTQ Việt Nam ngày 09/6/2015;", "luat mat tran to quoc viet nam",
         "2015-06-09"),
        (
            "bị xử lý theo các quy định của Pháp lệnh công chức, viên chức và các quy định khác",
            "phap lenh cong chuc, vien chuc",
            None,
        ),
        ("theo quy định của Pháp lệnh cán bộ, công chức năm 1998;",
         "phap lenh can bo, cong chuc nam 1998", None),
        ("căn cứ Luật thanh tra ngày 15/11/2010", "luat thanh tra", "2010-11-15"),
    ],
)
def test_law_names_with_abbreviations_and_lower_case(text: str, name: str,
                                                      date: str | None) -> None:
    from vanban.ingest.extract.lexicon import akey

    refs = extract_references(text)
    assert [akey(r.directive.name or "") for r in refs] == [name]
    assert refs[0].directive.date == date


@pytest.mark.parametrize(
    "text",
    [
        "Luật này quy định về thanh tra",
        "theo quy định của Luật hiện hành, các xã",
        "Luật sư Nguyễn Văn A cho biết",
        "mọi người phải sống theo Luật, các xã",
        "Pháp lệnh này có hiệu lực",
    ],
)
def test_lower_case_names_need_a_name(text: str) -> None:
    assert extract_references(text) == []


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("2. Luật thanh tra số 22/2004/QH11 hết hiệu lực kể từ ngày Luật này có hiệu lực.",
         "thay thế"),
        ("Quyết định số 12/2010/QĐ-UBND ngày 1/2/2010 của UBND tỉnh hết hiệu lực thi hành kể từ "
         "ngày Quyết định này có hiệu lực.", "thay thế"),
        ("Nghị định số 41/2005/NĐ-CP hết hiệu lực từ ngày 01/7/2011.", "thay thế"),
        ("Quyết định số 181/2003/QĐ-TTg ngày 04/9/2003 của Thủ tướng Chính phủ bị bãi bỏ.",
         "bãi bỏ"),
        ("Thông tư số 12/2002/TT-BCA được sửa đổi như sau:", "sửa đổi"),
        # a past fact told in the news: no cue
        ("Nghị định số 15/2018/NĐ-CP đã hết hiệu lực.", "nhắc đến"),
        ("đồng thời Thông tư số 01/2011/TT-BNV của Bộ Nội vụ hết hiệu lực.", "nhắc đến"),
    ],
)
def test_relation_cues_after_the_mention(text: str, relation: str) -> None:
    assert extract_references(text)[0].relation == relation


def test_cue_after_a_list_governs_every_item() -> None:
    refs = extract_references("Quyết định số 12/2010/QĐ-UBND và Quyết định số 13/2011/QĐ-UBND "
                              "hết hiệu lực kể từ ngày 01/01/2012.")
    assert [r.relation for r in refs] == ["thay thế", "thay thế"]


@pytest.mark.parametrize(
    ("text", "locality"),
    [
        ("Hoạt động của Bộ phận Một cửa trên địa bàn tỉnh Phú Thọ đã đổi mới. UBND tỉnh ban hành "
         "Quyết định số 1968/QĐ-UBND.\nSở Nội vụ tỉnh Phú Thọ", "tỉnh Phú Thọ"),
        ("Các xã của tỉnh Nghệ An đều làm tốt. Quyết định số 12/QĐ-UBND được tỉnh Nghệ An triển "
         "khai.", "tỉnh Nghệ An"),
        # named once, or two provinces alike: not stated
        ("Quyết định số 12/QĐ-UBND được triển khai như ở tỉnh Nghệ An.", None),
        ("tỉnh Nghệ An và tỉnh Hà Tĩnh, tỉnh Nghệ An và tỉnh Hà Tĩnh. Quyết định số 12/QĐ-UBND.",
         None),
    ],
)
def test_locality_stated_anywhere(text: str, locality: str | None) -> None:
    extraction = extract(text)
    assert extraction.identity.locality == locality
    local = [r for r in extraction.references if r.directive.symbol
             and r.directive.symbol.endswith("QĐ-UBND")]
    assert local[0].directive.locality == locality


@pytest.mark.parametrize(
    ("name", "symbol", "date"),
    [
        ("QD9UB2.DOC", "09/2010/QĐ-UBND", "2010-01-21"),
        ("ND68CP2.DOC", "68/2011/NĐ-CP", "2011-08-08"),
    ],
)
def test_real_word_files(name: str, symbol: str, date: str) -> None:
    from vanban.ingest.pipeline import read_documents

    path = need_shared("pdfs", "doc_real", name)
    (doc,) = list(read_documents(path))
    dated = {r.directive.date for r in doc.references if r.directive.symbol == symbol}
    assert dated == {date}
