"""Ranking documents: document fields plus best passages, the same top k as scoring every
document; boilerplate never shown; highlights; queries of function words only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from vanban.corpus.store import Store
from vanban.index.query import exhaustive_scores
from vanban.search.cli import cli
from vanban.search.documents import Combination, Layout, rank_documents, unit_scores
from vanban.search.engine import Filters, FunctionWordsOnly, Searcher, parse_query
from vanban.search.snippets import is_boilerplate, make_snippet

RULE = re.compile(r"[\s\-–—_=*~·•]{3,}")
QUERIES = ["công tác dân vận ở cơ sở", "cải cách hành chính một cửa", "dan van kheo",
           "ủy ban nhân dân tỉnh", "Nghị quyết 25-NQ/TW"]


def exhaustive_documents(searcher: Searcher, query: str, combo: Combination
                         ) -> list[tuple[int, float]]:
    """Every document's combined score, the slow way: (document, score), best first."""
    q = parse_query(query)
    n_docs = searcher.index.fields["d_word"].n_docs
    doc = exhaustive_scores(searcher.doc_units(q), n_docs)
    passages = exhaustive_scores(searcher.units(q, titles=False), len(searcher.index.rowids))
    owner = np.asarray(searcher.index.doc_index)
    total = doc.copy()
    for d in range(n_docs):
        best = np.sort(passages[owner == d])[::-1]
        total[d] += combo.best * (best[0] if len(best) else 0.0)
        total[d] += combo.second * (best[1] if len(best) > 1 else 0.0)
    order = np.lexsort((np.arange(n_docs), -total))
    return [(int(d), float(total[d])) for d in order if total[d] > 0]


@pytest.mark.parametrize("query", QUERIES[:4])
@pytest.mark.parametrize(("k", "start", "second"), [(1, 4, 0.0), (5, 1, 0.0), (12, 1, 0.5),
                                                     (40, 4, 0.25)])
def test_document_ranking_equals_scoring_every_document(sample_db: Path, query: str, k: int,
                                                         start: int, second: float) -> None:
    combo = Combination(best=1.0, second=second)
    with Store(sample_db) as store:
        searcher = Searcher(sample_db, store, combination=combo)
        searcher.group_factor = start   # 1: asks for more candidates, again and again
        want = exhaustive_documents(searcher, query, combo)[:k]
        got = searcher.rank_documents(parse_query(query), k)
        assert [g.doc for g in got] == [w[0] for w in want]
        np.testing.assert_allclose([g.score for g in got], [w[1] for w in want], atol=1e-9)


def test_unit_scores_are_the_exhaustive_sum(sample_db: Path) -> None:
    with Store(sample_db) as store:
        searcher = Searcher(sample_db, store)
        units = searcher.units(parse_query("công tác dân vận ở cơ sở"))
        every = exhaustive_scores(units, len(searcher.index.rowids))
        rows = np.arange(len(every), dtype=np.int64)
        assert np.array_equal(unit_scores(units, rows), every)


def test_document_evidence_beats_one_passage() -> None:
    """Two documents: one passage says all the query's words, or the words are spread
    over another document's passages and its title; the document fields weigh both."""
    from vanban.index.query import Unit

    # rows 0-1 are document 0, rows 2-4 document 1
    layout = Layout(np.array([0, 2]), np.array([2, 3]), np.array([0, 0, 1, 1, 1]))
    passage = [Unit(np.array([0, 2, 3, 4]), np.array([3.0, 1.0, 1.0, 1.0]), 1.0, 3.0)]
    doc = [Unit(np.array([0, 1]), np.array([1.0, 3.5]), 1.0, 3.5)]
    got = rank_documents(passage, doc, layout, 2, Combination(best=1.0))
    assert [d.doc for d in got] == [1, 0]            # 3.5 + 1 beats 1 + 3
    assert got[0].rows == (2, 3, 4) and got[1].rows == (0,)
    only_passages = rank_documents(passage, [], layout, 2, Combination(best=1.0))
    assert [d.doc for d in only_passages] == [0, 1]


def test_document_filters_restrict_the_passages(sample_db: Path) -> None:
    with Store(sample_db) as store:
        searcher = Searcher(sample_db, store)
        hits = searcher.search("một cửa", k=10, filters=Filters(date_from="2020-01-01"),
                               group_by_document=True)
        assert hits and all((h.date or "") >= "2020" for h in hits)
        assert len({h.doc_id for h in hits}) == len(hits)
        # a symbol's documents come first, but only those the filters allow
        cited = searcher.search("25-NQ/TW", k=10, filters=Filters(date_from="2024-01-01"),
                                group_by_document=True)
        assert cited and all((h.date or "") >= "2024" for h in cited)


# -- boilerplate ----------------------------------------------------------------------
RECIPIENTS = """Nơi nhận:
- Như Điều 3;
- Văn phòng Chính phủ (Cục Kiểm soát TTHC);
- TT Tỉnh ủy, TT HĐND tỉnh;
- Lưu: VT, KSTT.
CHỦ TỊCH
Mai Xuân Hiếu"""
SIGNATURE = """TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
(Đã ký)
Nguyễn Văn An"""


def test_boilerplate_passages() -> None:
    assert is_boilerplate(RECIPIENTS)
    assert is_boilerplate(SIGNATURE)
    assert is_boilerplate("-----\n* * *\n_____")
    assert not is_boilerplate("Điều 3. Chánh Văn phòng UBND tỉnh, Thủ trưởng các sở, ngành "
                              "và Chủ tịch UBND các huyện chịu trách nhiệm thi hành.")
    assert not is_boilerplate("- Tăng cường công tác dân vận của chính quyền;\n"
                              "- Đẩy mạnh cải cách hành chính, nhất là thủ tục một cửa.")


def test_no_hit_shows_boilerplate(sample_db: Path) -> None:
    """On the sample corpus "Nơi nhận" lists match agency names; they are never shown,
    and no snippet opens on a rule."""
    with Store(sample_db) as store:
        searcher = Searcher(sample_db, store)
        for group in (True, False):
            for query in ("văn phòng tỉnh ủy lưu", "như điều 3 lưu vt", *QUERIES):
                for h in searcher.search(query, k=20, group_by_document=group):
                    for p in (h, *h.more):
                        assert not is_boilerplate(p.passage), (query, p.passage[:80])
                        assert not RULE.match(p.snippet.lstrip("…")), p.snippet[:40]


def test_snippet_skips_rules_and_a_trailing_recipient_list() -> None:
    text = "----- I. KẾT QUẢ công tác dân vận " + "năm nay rất tốt. " * 30 + "\n" + RECIPIENTS
    snip = make_snippet(text, [(text.index("dân"), text.index("dân") + 3)], width=120)
    assert snip.text.startswith("I. KẾT QUẢ")
    assert "Nơi nhận" not in snip.text
    s, e = snip.highlights[0]
    assert snip.text[s:e] == "dân"


# -- highlights ----------------------------------------------------------------------
def test_highlights_are_spans_of_the_snippet(sample_db: Path) -> None:
    with Store(sample_db) as store:
        searcher = Searcher(sample_db, store)
        for query, accented in (("công tác dân vận", True), ("dan van kheo", False)):
            hits = searcher.search(query, k=10)
            assert hits and any(h.highlights for h in hits)
            words = set(query.split())
            for h in hits:
                for s, e in h.highlights:
                    word = h.snippet[s:e].lower()
                    assert (word if accented else _fold(word)) in words, word


def _fold(s: str) -> str:
    from vanban.ingest.normalize import strip_accents

    return strip_accents(s)


def test_cli_json_highlights_and_bold_on_a_terminal(sample_db: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["search", "dân vận khéo", "--db", str(sample_db), "--json"])
    assert out.exit_code == 0, out.output
    hits = json.loads(out.output)["hits"]
    assert hits and hits[0]["highlights"]
    for h in hits:
        assert len({h["doc_id"] for h in hits}) == len(hits)   # one entry per document
        for s, e in h["highlights"]:
            assert _fold(h["snippet"][s:e].lower()) in {"dan", "van", "kheo"}
    plain = runner.invoke(cli, ["search", "dân vận khéo", "--db", str(sample_db)])
    assert "\x1b[" not in plain.output          # not a terminal: no styles
    bold = runner.invoke(cli, ["search", "dân vận khéo", "--db", str(sample_db)], color=True)
    assert "\x1b[1m" in bold.output and "\x1b[1m\x1b[33mkhéo" in bold.output.replace(
        "\x1b[33m\x1b[1m", "\x1b[1m\x1b[33m").lower()


def test_group_by_passage_keeps_one_hit_per_passage(sample_db: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["search", "công tác dân vận", "--db", str(sample_db), "--json",
                              "--group-by", "passage", "-k", "10"])
    hits = json.loads(out.output)["hits"]
    assert len(hits) == 10 and len({h["doc_id"] for h in hits}) < 10
    assert all("more" not in h for h in hits)


# -- function words ------------------------------------------------------------------
def test_a_query_of_function_words_says_so(sample_db: Path) -> None:
    with pytest.raises(FunctionWordsOnly):
        parse_query("và của là các")
    parse_query("các cơ quan")   # a content word: fine
    runner = CliRunner()
    out = runner.invoke(cli, ["search", "và của là các", "--db", str(sample_db)])
    assert out.exit_code == 2
    assert "only function words" in out.output and "Traceback" not in out.output


@pytest.mark.parametrize("fmt", ["trec", "jsonl"])
def test_a_batch_reports_a_function_word_line_and_goes_on(sample_db: Path, fmt: str) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["search", "--queries", "-", "--format", fmt, "-k", "3",
                              "--db", str(sample_db)],
                        input="q1\tvà của là các\nq2\tdân vận khéo\n")
    assert out.exit_code == 1
    assert "line 1: the query has only function words" in out.output
    assert "q2" in out.output and "Traceback" not in out.output


DECISION = """QUYẾT ĐỊNH
Về việc ban hành Quy chế phối hợp tiếp nhận, xử lý phản ánh, kiến nghị
Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp tiếp nhận, xử lý phản ánh, \
kiến nghị của cá nhân, tổ chức về quy định hành chính trên địa bàn tỉnh.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Điều 3. Thủ trưởng các cơ quan thuộc UBND tỉnh; Chủ tịch UBND các huyện, thành phố căn \
cứ Quyết định thi hành./.
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
CHỦ TỊCH
Mai Xuân Hiếu"""


@pytest.mark.parametrize("text", [DECISION, DECISION.replace("Điều", "Khoản")])
def test_a_distribution_list_is_its_own_passage(text: str) -> None:
    from vanban.ingest.passages import split_passages

    passages = split_passages("qd", text)
    tail = [p for p in passages if "Nơi nhận" in p.text]
    assert len(tail) == 1 and tail[0].text.startswith("Nơi nhận")
    assert is_boilerplate(tail[0].text)
    assert any("thi hành" in p.text for p in passages if p is not tail[0])
