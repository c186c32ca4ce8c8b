"""Ctrl-C stops `vanban serve` quietly: the terminal's interrupt reaches the whole process
group, the report workers included, and none of them prints a traceback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT are POSIX")
def test_ctrl_c_stops_the_server_without_a_traceback(sample_db: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "vanban.search.cli", "serve", "--db", str(sample_db),
         "--port", str(port), "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        answer = httpx.post(base + "/api/refs", timeout=60,  # a report worker is running
                            data={"text": "Căn cứ Nghị định số 30/2020/NĐ-CP của Chính phủ."})
        assert answer.status_code == 200, answer.text
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    said = err.decode("utf-8", "replace")
    assert "Traceback" not in said and "KeyboardInterrupt" not in said, said
    assert proc.returncode == 0, said
