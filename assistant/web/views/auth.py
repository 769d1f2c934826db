"""Login and logout."""

from __future__ import annotations

import asyncio
import weakref
from urllib.parse import urlsplit

import anyio
import anyio.to_thread
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from assistant.store.passwords import check_login, hash_password, needs_rehash
from assistant.web import throttle
from assistant.web.pages import respond, wants_json
from assistant.web.security import log_in, log_out, optional_user, store_of

router = APIRouter(tags=["登录"])
FAILED = "用户名或密码不正确"
# Password checks run on threads of their own, at most this many at once (argon2 is CPU work; the
# page-view thread never waits for it).
LOGIN_THREADS = 2
_LIMITERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _login_threads() -> anyio.CapacityLimiter:
    """The login threads' limiter of the running event loop (a limiter belongs to one loop)."""
    loop = asyncio.get_running_loop()
    limiter = _LIMITERS.get(loop)
    if limiter is None:
        limiter = _LIMITERS[loop] = anyio.CapacityLimiter(LOGIN_THREADS)
    return limiter


def _safe_next(target: str | None) -> str:
    """Only a local path: never an open redirect to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return "/"
    return target


@router.get("/login", summary="登录页")
def login_page(request: Request, next: str | None = None):
    if optional_user(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return respond(request, "login.html", {"next": _safe_next(next), "error": None})


def _attempt(store, settings, username: str, password: str, address: str):
    """(the user, 0) after a good password; (None, 0) after a wrong one; (None, seconds) while throttled.
    Runs on the login threads: argon2 takes about 50 ms of CPU and must not hold page views."""
    wait = throttle.wait_seconds(store, settings, username, address)
    if wait:
        return None, wait
    user = store.find_user(username)
    if not check_login(user.password_hash if user else None, password):
        throttle.record_failure(store, settings, username, address)
        return None, 0
    throttle.record_success(store, username)
    if needs_rehash(user.password_hash):  # the hash parameters changed since it was made
        user = store.set_password(user.id, hash_password(password), end_sessions=False)
    return user, 0


@router.post("/login", summary="登录")
async def login(request: Request, username: str = Form("", max_length=200), password: str = Form("", max_length=1000),
                next: str = Form("/")):
    username = username.strip()
    address = request.client.host if request.client else "unknown"
    user, wait = await anyio.to_thread.run_sync(_attempt, store_of(request), request.app.state.settings, username,
                                                password, address, limiter=_login_threads())
    if wait:
        context = {"next": _safe_next(next), "error": throttle.wait_message(wait), "username": username}
        response = respond(request, "login.html", context, status_code=429)
        response.headers["Retry-After"] = str(wait)
        return response
    if user is None:
        return respond(request, "login.html", {"next": _safe_next(next), "error": FAILED, "username": username},
                       status_code=401)
    log_in(request, user)
    if wants_json(request):
        return respond(request, "login.html", {"username": user.username, "role": user.role})
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", summary="退出登录")
def logout(request: Request):
    log_out(request)
    return RedirectResponse("/login", status_code=303)
