"""Server-side login sessions: the cookie `jixiao_session` carries only a random token; the session
(its user and CSRF token, when it began, when it was last used) is a row of the store.

`LoginCookies` (ASGI middleware) puts a `LoginContext` in the request state. The session is read from
the store the first time a view asks for it (so static files and health checks never touch the
database), and any change (login, logout, a first visit that needs a CSRF token) is written as the
response's Set-Cookie. Expired sessions (idle or absolute timeout) are deleted when seen and purged at
every login.
"""

from __future__ import annotations

from datetime import timedelta
from http.cookies import SimpleCookie

from assistant.store.records import WebSession

COOKIE = "jixiao_session"
# A session's last use is written at most this often (not on every page view).
TOUCH_EVERY = timedelta(seconds=60)


class LoginContext:
    def __init__(self, store, token: str | None, idle: timedelta, absolute: timedelta) -> None:
        self.store, self.token, self.idle, self.absolute = store, token, idle, absolute
        self._session: WebSession | None = None
        self._loaded = token is None
        self.set_token: str | None = None  # a new cookie to send
        self.clear = False  # remove the cookie

    @property
    def session(self) -> WebSession | None:
        if not self._loaded:
            self._loaded = True
            found = self.store.find_session(self.token, idle=self.idle, absolute=self.absolute)
            if found is None:
                self.clear = True
            elif found.seen_at + TOUCH_EVERY <= _now():
                self.store.touch_session(found.id)
            self._session = found
        return self._session

    def start(self, user_id: int | None) -> WebSession:
        """A new session (after login: a new id and CSRF token, never the old ones)."""
        self.end()
        if user_id is not None:
            self.store.purge_sessions(idle=self.idle, absolute=self.absolute)
        token, session = self.store.create_session(user_id)
        self._session, self._loaded, self.set_token, self.clear = session, True, token, False
        return session

    def end(self) -> None:
        current = self.session
        if current is not None:
            self.store.end_session(current.id)
        self._session, self._loaded, self.set_token, self.clear = None, True, None, self.token is not None


def _now():
    from assistant.store.tables import utc_now

    return utc_now()


class LoginCookies:
    """ASGI middleware: the login context in, the session cookie out."""

    def __init__(self, app, store, idle: timedelta, absolute: timedelta) -> None:
        self.app, self.store, self.idle, self.absolute = app, store, idle, absolute

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        context = LoginContext(self.store, _cookie_token(scope), self.idle, self.absolute)
        scope.setdefault("state", {})["login"] = context

        async def send_with_cookie(message):
            if message["type"] == "http.response.start":
                header = _set_cookie(context, self.absolute)
                if header is not None:
                    message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", header)]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _cookie_token(scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            cookie = SimpleCookie()
            try:
                cookie.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed Cookie header is no session, not an error
                return None
            morsel = cookie.get(COOKIE)
            if morsel is not None and 20 <= len(morsel.value) <= 100:
                return morsel.value
    return None


def _set_cookie(context: LoginContext, absolute: timedelta) -> bytes | None:
    attributes = "Path=/; HttpOnly; SameSite=Lax"
    if context.set_token is not None:
        return f"{COOKIE}={context.set_token}; Max-Age={int(absolute.total_seconds())}; {attributes}".encode()
    if context.clear:
        return f"{COOKIE}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; {attributes}".encode()
    return None
