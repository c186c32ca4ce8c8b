"""Queries and answers: BM25 over four token fields, symbols, phrases, filters."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from vanban.corpus.filters import DocumentFilter, document_conditions
from vanban.corpus.model import Directive
from vanban.corpus.store import Store
from vanban.index.blocks import expand_ranges
from vanban.index.bm25 import FieldIndex
from vanban.index.fields import FIELDS, TITLE_FIELDS
from vanban.index.files import IndexData, load_index
from vanban.index.query import Unit, best_rows, exhaustive_scores
from vanban.index.tokens import candidate_words, query_syllables, segment_query, symbol_token
from vanban.ingest.extract.symbols import parse_query_symbol
from vanban.ingest.normalize import match_key, strip_accents

# Field weights, chosen on the ALQAC dev benchmarks (bench/alqac_quality.py): words plus
# syllable bigrams, and the document's title.  A query typed with accents scores on the
# accented fields; the unaccented ones only break ties toward passages that have the same
# letters with other accents.  A query typed without accents scores on unaccented fields.
ACCENTED_WEIGHTS = {"word": 1.0, "bi": 0.7, "word_u": 0.1, "bi_u": 0.07,
                    "t_word": 0.3, "t_bi": 0.21}
UNACCENTED_WEIGHTS = {"word_u": 1.0, "bi_u": 0.7, "t_word_u": 0.3, "t_bi_u": 0.21}
_PHRASE = re.compile(r"[\"“”](.+?)[\"“”]")
TIER_OWN, TIER_CITES = 2.0, 1.0  # the directive itself first, then who cites it
TIER_SCALE = 1e6


class QueryError(ValueError):
    """A query that cannot be run (empty, or only punctuation)."""


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
    highlights: tuple[tuple[int, int], ...] = field(default=(), compare=False)


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
                 unaccented_weights: dict[str, float] | None = None) -> None:
        self.db_path = db_path
        self.store = store
        # the last index built, even when documents were added since (counted by
        # ``freshness``): a search never waits for an ingest to end
        self.index = index or load_index(db_path)
        self.accented_weights = accented_weights or ACCENTED_WEIGHTS
        self.unaccented_weights = unaccented_weights or UNACCENTED_WEIGHTS
        self._doc_row_cache: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None = None
        self.group_factor = 4  # passages per wanted document first asked for (grouping)

    # -- scoring ----------------------------------------------------------------
    def units(self, q: ParsedQuery) -> list[Unit]:
        """One scoring unit per (passage field, distinct query term), and one per title
        field: its terms' weighted sum per document, spread over the document's passages."""
        fields = self.index.fields
        sylls = list(q.syllables)
        words = segment_query(sylls, _known_words(fields["word" if q.accented else "word_u"],
                                                  sylls).__contains__)
        weights = self.accented_weights if q.accented else self.unaccented_weights
        units: list[Unit] = []
        for name, weight in weights.items():
            if not weight:
                continue
            fld = fields[name]
            derive = TITLE_FIELDS.get(name) or FIELDS[name]
            counts = Counter(derive(words))
            found = [(count, col) for count, col in zip(
                counts.values(), fld.columns(list(counts)).tolist(), strict=True) if col >= 0]
            if name.startswith("t_"):
                units += self._title_unit(fld, [(weight * c, col) for c, col in found])
                continue
            for count, col in found:
                rows, values = fld.postings(col)
                units.append(Unit(rows, values, weight * count, fld.max_score(col),
                                  field=fld, col=col))
        return units

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
               group_by_document: bool = False, details: bool = True) -> list[Hit]:
        """The ``k`` best passages (or documents); ``details=False`` leaves out the text,
        snippet and directives of each hit (what a run file does not print)."""
        q = parse_query(query)
        mask = self._mask(q, filters)
        tier = self._tiers(q)
        units = self.units(q)
        if tier is not None:
            units += self._tier_units(tier)
        n = len(self.index.rowids)
        if group_by_document:
            best, keys = self._best_documents(units, n, k, mask)
        else:
            best, keys = best_rows(units, n, k, mask)
        found = [(int(row), float(key) - (float(tier[row]) * TIER_SCALE
                                           if tier is not None else 0.0))
                 for row, key in zip(best, keys, strict=True)]
        return self._hits(found, q, details)

    def _best_documents(self, units: list[Unit], n: int, k: int,
                        mask: npt.NDArray[np.bool_] | None
                        ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The best passage of each of the ``k`` best documents: the first passage of each
        document among the best passages, asking for more until ``k`` documents show up (a
        document absent from the best ``m`` passages cannot beat one present)."""
        doc_rowids = np.asarray(self.index.doc_rowids)
        want = max(k * self.group_factor, 1)
        while True:
            rows, keys = best_rows(units, n, want, mask)
            _, first = np.unique(doc_rowids[rows], return_index=True)
            if len(first) >= k or len(rows) < want:
                chosen = np.sort(first)[:k]
                return rows[chosen], keys[chosen]
            want *= 4

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
    def _hits(self, found: Sequence[tuple[int, float]], q: ParsedQuery, details: bool
              ) -> list[Hit]:
        """The hits of ranked (row, score) pairs, read from the store in one statement;
        without ``details`` only what identifies them (no text, snippet or directives)."""
        rowids = [int(self.index.rowids[row]) for row, _ in found]
        marks = ",".join("?" * len(rowids))
        cols = ('d.rowid, d.doc_id, d.title, d.date, d.source, p.page, p.text, p.start, p."end"'
                if details else "d.rowid, d.doc_id, d.title, d.date, d.source, p.page")
        rows = {r[0]: r[1:] for r in self.store.db.execute(
            f"SELECT p.rowid, {cols} FROM passages p JOIN documents d ON d.rowid = p.doc_rowid"
            f" WHERE p.rowid IN ({marks})", rowids)}
        hits: list[Hit] = []
        for rowid, (_, score) in zip(rowids, found, strict=True):
            r = rows.get(rowid)
            if r is None:   # a passage removed from the corpus since the index was built
                continue
            rank = len(hits) + 1
            doc_rowid, doc_id, title, date, source, page = r[:6]
            text, start, end = r[6:] if details else ("", 0, 0)
            spans = tuple(highlight_spans(text, q)) if details else ()
            hits.append(Hit(rank=rank, score=round(score, 6), doc_id=doc_id, title=title,
                            date=date, source=source, page=page, passage=text,
                            passage_start=start, snippet=make_snippet(text, spans) if details
                            else "", highlights=spans,
                            directives=self._directives(doc_rowid, start, end) if details
                            else ()))
        return hits

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
    return {w for w, col in zip(runs, fld.columns(runs).tolist(), strict=True) if col >= 0}


def _phrase_regex(sylls: Sequence[str], accented: bool) -> re.Pattern[str]:
    parts = [re.escape(s if accented else strip_accents(s)) for s in sylls]
    return re.compile(r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)")


def highlight_spans(text: str, q: ParsedQuery) -> list[tuple[int, int]]:
    """Spans of the query's syllables in ``text`` (accent-insensitive if typed without)."""
    folded = match_key(text) if q.accented else strip_accents(match_key(text))
    wanted = {s if q.accented else strip_accents(s) for s in q.syllables}
    wanted |= {strip_accents(symbol_token(s)) for s in q.syllables if "/" in s}
    spans = []
    for m in re.finditer(r"[\w/-]+", folded):
        tok = m.group(0)
        if tok in wanted or tok.strip("-/") in wanted:
            spans.append((m.start(), m.end()))
    return spans


def make_snippet(text: str, spans: Sequence[tuple[int, int]], width: int = 240) -> str:
    """About ``width`` characters of ``text`` around the first highlighted word."""
    flat = text.replace("\n", " ")
    if len(flat) <= width:
        return flat
    center = spans[0][0] if spans else 0
    start = max(0, min(center - width // 3, len(flat) - width))
    if start > 0:
        start = flat.find(" ", start) + 1 or start
    end = min(len(flat), start + width)
    if end < len(flat):
        end = flat.rfind(" ", start, end) if flat.rfind(" ", start, end) > start else end
    return ("…" if start > 0 else "") + flat[start:end].strip() + ("…" if end < len(flat) else "")
