"""A report from a request: a multipart `file`, or a `text` field (form or JSON body)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from vanban.search.web.answers import Problem
from vanban.search.web.config import UPLOAD_SUFFIXES, WebConfig
from vanban.search.web.reports import Answer, ReportPool, Upload, read_report

_CHUNK = 1024 * 1024
MAX_TEXT = 2_000_000  # characters typed or pasted


async def report_answer(request: Request) -> Answer:
    """Read the report the request carries; ``Problem`` for what cannot be read."""
    config: WebConfig = request.app.state.config
    pool: ReportPool = request.app.state.reports
    fields = await _fields(request)
    sort = str(fields.get("sort") or "first")
    if sort not in ("first", "mentions"):
        raise Problem(400, f"sort: {sort!r} is not first or mentions")
    ingest = config.allow_ingest and str(fields.get("ingest", "")) in ("1", "on", "true")
    upload = fields.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        answer = await _read_upload(upload, config, pool, sort, ingest)
    else:
        text = fields.get("text")
        if not isinstance(text, str) or not text.strip():
            raise Problem(400, "no report: choose a file or paste its text")
        if len(text) > MAX_TEXT:
            raise Problem(413, f"the text is over {MAX_TEXT:,} characters")
        answer = await pool.run(read_report, None, text, "văn bản dán vào",
                                str(config.db), config.limits(), sort, False)
    if answer.error is not None:
        raise Problem(answer.status, answer.error)
    return answer


async def _fields(request: Request) -> dict[str, Any]:
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        try:
            body = json.loads(await request.body())
        except ValueError as exc:
            raise Problem(400, f"the body is not JSON ({exc})") from None
        if not isinstance(body, dict):
            raise Problem(400, 'the body must be a JSON object like {"text": "…"}')
        return body
    if not kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        raise Problem(415, "send a multipart form (file or text) or a JSON object")
    try:
        form = await request.form(max_files=1, max_fields=10)
    except Problem:
        raise
    except Exception as exc:  # malformed multipart: the parser says what
        raise Problem(400, f"the form could not be read ({exc})") from None
    return dict(form.items())


async def _read_upload(upload: UploadFile, config: WebConfig, pool: ReportPool, sort: str,
                       ingest: bool) -> Answer:
    name = Path((upload.filename or "").replace("\\", "/")).name
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise Problem(415, f"{name}: unsupported file type '{suffix or name}' "
                           f"(supported: {', '.join(UPLOAD_SUFFIXES)})")
    with Upload(name, suffix) as place:
        size = 0
        with place.path.open("wb") as out:
            while chunk := await upload.read(_CHUNK):
                size += len(chunk)
                if size > config.max_bytes:
                    raise Problem(413, f"{name}: over the {config.max_mb:g} MB limit "
                                       "(the server's --max-mb)")
                out.write(chunk)
        answer = await pool.run(read_report, str(place.path), None, name, str(config.db),
                                config.limits(), sort, ingest)
    if answer.error is not None:
        return Answer(error=f"{name}: {answer.error}", status=answer.status)
    return answer
