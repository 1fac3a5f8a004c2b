"""Qt's meaningless offscreen notice stays out of what a user sees; real messages still show."""

from __future__ import annotations

import pytest
from PySide6.QtCore import qInstallMessageHandler, qWarning

from reviewer_app.ui.qt_messages import install_message_filter


def test_offscreen_size_hint_notice_is_dropped_and_other_warnings_reach_stderr(
    capfd: pytest.CaptureFixture[str],
) -> None:
    previous = install_message_filter()
    try:
        qWarning("This plugin does not support propagateSizeHints()")
        qWarning("QPainter::begin: Paint device returned engine == 0")
    finally:
        qInstallMessageHandler(previous)
    err = capfd.readouterr().err
    assert "propagateSizeHints" not in err
    assert "Paint device returned engine == 0" in err
