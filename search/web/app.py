"""The ASGI app: routes, templates, the token check, upload size limit, error pages."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vanban.search.web import present
from vanban.search.web.access import CorpusAccess, Unavailable
from vanban.search.web.answers import Problem, UploadTooLarge
from vanban.search.web.config import WebConfig
from vanban.search.web.messages import page_message
from vanban.search.web.reports import ReportPool

HERE = Path(__file__).parent
TOKEN_COOKIE = "vanban_token"
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
_MESSAGES = {400: "Yêu cầu không hợp lệ", 401: "Cần mã truy cập", 404: "Không tìm thấy",
             405: "Phương thức không được hỗ trợ", 413: "Tệp quá lớn",
             415: "Loại tệp không được hỗ trợ", 422: "Không đọc được dữ liệu",
             500: "Lỗi máy chủ", 503: "Tạm thời chưa trả lời được"}


class BodyLimit:
    """Stops reading a request body past ``limit`` bytes (the upload limit plus room for
    the form around the file), whether or not it says its length."""

    def __init__(self, app: ASGIApp, limit: int, file_limit: int) -> None:
        self.app = app
        self.limit = limit
        self.file_limit = file_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT"):
            await self.app(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise UploadTooLarge(self.file_limit)
            return message

        await self.app(scope, limited, send)


def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(HERE / "templates"))
    t.env.autoescape = True
    t.env.filters.update(vn_date=present.vn_date, directive_url=present.directive_url,
                         doc_url=present.doc_url)
    t.env.globals.update(warning_labels=present.warning_labels,
                         document_warnings=present.document_warnings,
                         index_states=present.INDEX_STATES, granularity=present.GRANULARITY)
    return t


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, message: str) -> Response:
    """A JSON error for the API, else the error page."""
    if is_api(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    t: Jinja2Templates = request.app.state.templates
    return t.TemplateResponse(request, "error.html",
                              {"status": status, "title": _MESSAGES.get(status, "Lỗi"),
                               **page_message(message)}, status_code=status)



def _token_ok(request: Request, token: str) -> bool:
    offered = [request.headers.get("authorization", "").removeprefix("Bearer ").strip(),
               request.query_params.get("token", ""), request.cookies.get(TOKEN_COOKIE, "")]
    return any(o and hmac.compare_digest(o.encode(), token.encode()) for o in offered)


def _install_guards(app: FastAPI, config: WebConfig) -> None:
    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]
                    ) -> Response:
        if config.token and not _token_ok(request, config.token):
            response = error_response(request, 401, "this server needs its access token: "
                                      "open the address with ?token=… or send "
                                      "Authorization: Bearer …")
        else:
            response = await call_next(request)
            if config.token and request.query_params.get("token") == config.token:
                response.set_cookie(TOKEN_COOKIE, config.token, httponly=True,
                                    samesite="strict")
        response.headers["Content-Security-Policy"] = _CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def problem(request: Request, exc: Problem) -> Response:
        return error_response(request, exc.status, exc.message)

    @app.exception_handler(Unavailable)
    async def unavailable(request: Request, exc: Unavailable) -> Response:
        return error_response(request, 503, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return error_response(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = [f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors()]
        return error_response(request, 400, "; ".join(parts) or "invalid request")


def create_app(config: WebConfig) -> FastAPI:
    """The app serving ``config.db``."""
    from vanban.search.web import api, views

    pool = ReportPool(config.report_workers, config.kept_answers, config.answers_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(title="vanban", version="0.1.0", docs_url=None, redoc_url=None,
                  lifespan=lifespan,
                  description="The directives Vietnamese administrative texts cite, and "
                              "search over a corpus: the JSON twins of the pages.")
    app.state.config = config
    app.state.access = CorpusAccess(config.db)
    app.state.reports = pool
    app.state.templates = templates()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(views.router)
    _install_guards(app, config)
    _install_errors(app)
    app.add_middleware(BodyLimit, limit=config.max_bytes + 1024 * 1024,
                       file_limit=config.max_bytes)
    return app


def state(request: Request) -> Any:
    return request.app.state
