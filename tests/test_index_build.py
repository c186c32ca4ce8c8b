"""The index build derives its fields at the vocabulary level: the same columns as
deriving every passage's tokens one by one (``FIELDS``)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from vanban.index.bm25 import BM25Params, build_field
from vanban.index.build import build_fields
from vanban.index.fields import FIELDS

PIECES = ["dân", "vận", "khéo", "thành", "ủy", "uỷ", "25-nq/tw", "ở", "5", "hòa", "giải",
          "đồng", "bào", "của", "và", "dan", "van"]
WORD = st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map("_".join)


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.lists(WORD, max_size=12), min_size=1, max_size=25),
       variant=st.sampled_from(["okapi", "lucene"]))
def test_fields_equal_the_per_passage_derivation(words: list[list[str]], variant: str) -> None:
    params = BM25Params(variant=variant)
    built = build_fields(words, params)
    for name, derive in FIELDS.items():
        want = build_field([derive(list(w)) for w in words], params)
        got = built[name]
        assert set(got.vocab) == set(want.vocab), name
        assert got.n_docs == want.n_docs
        assert got.avgdl == want.avgdl
        for term in want.vocab:
            want_rows, want_values = want.column(term)  # type: ignore[misc]
            got_rows, got_values = got.column(term)  # type: ignore[misc]
            assert got_rows.tolist() == want_rows.tolist(), (name, term)
            np.testing.assert_allclose(got_values, want_values, rtol=1e-12)


def test_empty_passages_and_corpus() -> None:
    built = build_fields([[], ["dân_vận"], []], BM25Params())
    assert built["bi"].n_docs == 3 and list(built["bi"].vocab) == ["dân|vận"]
    assert built["syl"].column("vận")[0].tolist() == [1]  # type: ignore[index]
    assert build_fields([], BM25Params())["word"].n_docs == 0


@settings(max_examples=40, deadline=None)
@given(words=st.lists(st.lists(WORD, max_size=12), min_size=1, max_size=25),
       extra=st.lists(WORD, max_size=6))
def test_renumbered_columns_keep_every_posting(words: list[list[str]],
                                               extra: list[str]) -> None:
    """A field renumbered into a larger vocabulary (its terms, others before and between
    them) holds the same postings per term; the terms it lacks are empty columns."""
    from vanban.index.build import renumber_columns

    field = build_field(words, BM25Params())
    vocab: dict[str, int] = {}
    for term in [*extra, *reversed(list(field.vocab)), *extra]:
        vocab.setdefault(term, len(vocab))
    moved = renumber_columns(field, vocab)
    assert moved.vocab is vocab and len(moved.indptr) == len(vocab) + 1
    for term, col in vocab.items():
        rows, values = moved.postings(col)
        if term in field.vocab:
            want_rows, want_values = field.postings(field.vocab[term])
            assert np.array_equal(rows, want_rows) and np.array_equal(values, want_values)
            assert moved.max_score(col) == field.max_score(field.vocab[term])
        else:
            assert not len(rows) and moved.max_score(col) == 0.0


def test_fields_of_a_group_share_one_vocabulary_on_disk(sample_db: object) -> None:
    """Words, title words and document words are numbered alike: one vocabulary saved and
    loaded for the group, and one lookup answers all three."""
    from pathlib import Path

    from vanban.index.fields import SHARED_VOCABULARY
    from vanban.index.files import index_dir, load_index

    assert isinstance(sample_db, Path)
    index = load_index(sample_db)
    current = index_dir(sample_db) / (index_dir(sample_db) / "CURRENT").read_text().strip()
    for group in SHARED_VOCABULARY:
        vocab = index.fields[group[0]].vocab
        assert all(index.fields[name].vocab is vocab for name in group[1:])
        assert len([p for p in current.glob("*.vocab.bin")
                    if p.name.split(".")[0] in group]) == 1
    cols = index.fields["word"].columns(["dân_vận", "công_tác"])
    assert (cols >= 0).all()
    for name in ("word", "t_word", "d_word"):
        assert all(len(index.fields[name].postings(c)[0]) or name == "t_word"
                   for c in cols.tolist())
