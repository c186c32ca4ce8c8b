"""BM25 scores against rank-bm25 as the oracle."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from vanban.index.bm25 import BM25Params, build_field, top_k

WORDS = ["dân_vận", "nghị_quyết", "thành_ủy", "25-nq/tw", "ở", "5", "công_tác", "của", "và"]


def _oracle_check(docs: list[list[str]], queries: list[list[str]]) -> None:
    oracle = BM25Okapi(docs)
    field = build_field(docs, BM25Params(variant="rank-bm25"))
    for q in queries:
        np.testing.assert_allclose(field.get_scores(q), oracle.get_scores(q), rtol=0, atol=1e-6)


@settings(max_examples=150, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30), min_size=1,
                  max_size=25),
    queries=st.lists(st.lists(st.sampled_from([*WORDS, "không_có"]), min_size=1, max_size=6),
                     min_size=1, max_size=4),
)
def test_rank_bm25_variant_equals_rank_bm25(docs: list[list[str]],
                                            queries: list[list[str]]) -> None:
    _oracle_check(docs, queries)


def test_common_words_in_more_than_half_the_passages() -> None:
    docs = [["của", "và", "dân_vận"], ["của", "và"], ["của", "thành_ủy"], ["của", "và", "5"]]
    _oracle_check(docs, [["của"], ["của", "và", "dân_vận"], ["và", "và"], ["5", "ở"]])


def test_tiny_corpora() -> None:
    _oracle_check([["một"]], [["một"], ["hai"]])
    _oracle_check([["một"], ["một"]], [["một"]])
    _oracle_check([["a", "b"], ["b", "c"]], [["a", "b", "c", "b"]])


def test_lucene_idf_is_positive() -> None:
    docs = [["của", "và"], ["của"], ["của", "dân_vận"]]
    field = build_field(docs, BM25Params(variant="lucene", k1=1.2, b=0.75))
    n = 3
    df = 3
    expected_idf = np.log1p((n - df + 0.5) / (df + 0.5))
    assert field.idf is not None
    assert field.idf[field.vocab["của"]] == pytest.approx(expected_idf)
    assert (field.get_scores(["của"]) > 0).all()


def test_unknown_variant_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown BM25 variant"):
        BM25Params(variant="tfidf")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.25, 7.0]), min_size=0, max_size=400),
       st.integers(1, 30), st.booleans())
def test_top_k_is_the_sorted_order(values: list[float], k: int, masked: bool) -> None:
    """Few distinct values: ties at the k-th everywhere, and a sample's k-th best (the
    floor of the candidates) equal to the k-th best itself."""
    scores = np.asarray(values, dtype=np.float64)
    mask = (np.arange(len(scores)) % 3 != 0) if masked else None
    allowed = scores if mask is None else np.where(mask, scores, 0.0)
    want = [i for i in np.lexsort((np.arange(len(allowed)), -allowed)).tolist()
            if allowed[i] > 0][:k]
    assert top_k(scores, k, mask).tolist() == want


def test_top_k_orders_by_score_then_index() -> None:
    scores = np.array([0.0, 2.0, 3.0, 2.0, -1.0])
    assert top_k(scores, 10).tolist() == [2, 1, 3]
    assert top_k(scores, 1).tolist() == [2]
    mask = np.array([True, True, False, True, True])
    assert top_k(scores, 2, mask).tolist() == [1, 3]


@settings(max_examples=80, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=20), min_size=1,
                  max_size=30),
    query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
)
def test_single_pass_scoring_equals_rank_bm25(docs: list[list[str]], query: list[str]) -> None:
    from collections import Counter

    from vanban.index.query import Unit, exhaustive_scores

    field = build_field(docs, BM25Params(variant="rank-bm25"))
    units = [Unit(col[0], col[1], float(c), field.max_score(field.vocab[t]))
             for t, c in Counter(query).items() if (col := field.column(t)) is not None]
    np.testing.assert_allclose(exhaustive_scores(units, len(docs)),
                               BM25Okapi(docs).get_scores(query), rtol=0, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(terms=st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=40, unique=True))
def test_sorted_vocab_finds_every_term(terms: list[str]) -> None:
    import tempfile
    from pathlib import Path

    from vanban.index.bm25 import FieldIndex
    from vanban.index.files import _load_field, _save_vocab

    field = build_field([terms], BM25Params())
    with tempfile.TemporaryDirectory() as tmp:
        for part in ("indptr", "indices", "data", "colmax"):
            np.save(Path(tmp) / f"f.{part}.npy", getattr(field, part))
        _save_vocab(Path(tmp), "f", field)
        loaded: FieldIndex = _load_field(Path(tmp), "f", {"n_docs": 1, "avgdl": 1.0}, {})
        for term in terms:
            assert loaded.vocab[term] == field.vocab[term]
            assert term in loaded.vocab
        assert "\x00absent\x00" not in loaded.vocab
        assert sorted(loaded.vocab) == sorted(terms)


@settings(max_examples=150, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), min_size=1,
                  max_size=6),
    query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    variant=st.sampled_from(["okapi", "lucene"]),
    k1=st.floats(0, 3), b=st.floats(0, 1),
)
def test_every_matching_passage_scores_above_zero(docs: list[list[str]], query: list[str],
                                                  variant: str, k1: float, b: float) -> None:
    """However small the corpus (one document, a term in every document or in half)."""
    field = build_field(docs, BM25Params(variant=variant, k1=k1, b=b))
    scores = field.get_scores(query)
    matching = np.array([any(t in d for t in query) for d in docs])
    assert (scores[matching] > 0).all()
    assert (scores[~matching] == 0).all()


def test_okapi_is_rank_bm25_where_its_idf_is_positive() -> None:
    docs = [["của", "và", "dân_vận"], ["của", "và"], ["của", "thành_ủy"], ["của", "và", "5"],
            ["của", "ở"]]
    exact = build_field(docs, BM25Params(variant="rank-bm25"))
    okapi = build_field(docs, BM25Params(variant="okapi"))
    assert exact.idf is not None
    assert (exact.idf > 0).all()   # the mean idf is positive: the same scores
    np.testing.assert_array_equal(exact.data, okapi.data)
    one = build_field([["báo_cáo", "25-nq/tw"]], BM25Params(variant="okapi"))
    assert (one.get_scores(["25-nq/tw"]) > 0).all()
    assert (build_field([["báo_cáo"]], BM25Params(variant="rank-bm25"))
            .get_scores(["báo_cáo"]) < 0).all()   # the oracle's own behaviour, kept


def test_hashed_vocab_tells_apart_terms_with_one_hash() -> None:
    """Terms are found by a 64-bit hash, then their bytes compared: two terms given the
    same hash (a collision) each get their own column, and a third is absent."""
    from vanban.index.bm25 import HashedVocab

    terms = [b"a", b"b", b"c"]
    hashes = np.array([7, 7, 9], dtype=np.uint64)   # "a" and "b" collide
    offsets = np.array([0, 1, 2, 3], dtype=np.uint32)
    vocab = HashedVocab(b"".join(terms), offsets, np.array([5, 6, 8], dtype=np.int32), hashes)
    forced = {"a": 7, "b": 7, "c": 9, "d": 7}

    def fake_hashes(ts: list[str]) -> np.ndarray:
        return np.array([forced[t] for t in ts], dtype=np.uint64)

    import vanban.index.bm25 as bm25

    real = bm25.term_hashes
    bm25.term_hashes = fake_hashes  # type: ignore[assignment]
    try:
        assert vocab.lookup(["b", "a", "d", "c"]).tolist() == [6, 5, -1, 8]
    finally:
        bm25.term_hashes = real


def test_vocab_lookup_in_one_batch_matches_the_dict() -> None:
    import tempfile
    from pathlib import Path

    from vanban.index.files import _load_field, _save_vocab

    docs = [["công_tác", "dân_vận", "ở"], ["5", "25-nq/tw", "dân_vận"]]
    field = build_field(docs, BM25Params())
    with tempfile.TemporaryDirectory() as tmp:
        for part in ("indptr", "indices", "data", "colmax"):
            np.save(Path(tmp) / f"f.{part}.npy", getattr(field, part))
        _save_vocab(Path(tmp), "f", field)
        loaded = _load_field(Path(tmp), "f", {"n_docs": 2, "avgdl": 3.0}, {})
        asked = ["ở", "không_có", "dân_vận", "", "25-nq/tw"]
        want = [field.vocab.get(t, -1) for t in asked]
        assert loaded.columns(asked).tolist() == want == field.columns(asked).tolist()
        assert type(loaded.indices) is np.ndarray   # a plain array over the mapped file
