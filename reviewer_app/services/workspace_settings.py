"""The workspace's own settings (blind mode, hiding the machine's marks), read as one typed
value."""

from __future__ import annotations

from reviewer_app.domain.workspace_settings import (
    BLIND_MODE,
    HIDE_MACHINE_MARKS,
    WorkspaceSettings,
)
from reviewer_app.errors import ReviewerAppError
from reviewer_app.storage import scoring_repository as repo
from reviewer_app.storage.database import Database, UnitOfWork

_DEFAULTS = WorkspaceSettings()


class WorkspaceSettingsService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def current(self) -> WorkspaceSettings:
        with self.database.reading() as session:
            return WorkspaceSettings(
                **{name: setting_in(session, name) for name in WorkspaceSettings.names()}
            )

    def blind_mode(self) -> bool:
        with self.database.reading() as session:
            return setting_in(session, BLIND_MODE)

    def hide_machine_marks(self) -> bool:
        with self.database.reading() as session:
            return setting_in(session, HIDE_MACHINE_MARKS)

    def set(self, key: str, value: bool) -> None:
        if key not in WorkspaceSettings.names():
            raise ReviewerAppError(f"unknown workspace setting '{key}'")
        with self.database.transaction() as session:
            repo.set_setting(session, key, value)


def setting_in(session: UnitOfWork, name: str) -> bool:
    """The setting ``name`` (a ``WorkspaceSettings`` field), read in ``session`` with what else
    it reads; its default when the workspace never stored it."""
    return bool(repo.get_setting(session, name, getattr(_DEFAULTS, name)))
