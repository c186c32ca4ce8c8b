"""Extraction quality on real text: excerpts of files in ../shared/data, annotated by hand.

``tests/gold/real_gold.jsonl`` holds no text: each line points into a file of the data folder
(``source``, relative to it) and gives how to read it (``reader``), the excerpt's offsets and
the sha1 of the excerpt, so a changed file or reader is caught instead of scoring another text.
The excerpts are scored with the machinery of ``tests/test_eval_gate.py`` (day dates only: the
annotation lists full day dates, not months or years) against the ``real`` floors of
``tests/gold/floors.json``.  ``python -m tests.test_real_gold`` prints the figures per source.

Readers: ``vanban`` = vanban's reader for the file (.doc via antiword, .pdf via the PDF reader),
pages normalized and joined as the stored text is; ``raw`` = the file's bytes decoded as
UTF-8; ``csv:COLUMN:ROW`` = one cell of a CSV (ROW counts data rows from 0).  The text given to
the extractor is the excerpt, normalized.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.test_eval_gate import FLOORS, GOLD_DIR, SHARED, Case, score
from vanban.ingest.normalize import normalize

REAL_GOLD = GOLD_DIR / "real_gold.jsonl"
# A second set, written after the extractor was tuned on the first and scored before any change
# it prompted: the project's own held-out check (same format, other files and offsets).
REAL_GOLD_2 = GOLD_DIR / "real_gold_2.jsonl"
# Each real set by the name of its floors in floors.json.
REAL_SETS: dict[str, Path] = {"real": REAL_GOLD, "real-2": REAL_GOLD_2}
# What the real floors pin (the categories the real annotation supports).
REAL_KEYS = (
    "numbered_p",
    "numbered_r",
    "mentions_r",
    "day_dates_p",
    "day_dates_r",
    "attached_date",
    "numberless_p",
    "numberless_r",
    "relation",
    "document",
    "own_number",
)


class RealGoldError(Exception):
    """The real excerpts cannot be scored: data absent, or a source no longer gives the text."""


@functools.cache
def source_text(source: str, reader: str) -> str:
    """The whole text an excerpt's offsets point into."""
    path = SHARED / source
    if reader == "vanban":
        from vanban.ingest.read.readers import ReadError, read_path

        try:
            doc = next(iter(read_path(path)))
        except ReadError as exc:
            raise RealGoldError(f"{source}: vanban's reader failed: {exc}") from None
        return "\n\n".join(normalize(page.text).strip("\n") for page in doc.pages)
    if reader == "raw":
        return path.read_bytes().decode("utf-8")
    if reader.startswith("csv:"):
        _, column, row = reader.split(":")
        return _csv_cell(path, column, int(row))
    raise RealGoldError(f"{source}: unknown reader {reader!r}")


def _csv_cell(path: Path, column: str, row: int) -> str:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        for i, record in enumerate(csv.DictReader(fh)):
            if i == row:
                return str(record[column])
    raise RealGoldError(f"{path.name}: no data row {row}")


def _records(path: Path = REAL_GOLD) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def excerpt(record: dict[str, Any]) -> str:
    """The excerpt a record points to, checked against its sha1."""
    text = source_text(record["source"], record["reader"])
    cut = text[record["start"] : record["end"]]
    digest = hashlib.sha1(cut.encode("utf-8")).hexdigest()
    if digest != record["sha1"]:
        raise RealGoldError(
            f"{record['id']}: the text of {record['source']} [{record['start']}:{record['end']}]"
            f" via reader {record['reader']!r} changed (sha1 {digest} != {record['sha1']}):"
            " the file or the reader drifted; re-cut the excerpt and re-check its annotation"
        )
    return cut


def real_cases(path: Path = REAL_GOLD) -> list[Case]:
    """The real excerpts of one set as gold cases (``RealGoldError`` when they cannot be read)."""
    if not SHARED.is_dir():
        raise RealGoldError(f"evaluation data not found at {SHARED} (../shared/data is absent)")
    cases: list[Case] = []
    for record in _records(path):
        if not (SHARED / record["source"]).exists():
            raise RealGoldError(f"{record['id']}: {record['source']} not found under {SHARED}")
        cases.append(
            {
                "id": record["id"],
                "text": normalize(excerpt(record)),
                "references": record["references"],
                "dates": record["dates"],
                "document": record["document"],
                "tags": record["tags"],
                "locality": None,
                "date_kinds": ["day"],
            }
        )
    return cases


def _cases_or_skip(path: Path = REAL_GOLD) -> list[Case]:
    if not SHARED.is_dir():
        pytest.skip(f"evaluation data not found at {SHARED} (../shared/data is absent)")
    return real_cases(path)


@pytest.mark.parametrize("name", REAL_SETS)
def test_real_gold_is_well_formed(name: str) -> None:
    records = _records(REAL_SETS[name])
    assert len(records) >= 60
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for record in records:
        assert record["reader"] in {"vanban", "raw"} or record["reader"].startswith("csv:")
        assert all(d["granularity"] == "day" for d in record["dates"]), record["id"]
        for ref in record["references"]:
            assert ref["symbol"] or ref["name"], record["id"]
            assert ref["mentions"], record["id"]


def test_the_second_set_is_cut_from_other_places() -> None:
    """Set 2 is a held-out check: none of its excerpts overlaps an excerpt of set 1."""
    first = _records(REAL_GOLD)
    overlapping = [
        (two["id"], one["id"])
        for two in _records(REAL_GOLD_2)
        for one in first
        if two["source"] == one["source"]
        and two["reader"] == one["reader"]
        and two["start"] < one["end"]
        and one["start"] < two["end"]
    ]
    assert not overlapping, f"set 2 excerpts overlapping set 1: {overlapping}"


@pytest.mark.parametrize("name", REAL_SETS)
def test_annotated_surfaces_occur_in_the_excerpts(name: str) -> None:
    """Every annotated mention and date text is in its excerpt (typos in the gold fail)."""
    bad: list[str] = []
    for case in _cases_or_skip(REAL_SETS[name]):
        text = case["text"]
        surfaces = [m for r in case["references"] for m in r["mentions"]]
        surfaces += [d["text"] for d in case["dates"]]
        bad += [f"{case['id']}: {s!r}" for s in surfaces if s not in text]
    assert not bad, f"annotated text not found in the excerpt: {bad}"


def test_a_changed_source_text_fails_loudly() -> None:
    _cases_or_skip()
    record = dict(_records()[0], sha1="0" * 40)
    with pytest.raises(RealGoldError, match="drifted"):
        excerpt(record)


@pytest.mark.parametrize("name", REAL_SETS)
def test_real_quality_at_least_floors(name: str) -> None:
    figures = score(_cases_or_skip(REAL_SETS[name])).figures()
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))[name]
    below = {k: (figures.get(k), v) for k, v in floors.items() if figures.get(k, 0.0) < v}
    assert not below, f"real-text quality below the pinned floors (got, floor): {below}"


if __name__ == "__main__":
    for set_name, set_path in REAL_SETS.items():
        all_real = real_cases(set_path)
        groups: dict[str, list[Case]] = {"all": all_real}
        for real_case in all_real:
            groups.setdefault(real_case["id"].split("-")[1], []).append(real_case)
        print(f"#### {set_name} ({set_path.name})")
        for group, group_cases in groups.items():
            group_figures = score(group_cases).figures()
            shown = " ".join(f"{k}={group_figures[k]}" for k in REAL_KEYS if k in group_figures)
            print(f"{group} ({len(group_cases)}): {shown}")
