"""`vanban serve`: check the options and the corpus, then run uvicorn on the web app."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from vanban.search.commands import UserError, open_store

if TYPE_CHECKING:
    from fastapi import FastAPI

INSTALL_HINT = 'pip install "vanban[web]"'
CONFIG_ENV = "VANBAN_WEB_CONFIG"


def _require_web() -> None:
    from importlib.util import find_spec

    for module, package in (("fastapi", "fastapi"), ("uvicorn", "uvicorn"),
                            ("jinja2", "jinja2"), ("python_multipart", "python-multipart"),
                            ("matplotlib", "matplotlib")):
        if find_spec(module) is None:
            raise UserError(f"serving needs {package}, which is not installed — "
                            f"{INSTALL_HINT}")


def app_from_env() -> FastAPI:
    """The app of one server process (uvicorn's factory when it runs several)."""
    from vanban.search.web.app import create_app
    from vanban.search.web.config import WebConfig

    return create_app(WebConfig.from_json(os.environ[CONFIG_ENV]))


def run_server(db: str | None, *, host: str, port: int, max_mb: float, max_pages: int,
               max_seconds: float, ocr: bool, token: str | None, allow_ingest: bool,
               workers: int, processes: int = 1) -> None:
    _require_web()
    import uvicorn

    from vanban.search.web.app import create_app
    from vanban.search.web.config import WebConfig

    path, store = open_store(db)  # the sample corpus is built here on first use
    store.close()
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        print(f"Warning: serving on {host} without --token: anyone who can reach it can "
              "read the corpus", file=sys.stderr)
    answers = Path(tempfile.mkdtemp(prefix="vanban-answers-")) if processes > 1 else None
    config = WebConfig(db=path.resolve(), max_mb=max_mb, max_pages=max_pages,
                       max_seconds=max_seconds, ocr=ocr, token=token,
                       allow_ingest=allow_ingest, report_workers=workers,
                       answers_dir=answers)
    shown = f"[{host}]" if ":" in host else host
    print(f"vanban: serving {path} on http://{shown}:{port}/ (Ctrl+C stops)", file=sys.stderr)
    try:
        if processes > 1:
            os.environ[CONFIG_ENV] = config.to_json()
            uvicorn.run("vanban.search.web.serve:app_from_env", factory=True, host=host,
                        port=port, workers=processes, log_level="warning",
                        timeout_graceful_shutdown=5)
        else:
            uvicorn.run(create_app(config), host=host, port=port, log_level="warning",
                        timeout_graceful_shutdown=5)
    finally:
        if answers is not None:
            shutil.rmtree(answers, ignore_errors=True)
