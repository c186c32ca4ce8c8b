"""Building the index from the store's stored tokens."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from corpus.store import Store
from index.bm25 import BM25Params, FieldIndex, build_field
from index.files import IndexData, save_index
from index.tokens import TOKENIZER_VERSION, syllables, tokenize_many, unaccent

# field name -> how its tokens derive from the stored word tokens
FIELDS: dict[str, Callable[[list[str]], list[str]]] = {
    "word": lambda w: w,
    "syl": syllables,
    "word_u": unaccent,
    "syl_u": lambda w: unaccent(syllables(w)),
}


def tokenize_pending(store: Store, *, workers: int = 1,
                     progress: Callable[[int], None] | None = None) -> int:
    """Segment every passage that has no stored tokens yet; returns how many."""
    pending = store.passages_needing_tokens()
    if not pending:
        return 0
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
    return len(pending)


def build_index(db_path: Path, store: Store, params: BM25Params | None = None,
                *, workers: int = 1) -> IndexData:
    """Tokenize what is pending, build every field from stored tokens, save atomically."""
    params = params or BM25Params()
    tokenize_pending(store, workers=workers)
    rowids: list[int] = []
    doc_rowids: list[int] = []
    words: list[list[str]] = []
    for rowid, doc_rowid, toks in store.iter_passage_tokens():
        rowids.append(rowid)
        doc_rowids.append(doc_rowid)
        words.append(toks.split())
    fields = build_fields(words, params)
    data = IndexData(fields=fields, rowids=np.asarray(rowids, dtype=np.int64),
                     doc_rowids=np.asarray(doc_rowids, dtype=np.int64), params=params,
                     fingerprint=store.fingerprint(),
                     meta={"tokenizer": TOKENIZER_VERSION, "passages": len(rowids)})
    save_index(db_path, data)
    return data


def build_fields(words: Sequence[list[str]], params: BM25Params) -> dict[str, FieldIndex]:
    return {name: build_field([derive(w) for w in words], params)
            for name, derive in FIELDS.items()}
