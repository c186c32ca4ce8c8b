"""Which corpus a command reads: --db, $VANBAN_DB, ./vanban.db, else the bundled sample.

The bundled sample corpus (``corpus/sample``) is ingested and indexed on first use into
the user's cache directory; the cache is keyed by the sample files' content, so an
updated sample rebuilds itself."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from vanban import corpus
from vanban.corpus.store import Store
from vanban.index.files import index_dir

DEFAULT_DB = "vanban.db"


@dataclass(frozen=True)
class CorpusChoice:
    path: Path
    sample: bool
    explicit: bool


def sample_dir() -> Path:
    return Path(corpus.__file__).parent / "sample"


def cache_home() -> Path:
    if os.environ.get("VANBAN_CACHE"):
        return Path(os.environ["VANBAN_CACHE"])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "vanban"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "vanban"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vanban"


def choose_db(db: str | None, *, for_writing: bool = False) -> CorpusChoice:
    """The store a command uses (see the module doc)."""
    if db:
        return CorpusChoice(Path(db), sample=False, explicit=True)
    if os.environ.get("VANBAN_DB"):
        return CorpusChoice(Path(os.environ["VANBAN_DB"]), sample=False, explicit=True)
    local = Path(DEFAULT_DB)
    if for_writing or local.exists():
        return CorpusChoice(local, sample=False, explicit=False)
    return CorpusChoice(sample_db_path(), sample=True, explicit=False)


def sample_fingerprint() -> str:
    """Digest of the sample files, where they are and the formats they are stored in, so
    that a newer vanban (another schema, index format or tokenizer) or another install
    (whose documents' paths `show` and `search` print) builds its own copy."""
    from vanban.corpus.store import SCHEMA_VERSION
    from vanban.index.files import FORMAT_VERSION
    from vanban.index.tokens import TOKENIZER_VERSION

    h = hashlib.sha256(f"{SCHEMA_VERSION}/{FORMAT_VERSION}/{TOKENIZER_VERSION}/"
                       f"{sample_dir().resolve()}".encode())
    for f in sorted(sample_dir().glob("*")):
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


def sample_db_path() -> Path:
    return cache_home() / f"sample-{sample_fingerprint()}.db"


def ensure_sample(path: Path) -> None:
    """Build the sample store and index at ``path`` unless they exist."""
    if path.exists() and index_dir(path).exists():
        return
    from vanban.search.jobs import ingest_paths

    print(f"vanban: building the sample corpus in {path} (first use)", file=sys.stderr)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    for stale in (tmp, index_dir(tmp)):
        shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(
            missing_ok=True)
    from vanban.index.build import build_index  # the build machinery: first use only

    store = Store(tmp, create=True)
    try:
        summary = ingest_paths(store, [str(sample_dir())], workers=1)
        if summary.failures:
            raise RuntimeError(f"sample corpus: {summary.failures[0][0]}: "
                               f"{summary.failures[0][1]}")
        build_index(tmp, store)
    finally:
        store.close()
    if path.exists():  # another process finished first
        shutil.rmtree(index_dir(tmp), ignore_errors=True)
        tmp.unlink(missing_ok=True)
        return
    os.replace(index_dir(tmp), index_dir(path))
    os.replace(tmp, path)
    for extra in ("-wal", "-shm"):
        Path(str(tmp) + extra).unlink(missing_ok=True)
