"""Grabbing a window once it is on screen and its PDF pages are drawn, without sleeping."""

from __future__ import annotations

from PySide6.QtCore import QDeadlineTimer, QEventLoop, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reviewer_app.ui.main_window import MainWindow


def grab_when_ready(window: MainWindow, timeout_ms: int) -> QPixmap:
    """The window's pixels after it is exposed and every visible PDF page and thumbnail shows
    a render.

    Waits on the page-rendered signal with a timeout; after the timeout it grabs what is there
    rather than failing, since a picture of a slow render still shows the layout.
    """
    deadline = QDeadlineTimer(timeout_ms)
    QTest.qWaitForWindowExposed(window, timeout_ms)
    view = window.pdf_pane.view
    thumbnails = window.pdf_pane.thumbnails
    loop = QEventLoop()
    view.sig_page_rendered.connect(loop.quit)
    thumbnails.sig_thumbnail_rendered.connect(loop.quit)
    timer = QTimer(singleShot=True)
    timer.timeout.connect(loop.quit)
    try:
        while not (view.is_fully_rendered() and thumbnails.is_up_to_date()):
            if deadline.hasExpired():
                break
            timer.start(max(int(deadline.remainingTime()), 1))
            loop.exec()
    finally:
        view.sig_page_rendered.disconnect(loop.quit)
        thumbnails.sig_thumbnail_rendered.disconnect(loop.quit)
        timer.stop()
    QApplication.processEvents()  # let the last paint requests reach the widgets
    return window.grab()
