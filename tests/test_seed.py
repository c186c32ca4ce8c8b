"""The seed article end to end: references, dates, cleaning, search."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SEED, need_shared
from vanban.search.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(scope="module")
def seed_refs() -> dict[str, object]:
    need_shared("seed")
    code, out, _ = run("refs", str(SEED), "--json")
    assert code == 0
    obj: dict[str, object] = json.loads(out)
    return obj


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_shared("seed")
    db = tmp_path_factory.mktemp("seed") / "seed.db"
    code, _, err = run("ingest", str(SEED), "--db", str(db))
    assert code == 0, err
    return db


def test_seed_references(seed_refs: dict[str, object]) -> None:
    refs = seed_refs["references"]
    assert isinstance(refs, list)
    by_symbol = {r["symbol"]: r for r in refs if r["symbol"]}
    assert {s: by_symbol[s]["date"] for s in by_symbol} == {
        "25-NQ/TW": "2013-06-03", "114-KL/TW": "2015-07-14", "819-QĐ/TU": "2013-07-08",
        "05-CT/TW": "2016-05-15", "02-NQ/TU": "2015-12-11"}
    assert [m["text"] for m in by_symbol["02-NQ/TU"]["mentions"]] == [
        "Nghị quyết số 02- NQ/TU", "Nghị quyết 02"]
    quy_che = [r for r in refs if r["symbol"] is None and r["number"] == "01"]
    assert len(quy_che) == 1 and quy_che[0]["type"] == "Quy chế"
    assert quy_che[0]["date"] == "2016-04-22"
    names = {r["name"] for r in refs if r["symbol"] is None}
    assert "Nghị quyết Hội nghị Trung ương 4 khóa XII" in names


def test_seed_document_date_and_no_counter_dates(seed_refs: dict[str, object]) -> None:
    doc = seed_refs["document"]
    assert isinstance(doc, dict) and doc["date"] == "2018-07-31"
    dates = seed_refs["dates"]
    assert isinstance(dates, list)
    values = {d["value"] for d in dates}
    assert {"2016-04-22", "2013-06-03", "2015-07-14", "2013-07-08", "2016-05-15",
            "2015-12-11", "2017-12", "2016-04", "2017-03", "2018-01", "2018-04"} <= values
    assert not any("49" in d["text"] or "2741245" in d["text"] or "3220" in d["text"]
                   for d in dates)


def test_seed_widgets_are_not_indexed(seed_db: Path) -> None:
    for widget in ("Thống kê truy cập", "Đang online49", "Tất cả2741245", "Số lượt xem"):
        code, out, _ = run("search", f'"{widget}"', "--db", str(seed_db), "--json")
        assert code == 0 and json.loads(out)["hits"] == [], widget
    shown = json.loads(run("show", "000-83054a43e24c00ec", "--db", str(seed_db), "--json")[1])
    assert "Thống kê truy cập" not in shown["text"] and shown["date"] == "2018-07-31"


def test_seed_tone_styles_find_the_same_passages(seed_db: Path) -> None:
    def passages(q: str) -> list[str]:
        out = run("search", q, "--db", str(seed_db), "--json", "-k", "50",
                      "--group-by", "passage")[1]
        return sorted(h["passage"] for h in json.loads(out)["hits"])

    new, old = passages("Thành ủy"), passages("Thành uỷ")
    assert new == old and len(new) >= 5


def test_seed_unaccented_query(seed_db: Path) -> None:
    hits = json.loads(run("search", "dan van kheo", "--db", str(seed_db), "--json")[1])["hits"]
    assert "Dân vận khéo" in hits[0]["passage"]
    phrase = json.loads(run("search", '"dan van kheo"', "--db", str(seed_db), "--json")[1])
    assert phrase["hits"] and all("Dân vận khéo" in h["passage"] for h in phrase["hits"])
