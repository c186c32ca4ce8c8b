"""Corpus housekeeping: `list`, `rm`, `ingest --prune`, moved files, filters as people type
them, and the lines that say what was written."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest

from tests.test_cli import run
from vanban.corpus.filters import fold, source_matches
from vanban.corpus.store import Store
from vanban.search.options import parse_date, resolve_type
from vanban.search.sample import sample_dir

FILES = ["qd-1968-ubnd-phutho-2018.txt", "qd-2150-ubnd-phutho-2017.txt",
         "qd-587-ubnd-bacgiang-2016.txt", "phutho-mot-cua-lien-thong-2023.txt",
         "qd-2468-ubnd-quangninh-2020.docx"]


@pytest.fixture()
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in FILES:
        shutil.copy(sample_dir() / name, folder / name)
    return folder


@pytest.fixture()
def db(reports: Path, tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    code, _, err = run("ingest", str(reports), "--db", str(path), "--workers", "1")
    assert code == 0, err
    return path


def listed(db: Path, *args: str) -> list[dict[str, object]]:
    code, out, err = run("list", "--db", str(db), "--json", *args)
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def ids(db: Path, *args: str) -> list[object]:
    return [row["doc_id"] for row in listed(db, *args)]


# -- list -------------------------------------------------------------------------------
def test_list_table_json_csv(db: Path) -> None:
    code, out, err = run("list", "--db", str(db))
    assert code == 0 and err.strip() == "5 documents"
    lines = out.splitlines()
    assert lines[0].split() == ["doc", "id", "date", "type", "pages", "refs", "directives",
                                "title", "source"]
    assert lines[2].startswith("phutho-mot-cua-lien-thong-2023  2023-07-18")
    assert len(lines) == 2 + len(FILES)
    rows = listed(db)
    assert [r["doc_id"] for r in rows] == sorted(Path(f).stem for f in FILES)
    qd = next(r for r in rows if r["doc_id"] == "qd-1968-ubnd-phutho-2018")
    assert qd["type"] == "Quyết định" and qd["date"] == "2018-08-15" and qd["pages"] == 1
    assert qd["references"] == 6 and qd["directives"] == 5
    assert str(qd["source"]).endswith("reports/qd-1968-ubnd-phutho-2018.txt")
    code, out, _ = run("list", "--db", str(db), "--csv")
    assert out.splitlines()[0] == ("doc_id,date,type,pages,references,directives,title,source,"
                                   "issuer")
    assert len(out.splitlines()) == 1 + len(FILES)


@pytest.mark.parametrize("args, expected", [
    (["--type", "quyet dinh"], ["qd-1968-ubnd-phutho-2018", "qd-2150-ubnd-phutho-2017",
                                "qd-2468-ubnd-quangninh-2020", "qd-587-ubnd-bacgiang-2016"]),
    (["--type", "QUYẾT ĐỊNH"], ["qd-1968-ubnd-phutho-2018", "qd-2150-ubnd-phutho-2017",
                                "qd-2468-ubnd-quangninh-2020", "qd-587-ubnd-bacgiang-2016"]),
    (["--issuer", "phu tho"], ["qd-1968-ubnd-phutho-2018", "qd-2150-ubnd-phutho-2017"]),
    (["--issuer", "ubnd"], ["qd-1968-ubnd-phutho-2018", "qd-2150-ubnd-phutho-2017",
                            "qd-2468-ubnd-quangninh-2020", "qd-587-ubnd-bacgiang-2016"]),
    (["--issuer", "Phú  THỌ", "--type", "Quyết định"], ["qd-1968-ubnd-phutho-2018",
                                                        "qd-2150-ubnd-phutho-2017"]),
    (["--from", "31/12/2017", "--to", "2020"], ["qd-1968-ubnd-phutho-2018",
                                                "qd-2468-ubnd-quangninh-2020"]),
    (["--from", "2017-10", "--to", "15/8/2018"], ["qd-1968-ubnd-phutho-2018",
                                                  "qd-2150-ubnd-phutho-2017"]),
    (["--source", "*.docx"], ["qd-2468-ubnd-quangninh-2020"]),
    (["--source", "reports/qd-*-phutho-*"], ["qd-1968-ubnd-phutho-2018",
                                             "qd-2150-ubnd-phutho-2017"]),
    (["--issuer", "100%_"], []),
])
def test_list_filters(db: Path, args: list[str], expected: list[str]) -> None:
    assert ids(db, *args) == expected


def test_list_nothing_matches(db: Path) -> None:
    code, out, err = run("list", "--db", str(db), "--source", "*.xlsx")
    assert (code, out, err.strip()) == (0, "", "no documents match")


@pytest.mark.parametrize("args, error", [
    (["--type", "quyet"], "Error: Invalid value for '--type': unknown type 'quyet' — known "
                          "types: Báo cáo, Biên bản, "),
    (["--from", "2021", "--to", "31/12/2020"], "Error: --from 2021 is after --to 2020-12-31"),
    (["--to", "2019-05", "--from", "1/6/2019"], "Error: --from 2019-06-01 is after --to 2019-05"),
    (["--from", "31/2/2020"], "Error: Invalid value for '--from': '31/2/2020' is not a date "
                              "(dd/mm/yyyy, mm/yyyy, yyyy, yyyy-mm or yyyy-mm-dd)"),
])
@pytest.mark.parametrize("command", [["list"], ["search", "một cửa"]])
def test_filter_usage_errors(db: Path, command: list[str], args: list[str],
                             error: str) -> None:
    code, out, err = run(*command, "--db", str(db), *args)
    assert code == 2 and out == ""
    assert err.splitlines()[-1].startswith(error)


def test_search_filters_typed_without_accents(db: Path) -> None:
    def docs(*args: str, query: str = "một cửa") -> set[str]:
        code, out, err = run("search", query, "--db", str(db), "--json", "-k", "50", *args)
        assert code == 0, err
        return {h["doc_id"] for h in json.loads(out)["hits"]}

    assert docs("--issuer", "phu tho") == docs("--issuer", "Phú Thọ") == {
        "qd-1968-ubnd-phutho-2018", "qd-2150-ubnd-phutho-2017"}
    assert docs("--type", "quyet dinh", query="ủy ban nhân dân") == docs(
        "--type", "Quyết định", query="ủy ban nhân dân") == {
        "qd-1968-ubnd-phutho-2018", "qd-2150-ubnd-phutho-2017", "qd-2468-ubnd-quangninh-2020",
        "qd-587-ubnd-bacgiang-2016"}
    assert docs("--from", "1/1/2018", "--to", "2018") == {"qd-1968-ubnd-phutho-2018"}


@pytest.mark.parametrize("args", [["list"], ["rm", "x"]])
def test_missing_database(args: list[str], tmp_path: Path) -> None:
    path = tmp_path / "khong.db"
    code, out, err = run(*args, "--db", str(path))
    assert (code, out) == (1, "")
    assert err.strip() == (f"Error: no corpus database at {path} — create one with "
                           f"`vanban ingest PATH... --db {path}`")
    assert not path.exists()


@pytest.mark.parametrize("args", [["list"], ["rm", "x"]])
def test_a_folder_or_a_foreign_file_as_database(args: list[str], tmp_path: Path) -> None:
    other = tmp_path / "notes.db"
    other.write_text("not a database", encoding="utf-8")
    for path, why in ((tmp_path, "is a folder, not a database file"),
                      (other, "is not a vanban database")):
        code, out, err = run(*args, "--db", str(path))
        assert (code, out) == (1, "") and "Traceback" not in err
        assert err.startswith(f"Error: {path} {why}")


# -- rm ---------------------------------------------------------------------------------
def test_rm_unknown_ids_are_reported_and_the_others_removed(db: Path) -> None:
    code, out, err = run("rm", "khong-co", "qd-587-ubnd-bacgiang-2016", "khong-co",
                         "--db", str(db))
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines.count("Error: khong-co: no such document — list the ids with `vanban list`") == 1
    assert "removed 1 documents, 1 not found" in lines
    assert lines[-1] == f"wrote {db}: 4 documents, index current"
    assert "qd-587-ubnd-bacgiang-2016" not in ids(db)
    code, out, err = run("search", "tiếp nhận phản ánh", "--db", str(db), "--json", "-k", "50")
    assert code == 0
    assert "qd-587-ubnd-bacgiang-2016" not in {h["doc_id"] for h in json.loads(out)["hits"]}
    with Store(db) as store:  # passages, references and dates went with it
        for table in ("passages", "refs", "dates"):
            assert store.db.execute(f"SELECT count(*) FROM {table} WHERE doc_rowid NOT IN"
                                    " (SELECT rowid FROM documents)").fetchone()[0] == 0


def test_rm_without_index_leaves_it_stale(db: Path) -> None:
    code, _, err = run("rm", "qd-587-ubnd-bacgiang-2016", "--no-index", "--db", str(db))
    assert code == 0
    assert err.splitlines()[-1] == (f"wrote {db}: 4 documents, index stale "
                                    "(run `vanban index`)")
    code, _, err = run("index", "--db", str(db))
    assert code == 0 and err.splitlines()[-1] == f"wrote {db}: 4 documents, index current"


def test_rm_refuses_the_bundled_sample() -> None:
    code, out, err = run("rm", "bacninh-dan-van-kheo-2018")
    assert (code, out) == (1, "")
    assert err.strip() == ("Error: the bundled sample corpus is read-only — give --db PATH "
                           "(or set $VANBAN_DB) for the corpus to change")


def test_rm_every_document(db: Path) -> None:
    code, _, err = run("rm", *map(str, ids(db)), "--db", str(db))
    assert code == 0 and err.splitlines()[-1] == f"wrote {db}: 0 documents, index current"
    code, out, err = run("list", "--db", str(db))
    assert (code, out, err.strip()) == (0, "", "no documents")


# -- ingest: moved files, --prune, empty folders, the closing line ---------------------------
def test_moved_and_renamed_files_are_not_stored_twice(db: Path, reports: Path) -> None:
    (reports / "2018").mkdir()
    (reports / "qd-1968-ubnd-phutho-2018.txt").rename(reports / "2018" / "quyet-dinh.txt")
    code, _, err = run("ingest", str(reports), "--db", str(db), "--workers", "1")
    assert code == 0, err
    assert "0 documents added, 0 replaced, 5 unchanged (1 moved or renamed)" in err
    rows = {r["doc_id"]: r for r in listed(db)}
    assert len(rows) == 5
    assert str(rows["qd-1968-ubnd-phutho-2018"]["source"]).endswith("2018/quyet-dinh.txt")
    code, _, err = run("ingest", str(reports), "--prune", "--db", str(db), "--workers", "1")
    assert "pruned 0 documents whose files are gone" in err.splitlines()
    assert len(ids(db)) == 5


def test_copies_and_swapped_names_are_followed_not_stored_twice(db: Path,
                                                                reports: Path) -> None:
    a, b = reports / "qd-1968-ubnd-phutho-2018.txt", reports / "qd-2150-ubnd-phutho-2017.txt"
    shutil.copy(a, reports / "copy.txt")
    a.rename(reports / "moved.txt")
    b.rename(a)  # a's old path now holds b's document
    code, _, err = run("ingest", str(reports), "--prune", "--db", str(db), "--workers", "1")
    assert code == 0, err
    assert "0 documents added, 0 replaced, 6 unchanged (2 moved or renamed)" in err
    assert "pruned 0 documents whose files are gone" in err.splitlines()
    rows = {r["doc_id"]: Path(str(r["source"])).name for r in listed(db)}
    assert len(rows) == 5
    assert rows["qd-2150-ubnd-phutho-2017"] == a.name
    assert rows["qd-1968-ubnd-phutho-2018"] in {"copy.txt", "moved.txt"}


def test_a_file_moved_over_another_supersedes_it(db: Path, reports: Path) -> None:
    a, b = reports / "qd-1968-ubnd-phutho-2018.txt", reports / "qd-2150-ubnd-phutho-2017.txt"
    b.replace(a)  # a's content exists nowhere now; a's path holds b's
    code, _, err = run("ingest", str(reports), "--db", str(db), "--workers", "1")
    assert code == 0, err
    rows = {r["doc_id"]: Path(str(r["source"])).name for r in listed(db)}
    assert rows["qd-2150-ubnd-phutho-2017"] == a.name
    assert "qd-1968-ubnd-phutho-2018" not in rows and len(rows) == 4
    assert err.splitlines()[-1] == f"wrote {db}: 4 documents, index current"


def test_prune_removes_documents_whose_files_are_gone(db: Path, reports: Path,
                                                      tmp_path: Path) -> None:
    (reports / "qd-587-ubnd-bacgiang-2016.txt").unlink()
    (reports / "qd-2468-ubnd-quangninh-2020.docx").unlink()
    other = tmp_path / "other"
    other.mkdir()
    code, _, err = run("ingest", str(other), "--prune", "--db", str(db), "--workers", "1")
    assert code == 1  # nothing there to read, and nothing of it stored: nothing pruned
    assert f"Warning: {other}: no supported files" in err.splitlines()
    assert "pruned 0 documents whose files are gone" in err.splitlines()
    code, _, err = run("ingest", str(reports), "--db", str(db), "--workers", "1")
    assert len(ids(db)) == 5  # without --prune nothing goes
    code, out, err = run("ingest", str(reports), "--prune", "--db", str(db), "--workers", "1")
    assert code == 0 and out == ""
    lines = err.splitlines()
    assert "pruned 2 documents whose files are gone" in lines
    assert lines[-1] == f"wrote {db}: 3 documents, index current"
    assert ids(db) == ["phutho-mot-cua-lien-thong-2023", "qd-1968-ubnd-phutho-2018",
                       "qd-2150-ubnd-phutho-2017"]


def test_prune_ignores_a_missing_folder(db: Path, reports: Path) -> None:
    shutil.rmtree(reports)
    code, _, err = run("ingest", str(reports), "--prune", "--db", str(db))
    assert code == 1
    assert f"Error: {reports}: no such file or directory" in err.splitlines()
    assert "pruned 0 documents whose files are gone" in err.splitlines()
    assert len(ids(db)) == 5


@pytest.mark.parametrize("content", [{}, {"anh.xls": b"x", "sub/ghi-chu.odt": b"y"}])
def test_folder_without_supported_files_warns(tmp_path: Path, content: dict[str, bytes]) -> None:
    folder = tmp_path / "rong"
    folder.mkdir()
    for name, data in content.items():
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_bytes(data)
    good = tmp_path / "tot.txt"
    shutil.copy(sample_dir() / "qd-587-ubnd-bacgiang-2016.txt", good)
    db = tmp_path / "c.db"
    code, out, err = run("ingest", str(folder), str(good), "--db", str(db), "--workers", "1")
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert f"Warning: {folder}: no supported files" in lines
    assert any(line.startswith("1 files: 1 documents added") for line in lines)
    assert lines[-1] == f"wrote {db}: 1 documents, index current"
    code, out, _ = run("ingest", str(folder), "--db", str(db), "--json")
    assert code == 1
    assert json.loads(out)["warnings"] == [{"path": str(folder), "warning": "no supported files"}]


# -- the parts ------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("31/12/2020", ("2020-12-31", "2020-12-31", "2020-12-31")),
    ("1/2/2020", ("2020-02-01", "2020-02-01", "2020-02-01")),
    ("01.02.2020", ("2020-02-01", "2020-02-01", "2020-02-01")),
    ("2/2024", ("2024-02", "2024-02-01", "2024-02-29")),
    ("2020-5", ("2020-05", "2020-05-01", "2020-05-31")),
    ("2020-05-31", ("2020-05-31", "2020-05-31", "2020-05-31")),
    (" 2020 ", ("2020", "2020-01-01", "2020-12-31")),
])
def test_parse_date(text: str, expected: tuple[str, str, str]) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/2/2020", "12/31/2020", "2020-13", "20", "hôm qua",
                                  "2020-01-01-01", "", "1/1/20"])
def test_parse_date_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize("text, expected", [
    ("quyet dinh", "Quyết định"), ("QUYẾT ĐỊNH", "Quyết định"), (" ke  hoach ", "Kế hoạch"),
    ("nghi quyet lien tich", "Nghị quyết liên tịch"), ("Biên bản", "Biên bản"),
    ("cong van", "Công văn"), ("to trinh", "Tờ trình"),
])
def test_resolve_type(text: str, expected: str) -> None:
    assert resolve_type(text) == expected


@pytest.mark.parametrize("text", ["quyet", "qd", "", "decision"])
def test_resolve_type_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="known types: Báo cáo"):
        resolve_type(text)


def test_fold_and_source_globs() -> None:
    assert fold("UBND tỉnh  Phú Thọ") == "ubnd tinh phu tho"
    assert fold("Đồng Nai") == fold("dong nai") == "dong nai"
    assert fold(unicodedata.normalize("NFD", "Thừa Thiên Huế")) == "thua thien hue"
    assert fold(None) is None
    assert source_matches("*.pdf", "/a/b/c.pdf") and source_matches("b/*.pdf", "/a/b/c.pdf")
    assert not source_matches("a/*.pdf", "/x/b/c.pdf")
    assert source_matches("reports/*", "reports/x.jsonl#vb-1")
    assert not source_matches("*.PDF", "/a/c.pdf")


def test_search_cites_a_name_is_said_not_an_empty_answer(db: Path) -> None:
    code, out, err = run("search", "dân vận", "--db", str(db), "--cites", "luat dan chu")
    assert (code, out) == (2, "")
    assert "Error: --cites: 'luat dan chu' is not a document symbol" in err
    assert "`vanban cites NAME`" in err
    code, out, _ = run("search", "một cửa", "--db", str(db), "--cites", "nd 61/2018/cp", "--json")
    assert code == 0 and json.loads(out)["hits"]
