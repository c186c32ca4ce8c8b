"""Building the index from the store's stored tokens."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from vanban.corpus.store import Store
from vanban.index.blocks import build_blocks, expand_ranges
from vanban.index.bm25 import BM25Params, FieldIndex, build_field, field_from_codes
from vanban.index.fields import (
    DOC_FIELDS,
    FIELDS,
    MATCH_FIELDS,
    PLAIN_FIELDS,
    SCORED_FIELDS,
    SHARED_VOCABULARY,
    TITLE_FIELDS,
)
from vanban.index.files import IndexData, save_index
from vanban.index.tokens import TOKENIZER_VERSION, tokenize_many
from vanban.ingest.normalize import strip_accents

DEFAULT_PARAMS = BM25Params(variant="okapi", k1=1.2, b=0.6)
PARAMS_SETTING = "bm25"
TITLE_B = 1.0   # chosen on the three dev sets (bench/retrieval_quality.py)
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")
PLAIN_SHARE = 0.2   # a passage typed without accents: fewer of its words marked than this
_HEADINGS = frozenset(("điều", "chương", "mục", "phần"))  # a title's own numbering word


def tokenize_pending(store: Store, *, workers: int = 1,
                     progress: Callable[[int], None] | None = None) -> int:
    """Segment every passage and title that has no stored tokens yet; returns how many."""
    titles = store.titles_needing_tokens()
    if titles:
        store.set_title_tokens(zip([r for r, _ in titles],
                                   tokenize_many([t for _, t in titles]), strict=True))
    pending = store.passages_needing_tokens()
    if not pending:
        return len(titles)
    batch = 2000
    chunks = [pending[i:i + batch] for i in range(0, len(pending), batch)]
    texts = [[t for _, t in c] for c in chunks]
    if workers > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = pool.map(tokenize_many, texts)
            for chunk, toks in zip(chunks, results, strict=True):
                store.set_tokens((r, t) for (r, _), t in zip(chunk, toks, strict=True))
                if progress:
                    progress(len(chunk))
    else:
        for chunk, text in zip(chunks, texts, strict=True):
            store.set_tokens(zip([r for r, _ in chunk], tokenize_many(text), strict=True))
            if progress:
                progress(len(chunk))
    return len(pending) + len(titles)


def stored_params(store: Store) -> BM25Params:
    """The corpus's BM25 parameters (kept by the last `vanban index` that set them), else
    the defaults."""
    raw = store.setting(PARAMS_SETTING)
    if raw:
        try:
            return BM25Params(**json.loads(raw))
        except (ValueError, TypeError):
            pass  # unreadable: the defaults
    return DEFAULT_PARAMS


def build_index(db_path: Path, store: Store, params: BM25Params | None = None,
                *, workers: int = 1) -> IndexData:
    """Tokenize what is pending, build every field from stored tokens, save atomically.
    ``params`` given are kept in the store for later builds; None: the stored ones.

    Passages, titles and the corpus generation are read in one snapshot, and the index
    is stamped with that generation: a document committed meanwhile is not in it and
    shows as added since (the next build picks it up)."""
    keep = params is not None
    params = params if params is not None else stored_params(store)
    tokenize_pending(store, workers=workers)
    data = index_data(store, params)
    save_index(db_path, data)
    if keep and store.setting(PARAMS_SETTING) != (kept := json.dumps(asdict(params))):
        store.set_setting(PARAMS_SETTING, kept)
    return data


def index_data(store: Store, params: BM25Params) -> IndexData:
    """Every field from the stored tokens of one snapshot of the store, in memory."""
    with store.snapshot():
        generation = store.generation()
        fingerprint = store.read_fingerprint()
        rows = list(store.iter_index_rows())
        title_rows = list(store.iter_index_titles())
    rowids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    doc_rowids = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    words = [t.split() for t in _with_tokens([(r[2], r[3] or "") for r in rows])]
    del rows
    doc_index = np.searchsorted(np.asarray([r for r, _, _ in title_rows], dtype=np.int64),
                                doc_rowids)
    tokens: dict[str, _Tokens] = {}   # (held only while the next fields need them)
    fields = build_fields(words, params, scored=(), tokens_out=tokens)
    plain = _unaccented_rows(tokens.pop("word"), len(words))
    tokens.clear()
    titles = [t.split() for t in _with_tokens([(t, title) for _, t, title in title_rows])]
    fields.update(build_title_fields(titles, params))
    fields.update(build_doc_fields(titles, words, doc_index, params, tokens))
    fields.update(build_match_fields(titles, tokens.pop("syl")))
    tokens.clear()
    share_vocabularies(fields)
    for name in (*SCORED_FIELDS, *DOC_FIELDS):   # block tables in the shared numbering
        add_blocks(fields[name])
    fields.update(build_plain_fields(fields, plain))
    return IndexData(fields=fields, rowids=rowids, doc_rowids=doc_rowids,
                     doc_index=doc_index.astype(np.int64), params=params,
                     fingerprint=fingerprint,
                     meta={"tokenizer": TOKENIZER_VERSION, "passages": len(rowids),
                           "documents": len(title_rows), "generation": asdict(generation)})


def unaccented_passages(words: Sequence[list[str]]) -> npt.NDArray[np.bool_]:
    """The passages typed without accents: three words with letters or more, and fewer
    than ``PLAIN_SHARE`` of them with a diacritic (Vietnamese typed with accents marks
    most of its words)."""
    return _unaccented_rows(_word_tokens(words), len(words))


def _unaccented_rows(word: _Tokens, n_rows: int) -> npt.NDArray[np.bool_]:
    """``unaccented_passages`` from the rows' word tokens (each distinct word looked at
    once)."""
    lettered = np.fromiter((bool(_LETTER.search(t)) for t in word.terms), dtype=bool,
                           count=len(word.terms))
    marked = np.fromiter((strip_accents(t) != t for t in word.terms), dtype=bool,
                         count=len(word.terms))
    n_letters = np.bincount(word.docs, weights=lettered[word.ids], minlength=n_rows)
    n_marked = np.bincount(word.docs, weights=marked[word.ids], minlength=n_rows)
    plain: npt.NDArray[np.bool_] = (n_letters >= 3) & (n_marked < PLAIN_SHARE * n_letters)
    return plain


def build_plain_fields(fields: dict[str, FieldIndex], plain: npt.NDArray[np.bool_]
                       ) -> dict[str, FieldIndex]:
    """The ``PLAIN_FIELDS``: each accent-free field's postings in the ``plain`` passages
    only, with the same scores (none when every passage has its accents)."""
    if not plain.any():
        return {}
    return {name: add_blocks(restrict_rows(fields[source], plain))
            for name, source in PLAIN_FIELDS.items()}


def restrict_rows(field: FieldIndex, keep_rows: npt.NDArray[np.bool_]) -> FieldIndex:
    """A field's postings in the rows ``keep_rows`` allows: the same values, statistics,
    row numbers and columns (the vocabulary is the field's own: a term left without a
    posting is an empty column)."""
    indptr = np.asarray(field.indptr)
    keep = keep_rows[np.asarray(field.indices)]
    counted = np.zeros(len(keep) + 1, dtype=np.int64)
    np.cumsum(keep, out=counted[1:])
    new_indptr = counted[indptr]   # the kept postings before each column's start
    data = np.asarray(field.data)[keep]
    return FieldIndex(vocab=field.vocab, idf=field.idf, indptr=new_indptr,
                      indices=np.asarray(field.indices)[keep], data=data,
                      n_docs=field.n_docs, avgdl=field.avgdl,
                      colmax=_column_max(data, new_indptr))


def _column_max(data: npt.NDArray[np.float64], indptr: npt.NDArray[np.int64]
                ) -> npt.NDArray[np.float64]:
    """Each column's largest value, 0 for an empty column."""
    colmax = np.zeros(len(indptr) - 1, dtype=np.float64)
    full = np.flatnonzero(np.diff(indptr) > 0)
    if len(full):   # reduceat over the starts of the columns that hold a value
        colmax[full] = np.maximum.reduceat(data, indptr[full])
    return colmax


def share_vocabularies(fields: dict[str, FieldIndex]) -> None:
    """Number the fields of each ``SHARED_VOCABULARY`` group alike (in place): the union
    of their terms, in the order the group names them; postings and values unchanged."""
    for group in SHARED_VOCABULARY:
        present = [name for name in group if name in fields]
        if len(present) < 2:
            continue
        vocab: dict[str, int] = {}
        for name in present:
            for term in fields[name].vocab:
                vocab.setdefault(term, len(vocab))
        for name in present:
            fields[name] = renumber_columns(fields[name], vocab)


def renumber_columns(field: FieldIndex, vocab: dict[str, int]) -> FieldIndex:
    """The field with its columns in ``vocab``'s numbering (a superset of its terms): the
    columns of the terms it lacks are empty.  Block tables are built again."""
    src = np.fromiter(field.vocab.values(), dtype=np.int64, count=len(field.vocab))
    dst = np.fromiter((vocab[t] for t in field.vocab), dtype=np.int64, count=len(field.vocab))
    indptr = np.asarray(field.indptr)
    df = np.diff(indptr)
    new_df = np.zeros(len(vocab), dtype=np.int64)
    new_df[dst] = df[src]
    new_indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(new_df, out=new_indptr[1:])
    moved = src[np.argsort(dst, kind="stable")]      # old columns, in their new order
    at = expand_ranges(indptr[moved], df[moved])
    idf = None
    if field.idf is not None:
        idf = np.zeros(len(vocab), dtype=np.float64)
        idf[dst] = field.idf[src]
    data = np.asarray(field.data)[at]
    renumbered = FieldIndex(vocab=vocab, idf=idf, indptr=new_indptr,
                            indices=np.asarray(field.indices)[at], data=data,
                            n_docs=field.n_docs, avgdl=field.avgdl,
                            colmax=_column_max(data, new_indptr))
    return add_blocks(renumbered) if field.blocks is not None else renumbered


def build_title_fields(titles: Sequence[list[str]], params: BM25Params
                       ) -> dict[str, FieldIndex]:
    """The ``t_`` fields: each document's title, without numbering codes ("Điều
    40.1.LQ.1.", "1.", "2020": a token with a digit that is not a directive symbol), and
    fully length-normalized (b = 1: a title is short, and every word of it counts)."""
    clean = [[w for w in t if "/" in w or not _DIGIT.search(w)] for t in titles]
    title_params = replace(params, b=TITLE_B)
    return {name: build_field([derive(t) for t in clean], title_params)
            for name, derive in TITLE_FIELDS.items()}


def build_doc_fields(titles: Sequence[list[str]], words: Sequence[list[str]],
                     doc_index: npt.NDArray[np.int64], params: BM25Params,
                     tokens_out: dict[str, _Tokens] | None = None) -> dict[str, FieldIndex]:
    """The ``d_`` fields: one row per document, its title's words then its passages'
    (``tokens_out`` receives the documents' word and syllable tokens)."""
    docs: list[list[str]] = [list(t) for t in titles]
    for doc, passage in zip(doc_index.tolist(), words, strict=True):
        docs[doc].extend(passage)
    fields = build_fields(docs, params, scored=(), names=[n[2:] for n in DOC_FIELDS],
                          tokens_out=tokens_out)
    return {name: fields[name[2:]] for name in DOC_FIELDS}


def build_match_fields(titles: Sequence[list[str]], doc_syllables: _Tokens
                       ) -> dict[str, FieldIndex]:
    """The match fields (``MATCH_FIELDS``): each title bigram's share of its title (the
    title without its numbering, ``title_words``), and the syllable trigrams each document
    (title then passages: ``doc_syllables``) holds."""
    heads = [title_words(t) for t in titles]
    cover = {name: share_field(_word_tokens([derive(t) for t in heads]), len(titles))
             for name, derive in MATCH_FIELDS.items() if name.startswith("d_cover")}
    return {**cover, "d_tri": share_field(doc_syllables.trigrams(), len(titles), binary=True)}


def title_words(title: list[str]) -> list[str]:
    """A title's words without its numbering: a leading "Điều 40.1.LQ.1." (the heading
    word, then every word up to the last holding a digit among the next few) and any other
    word holding a digit that is not a directive symbol."""
    if len(title) > 1 and title[0].lower() in _HEADINGS and _DIGIT.search(title[1]):
        last = max(i for i, w in enumerate(title[:8]) if _DIGIT.search(w))
        title = title[last + 1:]
    return [w for w in title if "/" in w or not _DIGIT.search(w)]


def share_field(tokens: _Tokens, n_rows: int, *, binary: bool = False) -> FieldIndex:
    """A field whose value at (row, term) is 1 where the row holds the term (``binary``),
    else the term's share of the row's tokens; every term of ``tokens`` occurs."""
    lengths = np.bincount(tokens.docs, minlength=n_rows).astype(np.float64)
    keys, tf = np.unique(tokens.ids * max(n_rows, 1) + tokens.docs, return_counts=True)
    terms_of, rows = np.divmod(keys, max(n_rows, 1))
    data = np.ones(len(tf)) if binary else tf / lengths[rows]
    indptr = np.zeros(len(tokens.terms) + 1, dtype=np.int64)
    np.cumsum(np.bincount(terms_of, minlength=len(tokens.terms)), out=indptr[1:])
    return FieldIndex(vocab={t: i for i, t in enumerate(tokens.terms)}, idf=None,
                      indptr=indptr, indices=rows.astype(np.int32), data=data,
                      n_docs=n_rows, avgdl=float(lengths.mean()) if n_rows else 0.0,
                      colmax=_column_max(data, indptr))


def _with_tokens(rows: Sequence[tuple[str | None, str]]) -> list[str]:
    """The stored tokens of each row, tokenizing (in memory) those stored without: written
    by a writer that does not tokenize, after ``tokenize_pending`` ran."""
    missing = [i for i, (toks, _) in enumerate(rows) if toks is None]
    fresh = dict(zip(missing, tokenize_many([rows[i][1] for i in missing]), strict=True))
    return [toks if toks is not None else fresh[i] for i, (toks, _) in enumerate(rows)]


def build_fields(words: Sequence[list[str]], params: BM25Params,
                 scored: Sequence[str] = SCORED_FIELDS, *,
                 names: Sequence[str] = tuple(FIELDS),
                 tokens_out: dict[str, _Tokens] | None = None) -> dict[str, FieldIndex]:
    """The passage fields ``names`` from the stored word tokens (block tables on those of
    ``scored``).  The derived tokens (syllables, unaccented forms, bigrams) are worked out
    once per distinct word or syllable and spread over the corpus as integer ids: the same
    tokens as ``FIELDS`` gives, per passage, without building a string per occurrence.
    ``tokens_out`` receives the word and syllable tokens, for the fields built on them."""
    n_docs = len(words)
    word = _word_tokens(words)
    syl, word_u, syl_u = (word.map(_for_one_word(FIELDS[name]))
                          for name in ("syl", "word_u", "syl_u"))
    if tokens_out is not None:
        tokens_out.update(word=word, syl=syl)
    tokens = {"word": lambda: word, "syl": lambda: syl, "bi": syl.bigrams,
              "word_u": lambda: word_u, "syl_u": lambda: syl_u, "bi_u": syl_u.bigrams}
    fields = {}
    for name in names:
        t = tokens[name]()
        fields[name] = field_from_codes(t.ids, t.docs, t.terms, n_docs, params)
    for name in (s.removeprefix("d_") for s in scored):
        add_blocks(fields[name])
    return fields


def _word_tokens(words: Sequence[list[str]]) -> _Tokens:
    """The word tokens of each row as integer ids."""
    import pandas as pd  # fast hashing of tokens into ids (build time only)

    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    flat = list(itertools.chain.from_iterable(words))
    codes, uniques = pd.factorize(pd.Series(flat, dtype=object), sort=False)
    return _Tokens(codes.astype(np.int64),
                   np.repeat(np.arange(len(words), dtype=np.int64), lengths),
                   [str(t) for t in uniques])


def _for_one_word(derive: Callable[[list[str]], list[str]]) -> Callable[[str], list[str]]:
    """A field's derivation applied to one distinct word."""
    return lambda word: derive([word])


@dataclass(frozen=True)
class _Tokens:
    """A field's token occurrences in corpus order: term ids, their passages, the terms."""

    ids: npt.NDArray[np.int64]
    docs: npt.NDArray[np.int64]
    terms: list[str]

    def map(self, split: Callable[[str], list[str]]) -> _Tokens:
        """Each token replaced by the tokens ``split`` makes of it (zero or more)."""
        import pandas as pd

        pieces = [split(t) for t in self.terms]
        counts = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        codes, uniques = pd.factorize(
            pd.Series(list(itertools.chain.from_iterable(pieces)), dtype=object), sort=False)
        starts = np.cumsum(counts) - counts
        per_token = counts[self.ids]
        idx = expand_ranges(starts[self.ids], per_token)
        return _Tokens(codes.astype(np.int64)[idx], np.repeat(self.docs, per_token),
                       [str(t) for t in uniques])

    def bigrams(self) -> _Tokens:
        """Adjacent pairs inside each passage, as ``a|b`` terms."""
        import pandas as pd

        same = self.docs[1:] == self.docs[:-1]
        keys = self.ids[:-1][same] * max(len(self.terms), 1) + self.ids[1:][same]
        codes, uniques = pd.factorize(keys, sort=False)
        first, second = np.divmod(np.asarray(uniques, dtype=np.int64), max(len(self.terms), 1))
        terms = [f"{self.terms[a]}|{self.terms[b]}"
                 for a, b in zip(first.tolist(), second.tolist(), strict=True)]
        return _Tokens(codes.astype(np.int64), self.docs[1:][same], terms)

    def trigrams(self) -> _Tokens:
        """Runs of three tokens inside each row, as ``a|b|c`` terms."""
        import pandas as pd

        v = max(len(self.terms), 1)
        pair, pairs = pd.factorize(self.ids[:-1] * v + self.ids[1:], sort=False)
        same = self.docs[2:] == self.docs[:-2]   # rows are runs: the middle one is the same
        codes, uniques = pd.factorize(pair[:-1][same].astype(np.int64) * v
                                      + self.ids[2:][same], sort=False)
        head, third = np.divmod(np.asarray(uniques, dtype=np.int64), v)
        first, second = np.divmod(np.asarray(pairs, dtype=np.int64)[head], v)
        terms = [f"{self.terms[x]}|{self.terms[y]}|{self.terms[z]}" for x, y, z in
                 zip(first.tolist(), second.tolist(), third.tolist(), strict=True)]
        return _Tokens(codes.astype(np.int64), self.docs[2:][same], terms)


def add_blocks(field: FieldIndex, *, min_df: int | None = None) -> FieldIndex:
    """Attach block-max tables to a field (left without when it is small)."""
    if field.colmax is not None:
        field.blocks = build_blocks(field.indptr, field.indices, field.data, field.colmax,
                                    field.n_docs, min_df=min_df)
    return field
