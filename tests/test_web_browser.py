"""`vanban serve` in a real browser: Playwright drives Debian's Chromium against a uvicorn
started here on 127.0.0.1 (a free port).  Skipped, saying why, only when Chromium or
Playwright is absent and CI is not set; under CI=true their absence fails the run.

`VANBAN_SCREENSHOT=docs/report-page.png python -m pytest tests/test_web_browser.py`
refreshes the README's screenshot of the report page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web_corpus import HOSTILE_ID, HOSTILE_TEXT, build_web_corpus

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("VANBAN_CHROMIUM", "/usr/bin/chromium"))
REPORT = ROOT / "tests" / "data" / "report_tamnong_2023.txt"


def _need_browser() -> Any:
    """The Playwright module, or a skip (outside CI) saying what is missing."""
    missing = None
    try:
        from playwright import sync_api
    except ImportError:
        missing = "the playwright package is not installed (pip install playwright)"
    if missing is None and not CHROMIUM.exists():
        missing = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests need a browser under CI: {missing}")
        pytest.skip(f"browser tests skipped: {missing}")
    return sync_api


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def server(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    folder = tmp_path_factory.mktemp("browser")
    db = build_web_corpus(sample_db, folder)
    port = _free_port()
    log = (folder / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "vanban.search.cli", "serve", "--db", str(db), "--port",
         str(port), "--workers", "1"], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                said = (folder / "serve.log").read_text(errors="replace")
                pytest.fail(f"vanban serve did not start: {said}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    sync_api = _need_browser()
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM),
                              args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    pg = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    pg.dialogs = dialogs
    yield pg
    context.close()


def upload_report(page: Any, base: str, path: Path) -> None:
    page.goto(base + "/")
    page.set_input_files("input[name=file]", str(path))
    page.click("button[type=submit]")
    page.wait_for_selector("#directives", timeout=60_000)


def test_upload_lists_the_directives(server: str, page: Any, tmp_path: Path) -> None:
    upload_report(page, server, REPORT)
    rows = page.locator("#directives tbody tr")
    symbols = [s for s in page.locator("#directives tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.symbol)") if s]
    assert rows.count() >= 8
    assert {"77/2015/QH13", "30/2020/NĐ-CP", "25-NQ/TW", "114-KL/TW"} <= set(symbols)
    assert page.locator("#own-symbol").inner_text() == "Báo cáo số 318/BC-UBND"
    assert page.locator("#own-date").inner_text() == "24/11/2023"
    shot = Path(os.environ.get("VANBAN_SCREENSHOT") or tmp_path / "report-page.png")
    take_report_screenshot(page, shot)
    assert shot.stat().st_size > 10_000
    page.locator("#report-text a.mention").first.click()
    assert page.evaluate("location.hash") == "#d-1"
    warned = page.locator("#directives tr.warn")
    assert warned.count() >= 1 and "⚠" in warned.first.inner_text()


def take_report_screenshot(page: Any, path: Path) -> None:
    """The report page from its own number down through the directives table."""
    page.evaluate("document.querySelector('.downloads').scrollIntoView()")
    page.evaluate("window.scrollBy(0, -12)")
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def test_search_then_directive_then_citing_documents(server: str, page: Any) -> None:
    page.goto(server + "/search")
    page.fill("input[name=q]", "dân vận khéo")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("#hits")
    assert page.locator("#hits mark").count() > 0
    page.locator("#hits a.directive", has_text="25-NQ/TW").first.click()
    page.wait_for_selector("#citing")
    assert page.locator("h1").inner_text() == "25-NQ/TW"
    citing = page.locator("#citing tbody tr")
    assert citing.count() == int(page.locator("#cite-count").inner_text()) >= 2
    assert page.locator("#cites-chart").evaluate("img => img.naturalWidth") > 0
    page.locator("#citing a", has_text="Kế hoạch thử nghiệm").click()
    page.wait_for_selector("#doc-text")
    assert HOSTILE_ID in page.url


def test_markup_in_documents_runs_nothing(server: str, page: Any, tmp_path: Path) -> None:
    for path in (f"/doc/{HOSTILE_ID}", "/search?q=k%E1%BA%BF+ho%E1%BA%A1ch+th%E1%BB%AD"):
        page.goto(server + path)
        page.wait_for_timeout(300)
        assert page.evaluate("window.__xss === undefined")
        assert page.locator("script:not([src])").count() == 0
        assert page.locator("main img[src='x'], main svg[onload]").count() == 0
    assert "<script>alert(1)</script>" in page.locator("body").inner_text() or \
        "<script>alert(1)</script>" in page.content().replace("&lt;", "<").replace("&gt;", ">")
    report = tmp_path / "doc-hai.txt"
    report.write_text(HOSTILE_TEXT, encoding="utf-8")
    upload_report(page, server, report)
    page.wait_for_timeout(300)
    assert "<script>alert(1)</script>" in page.locator("#report-text").inner_text()
    assert page.evaluate("window.__xss === undefined")
    assert page.dialogs == []


def test_bad_upload_page_and_server_goes_on(server: str, page: Any, tmp_path: Path) -> None:
    bad = tmp_path / "hong.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 500)
    page.goto(server + "/")
    page.set_input_files("input[name=file]", str(bad))
    page.click("button[type=submit]")
    page.wait_for_selector("#error")
    assert "hong.pdf" in page.locator("#error .why").inner_text()
    assert "Không đọc được dữ liệu" in page.locator("h1").inner_text()
    assert httpx.get(server + "/api/stats", timeout=30).status_code == 200
