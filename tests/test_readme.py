"""The README stays true: every `$ vanban …` line it shows runs (exit 0) against the bundled
sample, in order, and the output lines it shows appear, in order (``…`` stands for any text).
Its Commands table names exactly the commands there are; its benchmarks exist.

The shown session runs in an empty folder holding ``reports/`` (a copy of the sample
documents) and ``bao-cao.docx`` (one of them); ``reports.db`` starts as a copy of the
sample store with its sources under ``reports/``, so `vanban ingest reports/` finds every
file already stored instead of reading them all again.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.corpus.store import Store
from vanban.index.files import index_dir
from vanban.search.cli import cli
from vanban.search.sample import sample_dir

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)


@dataclass(frozen=True)
class Shown:
    command: str
    output: tuple[str, ...]


def shown_commands(text: str) -> list[Shown]:
    """Each ``$ command`` line of the README's code blocks with the lines shown under it."""
    found: list[Shown] = []
    for block in _FENCE.findall(text):
        command: str | None = None
        lines: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append(Shown(command, tuple(lines)))
                command, lines = line[2:], []
            elif command is not None:
                lines.append(line)
        if command is not None:
            found.append(Shown(command, tuple(lines)))
    return found


def _pattern(shown: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in shown.rstrip().split("…")))


def missing_lines(shown: tuple[str, ...], actual: str) -> list[str]:
    """The shown lines that do not appear, in order, among the actual ones."""
    lines = [line.rstrip() for line in actual.splitlines()]
    pos, missing = 0, []
    for want in shown:
        if not want.strip() or want.strip() == "…":
            continue
        pattern = _pattern(want)
        for i in range(pos, len(lines)):
            if pattern.fullmatch(lines[i]):
                pos = i + 1
                break
        else:
            missing.append(want)
    return missing


def _shell(args: list[str]) -> None:
    """The few shell commands the README shows between vanban commands."""
    if args[0] == "mv" and len(args) == 3:
        Path(args[1]).rename(args[2])
    elif args[0] == "rm" and len(args) == 2:
        Path(args[1]).unlink()
    else:
        raise AssertionError(f"README shows a shell command this test cannot run: {args}")


@pytest.fixture()
def session(sample_db: Path, tmp_path: Path) -> Path:
    shutil.copytree(sample_dir(), tmp_path / "reports")
    shutil.copy(sample_dir() / "quangninh-luu-tru-dien-tu-2021.docx", tmp_path / "bao-cao.docx")
    db = tmp_path / "reports.db"
    shutil.copy(sample_db, db)
    shutil.copytree(index_dir(sample_db), index_dir(db))
    with Store(db) as store:
        for doc_id, source, _ in store.sources():
            store.move(doc_id, f"reports/{Path(source).name}")
    return tmp_path


def test_the_readme_session_runs_and_shows_what_it_says(session: Path) -> None:
    shown = shown_commands(README.read_text(encoding="utf-8"))
    assert sum(s.command.startswith("vanban ") for s in shown) >= 8
    for s in shown:
        args = shlex.split(s.command, comments=True)
        if args[0] != "vanban":
            _shell(args)
            continue
        result = CliRunner().invoke(cli, args[1:], catch_exceptions=False)
        assert result.exit_code == 0, f"$ {s.command}\n{result.output}"
        missing = missing_lines(s.output, result.output)
        assert not missing, f"$ {s.command}\nnot in its output:\n" + "\n".join(
            missing) + f"\n--- output:\n{result.output}"


def test_the_commands_table_names_every_command() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Commands", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"^\| `vanban ([a-z]+)", section, re.M))
    assert named == set(cli.commands)


def test_the_benchmarks_named_exist() -> None:
    named = re.findall(r"`python (bench/[\w/]+\.py)", README.read_text(encoding="utf-8"))
    assert named and all((ROOT / n).is_file() for n in named)


@pytest.mark.parametrize("shown, actual, ok", [
    (("a  b",), "x\na  b  \n", True),
    (("a …  c",), "a b  c\n", True),
    (("a", "b"), "b\na\n", False),
    (("score 18.791",), "score 18.792\n", False),
    (("…", ""), "", True),
])
def test_missing_lines(shown: tuple[str, ...], actual: str, ok: bool) -> None:
    assert (missing_lines(shown, actual) == []) is ok


def test_the_worked_example_runs_as_written(session: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The README's Python example: its code, run in the session folder, prints the table
    shown under it and writes the plot."""
    text = README.read_text(encoding="utf-8")
    example = text.split("A worked example", 1)[1]
    code, shown = _FENCE.findall(example)[:2]
    assert "from vanban import Corpus" in code
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    missing = missing_lines(tuple(shown.splitlines()), printed)
    assert not missing, "not printed:\n" + "\n".join(missing) + f"\n--- printed:\n{printed}"
    [plot] = re.findall(r'\.plot\("([^"]+)"\)', code)
    data = (session / plot).read_bytes()
    assert data.startswith(b"\x89PNG") and 5_000 < len(data) < 2_000_000
    assert (ROOT / "docs" / plot).is_file()  # the picture the README shows
