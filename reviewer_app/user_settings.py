"""The user's own preferences (not the workspace's): one typed object with its defaults in code,
kept as ``settings.json`` in the data directory (``REVIEWER_APP_DATA_DIR`` moves it, which is
how tests isolate it) and written atomically.

A missing or unreadable file gives the defaults: a preference is never worth refusing to start.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from reviewer_app.config import data_dir

FILE_NAME = "settings.json"


@dataclass(frozen=True)
class UserSettings:
    allow_online_checks: bool = False
    """May the grounding checks ask arXiv whether a reference's id and version exist (issue 13).
    Off by default: the app works offline and asks nobody anything unless the user allows it."""


def settings_path() -> Path:
    return data_dir() / FILE_NAME


def load_settings() -> UserSettings:
    try:
        data: Any = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return UserSettings()
    if not isinstance(data, dict):
        return UserSettings()
    defaults = UserSettings()
    known = {
        field.name: data[field.name]
        for field in fields(UserSettings)
        if isinstance(data.get(field.name), type(getattr(defaults, field.name)))
    }
    return replace(defaults, **known)


def save_settings(settings: UserSettings) -> None:
    """Write the file atomically (a temporary file renamed over it)."""
    path = settings_path()
    handle, temporary = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(asdict(settings), out, indent=2)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def update_settings(**changes: Any) -> UserSettings:
    settings = replace(load_settings(), **changes)
    save_settings(settings)
    return settings
