"""`vanban serve` in process (the ASGI test client): the JSON API gives exactly the CLI's
`--json` objects, pages speak Vietnamese and escape everything, bad uploads get a 4xx
saying why and the server goes on, uploads leave nothing behind, the token is required."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from tests.test_hostile import zip_bomb
from tests.test_pdf import make_pdf
from tests.web_corpus import HOSTILE_ID, REPORT_TEXT, build_web_corpus
from vanban.search.cli import cli
from vanban.search.web.app import create_app
from vanban.search.web.config import WebConfig

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "tests" / "data" / "report_tamnong_2023.txt"


@pytest.fixture(scope="module")
def web_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_corpus(sample_db, tmp_path_factory.mktemp("web"))


def make_client(db: Path, **options: Any) -> TestClient:
    options.setdefault("report_workers", 0)
    return TestClient(create_app(WebConfig(db=db, **options)))


@pytest.fixture()
def client(web_db: Path) -> Iterator[TestClient]:
    with make_client(web_db) as c:
        yield c


def cli_json(*args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return lines


# -- the API is the CLI's JSON ---------------------------------------------------------
@pytest.mark.parametrize("params", [
    {"q": "công tác dân vận"},
    {"q": "dan van kheo", "k": "3", "group_by": "document"},
    {"q": "cải cách hành chính", "from": "2019", "to": "2023-12-31", "k": "5"},
    {"q": "kế hoạch", "cites": "25-NQ/TW"},
    {"q": "một cửa", "type": "quyet dinh", "issuer": "phu tho", "from": "5/2017"},
])
def test_search_is_the_cli_json(client: TestClient, web_db: Path,
                                params: dict[str, str]) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 200
    args = ["search", params["q"], "--db", str(web_db)]
    for key, flag in (("k", "-k"), ("group_by", "--group-by"), ("from", "--from"),
                      ("to", "--to"), ("cites", "--cites"), ("type", "--type"),
                      ("issuer", "--issuer")):
        if key in params:
            args += [flag, params[key]]
    assert response.json() == cli_json(*args)[0]
    assert response.json()["hits"]


def test_refs_file_is_the_cli_json(client: TestClient, web_db: Path) -> None:
    with REPORT.open("rb") as fh:
        response = client.post("/api/refs", files={"file": (REPORT.name, fh, "text/plain")})
    assert response.status_code == 200
    expected = cli_json("refs", str(REPORT), "--db", str(web_db))
    assert response.json() == [{**obj, "source": REPORT.name} for obj in expected]
    symbols = {r["symbol"] for r in response.json()[0]["references"]}
    assert {"30/2020/NĐ-CP", "25-NQ/TW", "61/2018/NĐ-CP"} <= symbols


def test_refs_text_as_form_or_json(client: TestClient) -> None:
    as_form = client.post("/api/refs", data={"text": REPORT_TEXT})
    as_json = client.post("/api/refs", json={"text": REPORT_TEXT, "sort": "mentions"})
    assert as_form.status_code == as_json.status_code == 200
    obj = as_form.json()[0]
    assert obj["document"]["symbol"] == "15/KH-UBND"
    assert [r["symbol"] for r in obj["references"]] == ["30/2020/NĐ-CP", "25-NQ/TW"]
    assert as_json.json()[0]["references"][0]["symbol"] == "25-NQ/TW"
    assert any(w["code"] == "date_conflict" for w in obj["warnings"])


def test_cites_document_stats_are_the_cli_json(client: TestClient, web_db: Path) -> None:
    cites = client.get("/api/cites/" + quote("nq 25/tw", safe=""))
    assert cites.status_code == 200
    assert cites.json() == cli_json("cites", "25-NQ/TW", "--db", str(web_db))
    assert HOSTILE_ID in {d["doc_id"] for d in cites.json()}
    doc_id = cites.json()[0]["doc_id"]
    doc = client.get(f"/api/documents/{doc_id}")
    assert doc.json() == cli_json("show", doc_id, "--db", str(web_db))[0]
    stats = client.get("/api/stats", params={"top": 5})
    assert stats.json() == cli_json("stats", "--top", "5", "--db", str(web_db))[0]


@pytest.mark.parametrize("path", ["/api/documents/no-such-doc", "/api/cites/99-NQ/TW",
                                  "/api/cites/not%20a%20symbol", "/api/nothing"])
def test_missing_is_404_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["status"] == 404 and response.json()["error"]


@pytest.mark.parametrize("path", ["/doc/no-such-doc", "/directive/99-NQ/TW", "/nothing"])
def test_missing_is_404_page(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "Không tìm thấy" in response.text


@pytest.mark.parametrize(("params", "why"), [
    ({"q": "   "}, "empty query"),
    ({"q": "đất", "from": "2019-13"}, "is not a date"),
    ({"q": "đất", "from": "2020", "to": "2019"}, "is after"),
    ({"q": "đất", "type": "quyet dinhh"}, "unknown type"),
    ({"q": "đất", "k": "0"}, "k:"),
    ({}, "q:"),
])
def test_bad_search_is_400(client: TestClient, params: dict[str, str], why: str) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 400
    assert why in response.json()["error"]


# -- pages -----------------------------------------------------------------------------
def test_report_page(client: TestClient) -> None:
    page = client.post("/refs", data={"text": REPORT_TEXT}).text
    assert 'id="directives"' in page
    assert "15/KH-UBND" in page and "07/12/2021" in page   # own number, date dd/mm/yyyy
    assert 'id="d-1"' in page and 'href="#d-1"' in page     # mentions link to their rows
    assert 'class="warn"' in page and "hai ngày khác nhau" in page  # warning marked
    assert "05/03/2020" in page
    assert "/directive/25-NQ%2FTW" in page


def test_report_downloads(client: TestClient, web_db: Path, tmp_path: Path) -> None:
    page = client.post("/refs", data={"text": REPORT_TEXT}).text
    key = page.split("/refs/download/")[1].split(".csv")[0]
    csv_text = client.get(f"/refs/download/{key}.csv").content.decode("utf-8-sig")
    report = tmp_path / "bao-cao.txt"
    report.write_text(REPORT_TEXT, encoding="utf-8")
    result = CliRunner().invoke(cli, ["refs", str(report), "--db", str(web_db), "--csv"])
    assert csv_text == result.stdout.replace(str(report), "văn bản dán vào")
    lines = client.get(f"/refs/download/{key}.json").text.splitlines()
    assert json.loads(lines[0])["document"]["symbol"] == "15/KH-UBND"
    xlsx = client.get(f"/refs/download/{key}.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/refs/download/unknown.csv").status_code == 404


def test_search_directive_document_stats_pages(client: TestClient) -> None:
    page = client.get("/search", params={"q": "dân vận khéo"}).text
    assert "<mark>" in page and "/directive/25-NQ%2FTW" in page and "Bộ lọc" in page
    directive = client.get("/directive/25-NQ/TW").text
    assert 'id="citing"' in directive and "data:image/svg+xml;base64," in directive
    assert f"/doc/{HOSTILE_ID}" in directive
    doc = client.get(f"/doc/{HOSTILE_ID}").text
    assert 'class="mention" href="/directive/25-NQ%2FTW"' in doc
    by_name = client.get("/directive/" + quote("luat thuc hien dan chu o co so", safe=""))
    assert by_name.status_code == 200 and 'id="citing"' in by_name.text
    stats = client.get("/stats").text
    assert "Thống kê kho văn bản" in stats and stats.count("data:image/svg+xml") == 2
    assert "/api/search" in client.get("/docs").text


def test_everything_shown_as_text(client: TestClient) -> None:
    pages = [client.get(f"/doc/{HOSTILE_ID}").text,
             client.get("/search", params={"q": "kế hoạch thử nghiệm"}).text,
             client.post("/refs", data={"text": REPORT_TEXT + HOSTILE_ID_TEXT}).text]
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "<svg onload" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0]
    assert "onerror=&#34;window.__xss" in pages[0]


HOSTILE_ID_TEXT = "\nGhi chú <script>alert(1)</script> <img src=x onerror=alert(5)>\n"


def test_headers_forbid_inline_script(client: TestClient) -> None:
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


# -- bad uploads -----------------------------------------------------------------------
def _upload(client: TestClient, path: Path) -> httpx.Response:
    with path.open("rb") as fh:
        response: httpx.Response = client.post("/api/refs", files={"file": (path.name, fh)})
    return response


def test_bad_uploads_say_why_and_server_goes_on(client: TestClient, tmp_path: Path) -> None:
    corrupt = tmp_path / "hong.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    exe = tmp_path / "virus.exe"
    exe.write_bytes(b"MZ" + b"\0" * 100)
    cases = [
        (corrupt, 422, "hong.pdf: "),
        (make_pdf(tmp_path / "khoa.pdf", [[(20, 20, "Bí mật")]], password="x"), 422,
         "encrypted PDF"),
        (zip_bomb(tmp_path / "bom.docx"), 422, "zip bomb"),
        (exe, 415, "unsupported file type '.exe'"),
    ]
    for path, status, why in cases:
        response = _upload(client, path)
        assert response.status_code == status, (path, response.text)
        assert why in response.json()["error"]
        assert client.get("/api/stats").status_code == 200
    page = client.post("/refs", files={"file": (exe.name, exe.read_bytes())})
    assert page.status_code == 415 and "Loại tệp không được hỗ trợ" in page.text


def test_upload_over_the_limit(web_db: Path, tmp_path: Path) -> None:
    big = tmp_path / "lon.txt"
    big.write_text(REPORT_TEXT * 2000, encoding="utf-8")
    with make_client(web_db, max_mb=0.1) as c:
        response = _upload(c, big)
        assert response.status_code == 413 and "0.1 MB" in response.json()["error"]
        assert c.get("/").status_code == 200


def test_uploads_leave_nothing(client: TestClient, web_db: Path, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    before = sqlite3.connect(web_db).execute("SELECT count(*) FROM documents").fetchone()
    assert _upload(client, REPORT).status_code == 200
    assert client.post("/refs", data={"text": REPORT_TEXT, "ingest": "1"}).status_code == 200
    assert not any(p.name.startswith("vanban-upload-") for p in scratch.iterdir())
    after = sqlite3.connect(web_db).execute("SELECT count(*) FROM documents").fetchone()
    assert before == after


# -- token, concurrency, charts ----------------------------------------------------------
def test_token_required_when_set(web_db: Path) -> None:
    with make_client(web_db, token="s3cret") as c:
        assert c.get("/api/stats").status_code == 401
        assert c.get("/").status_code == 401 and "Cần mã truy cập" in c.get("/").text
        assert c.get("/api/stats", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/stats", headers={"Authorization": "Bearer s3cret"}
                     ).status_code == 200
        assert c.get("/?token=s3cret").status_code == 200   # sets the cookie
        assert c.get("/search").status_code == 200


def test_slow_report_does_not_block_search(web_db: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from vanban.search.web import forms
    from vanban.search.web.reports import read_report

    release = threading.Event()

    def slow(*args: Any) -> Any:
        release.wait(20)
        return read_report(*args)

    monkeypatch.setattr(forms, "read_report", slow)
    app = create_app(WebConfig(db=web_db, report_workers=0))

    async def scenario() -> tuple[int, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            report = asyncio.create_task(c.post("/api/refs", data={"text": REPORT_TEXT}))
            await asyncio.sleep(0.2)
            search = await asyncio.wait_for(c.get("/api/search", params={"q": "dân vận"}), 15)
            assert not report.done()
            release.set()
            return search.status_code, (await report).status_code

    assert asyncio.run(scenario()) == (200, 200)


def test_reports_in_a_worker_process(web_db: Path) -> None:
    with make_client(web_db, report_workers=1) as c:
        response = _upload(c, REPORT)
        assert response.status_code == 200
        assert response.json()[0]["references"]


def test_search_answers_while_a_writer_holds_the_store(client: TestClient,
                                                      web_db: Path) -> None:
    writer = sqlite3.connect(web_db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE documents SET title = title WHERE doc_id = ?", (HOSTILE_ID,))
    try:
        assert client.get("/api/search", params={"q": "dân vận"}).status_code == 200
        assert client.get(f"/doc/{HOSTILE_ID}").status_code == 200
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def _bars(fig: Any) -> list[Any]:
    return list(fig.axes[0].patches)


def test_charts() -> None:
    from vanban.search import charts

    fig = charts.citations_per_year("25-NQ/TW", {"2014": 3, "2017": 5})
    heights = [bar.get_height() for bar in _bars(fig)]
    assert heights == [3, 0, 0, 5]            # every year shown, gaps as empty bars
    assert fig.axes[0].get_title(loc="left") == "Số văn bản trích dẫn 25-NQ/TW theo năm"
    assert charts.to_png(fig)[:8] == b"\x89PNG\r\n\x1a\n"
    assert charts.to_svg(fig).lstrip().startswith("<?xml")
    rows = [{"type": "Quyết định", "year": "2019", "documents": 4},
            {"type": "Kế hoạch", "year": "2019", "documents": 1},
            {"type": "(unknown)", "year": "(undated)", "documents": 7}]
    stacked = charts.documents_per_year(rows)
    assert sum(bar.get_height() for bar in _bars(stacked)) == 5
    top = charts.most_cited([{"symbol": None, "name": "Luật Đất đai", "documents": 2}])
    assert [t.get_text() for t in top.axes[0].get_yticklabels()] == ["Luật Đất đai"]
    assert charts.years_of(["2019-05-01", None, "2019", "2020-Q3"]) == {"2019": 2, "2020": 1}


def test_serve_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "uvicorn" else real(name, *a))
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert result.stderr.strip() == ('Error: serving needs uvicorn, which is not installed — '
                                     'pip install "vanban[web]"')


def test_xlsx_download_is_a_workbook(client: TestClient, tmp_path: Path) -> None:
    page = client.post("/refs", data={"text": REPORT_TEXT}).text
    key = page.split("/refs/download/")[1].split(".csv")[0]
    path = tmp_path / "d.xlsx"
    path.write_bytes(client.get(f"/refs/download/{key}.xlsx").content)
    with zipfile.ZipFile(path) as zf:
        assert "xl/workbook.xml" in zf.namelist()


def test_answers_shared_between_server_processes(tmp_path: Path) -> None:
    from vanban.search.web.reports import Answer, Report, ReportPool

    one = ReportPool(0, kept=2, folder=tmp_path)
    other = ReportPool(0, kept=2, folder=tmp_path)
    keys = [one.keep(Answer((Report({"n": i, "s": "Nghị định"}, "văn bản"),))).key
            for i in range(3)]
    kept = other.get(keys[2])
    assert kept is not None and kept.reports[0].obj == {"n": 2, "s": "Nghị định"}
    assert other.get(keys[0]) is None                  # only the latest `kept` stay
    assert other.get("../../etc/passwd") is None and other.get("x" * 16) is None
    one.close()
    other.close()
    config = WebConfig(db=tmp_path / "a.db", token="t", answers_dir=tmp_path)
    assert WebConfig.from_json(config.to_json()) == config


def test_allow_ingest_adds_the_report_when_asked(web_db: Path, tmp_path: Path) -> None:
    import shutil

    from vanban.index.files import index_dir

    db = tmp_path / "copy.db"
    shutil.copy(web_db, db)
    shutil.copytree(index_dir(web_db), index_dir(db))
    count = "SELECT count(*) FROM documents"
    before = sqlite3.connect(db).execute(count).fetchone()[0]
    with make_client(db, allow_ingest=True) as c:
        assert 'name="ingest"' in c.get("/").text
        with REPORT.open("rb") as fh:
            page = c.post("/refs", files={"file": (REPORT.name, fh)}, data={"ingest": "1"})
        assert page.status_code == 200 and "Đã thêm tệp vào kho" in page.text
        hits = c.get("/api/search", params={"q": "Tam Nông dân vận chính quyền"}).json()
        assert any("tamnong" in h["doc_id"] for h in hits["hits"])
    assert sqlite3.connect(db).execute(count).fetchone()[0] == before + 1


def test_search_answers_from_the_last_index_while_the_corpus_grows(web_db: Path,
                                                                  tmp_path: Path) -> None:
    import shutil

    from vanban.index.files import index_dir

    db = tmp_path / "grow.db"
    shutil.copy(web_db, db)
    shutil.copytree(index_dir(web_db), index_dir(db))
    with make_client(db) as c:
        assert 'id="stale"' not in c.get("/search", params={"q": "dân vận"}).text
        added = CliRunner().invoke(cli, ["ingest", str(REPORT), "--db", str(db), "--no-index"])
        assert added.exit_code == 0, added.stderr
        page = c.get("/search", params={"q": "dân vận"})
        assert page.status_code == 200 and "<mark>" in page.text
        assert 'id="stale"' in page.text and "1 văn bản mới" in page.text


def test_search_page_lists_documents_with_their_best_passages(client: TestClient) -> None:
    page = client.get("/search", params={"q": "công tác dân vận", "k": "5"}).text
    assert page.count('<li class="hit">') == 5
    assert page.count('class="passage"') > 5            # next passages under their document
    assert "Nơi nhận" not in page
    by_passage = client.get("/search", params={"q": "công tác dân vận", "k": "5",
                                               "group_by": "passage"}).text
    assert by_passage.count('class="passage"') == 5
