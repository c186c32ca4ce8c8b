"""Shared fixtures: the evaluation data folder and a corpus built once per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("VANBAN_SHARED_DATA", ROOT.parent / "shared" / "data"))
SEED = SHARED / "seed" / "000_83054a43e24c00ec.txt"


def need_shared(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test saying why."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"evaluation data not found at {path} (../shared/data is absent)")
    return path


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private cache so the bundled sample corpus is built once per session."""
    path = tmp_path_factory.mktemp("cache")
    old = os.environ.get("VANBAN_CACHE")
    os.environ["VANBAN_CACHE"] = str(path)
    yield path
    if old is None:
        os.environ.pop("VANBAN_CACHE", None)
    else:
        os.environ["VANBAN_CACHE"] = old


@pytest.fixture(scope="session")
def sample_db(cache_dir: Path) -> Path:
    from vanban.search.sample import ensure_sample, sample_db_path

    path = sample_db_path()
    ensure_sample(path)
    return path


@pytest.fixture(autouse=True)
def _no_local_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests run in an empty folder without $VANBAN_DB, like a new user."""
    monkeypatch.delenv("VANBAN_DB", raising=False)
    monkeypatch.chdir(tmp_path)
