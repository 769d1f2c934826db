"""One data path for HTML and JSON (as in datasette): a view builds one context dict; `respond`
renders it with a template, or returns the same dict as JSON when the client asks for JSON
(`Accept: application/json`, or a URL under `/api/`).

Keys starting with `_` are for the page only (the generated form tree, navigation) and stay out of
the JSON; `request`, `user` and `csrf_token` are added for templates and never serialised.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates

from assistant.resources import TEMPLATES, shipped

TEMPLATE_DIR = shipped(TEMPLATES, "web")
templates = Jinja2Templates(directory=str(TEMPLATE_DIR))  # autoescape is on for .html
templates.env.auto_reload = False  # templates change with a release, not while serving (no stat per render)
PAGE_ONLY = {"request", "user", "csrf_token"}


def wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


_PLAIN = frozenset({str, int, bool, float})


def jsonable(value: Any) -> Any:
    """Records, Decimals and dates as JSON values (Decimal as its exact text, never a float)."""
    if value is None or type(value) in _PLAIN:  # most values of a page: no walk needed
        return value
    if isinstance(value, dict):  # plain items inline: pages carry thousands of them (check findings)
        return {key if type(key) is str else str(key): item if item is None or type(item) in _PLAIN
                else jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [item if item is None or type(item) in _PLAIN else jsonable(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name != "password_hash"}
    if hasattr(value, "model_dump"):
        return jsonable(value.model_dump())
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def public_context(context: dict[str, Any]) -> dict[str, Any]:
    return {key: jsonable(value) for key, value in context.items()
            if not key.startswith("_") and key not in PAGE_ONLY}


def respond(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> Response:
    if wants_json(request):
        return JSONResponse(public_context(context), status_code=status_code)
    from assistant.web.security import csrf_token, optional_user

    page = {"request": request, "user": optional_user(request), "csrf_token": csrf_token(request), **context}
    return templates.TemplateResponse(request, template, page, status_code=status_code)
