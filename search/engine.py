"""Queries and answers: BM25 over four token fields, symbols, phrases, filters."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from vanban.corpus.filters import DocumentFilter, document_conditions
from vanban.corpus.model import Directive
from vanban.corpus.store import Store
from vanban.index.blocks import expand_ranges
from vanban.index.bm25 import FieldIndex, term_hashes
from vanban.index.fields import MATCH_FIELDS, PER_QUERY_TERM, QUERY_TERMS, TITLE_FIELDS
from vanban.index.files import IndexData, load_index
from vanban.index.pages import will_need
from vanban.index.query import Unit, best_rows, column_units, exhaustive_scores
from vanban.index.tokens import candidate_words, query_syllables, segment_query, symbol_token
from vanban.ingest.extract.symbols import parse_query_symbol
from vanban.ingest.normalize import match_key, strip_accents
from vanban.search.documents import Combination, Layout, RankedDocument, rank_documents
from vanban.search.snippets import (
    FUNCTION_WORDS,
    highlight_spans,
    is_boilerplate,
    is_function_word_query,
    make_snippet,
)

# Field weights, chosen on ALQAC-2022, ALQAC-2023 and Zalo/Pháp điển together
# (bench/retrieval_quality.py): words plus syllable bigrams, and the document's title.
# A query typed with accents scores on the accented fields, and (lightly) on the
# accent-free fields of the passages typed without accents (``PLAIN_FIELDS``): never on
# "của" for "cửa" in accented text.  A query typed without accents scores on the
# accent-free fields of every passage.
ACCENTED_WEIGHTS = {"word": 1.0, "bi": 0.7, "word_uo": 0.1, "bi_uo": 0.07,
                    "t_word": 1.0, "t_bi": 0.7}
UNACCENTED_WEIGHTS = {"word_u": 1.0, "bi_u": 0.7, "t_word_u": 1.0, "t_bi_u": 0.7}
# Ranking documents (``search/documents.py``): the document fields (title and body as one
# text) plus the best passages; chosen on ALQAC-2022, ALQAC-2023 and Zalo/Pháp điển
# together (bench/retrieval_quality.py).  The match fields (shares in 0..1, see
# ``index/fields.py``) add how much of the title the question says and how many of the
# question's three-syllable phrases the document holds.
DOC_ACCENTED_WEIGHTS = {"d_word": 1.0, "d_bi": 0.7, "d_cover": 40.0, "d_tri": 80.0}
DOC_UNACCENTED_WEIGHTS = {"d_word_u": 1.0, "d_bi_u": 0.7, "d_cover_u": 30.0}
COMBINATION = Combination(best=1.0, second=0.0)
_TERM_PARTS = re.compile(r"[_|]")
_PHRASE = re.compile(r"[\"“”](.+?)[\"“”]")
TIER_OWN, TIER_CITES = 2.0, 1.0  # the directive itself first, then who cites it
TIER_SCALE = 1e6
READ_AHEAD_QUERIES = 16   # a searcher's first queries ask for their pages at once


Derive = Callable[[list[str]], list[str]]


@dataclass
class _QueryTerms:
    """One query's terms per derivation (terms, counts, hashes) and their columns per
    vocabulary."""

    words: list[str]
    stop: frozenset[str]
    terms: dict[Derive, tuple[list[str], list[int], npt.NDArray[np.uint64]]] = \
        field(default_factory=dict)
    columns: dict[tuple[int, Derive], npt.NDArray[np.int64]] = field(default_factory=dict)


class QueryError(ValueError):
    """A query that cannot be run (empty, or only punctuation)."""


class FunctionWordsOnly(QueryError):
    """A query made only of function words ("và của là các"): nothing to rank on."""


@dataclass(frozen=True)
class Filters:
    type: str | None = None
    issuer: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    cites: str | None = None

    def active(self) -> bool:
        return any((self.type, self.issuer, self.date_from, self.date_to, self.cites))


@dataclass(frozen=True)
class Hit:
    rank: int
    score: float
    doc_id: str
    title: str | None
    date: str | None
    source: str
    page: int | None
    passage: str
    passage_start: int
    snippet: str
    directives: tuple[Directive, ...]
    highlights: tuple[tuple[int, int], ...] = field(default=(), compare=False)  # in snippet
    more: tuple[Hit, ...] = field(default=(), compare=False)  # the document's next passages


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    syllables: tuple[str, ...]
    phrases: tuple[str, ...]
    symbol: str | None
    accented: bool


def parse_query(text: str) -> ParsedQuery:
    if not text or not text.strip():
        raise QueryError("empty query")
    sylls = query_syllables(text)
    if not sylls:
        raise QueryError("the query has no words")
    if is_function_word_query(sylls):
        raise FunctionWordsOnly(f"the query has only function words ({' '.join(sylls)}):"
                                " nothing to rank on; add a word that says what you look for")
    phrases = tuple(p.strip() for p in _PHRASE.findall(text) if p.strip())
    symbol = parse_query_symbol(text)
    if symbol and symbol_token(symbol) not in sylls:  # "nq 25/tw": score the symbol too
        sylls.append(symbol_token(symbol))
    return ParsedQuery(text=text, syllables=tuple(sylls), phrases=phrases, symbol=symbol,
                       accented=strip_accents(text) != text)


class Searcher:
    """Search one corpus: its store and its loaded index."""

    def __init__(self, db_path: Path, store: Store, index: IndexData | None = None, *,
                 accented_weights: dict[str, float] | None = None,
                 unaccented_weights: dict[str, float] | None = None,
                 doc_weights: tuple[dict[str, float], dict[str, float]] | None = None,
                 combination: Combination | None = None) -> None:
        self.db_path = db_path
        self.store = store
        # the last index built, even when documents were added since (counted by
        # ``freshness``): a search never waits for an ingest to end
        self.index = index or load_index(db_path)
        self.accented_weights = accented_weights or ACCENTED_WEIGHTS
        self.unaccented_weights = unaccented_weights or UNACCENTED_WEIGHTS
        self._doc_row_cache: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None = None
        self.doc_weights = doc_weights or (DOC_ACCENTED_WEIGHTS, DOC_UNACCENTED_WEIGHTS)
        self.combination = combination or COMBINATION
        self._doc_ids: list[str | None] | None = None
        self._last_words: tuple[ParsedQuery, list[str]] | None = None
        self._terms: _QueryTerms | None = None   # the last query's terms and columns
        # query terms made only of function words are dropped: they rank nothing and cost
        # the most postings (their bigrams with content words are kept)
        self.stop: frozenset[str] = FUNCTION_WORDS
        self._cold = READ_AHEAD_QUERIES   # the first queries read ahead (``read_ahead``)
        self.group_factor = 4  # passages per wanted document first asked for (grouping)

    # -- scoring ----------------------------------------------------------------
    def units(self, q: ParsedQuery, *, titles: bool = True) -> list[Unit]:
        """One scoring unit per (field, distinct query term); title terms reach the
        passages of the documents whose title has them (``titles``; without: the
        passages' own words only)."""
        weights = self.accented_weights if q.accented else self.unaccented_weights
        if not titles:
            weights = {name: w for name, w in weights.items() if name not in TITLE_FIELDS}
        return self._field_units(self._words(q), weights)

    def doc_units(self, q: ParsedQuery) -> list[Unit]:
        """The query's units on the documents (rows are documents): the document fields,
        then the title fields once per document, weighted as on each passage times the
        passages' weights (``Combination``); none on an index built without them."""
        weights = dict(self.doc_weights[0 if q.accented else 1])
        scale = self.combination.best + self.combination.second
        passage = self.accented_weights if q.accented else self.unaccented_weights
        weights.update({name: w * scale for name, w in passage.items() if name in TITLE_FIELDS})
        return self._field_units(self._words(q), weights, title_rows="documents")

    def _words(self, q: ParsedQuery) -> list[str]:
        """The query cut into the index's words (kept for the query's next fields)."""
        if self._last_words is None or self._last_words[0] is not q:
            sylls = list(q.syllables)
            known = _known_words(self.index.fields["word" if q.accented else "word_u"], sylls)
            self._last_words = (q, segment_query(sylls, known.__contains__))
        return self._last_words[1]

    def _field_units(self, words: list[str], weights: dict[str, float],
                     title_rows: str = "passages") -> list[Unit]:
        """Per field, the query's terms found in one vocabulary batch, one unit per term;
        a title field's terms make one unit over the passages (see ``_title_unit``), or
        with ``title_rows="documents"`` one unit per term over the documents.  A field the
        index lacks (``PLAIN_FIELDS`` of a corpus typed with accents throughout) adds
        nothing."""
        fields = self.index.fields
        units: list[Unit] = []
        for name, weight in weights.items():
            if not weight or name not in fields:
                continue
            fld = fields[name]
            counts, cols = self._columns(fld, words, QUERY_TERMS[name])
            if name in MATCH_FIELDS:   # a share: each distinct term once
                counts = [1] * len(counts)
                weight /= len(counts) if name in PER_QUERY_TERM and counts else 1
            at = np.flatnonzero(cols >= 0)
            found_cols = cols.take(at)
            held = fld.indptr.take(found_cols + 1) > fld.indptr.take(found_cols)
            at, found_cols = at[held], found_cols[held]   # (a shared vocabulary's term
            # that this field lacks is an empty column)
            if name in TITLE_FIELDS and title_rows == "passages":
                units += self._title_unit(fld, [(weight * counts[i], c) for i, c in zip(
                    at.tolist(), found_cols.tolist(), strict=True)])
                continue
            units += column_units(fld, found_cols, [weight * counts[i] for i in at.tolist()])
        return units

    def _columns(self, fld: FieldIndex, words: list[str], derive: Derive
                 ) -> tuple[list[int], npt.NDArray[np.int64]]:
        """A field's distinct terms of the query, without stop terms: their counts and
        columns.  Worked out once per query: fields share their derivations (terms and
        hashes), and the fields of a shared vocabulary their lookup."""
        found = self._terms
        if found is None or found.words is not words or found.stop is not self.stop:
            found = self._terms = _QueryTerms(words, self.stop)
        if derive not in found.terms:
            kept = {term: n for term, n in Counter(derive(words)).items()
                    if not (self.stop and all(p in self.stop
                                              for p in _TERM_PARTS.split(term)))}
            found.terms[derive] = (list(kept), list(kept.values()), term_hashes(list(kept)))
        terms, counts, keys = found.terms[derive]
        key = (id(fld.vocab), derive)
        if key not in found.columns:
            found.columns[key] = fld.columns(terms, keys)
        return counts, found.columns[key]

    def _title_unit(self, fld: FieldIndex, terms: list[tuple[float, int]]) -> list[Unit]:
        """A title field's weighted terms (weight, column) as one unit over the passages
        (rows ascending): each document's sum, on each of its passages."""
        if not terms:
            return []
        parts = [fld.postings(col) for _, col in terms]
        docs = np.concatenate([d for d, _ in parts])
        values = np.concatenate([w * v for (w, _), (_, v) in zip(terms, parts, strict=True)])
        hit, where = np.unique(docs, return_inverse=True)
        per_doc = np.bincount(where, weights=values, minlength=len(hit))  # terms in order
        first, count = self._doc_rows()
        rows = expand_ranges(first[hit], count[hit])
        if not len(rows):
            return []
        return [Unit(rows, np.repeat(per_doc, count[hit]), 1.0, float(per_doc.max()))]

    def read_ahead(self, *groups: Sequence[Unit]) -> None:
        """On the first ``READ_AHEAD_QUERIES`` queries of a searcher (a new process: the
        page cache is most likely cold), every posting list the query will read asked of
        the disk at once: one wait, not one per list.  Later queries find most pages
        there, and skip the system calls (about half a millisecond a query)."""
        if self._cold > 0:
            self._cold -= 1
            will_need(*(a for units in groups for u in units for a in (u.rows, u.values)))

    def _doc_rows(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        if self._doc_row_cache is None:
            doc_index = np.asarray(self.index.doc_index)
            n_docs = self.index.fields["t_word"].n_docs
            count = np.bincount(doc_index, minlength=n_docs).astype(np.int64)
            first = np.full(n_docs, 0, dtype=np.int64)
            nz = count > 0
            first[doc_index[::-1]] = np.arange(len(doc_index) - 1, -1, -1)
            first[~nz] = 0
            self._doc_row_cache = (first, count)
        return self._doc_row_cache

    def scores(self, q: ParsedQuery) -> npt.NDArray[np.float64]:
        """BM25 of every passage: weighted sum over fields (title fields via the document)."""
        return exhaustive_scores(self.units(q), len(self.index.rowids))

    def search(self, query: str, *, k: int = 10, filters: Filters | None = None,
               group_by_document: bool = False) -> list[Hit]:
        """The best documents (each with its best passages), or the best passages;
        boilerplate passages (recipients, signatures, rules) are never hits."""
        q = parse_query(query)
        if group_by_document:
            found = (self._doc_hit(0, d, q) for d in self.rank_documents(q, k, filters))
            # a document removed from the corpus since the index was built is left out
            return [replace(h, rank=i) for i, h in enumerate((h for h in found if h), 1)]
        return self._passage_hits(q, k, self._mask(q, filters))

    def rank_documents(self, q: ParsedQuery, k: int, filters: Filters | None = None
                       ) -> list[RankedDocument]:
        """The ``k`` best documents (no text read): document fields plus best passages;
        the directive itself, then the documents citing it, first for a symbol query."""
        mask = self._mask(q, filters)
        tier = self._tiers(q)
        bonus = None
        if tier is not None:
            bonus = np.zeros(len(self._doc_rows()[0]), dtype=np.float64)
            rows = np.flatnonzero(tier)
            np.maximum.at(bonus, np.asarray(self.index.doc_index)[rows],
                          tier[rows] * TIER_SCALE)
        first, count = self._doc_rows()
        layout = Layout(first, count, np.asarray(self.index.doc_index))
        units, doc_units = self.units(q, titles=False), self.doc_units(q)
        self.read_ahead(units, doc_units)
        ranked = rank_documents(units, doc_units, layout, k, self.combination, mask, bonus,
                                start=self.group_factor)
        if bonus is None:
            return ranked
        return [replace(r, score=r.score - float(bonus[r.doc])) for r in ranked]

    def document_ids(self) -> list[str | None]:
        """Each document row's doc id (the rows of the document and title fields); None
        for a document removed since the index was built."""
        if self._doc_ids is None:
            n_docs = len(self._doc_rows()[0])
            rowid = np.full(n_docs, -1, dtype=np.int64)
            rowid[np.asarray(self.index.doc_index)] = np.asarray(self.index.doc_rowids)
            ids = dict(self.store.db.execute("SELECT rowid, doc_id FROM documents"))
            self._doc_ids = [ids.get(r) for r in rowid.tolist()]
        return self._doc_ids

    def _passage_hits(self, q: ParsedQuery, k: int, mask: npt.NDArray[np.bool_] | None
                      ) -> list[Hit]:
        tier = self._tiers(q)
        units = self.units(q)
        self.read_ahead(units)
        if tier is not None:
            units += self._tier_units(tier)
        n = len(self.index.rowids)
        want = k + 4
        while True:
            rows, keys = best_rows(units, n, want, mask)
            texts = self._passage_texts([int(self.index.rowids[r]) for r in rows])
            keep = [i for i, r in enumerate(rows.tolist())
                    if not is_boilerplate(texts.get(int(self.index.rowids[r]), ""))]
            if len(keep) >= k or len(rows) < want:
                break
            want *= 4
        hits: list[Hit] = []
        for i in keep[:k]:   # (a passage removed since the index was built has no text)
            row = int(rows[i])
            score = float(keys[i]) - (float(tier[row]) * TIER_SCALE if tier is not None else 0.0)
            hit = self._hit(len(hits) + 1, row, score, q)
            if hit is not None:
                hits.append(hit)
        return hits

    def _doc_hit(self, rank: int, ranked: RankedDocument, q: ParsedQuery) -> Hit | None:
        """A document's entry: its best passage worth showing, the next ones under it."""
        first, count = self._doc_rows()
        if not count[ranked.doc]:
            return None     # a document without passages: nothing to show
        rows = list(ranked.rows) or [int(first[ranked.doc])]
        scores = list(ranked.row_scores) or [0.0]
        texts = self._passage_texts([int(self.index.rowids[r]) for r in rows])
        shown = [(r, sc) for r, sc in zip(rows, scores, strict=True)
                 if not is_boilerplate(texts.get(int(self.index.rowids[r]), ""))]
        if not shown:   # only boilerplate matched: the document's opening instead
            shown = [(int(first[ranked.doc]), 0.0)]
        best = self._hit(rank, shown[0][0], ranked.score, q)
        more = tuple(h for r, sc in shown[1:] if (h := self._hit(rank, r, sc, q)))
        return replace(best, more=more) if best else None

    @staticmethod
    def _tier_units(tier: npt.NDArray[np.float64]) -> list[Unit]:
        """The symbol tiers as scoring units: far above any BM25 score."""
        units = []
        for level in (TIER_OWN, TIER_CITES):
            rows = np.flatnonzero(tier == level)
            if len(rows):
                units.append(Unit(rows, np.full(len(rows), level * TIER_SCALE), 1.0,
                                  level * TIER_SCALE))
        return units

    # -- symbols, phrases, filters ------------------------------------------------
    def _tiers(self, q: ParsedQuery) -> npt.NDArray[np.float64] | None:
        if q.symbol is None:
            return None
        tier = np.zeros(len(self.index.rowids), dtype=np.float64)
        citing = self._rows(self.store.db.execute(
            'SELECT p.rowid FROM refs r JOIN passages p ON p.doc_rowid = r.doc_rowid'
            ' AND r.start >= p.start AND r.start < p."end" WHERE r.symbol = ?', (q.symbol,)))
        own = self._rows(self.store.db.execute(
            "SELECT p.rowid FROM documents d JOIN passages p ON p.doc_rowid = d.rowid"
            " WHERE d.symbol = ? AND p.ordinal = 0", (q.symbol,)))
        tier[citing] = TIER_CITES
        tier[own] = TIER_OWN
        return tier

    def _rows(self, cursor: object) -> npt.NDArray[np.int64]:
        """Index rows of the passage rowids a cursor yields."""
        rowids = np.fromiter((r[0] for r in cursor), dtype=np.int64)  # type: ignore[attr-defined]
        all_rows = np.asarray(self.index.rowids)
        pos = np.searchsorted(all_rows, rowids)
        pos = pos[(pos < len(all_rows))]
        ok = all_rows[pos] == rowids[: len(pos)]
        result: npt.NDArray[np.int64] = pos[ok]
        return result

    def _mask(self, q: ParsedQuery, filters: Filters | None) -> npt.NDArray[np.bool_] | None:
        mask: npt.NDArray[np.bool_] | None = None
        if filters is not None and filters.active():
            mask = np.zeros(len(self.index.rowids), dtype=bool)
            mask[self._rows(self._filter_cursor(filters))] = True
        for phrase in q.phrases:
            pmask = self._phrase_mask(phrase)
            mask = pmask if mask is None else mask & pmask
        return mask

    def _filter_cursor(self, f: Filters) -> object:
        conds, args = document_conditions(DocumentFilter(  # evaluated once per document
            type=f.type, issuer=f.issuer, date_from=f.date_from, date_to=f.date_to), "dd")
        where = [f"d.rowid IN (SELECT dd.rowid FROM documents dd WHERE {' AND '.join(conds)})"
                 ] if conds else []
        if f.cites:
            sym = parse_query_symbol(f.cites) or f.cites
            where.append("d.rowid IN (SELECT doc_rowid FROM refs WHERE symbol = ?)")
            args.append(sym)
        sql = ("SELECT p.rowid FROM passages p JOIN documents d ON d.rowid = p.doc_rowid WHERE "
               + " AND ".join(where))
        return self.store.db.execute(sql, args)

    def _phrase_mask(self, phrase: str) -> npt.NDArray[np.bool_]:
        """Passages where the phrase occurs as written (accents ignored if typed without)."""
        sylls = query_syllables(phrase)
        accented = strip_accents(phrase) != phrase
        fld = self.index.fields["syl" if accented else "syl_u"]
        rows: npt.NDArray[np.int64] | None = None
        for s in sylls:
            col = fld.column(s if accented else strip_accents(s))
            found = np.asarray(col[0], dtype=np.int64) if col else np.zeros(0, dtype=np.int64)
            rows = found if rows is None else np.intersect1d(rows, found)
        mask = np.zeros(len(self.index.rowids), dtype=bool)
        if rows is None or not len(rows):
            return mask
        pattern = _phrase_regex(sylls, accented)
        rowids = np.asarray(self.index.rowids)[rows]
        texts = self._passage_texts([int(r) for r in rowids])
        for row, rowid in zip(rows, rowids, strict=True):
            text = match_key(texts.get(int(rowid), ""))
            if pattern.search(text if accented else strip_accents(text)):
                mask[row] = True
        return mask

    def _passage_texts(self, rowids: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for i in range(0, len(rowids), 900):
            chunk = rowids[i:i + 900]
            marks = ",".join("?" * len(chunk))
            out.update(self.store.db.execute(
                f"SELECT rowid, text FROM passages WHERE rowid IN ({marks})", chunk).fetchall())
        return out

    # -- answers ------------------------------------------------------------------
    def _hit(self, rank: int, row: int, score: float, q: ParsedQuery) -> Hit | None:
        rowid = int(self.index.rowids[row])
        r = self.store.db.execute(
            'SELECT d.rowid, d.doc_id, d.title, d.date, d.source, p.page, p.text, p.start,'
            ' p."end" FROM passages p JOIN documents d ON d.rowid = p.doc_rowid'
            " WHERE p.rowid = ?", (rowid,)).fetchone()
        if r is None:
            return None
        doc_rowid, doc_id, title, date, source, page, text, start, end = r
        snippet = make_snippet(text, highlight_spans(text, q.syllables, q.accented))
        return Hit(rank=rank, score=round(score, 6), doc_id=doc_id, title=title, date=date,
                   source=source, page=page, passage=text, passage_start=start,
                   snippet=snippet.text, highlights=snippet.highlights,
                   directives=self._directives(doc_rowid, start, end))

    def _directives(self, doc_rowid: int, start: int, end: int) -> tuple[Directive, ...]:
        """Directives cited in the passage, else in its document (distinct, in order)."""
        refs = list(self.store.db.execute(
            'SELECT symbol, name, type, date FROM refs WHERE doc_rowid = ? AND start >= ?'
            ' AND start < ? ORDER BY start', (doc_rowid, start, end)))
        if not refs:
            refs = list(self.store.db.execute(
                "SELECT symbol, name, type, date FROM refs WHERE doc_rowid = ? ORDER BY start",
                (doc_rowid,)))
        seen: dict[tuple[str | None, str | None], Directive] = {}
        for symbol, name, typ, date in refs:
            key = (symbol, None if symbol else name)
            old = seen.get(key)
            if old is None or (old.date is None and date):
                seen[key] = Directive(symbol=symbol, name=None if symbol else name, type=typ,
                                      date=date or (old.date if old else None))
        return tuple(seen.values())


def _known_words(fld: FieldIndex, sylls: Sequence[str]) -> set[str]:
    """The runs of syllables that are words of the field (one vocabulary batch)."""
    runs = candidate_words(sylls)
    cols = fld.columns(runs)
    # a column of the field's own (a vocabulary shared with the titles holds words that
    # only titles have: empty here)
    held = (cols >= 0) & (fld.indptr.take(cols + 1) > fld.indptr.take(np.maximum(cols, 0)))
    return {w for w, ok in zip(runs, held.tolist(), strict=True) if ok}


def _phrase_regex(sylls: Sequence[str], accented: bool) -> re.Pattern[str]:
    parts = [re.escape(s if accented else strip_accents(s)) for s in sylls]
    return re.compile(r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)")
