"""Ctrl-C during `vanban ingest`: no traceback and no bare "Aborted!", but what is stored
(each document whole or not at all) and how to go on; exit 130; the next run finishes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.test_cli import run
from vanban.corpus.store import Store
from vanban.search import jobs

TEXTS = {
    "ke-hoach-1.txt": "KẾ HOẠCH\nCăn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ.\n",
    "ke-hoach-2.txt": "KẾ HOẠCH\nThực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013 về dân vận.\n",
}


def test_ctrl_c_says_what_is_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "bao cao"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    real = jobs.ingest_paths

    def stopped_after_one(store: Store, paths: Any, **kwargs: Any) -> Any:
        real(store, [str(folder / "ke-hoach-1.txt")], **{**kwargs, "refresh": None})
        raise KeyboardInterrupt

    monkeypatch.setattr(jobs, "ingest_paths", stopped_after_one)
    db = tmp_path / "kho.db"
    code, _, err = run("ingest", str(folder), "--db", str(db), "--workers", "1")
    assert code == 130, err
    assert "Traceback" not in err and "Aborted" not in err
    assert "interrupted: the documents read so far are stored" in err
    assert f"wrote {db}: 1 documents, index stale (run `vanban index`)" in err
    monkeypatch.setattr(jobs, "ingest_paths", real)
    code, _, err = run("ingest", str(folder), "--db", str(db), "--workers", "1")
    assert code == 0, err
    assert "1 documents added, 0 replaced, 1 unchanged" in err


def test_no_bare_progress_label_in_a_log(tmp_path: Path) -> None:
    """stderr to a file or a pipe (a cron job, CI): no lone "files" line from the bar."""
    report = tmp_path / "ke-hoach-1.txt"
    report.write_text(TEXTS["ke-hoach-1.txt"], encoding="utf-8")
    code, _, err = run("ingest", str(report), "--db", str(tmp_path / "kho.db"),
                       "--workers", "1")
    assert code == 0, err
    assert "files" not in err.splitlines(), err
    assert err.splitlines()[-1] == f"wrote {tmp_path / 'kho.db'}: 1 documents, index current"

