"""The "Evidence suggestions" list under the current claim.

Each row shows source, page, the passage with the claim's words in bold, and its stance hints.
No score or confidence is shown: the order is the only machine judgement on display, so the
reviewer's verdict stays their own (the automation-bias guard). Keys while the list has
focus: Up/Down move (the PDF follows), S / C / X accept the highlighted suggestion as
supporting / contradicting / context evidence, D dismisses it for this reviewer.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.domain.claim_terms import content_words
from reviewer_app.domain.evidence import Stance
from reviewer_app.ui.review.rich_text_delegate import RICH_ROLE, RichTextDelegate

SUGGESTION_ROLE = Qt.ItemDataRole.UserRole + 2
SHOWN_FIRST = 5
ACCEPT_KEYS = {
    Qt.Key.Key_S: Stance.SUPPORTS,
    Qt.Key.Key_C: Stance.CONTRADICTS,
    Qt.Key.Key_X: Stance.CONTEXT,
}
DISMISS_KEY = Qt.Key.Key_D
CLAIM_FILTERS = ("All claims", "Claims with a strong suggestion", "Claims with no suggestion")


def emphasised(passage: str, claim: str) -> str:
    """The passage as HTML with the claim's content words in bold."""
    words = sorted({w for w in content_words(claim) if len(w) > 2}, key=len, reverse=True)
    escaped = html.escape(passage)
    if not words:
        return escaped
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    return pattern.sub(lambda m: f"<b>{m.group()}</b>", escaped)


class SuggestionList(QListWidget):
    """The list itself: takes S / C / X / D from the window's shortcuts while a suggestion is
    highlighted, so the same keys attach a drag selection elsewhere."""

    sig_accept_requested = Signal(object, object)
    """Accept ``(suggestion, Stance)``."""
    sig_dismiss_requested = Signal(object)
    """Dismiss a suggestion for the current reviewer."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            plain = event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            )
            if plain and self.current() is not None and _key(event) in (*ACCEPT_KEYS, DISMISS_KEY):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        chosen = self.current()
        key = _key(event)
        if chosen is not None and key in ACCEPT_KEYS:
            self.sig_accept_requested.emit(chosen, ACCEPT_KEYS[key])
            return
        if chosen is not None and key == DISMISS_KEY:
            self.sig_dismiss_requested.emit(chosen)
            return
        super().keyPressEvent(event)

    def current(self) -> Any | None:
        item = self.currentItem()
        return item.data(SUGGESTION_ROLE) if item is not None and item.isSelected() else None


class SuggestionsPanel(QWidget):
    sig_suggestion_highlighted = Signal(object)
    """The highlighted suggestion changed (Up/Down or a click): show it in the PDF."""
    sig_claim_filter_changed = Signal(int)
    """Index into ``CLAIM_FILTERS``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestions_panel")
        self.setMinimumHeight(140)
        self.title = QLabel("<b>Evidence suggestions</b>", self)
        self.status = QLabel(self)
        self.status.setObjectName("suggestions_status")
        self.status.setWordWrap(True)
        self.list = SuggestionList(self)
        self.list.setObjectName("suggestions_list")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setItemDelegate(RichTextDelegate(self.list))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.more = QPushButton("Show more", self)
        self.more.setObjectName("suggestions_more")
        self.more.clicked.connect(self._on_more_clicked)
        self.claim_filter = QComboBox(self)
        self.claim_filter.setObjectName("suggestions_claim_filter")
        self.claim_filter.addItems(CLAIM_FILTERS)
        # its long entries must not widen the middle column of a narrow window
        self.claim_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.claim_filter.setMinimumContentsLength(10)
        self.claim_filter.currentIndexChanged.connect(self.sig_claim_filter_changed)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.claim_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.status)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.more)
        self.list.currentRowChanged.connect(self._on_current_row_changed)
        self.list.itemClicked.connect(self._on_item_clicked)
        self._claim = ""
        self._all: list[Any] = []
        self._shown = SHOWN_FIRST
        self.set_suggestions("", ())

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def set_suggestions(
        self, claim: str, suggestions: Sequence[Any], *, no_match: bool = False
    ) -> None:
        self._claim = claim
        self._all = list(suggestions)
        self._shown = SHOWN_FIRST
        self._fill()
        if no_match:
            self.set_status("No close match found: the passages below share little with the claim.")
        elif not suggestions:
            self.set_status("No suggestions." if claim else "")
        else:
            self.set_status("")

    def suggestions(self) -> list[Any]:
        return [self.list.item(i).data(SUGGESTION_ROLE) for i in range(self.list.count())]

    def _fill(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for suggestion in self._all[: self._shown]:
            item = QListWidgetItem()
            item.setData(SUGGESTION_ROLE, suggestion)
            item.setData(Qt.ItemDataRole.DisplayRole, _plain_label(suggestion))
            item.setData(RICH_ROLE, _rich_label(suggestion, self._claim))
            self.list.addItem(item)
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self.more.setVisible(len(self._all) > self._shown)

    def _on_more_clicked(self) -> None:
        row = self.list.currentRow()
        self._shown += SHOWN_FIRST
        self._fill()
        if row >= 0:
            self.list.setCurrentRow(row)

    def _on_current_row_changed(self, row: int) -> None:
        if 0 <= row < self.list.count():
            self.sig_suggestion_highlighted.emit(self.list.item(row).data(SUGGESTION_ROLE))

    def _on_item_clicked(self, item: QListWidgetItem) -> None:
        self.sig_suggestion_highlighted.emit(item.data(SUGGESTION_ROLE))


def _hint_lines(suggestion: Any) -> list[str]:
    return [hint.message for hint in suggestion.hints]


def _plain_label(suggestion: Any) -> str:
    hints = "\n".join(f"  · {line}" for line in _hint_lines(suggestion))
    return f"{suggestion.file} · p. {suggestion.page + 1}\n“{suggestion.text}”\n{hints}"


def _rich_label(suggestion: Any, claim: str) -> str:
    hints = "<br>".join(f"· {html.escape(line)}" for line in _hint_lines(suggestion))
    # no fixed colours: a highlighted row draws all its text in the palette's highlight colour
    return (
        f"<small>{html.escape(suggestion.file)} · p. {suggestion.page + 1}</small><br>"
        f"{emphasised(suggestion.text, claim)}<br><i>{hints}</i>"
    )


def _key(event: QKeyEvent) -> Qt.Key | int:
    try:
        return Qt.Key(event.key())
    except ValueError:
        return event.key()
