"""Passwords of PostgreSQL connections, kept in the OS keyring (never in a file, never echoed).

A URL without a password (``postgresql+psycopg://alice@host/db``) gets the one saved for that
role, server and database, if any; a URL that carries a password is used as given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.engine import URL, make_url

if TYPE_CHECKING:
    from reviewer_app.credentials import CredentialStore, StoredWhere


def _default_store() -> CredentialStore:
    # imported when a secret is needed: keyring loads urllib, ssl and its backends (~80 ms),
    # which a window on a SQLite workspace never needs
    from reviewer_app.credentials import CredentialStore

    return CredentialStore()


def secret_name(url: URL) -> str:
    server = f"{url.host or 'localhost'}:{url.port or 5432}"
    return f"postgresql://{url.username}@{server}/{url.database}"


def with_saved_password(url: URL, store: CredentialStore | None = None) -> URL:
    if url.password is not None or not url.username:
        return url
    saved = (store or _default_store()).get(secret_name(url))
    return url if saved is None else url.set(password=saved)


def save_password(url: URL, password: str, store: CredentialStore | None = None) -> StoredWhere:
    return (store or _default_store()).set(secret_name(url), password)


def without_password(url: URL) -> str:
    # URL.set(password=None) would keep the password: None there means "unchanged".
    bare = URL.create(
        url.drivername,
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    return bare.render_as_string(hide_password=False)


def without_password_text(url_text: str) -> str:
    """``without_password`` of a URL given as text, its driver name kept as written."""
    return without_password(make_url(url_text))
