"""Store errors: each carries one Chinese sentence (`.message`) a page or the CLI can show as it is."""

from __future__ import annotations


class StoreError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(StoreError):
    """A record asked for by id (or report/kind/number) does not exist."""


class StatusError(StoreError):
    """A workflow transition that is not allowed from the report's current status (or for this role)."""


class VersionConflict(StoreError):
    """Someone saved a newer version since the caller read version `expected`; `current` is the latest."""

    def __init__(self, current: int, message: str | None = None) -> None:
        super().__init__(message or f"本节已被他人修改（当前为第{current}版），请刷新后再保存")
        self.current = current


class InvalidValue(StoreError, ValueError):
    """An argument outside its allowed set (role, source, status …) or empty where text is required."""


class Duplicate(StoreError):
    """A unique name (user name) is already taken."""
