"""Login throttling: failed logins counted per user name and per client address, in the store (every
process of a deployment sees the same counts, and a restart does not reset them).

A name or an address with `failures` failed logins within `window` is refused with 429 until the
oldest of them leaves the window; the check comes before the password hash is computed, so refused
attempts cost no argon2 time. A successful login clears the name's count (not the address's: one
office's shared address must not reopen guessing for every name). Unknown user names are counted
like known ones, so the answers do not tell which names exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from assistant.store.tables import utc_now


@dataclass(frozen=True)
class Limit:
    scope: str  # "user" | "address"
    failures: int
    window: timedelta


def limits(settings) -> tuple[Limit, ...]:
    window = timedelta(minutes=settings.login_window_minutes)
    return (Limit("user", settings.login_failures_per_user, window),
            Limit("address", settings.login_failures_per_address, window))


def keys(username: str, address: str) -> dict[str, str]:
    return {"user": username.strip().casefold(), "address": address}


def wait_seconds(store, settings, username: str, address: str) -> int:
    """Seconds until another attempt is allowed (0: now)."""
    now, wait = utc_now(), 0
    for limit in limits(settings):
        count, oldest = store.login_failures(limit.scope, keys(username, address)[limit.scope], now - limit.window)
        if count >= limit.failures and oldest is not None:
            wait = max(wait, math.ceil((oldest + limit.window - now).total_seconds()))
    return wait


def record_failure(store, settings, username: str, address: str) -> None:
    oldest_kept = utc_now() - max(limit.window for limit in limits(settings))
    store.purge_login_failures(oldest_kept)
    for scope, key in keys(username, address).items():
        store.add_login_failure(scope, key)


def record_success(store, username: str) -> None:
    store.clear_login_failures("user", keys(username, "")["user"])


def wait_message(seconds: int) -> str:
    wait = f"{seconds}秒" if seconds < 60 else f"{math.ceil(seconds / 60)}分钟"
    return f"登录失败次数过多，为保护账户已暂停登录，请{wait}后再试"
