"""The index on disk, beside the store: ``<db>.index/``.

Each build goes to a new ``v-…`` directory (arrays as ``.npy`` without pickle, vocabulary
and parameters as JSON); then ``CURRENT`` is replaced atomically to name it.  A reader
sees the old or the new index, never half of one.  Arrays are memory-mapped at load."""

from __future__ import annotations

import json
import mmap
import os
import re
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from vanban.corpus.store import Generation, Store
from vanban.index.blocks import BlockMax
from vanban.index.bm25 import BM25Params, FieldIndex, HashedVocab, term_hashes

FORMAT_VERSION = 11
BLOCK_PARTS = ("cols", "bounds", "starts", "groups", "impacts", "impact_base")


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
    """Write a new version and switch ``CURRENT`` to it; older versions are removed.  The
    new version's files and directory reach the disk before ``CURRENT`` names it, and a
    failed write leaves no temporary directory behind."""
    root = index_dir(db_path)
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"tmp-{os.getpid()}-", dir=root))
    try:
        _write_version(tmp, data)
        _fsync_tree(tmp)
        final = root / f"v-{time.strftime('%Y%m%d%H%M%S')}-{tmp.name[4:]}"
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _fsync(root)
    pointer = root / f"CURRENT.tmp-{os.getpid()}"
    with pointer.open("w") as fh:
        fh.write(final.name)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(pointer, root / "CURRENT")
    _fsync(root)
    _remove_abandoned(root)
    # keep the previous version for readers that opened it a moment ago
    older = sorted(d for d in root.iterdir() if d.is_dir() and d.name.startswith("v-")
                   and d != final)
    for old in older[:-1]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def _remove_abandoned(root: Path, age: float = 24 * 3600.0) -> None:
    """Temporary directories of builds that were killed (``kill -9``, power loss): their
    process is gone, or they are a day old."""
    for d in root.glob("tmp-*"):
        pid = d.name.split("-")[1]
        try:
            if pid.isdigit() and int(pid) != os.getpid():
                os.kill(int(pid), 0)   # raises when no such process
            if time.time() - d.stat().st_mtime < age:
                continue
        except ProcessLookupError:
            pass
        except OSError:
            continue
        shutil.rmtree(d, ignore_errors=True)


def _write_version(tmp: Path, data: IndexData) -> None:
    np.save(tmp / "rowids.npy", data.rowids, allow_pickle=False)
    np.save(tmp / "doc_rowids.npy", data.doc_rowids, allow_pickle=False)
    np.save(tmp / "doc_index.npy", data.doc_index, allow_pickle=False)
    fields_meta: dict[str, Any] = {}
    saved: dict[int, str] = {}   # a vocabulary shared by fields is saved once, by the first
    for name, f in data.fields.items():
        for part in ("indptr", "indices", "data", "colmax"):
            np.save(tmp / f"{name}.{part}.npy", getattr(f, part), allow_pickle=False)
        owner = saved.setdefault(id(f.vocab), name)
        if owner == name:
            _save_vocab(tmp, name, f)
        fields_meta[name] = {"n_docs": f.n_docs, "avgdl": f.avgdl, "terms": len(f.vocab),
                             "vocab": owner}
        if f.blocks is not None:
            for part in BLOCK_PARTS:
                np.save(tmp / f"{name}.blocks_{part}.npy", getattr(f.blocks, part),
                        allow_pickle=False)
            fields_meta[name]["block_shift"] = f.blocks.shift
    meta = {**data.meta, "format_version": FORMAT_VERSION, "fingerprint": data.fingerprint,
            "params": asdict(data.params), "fields": fields_meta, "built_at": time.time()}
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1))


def _fsync_tree(directory: Path) -> None:
    """Every file of ``directory`` and the directory itself on disk."""
    for path in directory.iterdir():
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    _fsync(directory)


def _fsync(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_meta(db_path: Path) -> dict[str, Any] | None:
    """The current index's metadata, or None when there is no index."""
    current = _current(db_path)
    return None if current is None else _read_meta(current)


def _read_meta(current: Path) -> dict[str, Any] | None:
    try:
        meta: dict[str, Any] = json.loads((current / "meta.json").read_text())
    except (OSError, ValueError):
        return None
    return meta


def load_index(db_path: Path, fingerprint: str | None = None) -> IndexData:
    """Load (memory-mapped) the current index; checks the format version, and the
    fingerprint when one is given (without: the last index built, whatever was added
    since).  ``CURRENT`` is read once: meta and arrays come from the same version."""
    current = _current(db_path)
    if current is None:
        raise IndexError_(f"no index for {db_path} — run `vanban index --db {db_path}`")
    meta = _read_meta(current)
    if meta is None or meta.get("format_version") != FORMAT_VERSION:
        raise IndexError_(f"the index of {db_path} is of another format — run `vanban index`")
    if fingerprint is not None and meta.get("fingerprint") != fingerprint:
        raise IndexError_(f"the index of {db_path} is stale (the corpus changed since) — "
                          "run `vanban index`")
    try:
        vocabs: dict[str, HashedVocab] = {}
        fields = {name: _load_field(current, name, fm, vocabs)
                  for name, fm in meta["fields"].items()}
        rowids = _array(current / "rowids.npy")
        doc_rowids = _array(current / "doc_rowids.npy")
        doc_index = _array(current / "doc_index.npy")
    except (OSError, ValueError, KeyError) as exc:
        raise IndexError_(f"the index of {db_path} is unreadable ({exc}) — run `vanban index`"
                          ) from None
    return IndexData(fields=fields, rowids=rowids, doc_rowids=doc_rowids, doc_index=doc_index,
                     params=BM25Params(**meta["params"]), fingerprint=str(meta["fingerprint"]),
                     meta=meta)


@dataclass(frozen=True)
class Freshness:
    """How the current index stands to the corpus: "current", "stale" or "missing", and
    the documents added and removed since it was built (None: not known)."""

    state: str
    added: int | None = None
    removed: int | None = None

    def note(self) -> str | None:
        """The line a search prints when it answers from an older index."""
        if self.state != "stale":
            return None
        if self.added is None or self.removed is None:
            return "the corpus changed since the index was built — run `vanban index`"
        parts = [f"{self.added} document{'s' * (self.added != 1)} added"]
        if self.removed:
            parts.append(f"{self.removed} removed")
        return " and ".join(parts) + " since the index was built"


def freshness(db_path: Path, store: Store, meta: dict[str, Any] | None = None) -> Freshness:
    """The current index (or the one whose ``meta`` is given) against the corpus now."""
    meta = meta if meta is not None else read_meta(db_path)
    if meta is None:
        return Freshness("missing")
    stamp = meta.get("generation")
    if not isinstance(stamp, dict):  # built before generations were stamped
        same = meta.get("fingerprint") == store.fingerprint()
        return Freshness("current") if same else Freshness("stale")
    added, removed = store.generation().since(
        Generation(int(stamp.get("added", 0)), int(stamp.get("removed", 0))))
    if added == removed == 0 and meta.get("fingerprint") == store.fingerprint():
        return Freshness("current", 0, 0)
    if added < 0 or removed < 0 or added == removed == 0:  # another corpus in its place
        return Freshness("stale")
    return Freshness("stale", added, removed)


def _save_vocab(directory: Path, name: str, f: FieldIndex) -> None:
    """Terms in the order of their hash (``HashedVocab``), concatenated, with offsets,
    columns and hashes."""
    terms = list(f.vocab)
    hashes = term_hashes(terms)
    encoded = [t.encode("utf-8") for t in terms]
    order = np.argsort(hashes, kind="stable")
    lengths = np.fromiter((len(encoded[i]) for i in order.tolist()), dtype=np.int64,
                          count=len(order))
    wide = int(lengths.sum()) >= 1 << 32
    offsets = np.zeros(len(order) + 1, dtype=np.int64 if wide else np.uint32)
    np.cumsum(lengths, out=offsets[1:])
    (directory / f"{name}.vocab.bin").write_bytes(b"".join(encoded[i] for i in order.tolist()))
    np.save(directory / f"{name}.vocab_offsets.npy", offsets, allow_pickle=False)
    columns = np.fromiter((f.vocab[terms[i]] for i in order.tolist()), dtype=np.int32,
                          count=len(order))
    np.save(directory / f"{name}.vocab_columns.npy", columns, allow_pickle=False)
    np.save(directory / f"{name}.vocab_hashes.npy", hashes[order], allow_pickle=False)


def _load_field(directory: Path, name: str, fm: dict[str, Any],
                vocabs: dict[str, HashedVocab]) -> FieldIndex:
    """One field; its vocabulary loaded once for the fields that share it (``vocabs``)."""
    def arr(part: str, owner: str = name) -> Any:
        return _array(directory / f"{owner}.{part}.npy")

    owner = str(fm.get("vocab", name))
    vocab = vocabs.get(owner)
    if vocab is None:
        vocab = vocabs[owner] = HashedVocab(
            _map_bytes(directory / f"{owner}.vocab.bin"), arr("vocab_offsets", owner),
            arr("vocab_columns", owner), arr("vocab_hashes", owner))
    blocks = None
    if "block_shift" in fm:
        blocks = BlockMax(shift=int(fm["block_shift"]),
                          **{part: arr(f"blocks_{part}") for part in BLOCK_PARTS})
    return FieldIndex(vocab=vocab, idf=None,
                      indptr=arr("indptr"), indices=arr("indices"), data=arr("data"),
                      colmax=arr("colmax"), n_docs=int(fm["n_docs"]), avgdl=float(fm["avgdl"]),
                      blocks=blocks)


def _array(path: Path) -> Any:
    """A memory-mapped array, as a plain ndarray (slicing a ``np.memmap`` costs a Python
    call each time: millions in a stream of queries).  The ``.npy`` headers this module
    writes are read directly (one open, one small read, one mapping: a load opens some 200
    files); any other goes through ``np.load``."""
    with path.open("rb") as fh:
        head = fh.read(_HEAD_READ)
        found = _NPY_HEADER.match(head)
        if found is not None:
            dtype = np.dtype(found.group(2).decode("ascii"))
            shape = tuple(int(d) for d in found.group(3).split(b",") if d.strip())
            offset = found.end()
            count = int(np.prod(shape)) if shape else 1
            size = os.fstat(fh.fileno()).st_size
            if offset % 16 == 0 and size == offset + count * dtype.itemsize:
                if not count:   # nothing to map (read only, like the rest)
                    empty = np.zeros(shape, dtype=dtype)
                    empty.flags.writeable = False
                    return empty
                mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
                return np.frombuffer(mapped, dtype=dtype, count=count, offset=offset
                                     ).reshape(shape)
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))


# a version 1.0 .npy header: magic, version, length (2 bytes), a C-order array's dict,
# padding to 16 bytes and a newline
_NPY_HEADER = re.compile(rb"\x93NUMPY\x01\x00(..)\{'descr': '([<>|=]?[a-zA-Z]\d*)', "
                         rb"'fortran_order': False, 'shape': \(([\d, ]*)\), \} *\n", re.DOTALL)
_HEAD_READ = 256


def _map_bytes(path: Path) -> bytes | mmap.mmap:
    """A file's bytes, memory-mapped (read only when sliced)."""
    with path.open("rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            return b""
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


def _current(db_path: Path) -> Path | None:
    root = index_dir(db_path)
    try:
        name = (root / "CURRENT").read_text().strip()
    except OSError:
        return None
    path = root / name
    return path if path.is_dir() else None
