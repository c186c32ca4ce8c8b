"""The folders are the pipeline: each stage imports only the stages it stands on."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {
    "corpus": {"corpus"},
    "ingest": {"corpus", "ingest"},
    "index": {"corpus", "ingest", "index"},
    "search": {"corpus", "ingest", "index", "search"},
}


def _stages_imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    stages = set()
    for name in names:
        parts = name.split(".")
        if parts[0] in ALLOWED:
            raise AssertionError(f"{path}: imports {name!r}; write vanban.{name}")
        if parts[0] == "vanban" and len(parts) > 1 and parts[1] in ALLOWED:
            stages.add(parts[1])
    return stages


@pytest.mark.parametrize("stage", sorted(ALLOWED))
def test_stage_imports_only_what_it_stands_on(stage: str) -> None:
    for path in sorted((ROOT / stage).rglob("*.py")):
        extra = _stages_imported(path) - ALLOWED[stage]
        assert not extra, f"{path.relative_to(ROOT)} imports {sorted(extra)}"


def test_read_and_extract_are_apart() -> None:
    """Readers turn files into text; extraction never reads files, readers never extract."""
    for path in sorted((ROOT / "ingest" / "read").rglob("*.py")):
        assert "vanban.ingest.extract" not in path.read_text(encoding="utf-8"), path
    for path in sorted((ROOT / "ingest" / "extract").rglob("*.py")):
        assert "vanban.ingest.read" not in path.read_text(encoding="utf-8"), path
