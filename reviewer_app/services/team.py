"""Team workspace set-up: group roles and row level security, members, joining with a one-time
connection string (issue 14). PostgreSQL only; the server enforces the rules, not this code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewer_app.services.scoring import ScoringService
from reviewer_app.storage import team_admin
from reviewer_app.storage.connection_secrets import save_password, without_password_text
from reviewer_app.storage.database import Database, database_url
from reviewer_app.storage.team_admin import TeamMember, TeamRefused
from reviewer_app.storage.team_identity import team_identity

if TYPE_CHECKING:
    from reviewer_app.credentials import CredentialStore, StoredWhere

__all__ = ["JoinResult", "TeamMember", "TeamRefused", "TeamService"]


@dataclass(frozen=True)
class JoinResult:
    url: str
    """The connection URL to use from now on, without a password."""
    stored: StoredWhere
    problem: str | None
    """Why the password could not go into the keyring (then it lasts for this session only)."""


class TeamService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def connected_reviewer(self) -> str | None:
        """The role this workspace records writes as, or None (SQLite, not a team, the owner)."""
        with self.database.reading() as session:
            return team_identity(session)

    def init(self) -> list[str]:
        # The default tier policy and grounding rules are stored on first use; members may not
        # write policies, so the owner stores them now.
        # imported here: grounding loads PyMuPDF and numpy, which the window's start does not need
        from reviewer_app.services.grounding import current_rules

        ScoringService(self.database).tiers.policy()
        current_rules(self.database)
        return team_admin.init_team(self.database)

    def add(self, name: str, *, adjudicator: bool = False, policy_editor: bool = False) -> str:
        """Create the member; returns their one-time connection string (with the password)."""
        password = team_admin.add_member(
            self.database, name, adjudicator=adjudicator, policy_editor=policy_editor
        )
        return team_admin.member_connection_string(self.database, name, password)

    def remove(self, name: str) -> None:
        team_admin.remove_member(self.database, name)

    def members(self) -> list[TeamMember]:
        return team_admin.list_members(self.database)


def join(one_time_url: str, store: CredentialStore | None = None) -> JoinResult:
    """Connect with the one-time string, replace its password by a new random one known only to
    the keyring, and hand back the password-less URL to work with."""
    url = database_url(one_time_url)
    if url.get_backend_name() != "postgresql" or url.password is None or not url.username:
        raise TeamRefused(
            "give the one-time connection string 'team add' printed "
            "(postgresql://NAME:PASSWORD@HOST:PORT/DATABASE)"
        )
    if store is None:
        from reviewer_app.credentials import CredentialStore  # keyring: only when joining

        store = CredentialStore()
    keeper = store
    if not keeper.available:
        # Changing the password with nowhere to keep the new one would lock the member out.
        raise TeamRefused(
            "no secure keyring to keep your database password in, so the one-time password was "
            f"left unchanged: {keeper.problem or 'no keyring backend'}"
        )
    database = Database.open(url.render_as_string(hide_password=False))
    try:
        password = team_admin.change_own_password(database)
    finally:
        database.close()
    stored = save_password(url, password, keeper)
    return JoinResult(
        url=without_password_text(one_time_url),
        stored=stored,
        problem=keeper.problem if stored == "memory" else None,
    )
