"""Login and logout."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from assistant.web.pages import respond, wants_json
from assistant.web.security import log_in, log_out, optional_user, store_of

router = APIRouter(tags=["登录"])
FAILED = "用户名或密码不正确"


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


@router.post("/login", summary="登录")
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/")):
    from assistant.store.passwords import check_login

    user = store_of(request).find_user(username.strip())
    if not check_login(user.password_hash if user else None, password):
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
