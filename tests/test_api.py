"""The Python API gives the CLI's answers, as objects and DataFrames, and prints nothing."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from vanban import Corpus, VanbanError
from vanban.search.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample"
REPORT = "bc-58-bdvtu-hatinh-2023.txt"


def cli_json(*args: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(cli, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture()
def sample(sample_db: Path) -> Corpus:
    return Corpus.open(sample_db)


def test_open_defaults_to_the_sample(sample_db: Path) -> None:
    corpus = Corpus.open()
    assert corpus.sample and corpus.path == sample_db


def test_search_is_the_cli_answer(sample: Corpus, capsys: pytest.CaptureFixture[str]) -> None:
    result = sample.search("công tác dân vận", k=5, date_from="2018-01-01")
    assert capsys.readouterr() == ("", "")  # no function prints
    [expected] = cli_json("search", "công tác dân vận", "-k", "5", "--from", "2018-01-01",
                          "--db", str(sample.path))
    assert result.to_dict() == expected
    assert len(result) == 5 and result[0].rank == 1
    frame = result.to_pandas()
    hits: list[dict[str, object]] = expected["hits"]  # type: ignore[assignment]
    assert list(frame["doc_id"]) == [h["doc_id"] for h in hits]


@pytest.mark.parametrize(("filters", "message"), [
    ({"type": "không có loại này"}, "unknown type"),
    ({"date_from": "2021", "date_to": "31/12/2020"}, "--from 2021 is after --to 2020-12-31"),
    ({"date_from": "32/1/2020"}, "is not a date"),
])
def test_bad_filters_raise_the_cli_message(sample: Corpus, filters: dict[str, str],
                                           message: str) -> None:
    with pytest.raises(VanbanError, match=re.escape(message)):
        sample.search("dân vận", type=filters.get("type"), date_from=filters.get("date_from"),
                      date_to=filters.get("date_to"))


def test_filters_as_people_type_them(sample: Corpus) -> None:
    typed = sample.search("dân vận", type="bao cao", date_from="01/01/2018", date_to="2023")
    iso = sample.search("dân vận", type="Báo cáo", date_from="2018-01-01",
                        date_to="2023-12-31")
    assert typed.to_dict()["hits"] == iso.to_dict()["hits"] and len(typed) > 0


def test_bad_query_raises_the_cli_message(sample: Corpus) -> None:
    result = CliRunner().invoke(cli, ["search", "!!!", "--db", str(sample.path)])
    assert result.exit_code == 2
    with pytest.raises(VanbanError) as caught:
        sample.search("!!!")
    assert str(caught.value) in result.stderr


def test_refs_of_a_file_and_of_a_text(sample: Corpus) -> None:
    [report] = sample.refs(SAMPLE / REPORT)
    [expected] = cli_json("refs", str(SAMPLE / REPORT), "--db", str(sample.path))
    assert report.to_dict() == expected
    table = report.to_pandas()
    assert "25-NQ/TW" in set(table["symbol"])
    [from_text] = sample.refs("Thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp "
                              "hành Trung ương về công tác dân vận.")
    [ref] = from_text.references
    assert (ref["symbol"], ref["date"]) == ("25-NQ/TW", "2013-06-03")


def test_refs_of_a_missing_file_is_an_error(sample: Corpus, tmp_path: Path) -> None:
    with pytest.raises(VanbanError, match=r"bao-cao\.docx: "):
        sample.refs(str(tmp_path / "bao-cao.docx"))


def test_cites_and_stats_are_the_cli_answers(sample: Corpus) -> None:
    cites = sample.cites("nq 25/tw")
    assert [dict(d) for d in cites.documents] == cli_json("cites", "25-NQ/TW", "--db",
                                                         str(sample.path))
    assert sum(cites.by_year().values()) == len({d["doc_id"] for d in cites.documents}) > 0
    assert set(cites.to_pandas()["year"].dropna()) <= set(cites.by_year())
    stats = sample.stats()
    [expected] = cli_json("stats", "--db", str(sample.path))
    assert stats == expected


def test_tables_match_the_store(sample: Corpus) -> None:
    stats = sample.stats()
    docs, refs, dates = sample.documents(), sample.references(), sample.dates()
    assert len(docs) == stats["documents"] and docs["doc_id"].is_unique
    assert len(refs) == stats["references"] and len(dates) == stats["dates"]
    assert len(sample.passages()) == stats["passages"]
    assert int(docs["references"].sum()) == len(refs)
    texts = dict(zip(docs["doc_id"], docs["text"], strict=True))
    for doc_id, start, end, surface in refs[["doc_id", "start", "end", "surface"]].head(50)\
            .itertuples(index=False):  # spans point into the stored text
        assert texts[doc_id][start:end] == surface
    by_year = refs.groupby(["symbol", "doc_year"], dropna=False).size()
    assert by_year.sum() == len(refs)
    edges = sample.edges()
    cites = edges[edges["kind"] == "cites"]
    assert len(cites) and cites["source"].str.startswith("doc:").all()


def test_ingest_reports_bad_files_and_goes_on(tmp_path: Path) -> None:
    corpus = Corpus.open(tmp_path / "mine.db", create=True)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE / REPORT, folder / REPORT)
    (folder / "hong.pdf").write_bytes(b"%PDF-1.4 not really")
    summary = corpus.ingest(folder, workers=1)
    assert summary.added == 1 and [p for p, _ in summary.failures] == [str(folder / "hong.pdf")]
    assert corpus.search("dân vận", k=1)[0].doc_id == corpus.documents()["doc_id"][0]


def test_sample_is_read_only_and_missing_stores_are_errors(sample: Corpus,
                                                           tmp_path: Path) -> None:
    with pytest.raises(VanbanError, match="read-only"):
        sample.ingest(SAMPLE / REPORT)
    with pytest.raises(VanbanError, match="no corpus database at"):
        Corpus.open(tmp_path / "nothing.db")


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_rereads_with_pandas_and_duckdb(sample: Corpus, tmp_path: Path,
                                               fmt: str) -> None:
    out = tmp_path / "tables"
    result = CliRunner().invoke(cli, ["export", str(out), "--format", fmt, "--db",
                                      str(sample.path)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    read = pd.read_parquet if fmt == "parquet" else pd.read_csv
    stats = sample.stats()
    for table, count in [("documents", stats["documents"]), ("passages", stats["passages"]),
                         ("references", stats["references"]), ("dates", stats["dates"])]:
        frame = read(out / f"{table}.{fmt}")
        assert len(frame) == count, table
    assert len(read(out / f"edges.{fmt}")) == len(sample.edges())
    duckdb = pytest.importorskip("duckdb")
    source = f"read_{fmt}('{out / 'references'}.{fmt}')"
    [(n,)] = duckdb.sql(f"SELECT count(*) FROM {source}").fetchall()
    assert n == stats["references"]


def test_export_into_a_file_is_an_error(sample: Corpus, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(cli, ["export", str(blocker), "--format", "csv", "--db",
                                      str(sample.path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {blocker}: is a file — give a folder for the tables\n"


def test_wheel_installs_one_top_level_name(tmp_path: Path) -> None:
    """Installed, vanban is one package: vanban.ingest, vanban.search … (no generic names)."""
    src = tmp_path / "src"
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if files.returncode != 0:
        pytest.skip("not a git checkout")
    for name in files.stdout.splitlines():
        source, target = ROOT / name, src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(source.readlink())
        elif source.is_file():
            shutil.copy2(source, target)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                            "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"),
                            str(src)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("vanban-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"vanban", wheel.name.split("-py")[0]
                                                + ".dist-info"}
    for module in ("vanban/__init__.py", "vanban/search/cli.py", "vanban/ingest/read/pdf.py",
                   "vanban/ingest/extract/extraction.py", "vanban/index/query.py",
                   "vanban/corpus/store.py", f"vanban/corpus/sample/{REPORT}"):
        assert module in names


def test_ingest_on_a_cluster_it_cannot_reach_is_an_error(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    corpus = Corpus.open(tmp_path / "mine.db", create=True)
    with pytest.raises(VanbanError, match=re.escape("cannot reach the Dask scheduler at tcp://127.0.0.1:1")):
        corpus.ingest(SAMPLE / REPORT, cluster="tcp://127.0.0.1:1")
    assert corpus.documents().empty
