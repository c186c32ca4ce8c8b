"""CI must not go green without its readers: with CI=true a skip for a missing program or
module fails the run (conftest.py), and .ci/run fails when it cannot install them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run_pytest(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text())
    (tmp_path / "test_tool.py").write_text(textwrap.dedent('''
        import pytest

        def test_needs_a_program():
            pytest.skip("tesseract is not installed (apt-get install tesseract-ocr)")

        def test_needs_a_module():
            pytest.importorskip("a_module_nobody_has")

        def test_needs_the_evaluation_data():
            pytest.skip("evaluation data not found at ../shared/data")
    '''))
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(tmp_path)], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)


def test_a_missing_reader_fails_in_ci_and_skips_elsewhere(tmp_path: Path) -> None:
    local = _run_pytest(tmp_path, None)
    assert local.returncode == 0 and "3 skipped" in local.stdout, local.stdout
    ci = _run_pytest(tmp_path, "true")
    assert ci.returncode == 1, ci.stdout
    assert "2 failed" in ci.stdout and "1 skipped" in ci.stdout   # the data may be absent
    assert "CI=true but tesseract is not installed" in ci.stdout


def test_ci_script_fails_when_apt_fails_and_installs_what_the_tests_need() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    for package in ("antiword", "tesseract-ocr", "tesseract-ocr-vie", "fonts-dejavu-core",
                    "chromium"):
        assert package in script
    assert "apt-get update && apt-get install -y" in script
    assert "exit 1" in script.split("apt-get install", 1)[1].split("pip install", 1)[0]


def test_dev_extras_hold_every_module_the_tests_import() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = " ".join(project["dependencies"] + project["optional-dependencies"]["dev"])
    for module, package in (("networkx", "networkx"), ("openpyxl", "openpyxl"),
                            ("fpdf", "fpdf2"), ("hypothesis", "hypothesis"),
                            ("docx", "python-docx"), ("PIL", "Pillow"),
                            ("rank_bm25", "rank-bm25"), ("pypdfium2", "pypdfium2")):
        assert package in declared, f"tests import {module}: add {package} to the dev extra"
