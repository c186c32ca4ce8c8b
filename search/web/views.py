"""The HTML pages: each renders the same answer its JSON twin returns."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from vanban.search import charts
from vanban.search.output import dumps
from vanban.search.web import present
from vanban.search.web.answers import (
    Problem,
    SearchForm,
    cites_answer,
    document_answer,
    search_answer,
    stats_answer,
)
from vanban.search.web.forms import report_answer
from vanban.search.web.messages import page_message
from vanban.search.web.reports import Answer, ReportPool

router = APIRouter(include_in_schema=False)


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("config", request.app.state.config)
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, name, context, status_code=status)
    return response


def _svg_uri(fig: Any) -> str:
    """A chart as a data: URI for an <img> (an SVG shown as an image runs nothing)."""
    data = base64.b64encode(charts.to_svg(fig).encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{data}"


# -- report check ---------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
@router.get("/refs", response_class=HTMLResponse)
def report_form(request: Request) -> HTMLResponse:
    return _page(request, "refs.html", answer=None)


@router.post("/", response_class=HTMLResponse)
@router.post("/refs", response_class=HTMLResponse)
async def report_check(request: Request) -> HTMLResponse:
    answer = await report_answer(request)
    return _page(request, "refs.html", answer=answer, reports=[
        {"obj": r.obj,
         "pieces": present.pieces(r.text, present.mention_marks(r.obj)),
         "mentions": sum(len(x["mentions"]) for x in r.obj["references"])}
        for r in answer.reports])


@router.get("/refs/download/{key}.{fmt}")
def report_download(request: Request, key: str, fmt: str) -> Response:
    pool: ReportPool = request.app.state.reports
    answer = pool.get(key)
    if answer is None:
        raise Problem(404, "this answer is no longer kept — check the report again")
    objs = [r.obj for r in answer.reports]
    name = _download_name(answer)
    if fmt == "csv":
        from vanban.search.reporting import refs_csv

        return _file(("\ufeff" + refs_csv(objs)).encode("utf-8"), "text/csv; charset=utf-8",
                     f"{name}.csv")
    if fmt == "json":
        body = "".join(dumps(o) + "\n" for o in objs).encode("utf-8")
        return _file(body, "application/json", f"{name}.json")
    if fmt == "xlsx":
        return _file(_xlsx(objs), "application/vnd.openxmlformats-officedocument."
                     "spreadsheetml.sheet", f"{name}.xlsx")
    raise Problem(404, f"no download as {fmt!r} (csv, xlsx or json)")


def _download_name(answer: Answer) -> str:
    """"dan-chieu-bao-cao-thang-3" for "báo cáo tháng 3.docx": the letters kept, unaccented."""
    from vanban.ingest.pipeline import slug

    stem = Path(str(answer.reports[0].obj["source"])).stem if answer.reports else ""
    safe = slug(stem) if stem.strip() else "van-ban"
    return f"dan-chieu-{'van-ban' if safe == 'doc' else safe}"


def _xlsx(objs: list[dict[str, Any]]) -> bytes:
    """The page's Excel download: the `refs --xlsx` workbook, said in Vietnamese."""
    from vanban.search.xlsx import write_workbook

    with tempfile.TemporaryDirectory(prefix="vanban-xlsx-") as folder:
        path = Path(folder) / "refs.xlsx"
        write_workbook(path, present.workbook_sheets(objs))
        return path.read_bytes()


def _file(body: bytes, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# -- search ---------------------------------------------------------------------------
@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", k: int = Query(10, ge=1, le=200),
                type: str = "", issuer: str = "", date_from: str = Query("", alias="from"),
                date_to: str = Query("", alias="to"), cites: str = "",
                group_by: str = "document") -> HTMLResponse:
    form = SearchForm(q=q, k=k, type=type, issuer=issuer, date_from=date_from,
                      date_to=date_to, cites=cites, group_by=group_by)
    if not q.strip():
        return _page(request, "search.html", form=form, result=None)
    try:
        obj, fresh = search_answer(request.app.state.access, form)
    except Problem as exc:
        if exc.status != 400:
            raise
        said = page_message(exc.message)
        return _page(request, "search.html", status=400, form=form, result=None,
                     error=said["message"], error_detail=said["detail"])
    groups = present.group_hits(obj["hits"], q)
    return _page(request, "search.html", form=form, result=obj, groups=groups,
                 fresh=fresh)


# -- document, directive, corpus --------------------------------------------------------
@router.get("/doc/{doc_id:path}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str) -> HTMLResponse:
    doc, obj, cited_by = document_answer(request.app.state.access, doc_id)
    marks = [present.Mark(r.start, r.end, "ref",
                          href=present.directive_url(r.directive.symbol)
                          if r.directive.symbol else None,
                          title=r.directive.symbol or r.directive.name)
             for r in doc.references]
    return _page(request, "doc.html", obj=obj, pieces=present.pieces(doc.text, marks),
                 cited_by=cited_by)


@router.get("/directive/{symbol:path}", response_class=HTMLResponse)
def directive_page(request: Request, symbol: str) -> HTMLResponse:
    canonical, docs, own = cites_answer(request.app.state.access, symbol)
    years = charts.years_of(d["date"] for d in docs)
    chart = _svg_uri(charts.citations_per_year(canonical, years)) if docs else None
    return _page(request, "directive.html", symbol=canonical, docs=docs, own=own,
                 chart=chart, undated=sum(1 for d in docs if not d["date"]),
                 directives=len({d["directive_key"] for d in docs}))


@router.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request, top: int = Query(20, ge=1, le=200)) -> HTMLResponse:
    stats = stats_answer(request.app.state.access, top)
    return _page(request, "stats.html", stats=stats,
                 years_chart=_svg_uri(charts.documents_per_year(stats["by_type_year"])),
                 cited_chart=_svg_uri(charts.most_cited(stats["most_cited"], 10)))


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API described from its OpenAPI schema (also at /openapi.json)."""
    schema = request.app.openapi()
    routes = [{"method": method.upper(), "path": path, "summary": op.get("summary", ""),
               "description": op.get("description", ""),
               "parameters": op.get("parameters", [])}
              for path, ops in schema.get("paths", {}).items() for method, op in ops.items()]
    return _page(request, "api.html", routes=routes)
