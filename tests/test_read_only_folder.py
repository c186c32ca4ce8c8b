"""A corpus in a folder nobody here may write (a read-only share, a disc, a colleague's
folder): it is searched, listed and shown as it is; a command that would change it says
so in one `Error:` line.  The folder is made read-only for real: a read-only bind mount when
the tests run as root (who may write anywhere else), else the folder's permissions."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.search.cli import cli

TEXT = ("ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ\nSố: 15/KH-UBND\nKẾ HOẠCH\nCông tác văn thư năm 2022\n"
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư.\n")


def _read_only(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`vanban ARGS` with ``folder`` read-only."""
    command = [sys.executable, "-m", "vanban.search.cli", *args]
    if os.geteuid() == 0:
        if shutil.which("unshare") is None:
            pytest.skip("running as root without unshare: no way to make a folder read-only")
        d = shlex.quote(str(folder))
        command = ["unshare", "-m", "sh", "-c",
                   f"mount --bind {d} {d} && mount -o remount,bind,ro {d} && exec "
                   + shlex.join(command)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if "mount:" in result.stderr or "unshare:" in result.stderr:
        pytest.skip(f"cannot make a read-only mount here: {result.stderr.strip()}")
    return result


@pytest.fixture()
def shared(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "kho chung"
    folder.mkdir()
    (tmp_path / "ke-hoach.txt").write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "ke-hoach.txt"),
                                      "--db", str(folder / "kho.db"), "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    if os.geteuid() != 0:
        folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


def test_a_read_only_corpus_is_searched(shared: Path) -> None:
    db = str(shared / "kho.db")
    for args in (["search", "cong tac van thu", "--db", db, "-k", "1"],
                 ["list", "--db", db], ["cites", "30/2020/NĐ-CP", "--db", db],
                 ["stats", "--db", db]):
        result = _read_only(shared, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert "ke-hoach" in result.stdout or "documents" in result.stdout, result.stdout
    assert not list(shared.glob("*-shm")) and not list(shared.glob("*-wal"))


@pytest.mark.parametrize("args", [["ingest", "{tmp}/ke-hoach.txt"], ["index"],
                                  ["rm", "ke-hoach"]])
def test_changing_a_read_only_corpus_is_one_error_line(shared: Path,
                                                       args: list[str]) -> None:
    tmp = str(shared.parent)
    result = _read_only(shared, *[a.format(tmp=tmp) for a in args],
                        "--db", str(shared / "kho.db"))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert lines == [f"Error: {shared / 'kho.db'}: cannot write in {shared} (a read-only "
                     "folder) — choose another --db path, or copy the database"], \
        result.stderr
    assert "Traceback" not in result.stderr
