"""The sources of the shown record: one entry per reference (source slot) in a combo box,
the file shown, and buttons to attach a PDF or scan a folder."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from reviewer_app.ui.actions import AppActions


def slot_label(slot: Any) -> str:
    if slot.reference_url is None:
        name = "Files matching no reference"
    elif slot.arxiv_id:
        version = f"v{slot.arxiv_version}" if slot.arxiv_version else ""
        name = f"arXiv:{slot.arxiv_id}{version}"
    else:
        name = slot.reference_url
    files = len(slot.files)
    state = "no PDF attached" if not files else slot.files[0].file_name
    more = f" (+{files - 1} older)" if files > 1 else ""
    return f"{name} — {state}{more}"


class SourcesBar(QWidget):
    sig_slot_chosen = Signal(int)
    """The person chose another source slot (index into ``slots``)."""

    def __init__(self, actions: AppActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sources_bar")
        self.slots: list[Any] = []
        self.combo = QComboBox(self)
        self.combo.setObjectName("sources_combo")
        self.combo.setToolTip("The record's references; the newest PDF attached to one is shown")
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(24)
        label = QLabel("Source:", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(label)
        layout.addWidget(self.combo, 1)
        for name in ("attach_pdf", "assign_source", "scan_folder"):
            button = QToolButton(self)
            button.setDefaultAction(actions[name])
            layout.addWidget(button)
        self.combo.activated.connect(self.sig_slot_chosen)

    def set_slots(self, slots: Sequence[Any], current: int = 0) -> None:
        self.slots = list(slots)
        self.combo.blockSignals(True)
        self.combo.clear()
        for slot in self.slots:
            self.combo.addItem(slot_label(slot))
        if self.slots:
            self.combo.setCurrentIndex(min(max(current, 0), len(self.slots) - 1))
        self.combo.blockSignals(False)
        self.combo.setEnabled(bool(self.slots))

    @property
    def current_index(self) -> int:
        return self.combo.currentIndex()

    def current_slot(self) -> Any | None:
        index = self.combo.currentIndex()
        return self.slots[index] if 0 <= index < len(self.slots) else None

    def select(self, index: int) -> None:
        if 0 <= index < len(self.slots):
            self.combo.setCurrentIndex(index)
            self.sig_slot_chosen.emit(index)
