"""Search behaviour: accents, tone styles, symbols, phrases, filters, grouping, index files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from vanban.corpus.store import Store
from vanban.index.build import build_index
from vanban.index.files import index_dir, load_index
from vanban.search.cli import cli
from vanban.search.engine import Filters, Searcher, parse_query

DOCS = {
    "a-moi-truong.txt": "Ủy ban nhân dân xã tổ chức ra quân bảo vệ môi trường, thu gom rác thải "
                        "dọc các tuyến kênh mương và trồng cây xanh tại khu dân cư.",
    "b-khong-dau.txt": "Uy ban nhan dan phuong phat dong phong trao bao ve moi truong, don dep "
                       "duong lang ngo xom vao sang chu nhat hang tuan.",
    "c-dan-van.txt": "Quán triệt Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung "
                     "ương về công tác dân vận, các cấp ủy triển khai phong trào thi đua Dân vận "
                     "khéo gắn với xây dựng nông thôn mới.",
    "d-khoe-dan-van.txt": "Phong trào thi đua khéo vận động nhân dân, dân vận trong đồng bào có "
                          "đạo được đẩy mạnh ở các giáo xứ trên địa bàn huyện.",
    "e-quyet-dinh.txt": "ỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ\nSố: 1968/QĐ-UBND\nPhú Thọ, ngày 15 tháng 8 "
                        "năm 2018\nQUYẾT ĐỊNH\nVề việc ban hành quy chế một cửa\nCăn cứ Luật Tổ "
                        "chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\nĐiều 1. Ban hành "
                        "kèm theo Quyết định này Quy chế thực hiện cơ chế một cửa tại các cơ quan "
                        "hành chính nhà nước trên địa bàn tỉnh.\nĐiều 2. Quyết định này có hiệu "
                        "lực kể từ ngày ký.",
    "f-trich-dan.txt": "Thực hiện Quyết định số 1968/QĐ-UBND ngày 15/8/2018 của UBND tỉnh Phú "
                       "Thọ, huyện đã kiện toàn bộ phận một cửa, niêm yết công khai thủ tục.",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = folder / "c.db"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(path),
                                      "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    return path


def search(db: Path, query: str, **kw: object) -> list[str]:
    with Store(db) as store:
        return [h.doc_id for h in Searcher(db, store).search(query, **kw)]  # type: ignore[arg-type]


def test_accented_query_prefers_exact_accents(db: Path) -> None:
    assert search(db, "bảo vệ môi trường")[:2] == ["a-moi-truong", "b-khong-dau"]
    assert set(search(db, "bao ve moi truong")[:2]) == {"a-moi-truong", "b-khong-dau"}


@pytest.mark.parametrize("query", ["25-NQ/TW", "25/NQ-TW", "nq 25/tw", "Nghị quyết 25-NQ/TW"])
def test_symbol_spellings_find_the_citing_passage_first(db: Path, query: str) -> None:
    assert search(db, query)[0] == "c-dan-van"


def test_symbol_finds_its_own_document_then_citations(db: Path) -> None:
    assert search(db, "1968/QĐ-UBND")[:2] == ["e-quyet-dinh", "f-trich-dan"]
    assert search(db, "quyet dinh 1968/qd-ubnd")[:2] == ["e-quyet-dinh", "f-trich-dan"]


def test_quoted_phrase_must_occur_in_order(db: Path) -> None:
    assert search(db, "dân vận khéo")[:2] == ["c-dan-van", "d-khoe-dan-van"] or \
        "d-khoe-dan-van" in search(db, "dân vận khéo")
    assert search(db, '"dân vận khéo"') == ["c-dan-van"]
    assert search(db, '"dan van kheo"') == ["c-dan-van"]
    assert search(db, '"khéo dân vận"') == []


def test_filters(db: Path) -> None:
    def docs(f: Filters) -> list[str]:
        return search(db, "một cửa", filters=f, group_by_document=True)

    assert docs(Filters(type="Quyết định")) == ["e-quyet-dinh"]
    assert docs(Filters(cites="1968/qd-ubnd")) == ["f-trich-dan"]
    assert docs(Filters(date_from="2019")) == []
    assert docs(Filters(date_to="2018-08")) == ["e-quyet-dinh"]
    assert docs(Filters(issuer="Phú Thọ")) == ["e-quyet-dinh"]


def test_group_by_document(db: Path) -> None:
    hits = search(db, "quyết định một cửa", k=10, group_by_document=True)
    assert len(hits) == len(set(hits)) and "e-quyet-dinh" in hits


def test_search_cli_filters_and_table(db: Path) -> None:
    r = CliRunner().invoke(cli, ["search", "một cửa", "--db", str(db), "--type", "Quyết định",
                                 "--group-by", "document", "--json"])
    assert r.exit_code == 0
    assert [h["doc_id"] for h in json.loads(r.stdout)["hits"]] == ["e-quyet-dinh"]


def test_reindex_swaps_atomically(db: Path) -> None:
    with Store(db) as store:
        before = load_index(db, store.fingerprint())
        searcher = Searcher(db, store, before)
        build_index(db, store)
        after = load_index(db, store.fingerprint())
        assert searcher.search("một cửa")  # the old arrays stay readable
        assert after.meta["built_at"] >= before.meta["built_at"]
    versions = [p for p in index_dir(db).iterdir() if p.name.startswith("v-")]
    assert 1 <= len(versions) <= 2
    assert not any(p.name.startswith("tmp-") for p in index_dir(db).iterdir())


def test_run_file_ranking_reads_no_text_and_keeps_the_order(db: Path) -> None:
    """What `--format trec` prints (``rank_documents``: no passage text, snippet or
    directive read) is the documents, order and scores of the full answer."""
    from vanban.search.engine import parse_query

    with Store(db) as store:
        searcher = Searcher(db, store)
        full = searcher.search("dân vận khéo", k=5, group_by_document=True)
        ids = searcher.document_ids()
        light = searcher.rank_documents(parse_query("dân vận khéo"), 5)
        assert full
        assert [(ids[r.doc], round(r.score, 6)) for r in light] == \
            [(h.doc_id, round(h.score, 6)) for h in full]


def test_old_index_format_asks_for_reindex(db: Path) -> None:
    from vanban.index.files import IndexError_, read_meta

    with Store(db) as store:
        build_index(db, store)
        root = index_dir(db) / (index_dir(db) / "CURRENT").read_text().strip()
        meta = read_meta(db)
        assert meta is not None
        (root / "meta.json").write_text(json.dumps({**meta, "format_version": 7}))
        with pytest.raises(IndexError_, match="vanban index"):
            load_index(db, store.fingerprint())
        build_index(db, store)
        assert Searcher(db, store).search("một cửa")


def test_accented_query_reaches_text_typed_without_accents_only() -> None:
    """An accented query scores accent-free forms only in passages typed without accents:
    "cửa" finds "cua" there, never "của" in accented text."""
    from vanban.index.bm25 import BM25Params
    from vanban.index.build import build_fields, build_plain_fields, unaccented_passages

    words = [["bộ_phận", "một", "cửa", "cấp", "xã"], ["ý_kiến", "của", "nhân_dân", "xã"],
             ["bo_phan", "mot", "cua", "cap", "huyen"], ["điều", "5"]]
    plain = unaccented_passages(words)
    assert plain.tolist() == [False, False, True, False]
    fields = build_fields(words, BM25Params())
    extra = build_plain_fields(fields, plain)
    assert set(extra) == {"word_uo", "bi_uo"}
    col = extra["word_uo"].vocab["cua"]
    rows, values = extra["word_uo"].postings(col)
    full_rows, full_values = fields["word_u"].postings(fields["word_u"].vocab["cua"])
    assert rows.tolist() == [2] and full_rows.tolist() == [0, 1, 2]
    assert values.tolist() == [full_values[2]]       # the same score, kept as it was
    # the accent-free field's numbering: a term only in accented text is an empty column
    assert extra["word_uo"].vocab is fields["word_u"].vocab
    assert not len(extra["word_uo"].postings(extra["word_uo"].vocab["xa"])[0])
    assert extra["word_uo"].max_score(extra["word_uo"].vocab["xa"]) == 0.0
    assert build_plain_fields(fields, np.zeros(4, dtype=bool)) == {}


def test_accented_query_ignores_other_accents_in_accented_text(db: Path) -> None:
    assert "c-dan-van" not in search(db, "cửa")          # it has "của", not "cửa"
    assert set(search(db, "cửa")) == {"e-quyet-dinh", "f-trich-dan"}


def test_function_words_are_not_scored(db: Path) -> None:
    """"của" ranks nothing: the same words score alike with or without it (its bigrams
    with the words beside it still count)."""
    with Store(db) as store:
        searcher = Searcher(db, store)
        with_it = searcher.units(parse_query("quyết định của ủy ban"))
        without = searcher.units(parse_query("quyết định ủy ban"))
        word = searcher.index.fields["word"]
        assert sorted(u.col for u in with_it if u.field is word) == \
            sorted(u.col for u in without if u.field is word)
        searcher.stop = frozenset()
        assert len([u for u in searcher.units(parse_query("quyết định của ủy ban"))
                    if u.field is word]) == len([u for u in with_it if u.field is word]) + 1
