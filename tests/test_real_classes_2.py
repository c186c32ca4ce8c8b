"""Classes of misses the two real gold sets show (tests/gold/real_gold*.jsonl), as made inputs:
short forms with a year but no code, type codes as type words, words glued by a scraper,
symbols with unusual separators, relations of repeal/replace lists and of amended-by asides,
day-month ranges sharing one year, dates written before the letter they date."""

from __future__ import annotations

import pytest

from vanban.corpus.model import Reference, relation_strength
from vanban.ingest.extract.dates import extract_dates
from vanban.ingest.extract.references import extract_references


def _refs(text: str) -> list[tuple[str | None, str | None, str]]:
    return [(r.directive.symbol, r.directive.name, r.relation) for r in extract_references(text)]


def _by_symbol(text: str) -> dict[str, Reference]:
    return {str(r.directive.symbol): r for r in extract_references(text) if r.directive.symbol}


def _strongest(text: str) -> dict[str, str]:
    """Each directive's relation: the strongest of its mentions' (as reports show it)."""
    out: dict[str, str] = {}
    for ref in extract_references(text):
        key = str(ref.directive.symbol or ref.directive.name)
        out[key] = min(out.get(key, ref.relation), ref.relation, key=relation_strength)
    return out


# -- short forms: a number and a year, no code ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Thị trường vàng bị siết chặt bởi Nghị định 24/2012 trong 10 năm.", "Nghị định 24/2012"),
        ("Theo Thông tư 08-2017 của Bộ LĐ-TB&XH quy định rõ.", "Thông tư 08-2017"),
        ("Chính phủ đã ban hành Nghị định số 51/2021 về quản lý.", "Nghị định số 51/2021"),
        ("theo quy định tại Nghị quyết 52/2017 của Quốc hội", "Nghị quyết 52/2017"),
        ("Các trường thực hiện NĐ 116 từ năm học này.", "NĐ 116"),
    ],
)
def test_a_number_with_a_year_and_no_code_is_an_unresolved_short_form(
    text: str, name: str
) -> None:
    refs = extract_references(text)
    assert [(r.directive.symbol, r.directive.name, r.resolved) for r in refs] == [
        (None, name, False)
    ]


def test_a_short_form_with_its_year_joins_the_full_citation() -> None:
    text = "Theo Nghị định số 99/2019/NĐ-CP của Chính phủ. Nghị định 99/2019 quy định rõ."
    assert [r.directive.symbol for r in extract_references(text)] == ["99/2019/NĐ-CP"] * 2


@pytest.mark.parametrize(
    "text",
    [
        "theo Quyết định 13/5/2020 abc",  # a date, not a year
        "Quốc hội cần phải quyết định 2 kế hoạch 5 năm.",  # a verb and a count
        "QĐ 10 năm qua",  # a duration
        "Nghị định số 131/2018/NĐ-CP ngày 29/9/2018",  # a whole symbol (checked below)
    ],
)
def test_no_short_form_where_none_is_written(text: str) -> None:
    assert all(r.directive.symbol for r in extract_references(text))


# -- words glued by a scraper ---------------------------------------------------------------


def test_a_symbol_glued_to_the_words_around_it() -> None:
    text = "Quy chế ban hành kèm theoThông tư 10/2021/TT-BGDĐTsẽ có hiệu lực từ 22/5/2021."
    (ref,) = extract_references(text)
    assert ref.directive.symbol == "10/2021/TT-BGDĐT"
    assert text[ref.start : ref.end] == "Thông tư 10/2021/TT-BGDĐT"


def test_a_mixed_case_code_glued_to_the_next_word() -> None:
    assert _refs("Quyết định số 12/2020/QĐ-TTgvề việc ban hành")[0][0] == "12/2020/QĐ-TTg"


def test_a_law_name_glued_to_the_word_before() -> None:
    assert _refs("TheoLuật Giáo dục 2019, trình độ chuẩn") == [
        (None, "Luật Giáo dục 2019", "nhắc đến")
    ]


# -- relations ------------------------------------------------------------------------------


def test_an_amended_by_aside_is_no_amendment_by_the_text() -> None:
    text = (
        "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 1992 đã được sửa đổi, bổ "
        "sung một số điều theo Nghị quyết số 51/2001/QH10;\nQuốc hội ban hành Luật hóa chất."
    )
    assert _by_symbol(text)["51/2001/QH10"].relation == "căn cứ"


@pytest.mark.parametrize(
    ("lead", "relation"),
    [
        ("2. Bãi bỏ các văn bản sau đây:", "bãi bỏ"),
        ("Các văn bản sau hết hiệu lực kể từ ngày Nghị định này có hiệu lực:", "thay thế"),
        ("2. Thông tư này thay thế các văn bản sau:", "thay thế"),
    ],
)
def test_items_of_a_list_laid_out_line_by_line_take_the_lead_cue(
    lead: str, relation: str
) -> None:
    text = (
        f"{lead}\n\na) Quyết định số 133/2008/QĐ-TTg ngày 01 tháng 10 năm 2008 của Thủ tướng "
        "Chính phủ về việc trích nộp kinh phí;\n\nb) Thông tư số 17/2009/TT-BTC ngày 22 tháng 01"
        " năm 2009 của Bộ Tài chính hướng dẫn việc trích nộp.\n- Thông tư số 05/2010/TT-BTC."
    )
    assert [r.relation for r in extract_references(text)] == [relation] * 3


def test_a_list_item_after_a_plain_sentence_takes_no_cue() -> None:
    text = "Bãi bỏ quy định cũ.\na) Quyết định số 133/2008/QĐ-TTg áp dụng."
    assert [r.relation for r in extract_references(text)] == ["nhắc đến"]


def test_a_replacement_reaches_the_next_items_past_their_titles() -> None:
    text = (
        "2. Thông tư này thay thế Thông tư liên tịch số 184/2011/TTLT-BTC-BTP ngày 19/12/2011 "
        "của Bộ Tài chính, Bộ Tư pháp hướng dẫn cơ chế quản lý tài chính về kinh phí tổ chức "
        "cưỡng chế thi hành án dân sự; Thông tư liên tịch số 136/2012/TTLT-BTC-BTP ngày "
        "16/8/2012 của Bộ Tài chính, Bộ Tư pháp hướng dẫn việc lập dự toán."
    )
    assert [r.relation for r in extract_references(text)] == ["thay thế", "thay thế"]


def test_an_expiry_after_an_amendment_title_reaches_the_amending_directive() -> None:
    text = (
        "Nghị định số 110/2004/NĐ-CP ngày 08 tháng 4 năm 2004 của Chính phủ về công tác văn thư"
        " và Nghị định số 09/2010/NĐ-CP ngày 08 tháng 02 năm 2010 của Chính phủ sửa đổi, bổ "
        "sung một số điều của Nghị định số 110/2004/NĐ-CP ngày 08 tháng 4 năm 2004 của Chính "
        "phủ về công tác văn thư hết hiệu lực từ ngày Nghị định này có hiệu lực pháp luật."
    )
    assert _strongest(text) == {"110/2004/NĐ-CP": "thay thế", "09/2010/NĐ-CP": "thay thế"}
    # the mention inside the amending decree's title takes no cue of its own
    assert [r.relation for r in extract_references(text)] == ["thay thế", "thay thế", "nhắc đến"]


def test_a_repeal_list_item_amending_the_first_item() -> None:
    text = (
        "3. Bãi bỏ Nghị định số 157/2005/NĐ-CP ngày 23 tháng 12 năm 2005 của Chính phủ quy định "
        "một số chế độ; Nghị định số 48/2012/NĐ-CP ngày 04 tháng 6 năm 2012 sửa đổi, bổ sung "
        "một số điều của Nghị định số 157/2005/NĐ-CP ngày 23 tháng 12 năm 2005 của Chính phủ."
    )
    assert _strongest(text) == {"157/2005/NĐ-CP": "bãi bỏ", "48/2012/NĐ-CP": "bãi bỏ"}


def test_a_directive_named_in_a_repealed_ones_title_is_not_repealed() -> None:
    text = (
        "2. Thông tư số 134/2011/TT-BTC ngày 30 tháng 9 năm 2011 của Bộ Tài chính quy định chi "
        "tiết và hướng dẫn thực hiện một số điều của Quyết định số 04/2011/QĐ-TTg ngày 20 tháng"
        " 01 năm 2011 của Thủ tướng Chính phủ về quản lý tài chính và Thông tư số 96/2009/TT-BTC"
        " ngày 20 tháng 5 năm 2009 của Bộ Tài chính hướng dẫn chế độ tài chính đối với quỹ bảo "
        "hiểm thất nghiệp hết hiệu lực thi hành kể từ ngày Thông tư này có hiệu lực."
    )
    assert _strongest(text) == {
        "134/2011/TT-BTC": "thay thế",
        "04/2011/QĐ-TTg": "nhắc đến",
        "96/2009/TT-BTC": "thay thế",
    }


def test_an_expiry_at_the_end_of_a_long_title() -> None:
    text = (
        "2. Kể từ ngày Thông tư này có hiệu lực thi hành, các Quyết định số 16/2005/QĐ-BVHTT ngày"
        " 04 tháng 5 năm 2005 của Bộ trưởng ban hành Quy chế mẫu của thư viện tỉnh; Quyết định "
        "số 77/2008/QĐ-BVHTTDL ngày 28 tháng 8 năm 2008 của Bộ trưởng ban hành Quy chế mẫu về tổ"
        " chức và hoạt động của thư viện xã, phường, thị trấn hết hiệu lực."
    )
    assert [r.relation for r in extract_references(text)] == ["thay thế", "thay thế"]


def test_a_past_expiry_is_no_cue() -> None:
    text = "Quyết định số 16/2005/QĐ-BVHTT ngày 04/5/2005 về thư viện tỉnh đã hết hiệu lực."
    assert [r.relation for r in extract_references(text)] == ["nhắc đến"]


def test_an_amendment_between_two_cited_directives_is_still_read() -> None:
    """In-sample rule kept: "B sửa đổi, bổ sung A" with no repeal around: A is amended."""
    text = (
        "Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 sửa đổi, bổ sung một số điều của Nghị "
        "định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ."
    )
    assert [r.relation for r in extract_references(text)] == ["nhắc đến", "sửa đổi"]


def test_day_dates_stay_whole() -> None:
    assert [d.value for d in extract_dates("có hiệu lực từ 1.5.2021 và ngày 16.4.2021")] == [
        "2021-05-01",
        "2021-04-16",
    ]


# -- symbols with unusual separators, amending laws' names -----------------------------------


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("Căn cứ Quyết định số 10/2007/QĐ_BKHCN ngày 11/5/2007 của Bộ", "10/2007/QĐ-BKHCN"),
        ("theo Nghị định 50/2022/NĐ_CP của Chính phủ", "50/2022/NĐ-CP"),
        ("tại Thông tư số 10/2002/TT-BCA(A11) ngày 26/8/2002 của Bộ", "10/2002/TT-BCA(A11)"),
        ("Quyết định số 1779/2005/QĐ-BCA(X13) ngày 15/12/2005", "1779/2005/QĐ-BCA(X13)"),
    ],
)
def test_symbols_with_unusual_separators_are_whole(text: str, symbol: str) -> None:
    assert [r.directive.symbol for r in extract_references(text)] == [symbol]


def test_an_amending_laws_name_holds_the_laws_it_amends() -> None:
    text = (
        "3. Bãi bỏ Điều 2 của Luật sửa đổi, bổ sung một số Điều của Luật thuế tiêu thụ đặc biệt "
        "và Luật thuế giá trị gia tăng số 57/2005/QH11."
    )
    (ref,) = extract_references(text)
    assert text[ref.start : ref.end].startswith("Luật sửa đổi, bổ sung")
    assert (ref.directive.symbol, ref.relation) == ("57/2005/QH11", "bãi bỏ")


def test_a_short_form_joins_the_number_with_its_year() -> None:
    text = "Nghị định số 39/2021 sửa đổi Nghị định 37. Ban hành kèm theo Nghị định 39 là Danh mục."
    names = [r.directive.name for r in extract_references(text)]
    assert names == ["Nghị định số 39/2021", "Nghị định 37", "Nghị định số 39/2021"]


# -- more relation cues ---------------------------------------------------------------------


def test_every_item_of_a_long_implementation_block() -> None:
    title = "của Chính phủ về kiểm soát thủ tục hành chính và tiếp nhận phản ánh, kiến nghị"
    text = (
        f"Thực hiện Nghị quyết số 30c/NQ-CP ngày 08/11/2011 {title}; Nghị định số 63/2010/NĐ-CP"
        f" ngày 08/6/2010 {title}; Nghị định số 20/2008/NĐ-CP ngày 14/02/2008 {title}; Văn bản "
        "số 6582/VPCP-KSTT, ngày 21/9/2011 của Văn phòng Chính phủ. Chủ tịch có ý kiến."
    )
    assert [r.relation for r in extract_references(text)] == ["thực hiện"] * 4


def test_a_new_clause_after_an_implementation_item_is_not_implemented() -> None:
    text = "Thực hiện Nghị quyết số 02-NQ/TU; UBND huyện ban hành Kế hoạch số 45/KH-UBND."
    assert [r.relation for r in extract_references(text)] == ["thực hiện", "nhắc đến"]


def test_a_repeal_of_quoted_words_in_a_directive() -> None:
    text = (
        "bãi bỏ cụm từ “kiểm soát thủ tục hành chính” tại điểm c khoản 2 Điều 174 Nghị định số "
        "34/2016/NĐ-CP ngày 14 tháng 5 năm 2016 của Chính phủ."
    )
    assert [r.relation for r in extract_references(text)] == ["bãi bỏ"]


def test_a_cue_alone_on_the_line_before() -> None:
    text = "3. Bãi bỏ\nkhoản 3 và khoản 4 Điều 19 của Luật Thủ đô số 25/2012/QH13."
    assert [r.relation for r in extract_references(text)] == ["bãi bỏ"]


def test_repeal_list_items_after_pinpoints() -> None:
    text = (
        "2. Bãi bỏ Điều 57 của Luật hàng không dân dụng Việt Nam số 66/2006/QH11; Điều 2 của "
        "Luật số 34/2009/QH12 sửa đổi, bổ sung Điều 126 của Luật nhà ở và Điều 121 của Luật đất"
        " đai; Điều 264 của Luật tố tụng hành chính số 64/2010/QH12."
    )
    assert _strongest(text) == {
        "66/2006/QH11": "bãi bỏ",
        "34/2009/QH12": "bãi bỏ",
        "Luật nhà ở": "nhắc đến",
        "Luật đất đai": "nhắc đến",
        "64/2010/QH12": "bãi bỏ",
    }


# -- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "values"),
    [
        (
            "Từ ngày 17 tháng 10 đến ngày 29 tháng 11 năm 2006, Quốc hội họp",
            ["2006-10-17", "2006-11-29"],
        ),
        ("từ 17/10 - 29/11/2006", ["2006-10-17", "2006-11-29"]),
        ("từ ngày 20/12 đến ngày 5/1/2007", ["2006-12-20", "2007-01-05"]),
        ("kỳ họp thứ 10 tháng 6 đến ngày 2 tháng 7 năm 2020", ["2020-07-02"]),
        ("tỷ lệ 12/15 đến 1/2/2020", ["2020-02-01"]),
    ],
)
def test_a_day_range_shares_its_year(text: str, values: list[str]) -> None:
    assert [d.value for d in extract_dates(text) if d.granularity == "day"] == values


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Cụ thể ngày 18/12/2020, Tòa án nhân dân tối cao có Công văn số 199/TANDTC-PC.",
         "2020-12-18"),
        ("Trước đó, ngày 16.4.2021, Bộ Giao thông vận tải đã có văn bản số 3368/BGTVT-ATGT.",
         "2021-04-16"),
        ("Từ ngày 15/10/2020, Nghị định 98/2020/NĐ-CP được Chính phủ ban hành có hiệu lực.", None),
    ],
)
def test_a_date_opening_the_sentence_after_a_connective(text: str, date: str | None) -> None:
    assert [r.directive.date for r in extract_references(text)] == [date]


def test_a_number_and_year_cited_twice_is_one_directive() -> None:
    text = (
        "Theo Nghị định số 131/2018 ngày 29/9/2018 của Chính phủ. Nghị định số 131/2018 quy "
        "định. Nghị định 131 nêu rõ."
    )
    refs = extract_references(text)
    assert len({id(r.directive) for r in refs}) == 1
    assert [r.directive.date for r in refs] == ["2018-09-29"] * 3
