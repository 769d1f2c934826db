"""Sessions, CSRF, login state and who may see which report.

- Sessions live in the store (`login_sessions.py`): the cookie carries only a random token (HttpOnly,
  SameSite=Lax, Secure when the request came over https or always with JIXIAO_HTTPS_COOKIES=true).
  Logout, a new password and `jixiao db` end them; idle and absolute timeouts (settings).
- CSRF: every request whose method is not GET/HEAD/OPTIONS must carry its session's token, as the form
  field `csrf_token` or the header `X-CSRF-Token` (htmx and fetch). Checked by one app-wide dependency,
  so a new route cannot forget it. A visitor who is not logged in gets a session without a user
  (the login form needs a token too); login replaces it with a new session and a new token.
- Access: staff see and change their own department's reports only; reviewers read every report and
  act on its workflow. A report of another department answers 404 like a report that does not exist,
  so ids reveal nothing.
"""

from __future__ import annotations

import re
import secrets

from fastapi import HTTPException, Request

from assistant.store.store import MAX_ID
from assistant.web.login_sessions import LoginContext

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSRF_FIELD, CSRF_HEADER = "csrf_token", "x-csrf-token"


class LoginRequired(Exception):
    """No logged-in user: a login page for browsers, 401 for JSON clients."""


def login_context(request: Request) -> LoginContext:
    return request.scope["state"]["login"]


def csrf_token(request: Request) -> str:
    """The session's CSRF token (a session without a user is started for a first visit)."""
    context = login_context(request)
    session = context.session or context.start(None)
    return session.csrf


# The data form posts about a thousand fields for the seed department (each project adds its own
# tables); Starlette's default of 1000 would refuse it with a bare 400. The body size stays bounded.
MAX_FORM_FIELDS = 20_000


async def read_form(request: Request):
    """The posted form (parsed once per request; every reader must ask with the same limits)."""
    return await request.form(max_fields=MAX_FORM_FIELDS)


async def check_csrf(request: Request) -> None:
    """App-wide dependency: state-changing requests need the session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    session = login_context(request).session
    expected = session.csrf if session is not None else None
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await read_form(request)
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not expected or not given or not secrets.compare_digest(expected, given):
        raise HTTPException(403, "页面已过期或请求来源无法确认（安全校验失败），请刷新页面后重试")


# Ids and version numbers in paths are database integers (32-bit on PostgreSQL): anything outside
# 1 … MAX_ID cannot name a row, so it is a 404 before any query (a 23-digit id was a 500).
_INTEGER = re.compile(r"[+-]?\d+")


async def check_path_ids(request: Request) -> None:
    """App-wide dependency: an integer path parameter out of range is a page that does not exist."""
    for value in request.path_params.values():
        if isinstance(value, str) and _INTEGER.fullmatch(value) and not (len(value) <= 10 and 1 <= int(value) <= MAX_ID):
            raise HTTPException(404)


def store_of(request: Request):
    return request.app.state.store


def optional_user(request: Request):
    if "user" in request.scope.get("state", {}):
        return request.state.user
    session = login_context(request).session
    user = None
    if session is not None and session.user_id is not None:
        from assistant.store.errors import NotFound

        try:
            user = store_of(request).get_user(session.user_id)
        except NotFound:
            login_context(request).end()
    request.state.user = user
    return user


def current_user(request: Request):
    """Dependency: the logged-in user, or LoginRequired."""
    user = optional_user(request)
    if user is None:
        raise LoginRequired()
    return user


def log_in(request: Request, user) -> None:
    login_context(request).start(user.id)  # a new session id and CSRF token after login (no fixation)
    request.state.user = user


def log_out(request: Request) -> None:
    login_context(request).end()
    request.state.user = None


def is_reviewer(user) -> bool:
    return user.role == "reviewer"


def readable_report(request: Request, report_id: int, user):
    """The report if this user may read it; otherwise 404, exactly as for a missing report."""
    from assistant.store.errors import NotFound

    try:
        report = store_of(request).get_report(report_id)
    except NotFound:
        raise HTTPException(404, "找不到这份报告") from None
    if not is_reviewer(user) and report.department_id != user.department_id:
        raise HTTPException(404, "找不到这份报告")
    return report


def editable_report(request: Request, report_id: int, user):
    """The report if this user may change its data: staff of its department, while it is not approved."""
    report = readable_report(request, report_id, user)
    if is_reviewer(user):
        raise HTTPException(403, "审核人员只能查看、评论和审核，不能修改部门填报的数据")
    if report.status in {"submitted", "approved"}:
        raise HTTPException(403, f"报告处于“{report.status_label}”状态，不能修改数据")
    return report


class SecureCookieOnHttps:
    """ASGI middleware: add `Secure` to cookies set on responses to https requests."""

    def __init__(self, app, always: bool = False) -> None:
        self.app, self.always = app, always

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not (self.always or scope.get("scheme") == "https"):
            return await self.app(scope, receive, send)

        async def send_secure(message):
            if message["type"] == "http.response.start":
                headers = []
                for name, value in message.get("headers", []):
                    if name.lower() == b"set-cookie" and b"secure" not in value.lower():
                        value += b"; secure"
                    headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, send_secure)


class BodySizeLimit:
    """ASGI middleware: refuse a request body over the limit (413) before any of it is parsed."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            from assistant.web.errors import too_large_response

            return await too_large_response(scope)(scope, receive, send)
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413, "上传的内容过大")
            return message

        return await self.app(scope, counted, send)
