"""Settings of the web app, on top of the application settings (same JIXIAO_* environment variables).

| variable | field | default |
|---|---|---|
| JIXIAO_SESSION_IDLE_MINUTES | session_idle_minutes | 120 (a session unused this long ends) |
| JIXIAO_SESSION_MAX_HOURS | session_max_hours | 12 (a session ends this long after login, used or not) |
| JIXIAO_UPLOAD_MAX_MB | upload_max_mb | 10 (larger uploads get a 413 page) |
| JIXIAO_UNZIPPED_MAX_MB | unzipped_max_mb | 100 (total uncompressed size of a .docx/.xlsx) |
| JIXIAO_ZIP_MAX_RATIO | zip_max_ratio | 100 (uncompressed/compressed size of any member) |
| JIXIAO_REQUEST_THREADS | request_threads | 1 (threads serving page views; see app.py) |
| JIXIAO_LOGIN_FAILURES_PER_USER | login_failures_per_user | 5 failed logins of one user name … |
| JIXIAO_LOGIN_FAILURES_PER_ADDRESS | login_failures_per_address | 20 failed logins from one client address … |
| JIXIAO_LOGIN_WINDOW_MINUTES | login_window_minutes | … within 15 minutes: further attempts get 429 until the oldest leaves the window |
| JIXIAO_HTTPS_COOKIES | https_cookies | false: cookies are marked Secure when the request came over https; true: always |
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field

from assistant.settings import Settings


class WebSettings(Settings):
    session_idle_minutes: float = Field(default=120, gt=0)
    session_max_hours: float = Field(default=12, gt=0)
    login_failures_per_user: int = Field(default=5, ge=1)
    login_failures_per_address: int = Field(default=20, ge=1)
    login_window_minutes: float = Field(default=15, gt=0)
    upload_max_mb: float = 10.0
    unzipped_max_mb: float = 100.0
    zip_max_ratio: float = 100.0
    request_threads: int = Field(default=1, ge=1, le=64)
    https_cookies: bool = False

    @property
    def session_idle(self) -> timedelta:
        return timedelta(minutes=self.session_idle_minutes)

    @property
    def session_max_age(self) -> timedelta:
        return timedelta(hours=self.session_max_hours)

    @property
    def upload_max_bytes(self) -> int:
        return int(self.upload_max_mb * 1024 * 1024)

    @property
    def unzipped_max_bytes(self) -> int:
        return int(self.unzipped_max_mb * 1024 * 1024)


def web_settings(settings: Settings | None) -> WebSettings:
    if isinstance(settings, WebSettings):
        return settings
    if settings is None:
        return WebSettings()
    return WebSettings(**settings.model_dump())
