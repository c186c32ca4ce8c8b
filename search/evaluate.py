"""Retrieval quality: Hit@1, Hit@10 and MRR@10 of a searcher on judged questions.

Also loads the ALQAC benchmarks (one document per law article) into a store, so that the
whole pipeline — normalization, passages, tokens, index, search — is what gets measured.
"""

from __future__ import annotations

import json
import zlib
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
    titles: tuple[str | None, ...] = ()     # per document, when the set gives them

    def split(self) -> tuple[tuple[Question, ...], tuple[Question, ...]]:
        """(tuning, held out): a fixed split by hash of the question id, one in four
        held out (``held_out``)."""
        tune = tuple(q for q in self.questions if not held_out(q.qid))
        return tune, tuple(q for q in self.questions if held_out(q.qid))


def held_out(qid: str) -> bool:
    """One question in four, chosen by the CRC-32 of its id (stable across runs)."""
    return zlib.crc32(qid.encode("utf-8")) % 4 == 0


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


def load_zalo(root: Path, corpus: Path) -> Benchmark:
    """Zalo's legal questions over the Pháp điển articles: ``root`` holds queries.tsv and
    gold.json; ``corpus`` is the JSONL that ``make_corpus.py`` writes (id, title, text)."""
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))
    questions = []
    for line in (root / "queries.tsv").read_text(encoding="utf-8").splitlines():
        qid, _, text = line.partition("\t")
        if qid in gold and text.strip():
            questions.append(Question(qid, text, frozenset(gold[qid])))
    return Benchmark("zalo_pd_dev", tuple((r["id"], r["text"]) for r in rows),
                     tuple(questions), tuple(r.get("title") for r in rows))


def _tokenize_doc(item: tuple[str, str, str | None]) -> tuple[Document, list[str], str]:
    doc_id, text, title = item
    raw = RawDocument(source=doc_id, pages=(Page(None, text),), doc_id=doc_id, title=title)
    doc = build_document(raw, doc_id)
    tokens = tokenize_many([*(p.text for p in doc.passages), doc.title or ""])
    return doc, tokens[:-1], tokens[-1]


def build_benchmark_store(bench: Benchmark, db_path: Path, *, workers: int = 2,
                          params: BM25Params | None = None) -> Store:
    """Ingest every article as a document and index them."""
    store = Store(db_path, create=True)
    titles = bench.titles or (None,) * len(bench.documents)
    items = [(d, t, title) for (d, t), title in zip(bench.documents, titles, strict=True)]
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
