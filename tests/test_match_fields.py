"""The match fields: how much of a document's title the question says (``d_cover``) and
how many of the question's three-syllable phrases the document holds (``d_tri``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from vanban.index.bm25 import BM25Params
from vanban.index.build import build_doc_fields, build_match_fields, title_words
from vanban.index.fields import bigrams, trigrams
from vanban.ingest.normalize import strip_accents
from vanban.search.engine import DOC_ACCENTED_WEIGHTS, Searcher, parse_query
from vanban.search.evaluate import Benchmark, build_benchmark_store

PIECES = ["dân", "vận", "khéo", "ủy", "25-nq/tw", "ở", "5", "hòa", "giải", "của", "và"]
WORD = st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map("_".join)


def test_title_words_leave_out_the_numbering() -> None:
    cases = [("điều 40.1 lq 1 phạm_vi điều_chỉnh", "phạm_vi điều_chỉnh"),
             ("điều 13.1.tt.120.13 trách_nhiệm", "trách_nhiệm"),
             ("điều_kiện cấp phép năm 2020", "điều_kiện cấp phép năm"),
             ("thi_hành nghị_định 30/2020/nđ-cp", "thi_hành nghị_định 30/2020/nđ-cp")]
    for title, want in cases:
        assert " ".join(title_words(title.split(" "))) == want


@settings(max_examples=40, deadline=None)
@given(titles=st.lists(st.lists(WORD, max_size=5), min_size=1, max_size=6),
       passages=st.lists(st.tuples(st.integers(0, 5), st.lists(WORD, max_size=8)), max_size=12))
def test_match_fields_equal_the_per_document_derivation(
        titles: list[list[str]], passages: list[tuple[int, list[str]]]) -> None:
    placed = sorted((d % len(titles), p) for d, p in passages)   # a document's rows in a run
    doc_index = np.array([d for d, _ in placed], dtype=np.int64)
    doc_tokens: dict[str, Any] = {}
    build_doc_fields(titles, [p for _, p in placed], doc_index, BM25Params(), doc_tokens)
    fields = build_match_fields(titles, doc_tokens["syl"])
    for doc, title in enumerate(titles):
        words = title + [w for d, p in placed if d == doc for w in p]
        held = {t for t in fields["d_tri"].vocab
                if doc in fields["d_tri"].postings(fields["d_tri"].vocab[t])[0].tolist()}
        assert held == set(trigrams(words))
        cover = fields["d_cover"]
        bis = bigrams(title_words(title))
        for term in set(bis):
            rows, values = cover.postings(cover.vocab[term])
            at = rows.tolist().index(doc)
            assert values[at] == bis.count(term) / len(bis)
    assert np.all(fields["d_tri"].data == 1.0)


FILLER = ["Lệ phí trước bạ được nộp tại cơ quan thuế nơi đăng ký quyền sở hữu tài sản.",
          "Người lái xe phải mang theo giấy phép lái xe khi điều khiển phương tiện.",
          "Hộ kinh doanh đăng ký thuế theo quy định của Luật Quản lý thuế.",
          "Tàu cá phải có giấy phép khai thác thủy sản còn hiệu lực."]


def test_the_article_whose_title_the_question_states_comes_first(tmp_path: Path) -> None:
    """The question states one article's title; its sibling repeats more of the question's
    words in its body.  BM25 alone puts the sibling first, the match fields the article."""
    docs = [("tt#13", "Hướng dẫn, giám sát, kiểm tra, đánh giá việc thực hiện Thông tư này "
             "đối với các cơ sở giáo dục mầm non."),
            ("tt#10", "Hội đồng lựa chọn đồ chơi, học liệu trong trường mầm non do phòng giáo "
             "dục và đào tạo thành lập.")]
    docs += [(f"other#{i}", text) for i, text in enumerate(FILLER)]
    titles = ("Điều 13.1.TT.120.13. Trách nhiệm của phòng giáo dục và đào tạo",
              "Điều 13.1.TT.120.10. Thành lập Hội đồng",
              *(f"Điều 2.{i}. Quy định chung" for i in range(len(FILLER))))
    bench = Benchmark("two", tuple(docs), (), titles)
    db = tmp_path / "two.db"
    store = build_benchmark_store(bench, db, workers=1)
    text = ("Trách nhiệm của phòng giáo dục và đào tạo về việc lựa chọn đồ chơi, học liệu "
            "trong trường mầm non được quy định như thế nào?")
    question = parse_query(text)
    bm25_only = {n: w for n, w in DOC_ACCENTED_WEIGHTS.items() if n in ("d_word", "d_bi")}
    for weights, first in ((DOC_ACCENTED_WEIGHTS, "tt#13"), (bm25_only, "tt#10")):
        searcher = Searcher(db, store, doc_weights=(weights, {}))
        ids = searcher.document_ids()
        assert ids[searcher.rank_documents(question, 2)[0].doc] == first
    searcher = Searcher(db, store)   # typed without accents: the title share still counts
    assert ids[searcher.rank_documents(parse_query(strip_accents(text)), 2)[0].doc] == "tt#13"
    store.close()
