"""Shared fixtures: the evaluation data folder and a corpus built once per session."""

from __future__ import annotations

import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

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


# -- CI: a missing reader is a failure, not a skip ----------------------------------------
# Outside CI a test that needs a system program (tesseract, antiword, a font) or an optional
# module skips, saying what to install.  With CI=true the machine is meant to have them all
# (.ci/run installs them): such a skip fails the run instead of letting it pass without them.
_MISSING_TOOL = re.compile(r"not installed|apt-get install|could not import", re.IGNORECASE)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, Any, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if in_ci() and report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2])
        if _MISSING_TOOL.search(reason):
            report.outcome = "failed"
            report.longrepr = f"CI=true but {reason.removeprefix('Skipped: ')}"
