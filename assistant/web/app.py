"""The FastAPI application: settings, store, middleware and the route table.

Later page groups (generate, report page with chat, review, export) add a module under
`assistant/web/views/` with a `router` and append it to `ROUTERS`; they get login, CSRF, error pages
and JSON twins from here without further wiring.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from assistant.resources import shipped
from assistant.settings import Settings
from assistant.web import errors
from assistant.web.checks import CheckCache
from assistant.web.config import web_settings
from assistant.web.login_sessions import LoginCookies
from assistant.web.security import BodySizeLimit, SecureCookieOnHttps, check_csrf, check_path_ids
from assistant.web.views import auth, data, generate, report, reports
from assistant.web.views import api_docs, audit, claim_marks, export, review

STATIC_DIR = shipped("assistant.web", "static")
ROUTERS = (auth.router, reports.router, data.router, generate.router, report.router, review.router, export.router,
           audit.router, claim_marks.router, api_docs.router)
# Room for the multipart envelope around a file of the maximum upload size.
BODY_MARGIN = 64 * 1024


def create_app(settings: Settings | None = None, store=None) -> FastAPI:
    """The web app. `store`: an open `assistant.store.Store` (default: opened from the settings and
    closed at shutdown)."""
    settings = web_settings(settings)
    owns_store = store is None
    if store is None:
        from assistant.store import Store

        store = Store.open(settings.database_url_or_default)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Page views are short CPU work under one GIL: one worker thread serves them in arrival order,
        # where anyio's default 40 would interleave them all and stretch the slowest (p95; see
        # docs/web.md "Load benchmark"). What takes long runs on other threads, outside this limit:
        # chat turns, generation, parsing uploads, writing .docx/.xlsx downloads.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        yield
        if owns_store:
            store.close()

    app = FastAPI(lifespan=lifespan, title="jixiao 绩效自评助手", description="部门整体支出绩效自评：数据填报、报告起草与审核。每个页面都有 JSON 版本。",
                  version="0.1.0", dependencies=[Depends(check_csrf), Depends(check_path_ids)],
                  docs_url=None, redoc_url=None)  # /docs from vendored assets: views/api_docs.py
    app.state.settings, app.state.store, app.state.checks = settings, store, CheckCache()

    errors.install(app)
    app.add_middleware(errors.UnexpectedErrors)
    app.add_middleware(LoginCookies, store=store, idle=settings.session_idle, absolute=settings.session_max_age)
    app.add_middleware(SecureCookieOnHttps, always=settings.https_cookies)
    app.add_middleware(BodySizeLimit, limit=settings.upload_max_bytes + BODY_MARGIN)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app
