"""The details panel: everything known about the selected record, as read-only rich text."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QTextBrowser, QWidget

from reviewer_app.domain.records import SynthesisRecord
from reviewer_app.ui.record_html import record_html

PLACEHOLDER = (
    "<p style='color:#78909c'>Select a record on the left, or import synthesis text files "
    "(Ctrl+I or drop them on the window).</p>"
)


class RecordDetails(QTextBrowser):
    sig_link_activated = Signal(str)
    """A reference link was clicked: its URL."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("record_details")
        # Links go through open_url so tests (and a later in-app arXiv view) can replace it.
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.local_id: str | None = None
        self.show_nothing()

    def show_record(self, record: SynthesisRecord, *, local_id: str, subtitle: str = "") -> None:
        self.local_id = local_id
        self.setHtml(record_html(record, local_id=local_id, subtitle=subtitle))

    def show_nothing(self) -> None:
        self.local_id = None
        self.setHtml(PLACEHOLDER)

    def _on_anchor_clicked(self, url: QUrl) -> None:
        self.sig_link_activated.emit(url.toString())
        if url.scheme() in ("http", "https"):
            self.open_url(url)
