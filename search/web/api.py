"""The JSON API: each answer is exactly the CLI's `--json` object (or, where the CLI prints
one object per line, the list of those objects)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from vanban.search.web.answers import (
    SearchForm,
    cites_answer,
    document_answer,
    search_answer,
    stats_answer,
)
from vanban.search.web.forms import report_answer

router = APIRouter(prefix="/api", tags=["API"])

_REFS_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": ".pdf .docx .doc .txt .md .html or an image"},
        "text": {"type": "string", "description": "the report's text, instead of a file"},
        "sort": {"type": "string", "enum": ["first", "mentions"]}}}},
    "application/json": {"schema": {"type": "object", "required": ["text"], "properties": {
        "text": {"type": "string"}, "sort": {"type": "string",
                                             "enum": ["first", "mentions"]}}}}}}}


@router.get("/search", summary="vanban search QUERY --json")
def api_search(request: Request, q: str = Query(..., description="the query"),
               k: int = Query(10, ge=1, le=1000), type: str = "", issuer: str = "",
               date_from: str = Query("", alias="from", description="YYYY[-MM[-DD]]"),
               date_to: str = Query("", alias="to", description="YYYY[-MM[-DD]]"),
               cites: str = "", group_by: str = Query("document", pattern="^(passage|document)$"),
               ) -> JSONResponse:
    """The hits of a query, with the CLI's filters: `{"query", "hits": [...]}`."""
    form = SearchForm(q=q, k=k, type=type, issuer=issuer, date_from=date_from,
                      date_to=date_to, cites=cites, group_by=group_by)
    obj, _ = search_answer(request.app.state.access, form)
    return JSONResponse(obj)


@router.post("/refs", summary="vanban refs FILE --json", openapi_extra=_REFS_BODY)
async def api_refs(request: Request) -> JSONResponse:
    """The directives a report relies on: one `refs` object per document of the upload
    (multipart `file`, or `text` as a form field or a JSON object)."""
    answer = await report_answer(request)
    return JSONResponse([r.obj for r in answer.reports])


@router.get("/cites/{symbol:path}", summary="vanban cites SYMBOL --json")
def api_cites(request: Request, symbol: str) -> JSONResponse:
    """Every corpus document citing a directive (any spelling); 404 when none is or
    cites it."""
    _, docs, _ = cites_answer(request.app.state.access, symbol)
    return JSONResponse(docs)


@router.get("/documents/{doc_id:path}", summary="vanban show DOC_ID --json")
def api_document(request: Request, doc_id: str) -> JSONResponse:
    """One corpus document: identity, references, dates, text."""
    _, obj, _ = document_answer(request.app.state.access, doc_id)
    return JSONResponse(obj)


@router.get("/stats", summary="vanban stats --json")
def api_stats(request: Request, top: int = Query(20, ge=1, le=1000)) -> JSONResponse:
    """Corpus size, index state, most-cited directives, documents by type and year."""
    return JSONResponse(stats_answer(request.app.state.access, top))
