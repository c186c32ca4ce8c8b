"""The reverse lookup (`cites`), the citation graph (`graph`) and `stats`, on the bundled
sample corpus."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.search.cli import cli
from vanban.search.graph import directive_keys

ROOT = Path(__file__).resolve().parent.parent
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", ["refs", "cites", "graph", "stats"])
def test_staff_commands_have_help_with_an_example(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0 and "Example:" in out and f"vanban {command}" in out


# -- cites --------------------------------------------------------------------------------
@pytest.mark.parametrize("spelling", ["76/NQ-CP", "76/nq-cp", "Nghị quyết 76/NQ-CP",
                                      "nghi quyet so 76/NQ-CP", " 76 / NQ-CP "])
def test_cites_any_spelling(sample_db: Path, spelling: str) -> None:
    code, out, _ = run("cites", spelling, "--db", str(sample_db), "--json")
    assert code == 0
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["doc_id"] for d in docs] == [
        "nghean-cai-cach-hanh-chinh-2021", "bc-412-ubnd-dongnai-2022",
        "dongnai-cai-cach-hanh-chinh-2022", "phutho-mot-cua-lien-thong-2023"]
    assert {d["symbol"] for d in docs} == {"76/NQ-CP"}
    assert all(d["directive_date"] == "2021-07-15" for d in docs)
    assert all("76/NQ-CP" in d["sentence"] for d in docs)


def test_cites_relation_is_the_citing_documents_own(sample_db: Path) -> None:
    out = run("cites", "61/2018/NĐ-CP", "--db", str(sample_db), "--json")[1]
    docs = {d["doc_id"]: d for d in map(json.loads, out.splitlines())}
    # "Nghị định 107/2021 … sửa đổi, bổ sung một số điều của Nghị định 61/2018": 107 amends
    assert docs["qd-652-ubnd-phutho-2022"]["relation"] == "căn cứ"
    assert docs["qd-1968-ubnd-phutho-2018"]["relation"] == "căn cứ"
    assert "sửa đổi" not in {d["relation"] for d in docs.values()}


def test_cites_table_csv_and_errors(sample_db: Path) -> None:
    code, out, _ = run("cites", "1968/qđ-ubnd", "--db", str(sample_db))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "1968/QĐ-UBND (2018-08-15): cited by 3 documents"
    assert lines[-1] == "by year: 2019: 1, 2022: 1, 2023: 1"
    code, out, _ = run("cites", "1968/QĐ-UBND", "--db", str(sample_db), "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["doc_id"] for r in rows] == ["phutho-mot-cua-2019", "qd-652-ubnd-phutho-2022",
                                           "phutho-mot-cua-lien-thong-2023"]
    assert rows[1]["relation"] == "sửa đổi" and rows[1]["directive_locality"] == "tỉnh Phú Thọ"
    code, out, err = run("cites", "hello", "--db", str(sample_db))
    assert (code, out) == (1, "")
    assert err == ("Error: 'hello' is not a document symbol nor a directive's name — write it "
                   "like 25-NQ/TW, 30/2020/NĐ-CP or \"Luật Đất đai\"\n")
    code, out, err = run("cites", "9999/QĐ-TTg", "--db", str(sample_db), "--json")
    assert (code, out, err) == (0, "", "no corpus document cites 9999/QĐ-TTg\n")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Party numbers restart every term: two resolutions, each with its date
        ("19-NQ/TW", [("19-NQ/TW", "2017-10-25", 2017, "laocai-sap-xep-to-chuc-bo-may-2018"),
                      ("19-NQ/TW", "2022-06-16", 2022, "kh-96-tu-laocai-2022"),
                      ("19-NQ/TW", "2022-06-16", 2022, "laocai-nong-thon-moi-2023")]),
        ("nq 18/tw", [("18-NQ/TW", "2017-10-25", 2017, "laocai-sap-xep-to-chuc-bo-may-2018"),
                      ("18-NQ/TW", "2022-06-16", 2022, "hatinh-dat-dai-2024")]),
    ],
)
def test_cites_tells_twins_apart(sample_db: Path, query: str,
                                 expected: list[tuple[str, str, int, str]]) -> None:
    code, out, _ = run("cites", query, "--db", str(sample_db), "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    got = [(r["symbol"], r["directive_date"], r["directive_year"], r["doc_id"]) for r in rows]
    assert got[: len(expected)] == expected
    code, out, _ = run("cites", query, "--db", str(sample_db))
    assert sum(line.endswith(" documents") for line in out.splitlines()) == len(
        {e[1] for e in expected})


@pytest.mark.parametrize(
    "query", ["Luật Thực hiện dân chủ ở cơ sở", "luat thuc hien dan chu o co so", "10/2022/QH15"]
)
def test_cites_takes_a_name(sample_db: Path, query: str) -> None:
    code, out, _ = run("cites", query, "--db", str(sample_db), "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert {r["directive_key"] for r in rows} == {"10/2022/QH15"}
    assert {"kh-78-ubnd-cantho-2023", "hatinh-dan-van-kheo-2024"} <= {r["doc_id"] for r in rows}


# -- graph --------------------------------------------------------------------------------
def test_directive_keys() -> None:
    records = [
        ("18-NQ/TW", None, None, "2017-10-25"), ("18-NQ/TW", None, None, "2022-06-16"),
        ("18-NQ/TW", None, None, None), ("30/2020/NĐ-CP", None, None, "2020-03-05"),
        ("30/2020/NĐ-CP", None, None, "2019-03-05"),
        ("2150/QĐ-UBND", None, "tỉnh Phú Thọ", "2017-10-12"),
        ("10/2022/QH15", "Luật Thực hiện dân chủ ở cơ sở", None, "2022-11-10"),
        (None, "Luật thực hiện dân chủ ở cơ sở", None, None),
        (None, "Hiến pháp năm 2013", None, None),
    ]
    assert directive_keys(records) == [
        "18-NQ/TW#2017", "18-NQ/TW#2022", "18-NQ/TW#?", "30/2020/NĐ-CP", "30/2020/NĐ-CP",
        "2150/QĐ-UBND@tỉnh Phú Thọ", "10/2022/QH15", "10/2022/QH15", "name:hiến pháp năm 2013"]


@pytest.fixture(scope="module")
def graph_csv(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[
        list[dict[str, str]], list[dict[str, str]]]:
    nodes = tmp_path_factory.mktemp("graph") / "nút.csv"
    code, out, err = run("graph", "--db", str(sample_db), "--nodes", str(nodes))
    assert code == 0 and err.endswith(" edges\n")
    with nodes.open(encoding="utf-8", newline="") as fh:
        node_rows = list(csv.DictReader(fh))
    return list(csv.DictReader(io.StringIO(out))), node_rows


def test_graph_links_documents_that_cite_each_other(
        graph_csv: tuple[list[dict[str, str]], list[dict[str, str]]]) -> None:
    edges, nodes = graph_csv
    ids = {n["id"] for n in nodes}
    assert {e["source"] for e in edges} | {e["target"] for e in edges} <= ids
    by_pair = {(e["source"], e["target"], e["kind"]): e for e in edges}
    cites = by_pair[("doc:qd-1968-ubnd-phutho-2018", "doc:qd-2150-ubnd-phutho-2017", "cites")]
    assert (cites["relation"], cites["date"], cites["count"]) == ("thay thế", "2018-08-15", "1")
    amends = by_pair[("doc:qd-652-ubnd-phutho-2022", "doc:qd-1968-ubnd-phutho-2018", "cites")]
    assert amends["relation"] == "sửa đổi"
    told = by_pair[("doc:qd-1968-ubnd-phutho-2018", "doc:qd-2150-ubnd-phutho-2017", "changes")]
    assert (told["relation"], told["evidence"]) == ("thay thế", "phutho-mot-cua-2019")
    decree = by_pair[("dir:107/2021/NĐ-CP", "dir:61/2018/NĐ-CP", "changes")]
    assert decree["relation"] == "sửa đổi" and decree["date"] == "2022-03-28"
    assert decree["evidence"] == "phutho-mot-cua-lien-thong-2023; qd-652-ubnd-phutho-2022"
    assert "dir:18-NQ/TW#2017" in ids and "dir:18-NQ/TW#2022" in ids
    node = next(n for n in nodes if n["id"] == "doc:qd-1968-ubnd-phutho-2018")
    assert (node["kind"], node["symbol"], node["locality"]) == (
        "document", "1968/QĐ-UBND", "tỉnh Phú Thọ")


def test_graphml_reads_back(sample_db: Path, tmp_path: Path,
                            graph_csv: tuple[list[dict[str, str]], list[dict[str, str]]]) -> None:
    target = tmp_path / "đồ thị.graphml"
    code, out, _ = run("graph", "--format", "graphml", "-o", str(target), "--db",
                       str(sample_db))
    assert code == 0 and out == ""
    root = ET.parse(target).getroot()
    graph = root.find(f"{GRAPHML}graph")
    assert graph is not None and graph.get("edgedefault") == "directed"
    edges, nodes = graph_csv
    assert len(graph.findall(f"{GRAPHML}node")) == len(nodes)
    assert len(graph.findall(f"{GRAPHML}edge")) == len(edges)
    nx = pytest.importorskip("networkx")
    g = nx.read_graphml(target)
    assert g.nodes["doc:qd-2150-ubnd-phutho-2017"]["symbol"] == "2150/QĐ-UBND"
    data = g.get_edge_data("doc:qd-1968-ubnd-phutho-2018", "doc:qd-2150-ubnd-phutho-2017")
    assert {d["kind"] for d in data.values()} == {"cites", "changes"}
    assert all(isinstance(d["count"], int) for d in data.values())


def test_graph_errors(sample_db: Path, tmp_path: Path) -> None:
    code, _, err = run("graph", "--format", "graphml", "--nodes", "n.csv", "--db",
                       str(sample_db))
    assert code == 2
    assert "Error: --nodes goes with --format csv (GraphML holds the nodes)" in err
    target = tmp_path / "khong-co" / "g.graphml"
    code, out, err = run("graph", "--format", "graphml", "-o", str(target), "--db",
                         str(sample_db))
    assert (code, out) == (1, "")
    assert err == f"Error: {target}: No such file or directory\n"


# -- stats --------------------------------------------------------------------------------
def test_stats_json(sample_db: Path) -> None:
    code, out, _ = run("stats", "--db", str(sample_db), "--json", "--top", "3")
    assert code == 0
    stats = json.loads(out)
    assert {"db", "documents", "passages", "references", "dates", "index", "most_cited",
            "by_type_year"} <= set(stats)
    assert stats["documents"] == 45
    assert [r["documents"] for r in stats["most_cited"]] == [7, 6, 4]
    assert stats["most_cited"][1] == {"symbol": "45/2020/NĐ-CP", "name": None,
                                      "type": "Nghị định", "date": "2020-04-08",
                                      "directive_year": 2020, "documents": 6, "mentions": 7}
    years = [r["year"] for r in stats["most_cited_by_year"]]
    assert years == sorted(years) and years.count("2020") == 3
    assert stats["most_cited_by_year"][0]["rank"] == 1
    assert sum(r["documents"] for r in stats["by_type_year"]) == 45
    assert {"type": "Quyết định", "year": "2018", "documents": 1} in stats["by_type_year"]


def test_stats_table(sample_db: Path) -> None:
    code, out, _ = run("stats", "--db", str(sample_db), "--top", "2")
    assert code == 0
    assert "most-cited by year of the citing documents:" in out
    pivot = out.split("documents by type and year:\n", 1)[1].splitlines()
    assert pivot[0].split()[0] == "type" and pivot[0].split()[-1] == "all"
    assert pivot[-1].split()[0] == "all" and pivot[-1].split()[-1] == "45"


def test_search_never_imports_pandas(sample_db: Path) -> None:
    code = ("import sys\nfrom click.testing import CliRunner\nfrom search.cli import cli\n"
            f"r = CliRunner().invoke(cli, ['search', 'dân vận', '--db', {str(sample_db)!r}])\n"
            "assert r.exit_code == 0, r.output\n"
            "print(sorted(m for m in ('pandas', 'openpyxl') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
