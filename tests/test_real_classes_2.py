"""Classes of misses the two real gold sets show (tests/gold/real_gold*.jsonl), as made inputs:
short forms with a year but no code, type codes as type words, words glued by a scraper,
symbols with unusual separators, relations of repeal/replace lists and of amended-by asides,
day-month ranges sharing one year, dates written before the letter they date."""

from __future__ import annotations

import pytest

from vanban.corpus.model import Reference
from vanban.ingest.extract.dates import extract_dates
from vanban.ingest.extract.references import extract_references


def _refs(text: str) -> list[tuple[str | None, str | None, str]]:
    return [(r.directive.symbol, r.directive.name, r.relation) for r in extract_references(text)]


def _by_symbol(text: str) -> dict[str, Reference]:
    return {str(r.directive.symbol): r for r in extract_references(text) if r.directive.symbol}


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
    assert [r.relation for r in extract_references(text)] == ["thay thế"] * 3


def test_a_repeal_list_item_amending_the_first_item() -> None:
    text = (
        "3. Bãi bỏ Nghị định số 157/2005/NĐ-CP ngày 23 tháng 12 năm 2005 của Chính phủ quy định "
        "một số chế độ; Nghị định số 48/2012/NĐ-CP ngày 04 tháng 6 năm 2012 sửa đổi, bổ sung "
        "một số điều của Nghị định số 157/2005/NĐ-CP ngày 23 tháng 12 năm 2005 của Chính phủ."
    )
    assert {s: r.relation for s, r in _by_symbol(text).items()} == {
        "157/2005/NĐ-CP": "bãi bỏ",
        "48/2012/NĐ-CP": "bãi bỏ",
    }
    assert [r.relation for r in extract_references(text)] == ["bãi bỏ"] * 3


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
