"""`vanban serve`: check the options and the corpus, then run uvicorn on the web app."""

from __future__ import annotations

import sys

from vanban.search.commands import UserError, open_store

INSTALL_HINT = 'pip install "vanban[web]"'


def _require_web() -> None:
    from importlib.util import find_spec

    for module, package in (("fastapi", "fastapi"), ("uvicorn", "uvicorn"),
                            ("jinja2", "jinja2"), ("python_multipart", "python-multipart"),
                            ("matplotlib", "matplotlib")):
        if find_spec(module) is None:
            raise UserError(f"serving needs {package}, which is not installed — "
                            f"{INSTALL_HINT}")


def run_server(db: str | None, *, host: str, port: int, max_mb: float, max_pages: int,
               max_seconds: float, ocr: bool, token: str | None, allow_ingest: bool,
               workers: int) -> None:
    _require_web()
    import uvicorn

    from vanban.search.web.app import create_app
    from vanban.search.web.config import WebConfig

    path, store = open_store(db)  # the sample corpus is built here on first use
    store.close()
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        print(f"Warning: serving on {host} without --token: anyone who can reach it can "
              "read the corpus", file=sys.stderr)
    config = WebConfig(db=path, max_mb=max_mb, max_pages=max_pages, max_seconds=max_seconds,
                       ocr=ocr, token=token, allow_ingest=allow_ingest, report_workers=workers)
    shown = f"[{host}]" if ":" in host else host
    print(f"vanban: serving {path} on http://{shown}:{port}/ (Ctrl+C stops)", file=sys.stderr)
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning",
                timeout_graceful_shutdown=5)
