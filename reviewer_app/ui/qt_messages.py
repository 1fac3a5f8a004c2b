"""Qt's own log lines: the few that say nothing to a user are dropped, the rest go to stderr."""

from __future__ import annotations

import sys

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

# Said by the offscreen platform for every top-level window it cannot resize from hints; the
# window renders the same either way (screenshot mode, tests).
_MEANINGLESS = ("This plugin does not support propagateSizeHints()",)


def _print(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message in _MEANINGLESS:
        return
    print(message, file=sys.stderr)


def install_message_filter() -> object:
    """Route Qt's messages through the filter; returns the handler it replaces."""
    return qInstallMessageHandler(_print)
