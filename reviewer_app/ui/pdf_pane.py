"""The PDF pane: a navigation bar (page spin box "N / total", zoom) above page thumbnails
and a ``PdfView`` side by side."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QSpinBox, QSplitter, QToolBar, QVBoxLayout, QWidget

from reviewer_app.ui.actions import AppActions
from reviewer_app.ui.pdf_view import PdfView
from reviewer_app.ui.thumbnails import THUMBNAIL_WIDTH, PageThumbnails

_NAVIGATION = ("first_page", "previous_page", "next_page", "last_page")
_ZOOM = ("zoom_out", "zoom_in", "fit_width", "fit_page")


class PdfPane(QWidget):
    def __init__(self, actions: AppActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = PdfView(self)
        self.thumbnails = PageThumbnails(self.view, self)
        self.pages_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.pages_splitter.setObjectName("pages_splitter")
        self.pages_splitter.addWidget(self.thumbnails)
        self.pages_splitter.addWidget(self.view)
        self.pages_splitter.setStretchFactor(1, 1)
        self.pages_splitter.setSizes([THUMBNAIL_WIDTH + 44, 600])
        self.thumbnails_action = self._thumbnails_toggle(actions)
        self.page_spin = QSpinBox(self)
        self.page_spin.setObjectName("page_spin")
        self.page_spin.setToolTip("Current page (type a number and press Enter)")
        self.page_spin.setKeyboardTracking(False)  # jump on Enter, not on every digit
        self.page_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_label.setToolTip("Zoom (Ctrl + mouse wheel)")
        self.toolbar = self._build_toolbar(actions)
        self.render_note = QLabel(self)
        """Says why the current page looks coarse (too large to render at this zoom)."""
        self.render_note.setObjectName("render_note")
        self.render_note.setWordWrap(True)
        self.render_note.setStyleSheet("background: #fff3cd; color: #664d03; padding: 4px;")
        self.render_note.hide()
        self._noted_page: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.render_note)
        layout.addWidget(self.pages_splitter, 1)
        # Home/End are pane-only shortcuts: the actions must belong to this widget.
        self.addActions([actions[name] for name in (*_NAVIGATION, *_ZOOM)])
        self._actions = actions
        self._connect(actions)
        self._on_document_changed()
        self._on_zoom_changed(self.view.zoom)

    def open_pdf(self, path: Path) -> bool:
        return self.view.open_pdf(path)

    def add_bar(self, bar: QWidget) -> None:
        """Stack ``bar`` (sources, find) under the navigation toolbar, above the pages."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.pages_splitter), bar)

    def focus_page_number(self) -> None:
        self.page_spin.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.page_spin.selectAll()

    def _build_toolbar(self, actions: AppActions) -> QToolBar:
        bar = QToolBar("PDF navigation", self)
        bar.setObjectName("pdf_toolbar")
        bar.setMovable(False)
        bar.addActions([actions["first_page"], actions["previous_page"]])
        bar.addWidget(self.page_spin)
        bar.addActions([actions["next_page"], actions["last_page"]])
        bar.addSeparator()
        bar.addAction(actions["zoom_out"])
        bar.addWidget(self.zoom_label)
        bar.addActions([actions["zoom_in"], actions["fit_width"], actions["fit_page"]])
        bar.addSeparator()
        bar.addAction(self.thumbnails_action)
        return bar

    def _thumbnails_toggle(self, actions: AppActions) -> QAction:
        action = actions["page_thumbnails"]
        action.setCheckable(True)
        action.setChecked(True)
        action.toggled.connect(self.thumbnails.setVisible)
        return action

    def _connect(self, actions: AppActions) -> None:
        view = self.view
        actions["first_page"].triggered.connect(view.first_page)
        actions["previous_page"].triggered.connect(view.previous_page)
        actions["next_page"].triggered.connect(view.next_page)
        actions["last_page"].triggered.connect(view.last_page)
        actions["go_to_page"].triggered.connect(self.focus_page_number)
        actions["zoom_in"].triggered.connect(view.zoom_in)
        actions["zoom_out"].triggered.connect(view.zoom_out)
        actions["fit_width"].triggered.connect(view.fit_width)
        actions["fit_page"].triggered.connect(view.fit_page)
        view.sig_document_opened.connect(self._on_document_changed)
        view.sig_document_failed.connect(self._on_document_changed)
        view.sig_document_closed.connect(self._on_document_changed)
        view.sig_current_page_changed.connect(self._on_current_page_changed)
        view.sig_zoom_changed.connect(self._on_zoom_changed)
        view.sig_page_limited.connect(self._on_page_limited)
        self.page_spin.valueChanged.connect(self._on_page_spin_changed)

    def _on_page_limited(self, index: int, message: str) -> None:
        self._noted_page = index
        self.render_note.setText(message)
        self.render_note.show()

    def _forget_render_note(self) -> None:
        self._noted_page = None
        self.render_note.hide()

    def _on_document_changed(self) -> None:
        self._forget_render_note()
        count = self.view.page_count
        self.page_spin.blockSignals(True)
        self.page_spin.setRange(1 if count else 0, count)
        self.page_spin.setValue(self.view.current_page + 1 if count else 0)
        self.page_spin.setSuffix(f" / {count}")
        self.page_spin.blockSignals(False)
        has_pages = count > 0
        self.page_spin.setEnabled(has_pages)
        for name in (*_NAVIGATION, *_ZOOM, "go_to_page"):
            self._actions[name].setEnabled(has_pages)
        self._on_current_page_changed(self.view.current_page)
        self._on_zoom_changed(self.view.zoom)

    def _on_current_page_changed(self, index: int) -> None:
        if self._noted_page is not None and self._noted_page not in self.view.visible_pages():
            self._forget_render_note()
        if self.view.page_count:
            self.page_spin.blockSignals(True)
            self.page_spin.setValue(index + 1)
            self.page_spin.blockSignals(False)
        last = self.view.page_count - 1
        self._actions["first_page"].setEnabled(index > 0)
        self._actions["previous_page"].setEnabled(index > 0)
        self._actions["next_page"].setEnabled(0 <= index < last)
        self._actions["last_page"].setEnabled(0 <= index < last)

    def _on_zoom_changed(self, zoom: float) -> None:
        self._forget_render_note()  # the render at the new zoom says again if it must
        if not self.view.page_count:
            self.zoom_label.setText("–")
            return
        # 100 % = the page's physical size on a 96 dpi screen, as other viewers show it.
        self.zoom_label.setText(f"{round(zoom * 72 / 96 * 100)} %")

    def _on_page_spin_changed(self, number: int) -> None:
        if number >= 1:
            self.view.go_to_page(number - 1)
