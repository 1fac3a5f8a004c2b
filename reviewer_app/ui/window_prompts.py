"""What a controller may ask of the window it works for: questions and messages to the person.

Controllers are given an object with these members in ``__init__`` (the main window is one; a
test may pass its own) instead of importing the main window and reaching into its widgets, so
the ui package has no import circle through ``main_window``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from reviewer_app.ui.bundle_choices import CorrectionText, ExportChoice


class WindowPrompts(Protocol):
    show_error: Callable[[str, str], None]
    show_info: Callable[[str, str], None]
    confirm: Callable[[str, str], bool]
    ask_export_choice: Callable[[str], ExportChoice | None]
    ask_bundle_path: Callable[[], Path | None]
    ask_correction: Callable[[str], CorrectionText | None]


StatusMessage = Callable[[str], None]
"""Shows one line in the status bar for a while."""
