"""/docs: the interactive API documentation (Swagger UI) served from the app's own static files.

FastAPI's default page loads Swagger UI from a CDN, which county intranets cannot reach; the assets
are vendored in `static/` (swagger-ui-dist from npm, with its licence `swagger-ui.LICENSE.txt`).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def swagger_ui(request: Request):
    return get_swagger_ui_html(openapi_url=request.app.openapi_url, title=f"{request.app.title} · 接口文档",
                               swagger_js_url="/static/swagger-ui-bundle.js",
                               swagger_css_url="/static/swagger-ui.css", swagger_favicon_url="data:,")
