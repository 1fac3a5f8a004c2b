"""Who is reviewing: an editable combo box of reviewer names, remembered in QSettings."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from reviewer_app.services.review_lookup import default_reviewer

SETTINGS_KEY = "review/reviewer"


class ReviewerCombo(QComboBox):
    sig_reviewer_changed = Signal(str)
    """The current reviewer's name changed (never empty)."""

    def __init__(
        self, known: Iterable[str] = (), *, settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("reviewer_combo")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.InsertAlphabetically)
        self.setMinimumContentsLength(12)
        self.setToolTip("The reviewer whose verdicts and evidence are shown and recorded")
        self._settings = settings
        remembered = settings.value(SETTINGS_KEY) if settings is not None else None
        name = remembered if isinstance(remembered, str) and remembered.strip() else None
        self._current = name or default_reviewer()
        self.addItems(sorted({*known, self._current}))
        self.setCurrentText(self._current)
        self.lineEdit().editingFinished.connect(self._on_edited)
        self.activated.connect(self._on_edited)

    @property
    def reviewer(self) -> str:
        return self._current

    def set_reviewer(self, name: str) -> None:
        name = name.strip()
        if not name:
            self.setCurrentText(self._current)  # an empty name is never a reviewer
            return
        if self.findText(name) < 0:
            self.addItem(name)
        self.setCurrentText(name)
        if name == self._current:
            return
        self._current = name
        if self._settings is not None:
            self._settings.setValue(SETTINGS_KEY, name)
        self.sig_reviewer_changed.emit(name)

    def _on_edited(self, *_args: object) -> None:
        self.set_reviewer(self.currentText())
