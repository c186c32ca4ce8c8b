"""`vanban refs` warns when a symbol without a year ("19-NQ/TW") that the corpus cites as
two directives (2017 and 2022: Party numbers restart each term) is cited with nothing in the
text to tell which one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.search.cli import cli


def _warnings(path: Path, *db: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(cli, ["refs", str(path), "--json", *db], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [w for w in json.loads(result.stdout)["warnings"] if w["code"] == "twin_not_stated"]


@pytest.fixture
def undated(tmp_path: Path) -> Path:
    path = tmp_path / "bao-cao.txt"
    path.write_text(
        "Thực hiện Nghị quyết số 19-NQ/TW của Bộ Chính trị, Huyện ủy đã triển khai.\n",
        encoding="utf-8",
    )
    return path


def test_an_undated_twin_is_flagged(sample_db: Path, undated: Path) -> None:
    (notice,) = _warnings(undated, "--db", str(sample_db))
    assert notice["symbol"] == "19-NQ/TW"
    assert notice["dates"] == ["2017-10-25", "2022-06-16"]
    assert "which one is not stated" in str(notice["message"])


@pytest.mark.parametrize(
    "told",
    [
        "Thực hiện Nghị quyết số 19-NQ/TW ngày 16/6/2022 của Bộ Chính trị.",
        "Thực hiện Nghị quyết số 19-NQ/TW của Hội nghị Trung ương 6 khóa XII.",
        "Nghị quyết Trung ương 6 khoá XII (Nghị quyết số 19-NQ/TW) về tổ chức bộ máy.",
    ],
)
def test_a_date_or_a_term_tells_the_twins_apart(
    sample_db: Path, tmp_path: Path, told: str
) -> None:
    path = tmp_path / "told.txt"
    path.write_text(told + "\n", encoding="utf-8")
    assert _warnings(path, "--db", str(sample_db)) == []


def test_no_warning_without_a_corpus_that_knows_twins(undated: Path) -> None:
    assert _warnings(undated) == []  # no ./vanban.db in the working folder


def test_a_symbol_cited_with_one_year_only_is_no_twin(sample_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text("Căn cứ Nghị định số 61/2018/NĐ-CP của Chính phủ.\n", encoding="utf-8")
    assert _warnings(path, "--db", str(sample_db)) == []
