"""Retrieval quality: Hit@1, Hit@10 and MRR@10 of a searcher on judged questions.

Also loads the ALQAC benchmarks (one document per law article) into a store, so that the
whole pipeline — normalization, passages, tokens, index, search — is what gets measured.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from vanban.corpus.model import Document, Page, RawDocument
from vanban.corpus.store import Store
from vanban.index.bm25 import BM25Params
from vanban.index.build import build_index
from vanban.index.tokens import tokenize_many
from vanban.ingest.pipeline import build_document


@dataclass(frozen=True)
class Question:
    qid: str
    text: str
    relevant: frozenset[str]


@dataclass(frozen=True)
class Benchmark:
    name: str
    documents: tuple[tuple[str, str], ...]  # (doc_id, text)
    questions: tuple[Question, ...]


def load_alqac(root: Path, year: int) -> Benchmark:
    """ALQAC-2022 (law.json + question.json) or ALQAC-2023 (law_v1.1.json + train.json)."""
    folder = root / f"alqac{year}"
    laws = json.loads((folder / ("law.json" if year == 2022 else "law_v1.1.json")).read_text())
    qs = json.loads((folder / ("question.json" if year == 2022 else "train.json")).read_text())
    docs = tuple((f"{law['id']}#{a['id']}", a["text"]) for law in laws for a in law["articles"])
    questions = tuple(
        Question(str(q.get("question_id") or q.get("id")), q["text"],
                 frozenset(f"{r['law_id']}#{r['article_id']}" for r in q["relevant_articles"]))
        for q in qs)
    return Benchmark(f"alqac{year}", docs, questions)


def _tokenize_doc(item: tuple[str, str]) -> tuple[Document, list[str], str]:
    doc_id, text = item
    raw = RawDocument(source=doc_id, pages=(Page(None, text),), doc_id=doc_id)
    doc = build_document(raw, doc_id)
    tokens = tokenize_many([*(p.text for p in doc.passages), doc.title or ""])
    return doc, tokens[:-1], tokens[-1]


def build_benchmark_store(bench: Benchmark, db_path: Path, *, workers: int = 2,
                          params: BM25Params | None = None) -> Store:
    """Ingest every article as a document and index them."""
    store = Store(db_path, create=True)
    items = list(bench.documents)
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_tokenize_doc, items, chunksize=32))
    else:
        results = [_tokenize_doc(i) for i in items]
    for doc, tokens, title_tokens in results:
        store.put(doc, tokens, title_tokens)
    build_index(db_path, store, params)
    return store


@dataclass(frozen=True)
class Scores:
    hit1: float
    hit10: float
    mrr10: float
    questions: int

    def lines(self, prefix: str) -> list[str]:
        return [f"{prefix}_hit1={self.hit1:.4f}", f"{prefix}_hit10={self.hit10:.4f}",
                f"{prefix}_mrr10={self.mrr10:.4f}"]


def evaluate(rank: Callable[[str], Sequence[str]], questions: Iterable[Question]) -> Scores:
    """Score a ranking function (query → doc ids, best first) on judged questions."""
    hit1 = hit10 = mrr = 0.0
    n = 0
    for q in questions:
        n += 1
        ranked = list(rank(q.text))[:10]
        for i, doc_id in enumerate(ranked):
            if doc_id in q.relevant:
                hit1 += i == 0
                hit10 += 1
                mrr += 1.0 / (i + 1)
                break
    n = max(n, 1)
    return Scores(hit1 / n, hit10 / n, mrr / n, n)
