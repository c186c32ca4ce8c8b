"""The index on disk, beside the store: ``<db>.index/``.

Each build goes to a new ``v-…`` directory (arrays as ``.npy`` without pickle, vocabulary
and parameters as JSON); then ``CURRENT`` is replaced atomically to name it.  A reader
sees the old or the new index, never half of one.  Arrays are memory-mapped at load."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from vanban.index.blocks import BlockMax
from vanban.index.bm25 import BM25Params, FieldIndex, SortedVocab

FORMAT_VERSION = 7


class IndexError_(Exception):
    """The index is missing, stale or unreadable; the message says what to run."""


@dataclass
class IndexData:
    """A loaded index: fields, the passage rowid of each index row, metadata."""

    fields: dict[str, FieldIndex]
    rowids: npt.NDArray[np.int64]
    doc_rowids: npt.NDArray[np.int64]
    doc_index: npt.NDArray[np.int64]  # per passage: its document's row in the t_ fields
    params: BM25Params
    fingerprint: str
    meta: dict[str, Any]


def index_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".index")


def save_index(db_path: Path, data: IndexData) -> Path:
    """Write a new version and switch ``CURRENT`` to it; older versions are removed."""
    root = index_dir(db_path)
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="tmp-", dir=root))
    np.save(tmp / "rowids.npy", data.rowids, allow_pickle=False)
    np.save(tmp / "doc_rowids.npy", data.doc_rowids, allow_pickle=False)
    np.save(tmp / "doc_index.npy", data.doc_index, allow_pickle=False)
    fields_meta: dict[str, Any] = {}
    for name, f in data.fields.items():
        for part in ("idf", "indptr", "indices", "data", "colmax"):
            np.save(tmp / f"{name}.{part}.npy", getattr(f, part), allow_pickle=False)
        _save_vocab(tmp, name, f)
        fields_meta[name] = {"n_docs": f.n_docs, "avgdl": f.avgdl, "terms": len(f.vocab)}
        if f.blocks is not None:
            for part in ("cols", "bounds", "ptr", "impacts"):
                np.save(tmp / f"{name}.blocks_{part}.npy", getattr(f.blocks, part),
                        allow_pickle=False)
            fields_meta[name]["block_shift"] = f.blocks.shift
    meta = {**data.meta, "format_version": FORMAT_VERSION, "fingerprint": data.fingerprint,
            "params": asdict(data.params), "fields": fields_meta, "built_at": time.time()}
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1))
    final = root / f"v-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{tmp.name[4:]}"
    tmp.rename(final)
    pointer = root / "CURRENT.tmp"
    pointer.write_text(final.name)
    os.replace(pointer, root / "CURRENT")
    # keep the previous version for readers that opened it a moment ago
    older = sorted(d for d in root.iterdir() if d.is_dir() and d.name.startswith("v-")
                   and d != final)
    for old in older[:-1]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def read_meta(db_path: Path) -> dict[str, Any] | None:
    """The current index's metadata, or None when there is no index."""
    current = _current(db_path)
    if current is None:
        return None
    try:
        meta: dict[str, Any] = json.loads((current / "meta.json").read_text())
    except (OSError, ValueError):
        return None
    return meta


def load_index(db_path: Path, fingerprint: str | None = None) -> IndexData:
    """Load (memory-mapped) the current index; checks format version and fingerprint."""
    current = _current(db_path)
    if current is None:
        raise IndexError_(f"no index for {db_path} — run `vanban index --db {db_path}`")
    meta = read_meta(db_path)
    if meta is None or meta.get("format_version") != FORMAT_VERSION:
        raise IndexError_(f"the index of {db_path} is of another format — run `vanban index`")
    if fingerprint is not None and meta.get("fingerprint") != fingerprint:
        raise IndexError_(f"the index of {db_path} is stale (the corpus changed since) — "
                          "run `vanban index`")
    try:
        fields = {name: _load_field(current, name, fm) for name, fm in meta["fields"].items()}
        rowids = np.load(current / "rowids.npy", mmap_mode="r", allow_pickle=False)
        doc_rowids = np.load(current / "doc_rowids.npy", mmap_mode="r", allow_pickle=False)
        doc_index = np.load(current / "doc_index.npy", mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError, KeyError) as exc:
        raise IndexError_(f"the index of {db_path} is unreadable ({exc}) — run `vanban index`"
                          ) from None
    return IndexData(fields=fields, rowids=rowids, doc_rowids=doc_rowids, doc_index=doc_index,
                     params=BM25Params(**meta["params"]), fingerprint=str(meta["fingerprint"]),
                     meta=meta)


def _save_vocab(directory: Path, name: str, f: FieldIndex) -> None:
    """Terms sorted by their UTF-8 bytes, concatenated, with offsets and columns."""
    encoded = sorted((t.encode("utf-8"), col) for t, col in f.vocab.items())
    lengths = np.fromiter((len(b) for b, _ in encoded), dtype=np.int64, count=len(encoded))
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    (directory / f"{name}.vocab.bin").write_bytes(b"".join(b for b, _ in encoded))
    np.save(directory / f"{name}.vocab_offsets.npy", offsets, allow_pickle=False)
    np.save(directory / f"{name}.vocab_columns.npy",
            np.fromiter((c for _, c in encoded), dtype=np.int64, count=len(encoded)),
            allow_pickle=False)


def _load_field(directory: Path, name: str, fm: dict[str, Any]) -> FieldIndex:
    def arr(part: str) -> Any:
        return np.load(directory / f"{name}.{part}.npy", mmap_mode="r", allow_pickle=False)

    vocab = SortedVocab((directory / f"{name}.vocab.bin").read_bytes(), arr("vocab_offsets"),
                        arr("vocab_columns"))
    blocks = None
    if "block_shift" in fm:
        blocks = BlockMax(shift=int(fm["block_shift"]), cols=arr("blocks_cols"),
                          bounds=arr("blocks_bounds"), ptr=arr("blocks_ptr"),
                          impacts=arr("blocks_impacts"))
    return FieldIndex(vocab=vocab, idf=arr("idf"),
                      indptr=arr("indptr"), indices=arr("indices"), data=arr("data"),
                      colmax=arr("colmax"), n_docs=int(fm["n_docs"]), avgdl=float(fm["avgdl"]),
                      blocks=blocks)


def _current(db_path: Path) -> Path | None:
    root = index_dir(db_path)
    try:
        name = (root / "CURRENT").read_text().strip()
    except OSError:
        return None
    path = root / name
    return path if path.is_dir() else None
