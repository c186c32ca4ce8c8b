"""Block-max pruning returns exactly the exhaustive top k: same rows, same scores (bit for
bit), and every bound it uses holds."""

from __future__ import annotations

import itertools
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import vanban.index.query as query_module
from vanban.corpus.store import Store
from vanban.index.blocks import build_blocks, expand_ranges
from vanban.index.bm25 import BM25Params, FieldIndex, build_field, top_k
from vanban.index.build import add_blocks
from vanban.index.fields import SCORED_FIELDS
from vanban.index.files import IndexData, load_index, save_index
from vanban.index.query import Unit, _Plan, best_rows, exhaustive_scores
from vanban.search.engine import Filters, Searcher

WORDS = ["dân_vận", "nghị_quyết", "thành_ủy", "25-nq/tw", "ở", "5", "công_tác", "của", "và",
         "khéo", "xã", "huyện"]


@pytest.fixture(autouse=True)
def always_prune() -> Iterator[None]:
    """Prune even where summing everything would be cheaper (small made-up corpora)."""
    saved = query_module.BOUND_COST, query_module.PRUNE_RATIO
    query_module.BOUND_COST, query_module.PRUNE_RATIO = 0, 0.0
    yield
    query_module.BOUND_COST, query_module.PRUNE_RATIO = saved


def _units(field: FieldIndex, query: list[str], weight: float = 1.0) -> list[Unit]:
    return [Unit(col[0], col[1], weight * c, field.max_score(field.vocab[t]), field=field,
                 col=field.vocab[t])
            for t, c in Counter(query).items() if (col := field.column(t)) is not None]


def _assert_same(units: list[Unit], n: int, k: int,
                 mask: npt.NDArray[np.bool_] | None = None) -> None:
    scores = exhaustive_scores(units, n)
    expected = top_k(scores, k, mask)
    rows, got = best_rows(units, n, k, mask)
    assert rows.tolist() == expected.tolist()
    assert got.tolist() == scores[expected].tolist()   # the same additions in the same order


def _with_blocks(field: FieldIndex, shift: int, min_df: int) -> FieldIndex:
    assert field.colmax is not None
    field.blocks = build_blocks(field.indptr, field.indices, field.data, field.colmax,
                                field.n_docs, shift=shift, min_df=min_df)
    return field


@settings(max_examples=150, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), min_size=1,
                  max_size=120),
    query=st.lists(st.sampled_from([*WORDS, "không_có"]), min_size=1, max_size=8),
    shift=st.integers(0, 4),
    min_df=st.integers(1, 20),
    k=st.integers(1, 12),
    variant=st.sampled_from(["okapi", "lucene"]),
    masked=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_pruned_top_k_equals_exhaustive(docs: list[list[str]], query: list[str], shift: int,
                                        min_df: int, k: int, variant: str, masked: bool,
                                        seed: int) -> None:
    field = _with_blocks(build_field(docs, BM25Params(variant=variant)), shift, min_df)
    mask = np.random.default_rng(seed).random(len(docs)) < 0.6 if masked else None
    _assert_same(_units(field, query), len(docs), k, mask)


@settings(max_examples=80, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), min_size=1,
                  max_size=120),
    query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=8),
    seeds=st.integers(1, 3),
    chunk=st.integers(1, 3),
    round_rows=st.integers(1, 5),
    k=st.integers(1, 12),
    masked=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_small_steps_change_nothing(docs: list[list[str]], query: list[str], seeds: int,
                                    chunk: int, round_rows: int, k: int, masked: bool,
                                    seed: int) -> None:
    """Few seed blocks, blocks bounded a few at a time, rows scored a few at a time: the
    loops that a large corpus runs (theta rising between rounds) give the same answer."""
    field = _with_blocks(build_field(docs, BM25Params(variant="lucene")), 1, 2)
    mask = np.random.default_rng(seed).random(len(docs)) < 0.6 if masked else None
    saved = query_module.SEED_BLOCKS, query_module.CHUNK_BLOCKS, query_module.ROUND_ROWS
    try:
        query_module.SEED_BLOCKS, query_module.CHUNK_BLOCKS = seeds, chunk
        query_module.ROUND_ROWS = round_rows
        _assert_same(_units(field, query), len(docs), k, mask)
    finally:
        query_module.SEED_BLOCKS, query_module.CHUNK_BLOCKS, query_module.ROUND_ROWS = saved


@settings(max_examples=60, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=10), min_size=2,
                  max_size=80),
    query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
    seed=st.integers(0, 1000),
)
def test_two_fields_extra_units_and_duplicates(docs: list[list[str]], query: list[str],
                                              seed: int) -> None:
    """Two fields with their own tables, a hand-made unit (a tier, a title) and duplicated
    passages (exact ties) together."""
    docs = docs + docs[: len(docs) // 2]
    n = len(docs)
    words = _with_blocks(build_field(docs, BM25Params(variant="lucene")), 2, 3)
    pairs = [[f"{a}|{b}" for a, b in itertools.pairwise(d)] or ["-"] for d in docs]
    bigrams = _with_blocks(build_field(pairs, BM25Params(variant="lucene")), 2, 2)
    rng = np.random.default_rng(seed)
    extra_rows = np.sort(rng.choice(n, size=min(n, 5), replace=False))
    extra = Unit(extra_rows, rng.random(len(extra_rows)) + 0.1, 0.3, 1.1)
    qpairs = [f"{a}|{b}" for a, b in itertools.pairwise(query)]
    units = [*_units(words, query), *_units(bigrams, qpairs, 0.7), extra]
    for k in (1, 3, 10, n + 5):
        _assert_same(units, n, k)


def test_negative_scores_fall_back_to_the_exhaustive_sum() -> None:
    docs = [["của", "và"], ["của"], ["của", "và", "xã"], ["của", "và"]]  # okapi idf < 0
    field = _with_blocks(build_field(docs, BM25Params(variant="rank-bm25")), 0, 1)
    _assert_same(_units(field, ["của", "và", "xã"]), len(docs), 2)


def test_no_k_and_no_match() -> None:
    field = _with_blocks(build_field([["a"], ["b"]] * 20, BM25Params(variant="lucene")), 1, 1)
    rows, scores = best_rows(_units(field, ["a"]), 40, 0)
    assert len(rows) == len(scores) == 0
    rows, scores = best_rows(_units(field, ["zzz"]), 40, 5)
    assert len(rows) == 0


@settings(max_examples=80, deadline=None)
@given(values=st.lists(st.floats(0.001, 50), min_size=1, max_size=200), shift=st.integers(0, 4),
       seed=st.integers(0, 1000))
@example(values=[1.5, 1.1], shift=0, seed=0)   # 1.1 / 1.5 * 255 rounds to 187 + 3e-14
def test_block_bounds_never_below_the_scores(values: list[float], shift: int,
                                             seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = len(values) + int(rng.integers(0, 50))
    rows = np.sort(rng.choice(n, size=len(values), replace=False)).astype(np.int32)
    data = np.array(values)
    blocks = build_blocks(np.array([0, len(values)]), rows, data, np.array([data.max()]), n,
                          shift=shift, min_df=1)
    assert blocks is not None
    bound = blocks.bounds[0].astype(np.float64) / 255 * data.max()
    assert (bound[rows >> shift] >= data).all()
    starts = blocks.block_starts(0)
    for b in range(blocks.n_blocks):
        assert ((rows[starts[b]:starts[b + 1]] >> shift) == b).all()
    assert starts[0] == 0 and starts[-1] == len(values)
    # impacts: a byte per posting, the score's 255ths of the column maximum rounded up
    assert blocks.impact_base.tolist() == [0, len(values)]
    q = blocks.impacts.astype(np.int64)
    step = data.max() / 255
    assert (q * step >= data * (1 - 1e-12)).all()   # up, but for the last bit
    assert ((q - 1) * step <= data * (1 + 1e-12)).all()   # within one step, but for the last bit


@settings(max_examples=60, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), min_size=1,
                  max_size=100),
    query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=8),
    shift=st.integers(0, 4),
    min_df=st.integers(1, 12),
)
def test_row_bounds_hold_every_score_between_them(docs: list[list[str]], query: list[str],
                                                 shift: int, min_df: int) -> None:
    field = _with_blocks(build_field(docs, BM25Params(variant="lucene")), shift, min_df)
    units = [u for u in _units(field, query, 0.8) if len(u.rows)]
    plan = _Plan.make(units, len(docs))
    if plan is None:
        return
    blocks = np.arange(plan.n_blocks)
    upper, lower = plan.row_bounds(blocks, lower=True)
    assert lower is not None
    rows = plan.rows(blocks, np.arange(len(upper)))
    scores = np.zeros(len(rows))
    scores[: len(docs)] = exhaustive_scores(units, len(docs))
    assert (upper >= scores * (1 - 1e-6)).all()
    assert (lower <= scores).all()
    assert (rows == np.arange(len(rows))).all()
    assert plan.exact(rows[: len(docs)]).tolist() == scores[: len(docs)].tolist()


def test_expand_ranges() -> None:
    got = expand_ranges(np.array([5, 0, 9]), np.array([2, 0, 3]))
    assert got.tolist() == [5, 6, 9, 10, 11]


def test_small_fields_get_no_tables() -> None:
    field = add_blocks(build_field([["a", "b"]] * 100, BM25Params()))
    assert field.blocks is None


@pytest.fixture(scope="module")
def blocked(sample_db: Path) -> Path:
    """The bundled sample's index, saved again with block tables on every scored field."""
    folder = Path(tempfile.mkdtemp(prefix="vanban-blocks-"))
    db = folder / "sample.db"
    db.write_bytes(sample_db.read_bytes())
    with Store(db) as store:
        data = load_index(sample_db, store.fingerprint())
    fields = {name: FieldIndex(**{k: getattr(f, k) for k in
                                  ("vocab", "idf", "indptr", "indices", "data", "n_docs",
                                   "avgdl", "colmax")})
              for name, f in data.fields.items()}
    for name in SCORED_FIELDS:
        add_blocks(fields[name], min_df=2)
    save_index(db, IndexData(fields=fields, rowids=np.asarray(data.rowids),
                             doc_rowids=np.asarray(data.doc_rowids),
                             doc_index=np.asarray(data.doc_index), params=data.params,
                             fingerprint=data.fingerprint, meta=data.meta))
    return db


QUERIES = ["công tác dân vận", "dan van kheo", "Nghị quyết 25-NQ/TW", "nq 25/tw",
           "Thành uỷ lãnh đạo", "\"dân vận khéo\" phong trào", "cải cách hành chính một cửa",
           "xây dựng nông thôn mới", "ủy ban nhân dân tỉnh", "chuyển đổi số"]


@pytest.mark.parametrize("query", QUERIES)
def test_search_with_tables_equals_search_without(sample_db: Path, blocked: Path,
                                                  query: str) -> None:
    with Store(blocked) as store:
        pruned = Searcher(blocked, store)
        assert pruned.index.fields["word"].blocks is not None  # loaded from disk
        with Store(sample_db) as plain_store:
            plain = Searcher(sample_db, plain_store)
            assert plain.index.fields["word"].blocks is None
            for filters, group in ((None, False), (Filters(date_from="2019-01-01"), False),
                                   (None, True)):
                got = [(h.doc_id, h.passage_start, h.score) for h in
                       pruned.search(query, k=15, filters=filters, group_by_document=group)]
                want = [(h.doc_id, h.passage_start, h.score) for h in
                        plain.search(query, k=15, filters=filters, group_by_document=group)]
                if group:
                    assert len({g[0] for g in got}) == len(got)
                assert [g[:2] for g in got] == [w[:2] for w in want]
                np.testing.assert_allclose([g[2] for g in got], [w[2] for w in want],
                                           atol=2e-6)


def test_a_query_of_common_words_is_summed_whole() -> None:
    """When most blocks may hold the top k, pruning gives way to the exhaustive sum (the
    same answer: its definition)."""
    docs = [["của", "và", "xã"], ["của", "và"], ["của", "huyện"], ["và", "xã"]] * 30
    field = _with_blocks(build_field(docs, BM25Params(variant="lucene")), 2, 1)
    units = _units(field, ["của", "và", "xã"])
    plan = _Plan.make(units, len(docs))
    assert plan is not None
    saved = query_module.SEED_BLOCKS
    query_module.BOUND_COST, query_module.SEED_BLOCKS = 8, 1
    try:
        assert plan.run(5, None) is None
        _assert_same(units, len(docs), 5)
    finally:
        query_module.SEED_BLOCKS = saved


def test_few_postings_per_row_are_summed_without_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [["của", "và", "xã"], ["huyện"], ["dân_vận"], ["khéo"]] * 30
    field = _with_blocks(build_field(docs, BM25Params(variant="lucene")), 2, 1)
    units = _units(field, ["xã", "huyện"])      # 60 postings over 120 rows
    monkeypatch.setattr(query_module, "PRUNE_RATIO", 6.0)

    def no_plan(*_: object) -> None:
        raise AssertionError("the tables should not be read")

    monkeypatch.setattr(_Plan, "make", no_plan)
    _assert_same(units, len(docs), 5)


@settings(max_examples=60, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), min_size=1,
                  max_size=120),
    query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=8),
    min_df=st.integers(1, 20),
    k=st.integers(1, 12),
)
def test_pruning_over_a_shared_numbering(docs: list[list[str]], query: list[str], min_df: int,
                                         k: int) -> None:
    """A field renumbered into a shared vocabulary (empty columns between its own) prunes
    to the exhaustive top k."""
    from vanban.index.build import renumber_columns

    field = build_field(docs, BM25Params())
    vocab: dict[str, int] = {}
    for term in field.vocab:
        vocab.setdefault(f"absent-{term}", len(vocab))
        vocab.setdefault(term, len(vocab))
    moved = _with_blocks(renumber_columns(field, vocab), 4, min_df)
    _assert_same(_units(moved, query), len(docs), k)
