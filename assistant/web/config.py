"""Settings of the web app, on top of the application settings (same JIXIAO_* environment variables).

| variable | field | default |
|---|---|---|
| JIXIAO_SECRET_KEY | secret_key | unset: a random key kept in `data_dir/secret_key` (mode 0600) |
| JIXIAO_UPLOAD_MAX_MB | upload_max_mb | 10 (larger uploads get a 413 page) |
| JIXIAO_UNZIPPED_MAX_MB | unzipped_max_mb | 100 (total uncompressed size of a .docx/.xlsx) |
| JIXIAO_ZIP_MAX_RATIO | zip_max_ratio | 100 (uncompressed/compressed size of any member) |
| JIXIAO_REQUEST_THREADS | request_threads | 1 (threads serving page views; see app.py) |
| JIXIAO_HTTPS_COOKIES | https_cookies | false: cookies are marked Secure when the request came over https; true: always |
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import Field

from assistant.settings import Settings


class WebSettings(Settings):
    secret_key: str | None = None
    upload_max_mb: float = 10.0
    unzipped_max_mb: float = 100.0
    zip_max_ratio: float = 100.0
    request_threads: int = Field(default=1, ge=1, le=64)
    https_cookies: bool = False

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


def session_secret(settings: WebSettings) -> str:
    """JIXIAO_SECRET_KEY, or a random key created once in data_dir and readable by its owner only."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as stream:
        stream.write(key)
    return key
