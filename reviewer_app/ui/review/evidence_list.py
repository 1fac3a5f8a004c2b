"""The evidence spans of the current claim: stance, quote, page; orphans get a badge."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from reviewer_app.ui.icons import icon

SPAN_ROLE = Qt.ItemDataRole.UserRole + 1
_QUOTE_CHARS = 140


def span_label(view: Any) -> str:
    """One line for a ``SpanView``: stance, page (or orphan), the quote cut short."""
    span = view.span
    quote = " ".join(span.exact.split())
    if len(quote) > _QUOTE_CHARS:
        quote = quote[: _QUOTE_CHARS - 1] + "…"
    where = "orphan — not found in this file" if view.is_orphan else _pages_label(view)
    moved = f", {view.status}" if view.status in ("moved", "changed") else ""
    note = f"\n    note: {span.note}" if span.note else ""
    return f"{span.stance.value} · {where}{moved}\n“{quote}”{note}"


def _pages_label(view: Any) -> str:
    first = view.page + 1
    last = view.continuation[-1].page + 1 if view.continuation else first
    return f"p. {first}" if last == first else f"pp. {first}–{last}"


class EvidenceList(QListWidget):
    sig_span_activated = Signal(object)
    """A span was clicked or chosen with Enter: the ``SpanView``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidence_list")
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.itemClicked.connect(self._on_item_chosen)
        self.itemActivated.connect(self._on_item_chosen)

    def set_spans(self, views: Sequence[Any]) -> None:
        self.clear()
        for view in views:
            item = QListWidgetItem(span_label(view))
            badge = "orphan" if view.is_orphan else f"stance_{view.span.stance.value}"
            item.setIcon(icon(badge))
            item.setData(SPAN_ROLE, view)
            if view.is_orphan:
                item.setToolTip(
                    "This span could not be placed in the file shown; it is kept and "
                    "listed so it can be marked again."
                )
            self.addItem(item)
        if not views:
            placeholder = QListWidgetItem(
                "No evidence yet: select text in the PDF and press S, C or X"
            )
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(placeholder)

    def spans(self) -> list[Any]:
        found = (self.item(row).data(SPAN_ROLE) for row in range(self.count()))
        return [view for view in found if view is not None]

    def current_span(self) -> Any | None:
        item = self.currentItem()
        return item.data(SPAN_ROLE) if item is not None else None

    def _on_item_chosen(self, item: QListWidgetItem) -> None:
        view = item.data(SPAN_ROLE)
        if view is not None:
            self.sig_span_activated.emit(view)
