"""Passwords and bearer tokens.

Passwords are stored as salted PBKDF2-SHA256 hashes; tokens are random opaque strings (from
:mod:`secrets`, not a seeded RNG: they must be unguessable) stored only as SHA-256 digests, each
scoped to one account. Several tokens may be valid for an account at once.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterable

__all__ = [
    "TokenRegistry",
    "hash_password",
    "hash_token",
    "parse_basic_auth",
    "parse_bearer",
    "verify_password",
]

logger = logging.getLogger(__name__)

_ITERATIONS = 20_000
_SCHEME = "pbkdf2_sha256"


def hash_password(password: str, *, salt: str | None = None) -> str:
    """A salted PBKDF2 hash of ``password`` in the form ``scheme$iterations$salt$digest``."""
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), _ITERATIONS)
    return f"{_SCHEME}${_ITERATIONS}${salt}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password`."""
    try:
        scheme, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != _SCHEME:
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations))
    return hmac.compare_digest(candidate.hex(), digest)


def hash_token(token: str) -> str:
    """The stored form of a token (SHA-256 hex digest)."""
    return hashlib.sha256(token.encode()).hexdigest()


def parse_bearer(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        return None
    return value


def parse_basic_auth(header: str | None) -> tuple[str, str] | None:
    """``(username, password)`` of an ``Authorization: Basic`` header, or None if malformed."""
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    if not sep or not username:
        return None
    return username, password


class TokenRegistry:
    """Issued tokens (by digest) and the account each one belongs to."""

    def __init__(self, entries: Iterable[tuple[str, str]] = ()) -> None:
        self._accounts: dict[str, str] = dict(entries)

    def issue(self, account: str) -> tuple[str, str]:
        """Create a token for ``account``; returns ``(token, digest)``."""
        token = secrets.token_urlsafe(32)
        digest = hash_token(token)
        self._accounts[digest] = account
        return token, digest

    def add(self, digest: str, account: str) -> None:
        """Register an already-issued token by its digest (loading from the store)."""
        self._accounts[digest] = account

    def account_of(self, token: str) -> str | None:
        """The account a token belongs to, or None if it is unknown."""
        return self._accounts.get(hash_token(token))

    def entries(self) -> list[tuple[str, str]]:
        """All ``(digest, account)`` pairs (for persistence)."""
        return sorted(self._accounts.items())

    def __len__(self) -> int:
        return len(self._accounts)
