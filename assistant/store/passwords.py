"""Password hashing (argon2id through argon2-cffi): the store only ever sees the hash."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# No 0/O, 1/l/I: people copy these from a terminal.
_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_login(password_hash: str | None, password: str) -> bool:
    """`verify_password`, taking the same time when there is no such user (`password_hash` None), so
    that the answer's timing does not tell which user names exist."""
    if password_hash is None:
        verify_password(_unknown_user_hash(), password)
        return False
    return verify_password(password_hash, password)


_UNKNOWN: list[str] = []


def _unknown_user_hash() -> str:
    if not _UNKNOWN:
        _UNKNOWN.append(_hasher.hash(secrets.token_urlsafe(16)))
    return _UNKNOWN[0]


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def random_password(length: int = 16) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
