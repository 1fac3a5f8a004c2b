"""Who a connection writes as in a team workspace: the database role, never a typed name."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from reviewer_app.errors import ReviewerAppError


class ReviewerIsNotYou(ReviewerAppError):
    """A write named a reviewer other than the role connected to a team workspace."""

    def __init__(self, named: str, role: str) -> None:
        self.named = named
        self.role = role
        super().__init__(
            f"reviewer '{named}' is not you: this team workspace records your work as the "
            f"database role you are connected as, '{role}' (leave --reviewer out or give "
            f"--reviewer {role})"
        )


def team_identity(session: Session) -> str | None:
    """The role every write of this connection is recorded as, or None outside a team workspace
    (SQLite, a PostgreSQL database without ``team init``, or the owner's own connection)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    identity: str | None = session.scalar(text("SELECT reviewer_app_team_identity()"))
    return identity


def require_identity(session: Session, name: str) -> None:
    role = team_identity(session)
    if role is not None and name != role:
        raise ReviewerIsNotYou(name, role)


class NotPermitted(ReviewerAppError):
    """The server's privileges or row level security refused a statement (SQLSTATE 42501)."""


_INSUFFICIENT_PRIVILEGE = "42501"


def refusal(error: DBAPIError) -> NotPermitted | None:
    """The team workspace's refusal behind ``error`` as one clear line, or None."""
    if getattr(error.orig, "sqlstate", None) != _INSUFFICIENT_PRIVILEGE:
        return None
    text_ = str(error.orig).strip()
    first = text_.splitlines()[0] if text_ else "permission denied"
    return NotPermitted(
        f"the team workspace refused this: {first} (you may write only as yourself; "
        "adjudications need the adjudicator role, policy and settings the adjudicator or "
        "policy-editor role)"
    )
