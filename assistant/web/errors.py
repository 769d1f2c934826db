"""Chinese error pages (404, 403, 413, 422, 500 …) and JSON errors for JSON clients; never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.model.errors import InputError
from assistant.web.pages import templates, wants_json
from assistant.web.security import LoginRequired

log = logging.getLogger("assistant.web")

TITLES = {
    400: "请求有误", 401: "请先登录", 403: "没有权限", 404: "页面不存在", 405: "不支持的操作",
    409: "内容已被他人修改", 413: "文件过大", 422: "填写的内容有误", 500: "服务器出错",
}
DEFAULT_MESSAGES = {
    404: "您要找的页面不存在，或您没有查看它的权限。",
    405: "此页面不支持这种操作。",
    500: "处理请求时出现了意外错误，已记录。请稍后重试，或联系管理员。",
}


def error_response(request: Request, status: int, message: str | None = None) -> Response:
    title = TITLES.get(status, "出错了")
    message = message or DEFAULT_MESSAGES.get(status) or title
    if wants_json(request):
        return JSONResponse({"error": {"status": status, "title": title, "message": message}}, status_code=status)
    from assistant.web.security import csrf_token, optional_user

    try:
        user = optional_user(request)
    except Exception:  # the store itself may be what failed
        user = None
    context = {"request": request, "user": user, "csrf_token": csrf_token(request), "status": status,
               "title": title, "message": message}
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


def too_large_response(scope) -> Response:
    request = Request(scope)
    text = "上传的文件超过大小上限，请压缩或拆分后再试。"
    if wants_json(request):
        return JSONResponse({"error": {"status": 413, "title": TITLES[413], "message": text}}, status_code=413)
    return Response(f"<!doctype html><meta charset=utf-8><title>{TITLES[413]}</title><h1>{TITLES[413]}</h1>"
                    f"<p>{text}</p><p><a href=\"/\">返回报告列表</a></p>", status_code=413,
                    media_type="text/html; charset=utf-8")


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        detail = error.detail if isinstance(error.detail, str) and _is_chinese(error.detail) else None
        return error_response(request, error.status_code, detail)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, error: LoginRequired) -> Response:
        if wants_json(request):
            return error_response(request, 401, "请先登录")
        return RedirectResponse(f"/login?next={_next_path(request)}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        fields = "、".join(str(item["loc"][-1]) for item in error.errors()[:5])
        return error_response(request, 422, f"请求中的参数不正确（{fields}），请从页面上的链接和按钮操作。")

    @app.exception_handler(InputError)
    async def input_error(request: Request, error: InputError) -> Response:
        return error_response(request, 422, str(error))



class UnexpectedErrors:
    """ASGI middleware (inside the session middleware): an unexpected error becomes the Chinese 500
    page, logged, and the connection stays usable. Starlette's own handler for `Exception` re-raises
    after answering, and uvicorn then closes the connection, so the next request on the same
    keep-alive connection was reset. A response already started (a stream) cannot be replaced: that
    error propagates and the half response is cut."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            if started:
                raise
            request = Request(scope, receive)
            log.exception("unexpected error on %s %s", request.method, request.url.path)
            await error_response(request, 500)(scope, receive, send)


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def _next_path(request: Request) -> str:
    from urllib.parse import quote

    path = request.url.path if request.method == "GET" else "/"
    return quote(path, safe="/")
