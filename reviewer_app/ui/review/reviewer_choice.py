"""Who is reviewing: a combo box of reviewer names, remembered in QSettings.

The box is not editable: a key typed into it picks a name, it never makes one. A new reviewer
is the explicit "New reviewer…" entry, which asks for the name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QComboBox, QInputDialog, QWidget

from reviewer_app.services.review_lookup import default_reviewer

SETTINGS_KEY = "review/reviewer"
NEW_REVIEWER = "New reviewer…"
_NEW_ROLE_VALUE = "__new_reviewer__"


class ReviewerCombo(QComboBox):
    sig_reviewer_changed = Signal(str)
    """The current reviewer's name changed (never empty)."""
    sig_choice_finished = Signal()
    """The person picked an entry (a name, or a new reviewer, or cancelled the new name)."""

    def __init__(
        self, known: Iterable[str] = (), *, settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("reviewer_combo")
        self.setEditable(False)
        self.setMinimumContentsLength(12)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setToolTip(
            "The reviewer whose verdicts and evidence are shown and recorded; "
            f"“{NEW_REVIEWER}” adds one"
        )
        self.ask_name: Callable[[], str | None] = self._ask_name
        """Replaceable by tests: asks the new reviewer's name (None: cancelled)."""
        self._settings = settings
        remembered = settings.value(SETTINGS_KEY) if settings is not None else None
        name = remembered if isinstance(remembered, str) and remembered.strip() else None
        self._current = name or default_reviewer()
        self._fill(sorted({*known, self._current}))
        self.activated.connect(self._on_activated)

    @property
    def reviewer(self) -> str:
        return self._current

    def names(self) -> list[str]:
        return [self.itemText(i) for i in range(self.count()) if self.itemData(i) is None]

    def set_reviewer(self, name: str) -> None:
        name = name.strip()
        if not name:
            self._show_current()  # an empty name is never a reviewer
            return
        if name not in self.names():
            self._fill(sorted({*self.names(), name}))
        previous, self._current = self._current, name
        self._show_current()
        if name == previous:
            return
        if self._settings is not None:
            self._settings.setValue(SETTINGS_KEY, name)
        self.sig_reviewer_changed.emit(name)

    def _fill(self, names: list[str]) -> None:
        self.blockSignals(True)
        self.clear()
        self.addItems(names)
        self.insertSeparator(self.count())
        self.addItem(NEW_REVIEWER, _NEW_ROLE_VALUE)
        self.blockSignals(False)
        self._show_current()

    def _show_current(self) -> None:
        self.blockSignals(True)
        self.setCurrentIndex(self.findText(self._current))
        self.blockSignals(False)

    def _on_activated(self, index: int) -> None:
        if self.itemData(index) == _NEW_ROLE_VALUE:
            self._show_current()  # until a name is given, the reviewer stays who it was
            name = self.ask_name()
            if name and name.strip():
                self.set_reviewer(name)
        else:
            self.set_reviewer(self.itemText(index))
        self.sig_choice_finished.emit()

    def _ask_name(self) -> str | None:
        name, accepted = QInputDialog.getText(self, NEW_REVIEWER, "Name of the new reviewer:")
        return name if accepted else None
