"""BM25 with scores precomputed per (passage, term): a query sums a few columns.

``rank-bm25`` reproduces ``rank_bm25.BM25Okapi`` exactly (idf ln((N-n+0.5)/(n+0.5)),
negative idf replaced by epsilon × mean idf); ``lucene`` uses idf ln(1 + (N-n+0.5)/(n+0.5)),
always positive; ``okapi`` (the default) is ``rank-bm25`` wherever that idf is positive and
``lucene``'s idf where it is not, so that on a corpus however small (one document; a term
in half of two) every passage holding a query term scores above zero.  On real corpora the
mean idf is positive and ``okapi`` equals ``rank-bm25``.
Columns are stored CSC-style: ``indptr`` (per term), ``indices`` (passage numbers),
``data`` (the term's full BM25 contribution to that passage).
"""

from __future__ import annotations

import hashlib
import math
import mmap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from vanban.index.blocks import BlockMax

VARIANTS = ("okapi", "lucene", "rank-bm25")
SAMPLE_STRIDE = 16   # top_k: every 16th score bounds the k-th best from below

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class BM25Params:
    variant: str = "okapi"
    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise ValueError(f"unknown BM25 variant {self.variant!r} (choose from {VARIANTS})")
        for name, value, low, high in (("k1", self.k1, 0.0, math.inf),
                                       ("b", self.b, 0.0, 1.0),
                                       ("epsilon", self.epsilon, 0.0, math.inf)):
            if not (isinstance(value, int | float) and math.isfinite(value)
                    and low <= value <= high):
                within = f"between {low:g} and {high:g}" if math.isfinite(high) else \
                    f"a finite number >= {low:g}"
                raise ValueError(f"BM25 {name} must be {within}, not {value!r}")


def term_hashes(terms: Sequence[str]) -> npt.NDArray[np.uint64]:
    """A stable 64-bit hash of each term's UTF-8 bytes (BLAKE2b, 8 bytes)."""
    digest = b"".join(map(_digest, terms))
    return np.frombuffer(digest, dtype="<u8").astype(np.uint64)


@lru_cache(maxsize=1 << 16)   # a query's fields share terms, and queries share words
def _digest(term: str) -> bytes:
    return hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest()


class HashedVocab(Mapping[str, int]):
    """A vocabulary read from disk without building a dict: the terms sorted by their
    64-bit hash (``term_hashes``), their UTF-8 bytes concatenated in that order with
    offsets, and each term's column.  A batch of terms is found with one ``searchsorted``;
    the bytes are compared, so two terms with one hash are still told apart."""

    def __init__(self, blob: bytes | mmap.mmap, offsets: npt.NDArray[np.integer[Any]],
                 columns: npt.NDArray[np.integer[Any]], hashes: npt.NDArray[np.uint64]) -> None:
        self.blob, self.offsets, self.columns, self.hashes = blob, offsets, columns, hashes

    def _term(self, i: int) -> bytes:
        return self.blob[int(self.offsets[i]):int(self.offsets[i + 1])]

    def lookup(self, terms: Sequence[str],
               keys: npt.NDArray[np.uint64] | None = None) -> IntArray:
        """The column of each term, -1 where the vocabulary lacks it (``keys``: the terms'
        ``term_hashes``, when already known)."""
        out = np.full(len(terms), -1, dtype=np.int64)
        if not len(terms) or not len(self.hashes):
            return out
        keys = term_hashes(terms) if keys is None else keys
        n = len(self.hashes)
        at = np.minimum(np.searchsorted(self.hashes, keys), n - 1)
        hit = np.flatnonzero(self.hashes.take(at) == keys)
        places = at.take(hit)
        # the first term of each hash, compared as bytes (plain ints: no numpy scalars)
        blob = self.blob
        for i, j, s, e, col in zip(hit.tolist(), places.tolist(),
                                   self.offsets.take(places).tolist(),
                                   self.offsets.take(places + 1).tolist(),
                                   self.columns.take(places).tolist(), strict=True):
            key = terms[i].encode("utf-8")
            if blob[s:e] == key:
                out[i] = col
                continue
            j += 1
            while j < n and self.hashes[j] == keys[i]:   # only on a hash collision
                if self._term(j) == key:
                    out[i] = self.columns[j]
                    break
                j += 1
        return out

    def __getitem__(self, term: str) -> int:
        col = int(self.lookup([term])[0])
        if col < 0:
            raise KeyError(term)
        return col

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and int(self.lookup([term])[0]) >= 0

    def __len__(self) -> int:
        return len(self.columns)

    def __iter__(self) -> Iterator[str]:
        return (self._term(i).decode("utf-8") for i in range(len(self)))


def lookup_columns(vocab: Mapping[str, int], terms: Sequence[str],
                   keys: npt.NDArray[np.uint64] | None = None) -> IntArray:
    """The column of each term (-1 when absent), in one batch when the vocabulary can."""
    if isinstance(vocab, HashedVocab):
        return vocab.lookup(terms, keys)
    return np.fromiter((vocab.get(t, -1) for t in terms), dtype=np.int64, count=len(terms))


@dataclass
class FieldIndex:
    """The BM25 columns of one token field."""

    vocab: Mapping[str, int]
    idf: FloatArray | None   # not kept on disk: the scores in ``data`` have it built in
    indptr: IntArray
    indices: npt.NDArray[np.int32]
    data: FloatArray
    n_docs: int
    avgdl: float
    colmax: FloatArray | None = None
    blocks: BlockMax | None = None  # block-max tables of the long columns (large fields)

    def max_score(self, col: int) -> float:
        """The largest value of a column (its score's upper bound)."""
        if self.colmax is not None:
            return float(self.colmax[col])
        s, e = int(self.indptr[col]), int(self.indptr[col + 1])
        return float(np.max(self.data[s:e])) if e > s else 0.0

    def columns(self, terms: Sequence[str],
                keys: npt.NDArray[np.uint64] | None = None) -> IntArray:
        """The column of each term, -1 when absent (one batch; ``keys``: their hashes)."""
        return lookup_columns(self.vocab, terms, keys)

    def column(self, term: str) -> tuple[npt.NDArray[np.int32], FloatArray] | None:
        col = self.vocab.get(term)
        return None if col is None else self.postings(col)

    def postings(self, col: int) -> tuple[npt.NDArray[np.int32], FloatArray]:
        """Passage rows (ascending) and BM25 values of column ``col``."""
        s, e = int(self.indptr[col]), int(self.indptr[col + 1])
        return self.indices[s:e], self.data[s:e]

    def add_scores(self, scores: FloatArray, terms: Iterable[str], weight: float = 1.0) -> None:
        """Add this field's BM25 score of ``terms`` (with repeats) into ``scores``."""
        for term in terms:
            col = self.column(term)
            if col is None:
                continue
            idx, vals = col
            if weight == 1.0:
                scores[idx] += vals
            else:
                scores[idx] += weight * vals

    def get_scores(self, terms: Iterable[str]) -> FloatArray:
        scores = np.zeros(self.n_docs, dtype=np.float64)
        self.add_scores(scores, terms)
        return scores


def build_field(docs: Sequence[Sequence[str]], params: BM25Params) -> FieldIndex:
    """Precompute the BM25 columns of a tokenized corpus."""
    import pandas as pd  # fast hashing of tokens into ids (build time only)

    lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
    flat = list(chain.from_iterable(docs))
    codes, uniques = pd.factorize(pd.Series(flat, dtype=object), sort=False)
    doc_ids = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    return field_from_codes(codes.astype(np.int64), doc_ids, [str(t) for t in uniques],
                            len(docs), params)


def field_from_codes(term_ids: IntArray, doc_ids: IntArray, terms: Sequence[str],
                     n_docs: int, params: BM25Params) -> FieldIndex:
    """The BM25 columns from token occurrences given as (term id, passage) pairs; every
    term of ``terms`` must occur at least once."""
    vocab = {t: i for i, t in enumerate(terms)}
    lengths = np.bincount(doc_ids, minlength=n_docs).astype(np.int64)
    keys, tf = np.unique(term_ids * max(n_docs, 1) + doc_ids, return_counts=True)
    terms_of, passages = np.divmod(keys, max(n_docs, 1))
    df = np.bincount(terms_of, minlength=len(vocab)).astype(np.float64)
    idf = _idf(df, n_docs, params)
    avgdl = float(lengths.sum()) / n_docs if n_docs else 0.0
    dl = lengths[passages].astype(np.float64)
    tf_f = tf.astype(np.float64)
    norm = params.k1 * (1 - params.b + params.b * dl / avgdl) if avgdl else params.k1
    data = idf[terms_of] * (tf_f * (params.k1 + 1) / (tf_f + norm))
    indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(np.bincount(terms_of, minlength=len(vocab)), out=indptr[1:])
    # every column holds at least one value, so reduceat over column starts is exact
    colmax = (np.maximum.reduceat(data, indptr[:-1]) if len(data)
              else np.zeros(len(vocab), dtype=np.float64))
    return FieldIndex(vocab=vocab, idf=idf, indptr=indptr, indices=passages.astype(np.int32),
                      data=data, n_docs=n_docs, avgdl=avgdl, colmax=colmax)


def _idf(df: FloatArray, n_docs: int, params: BM25Params) -> FloatArray:
    if params.variant == "lucene":
        out: FloatArray = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        return out
    idf: FloatArray = np.log(n_docs - df + 0.5) - np.log(df + 0.5)
    if len(idf):
        eps = params.epsilon * float(idf.sum()) / len(idf)
        idf[idf < 0] = eps
    if params.variant == "okapi":
        low = idf <= 0
        idf[low] = np.log1p((n_docs - df[low] + 0.5) / (df[low] + 0.5))
    return idf


def top_k(scores: FloatArray, k: int, mask: npt.NDArray[np.bool_] | None = None) -> IntArray:
    """Indices of the ``k`` best positive scores, best first (ties: lower index first)."""
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if mask is not None:
        scores = np.where(mask, scores, 0.0)
    sample = scores[::SAMPLE_STRIDE]
    floor = 0.0
    if len(sample) > 4 * k:
        # the k-th best of a sample is at most the k-th best of all: every score above it
        # is a candidate (a few hundred rows, not all that score above zero)
        floor = float(np.partition(sample, len(sample) - k)[len(sample) - k])
    candidates = np.flatnonzero(scores >= floor) if floor > 0 else np.flatnonzero(scores > 0)
    if len(candidates) > k:
        part = np.argpartition(-scores[candidates], k - 1)[:k]
        kth = scores[candidates[part]].min()
        candidates = candidates[scores[candidates] >= kth]  # every tie of the k-th, then order
    order = np.lexsort((candidates, -scores[candidates]))[:k]
    result: IntArray = candidates[order].astype(np.int64)
    return result
