"""Translucent quads over rendered pages: evidence spans in stance colours, find hits,
and the current mouse selection. Items are children of the page items, in page points."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import shiboken6
from PySide6.QtCore import QAbstractAnimation, QObject, QPointF, QRectF, Qt, QVariantAnimation
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from reviewer_app.domain.evidence import Stance
from reviewer_app.pdf.spans import PageAnchor, Quad
from reviewer_app.ui.pdf_view import PdfView

STANCE_COLOURS: dict[Stance, QColor] = {
    Stance.SUPPORTS: QColor(46, 160, 67, 90),
    Stance.CONTRADICTS: QColor(220, 38, 38, 90),
    Stance.CONTEXT: QColor(37, 99, 235, 80),
}
SELECTION_COLOUR = QColor(124, 77, 255, 70)
"""Violet, so a fresh selection is not mistaken for a blue context span."""
FIND_COLOUR = QColor(255, 200, 0, 110)
CURRENT_FIND_COLOUR = QColor(255, 120, 0, 150)
FLASH_MS = 900
FLASH_PULSES = 3

# Stacking order within a page: find hits under spans under the live selection.
Z_FIND, Z_SPAN, Z_SELECTION = 1.0, 2.0, 3.0


def quads_path(quads: Iterable[Quad]) -> QPainterPath:
    """One path of the (axis-aligned) rectangles around each quad, slightly padded."""
    path = QPainterPath()
    for q in quads:
        xs, ys = q[0::2], q[1::2]
        path.addRect(QRectF(QPointF(min(xs) - 1, min(ys) - 1), QPointF(max(xs) + 1, max(ys) + 1)))
    return path


def quads_bounds(quads: Sequence[Quad]) -> QRectF:
    return quads_path(quads).boundingRect()


class OverlayItem(QGraphicsPathItem):
    """A filled, outline-free path over one page; ``key`` names what it shows."""

    def __init__(self, key: str, quads: Sequence[Quad], colour: QColor, z: float) -> None:
        super().__init__(quads_path(quads))
        self.key = key
        self.quads = tuple(quads)
        self.setBrush(QBrush(colour))
        self.setPen(QPen(QColor(0, 0, 0, 0), 0))
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)


class OverlayLayer(QObject):
    """The overlay items of one kind on a ``PdfView``; redrawn whenever a document opens."""

    def __init__(self, view: PdfView, z: float) -> None:
        super().__init__(view)
        self.view = view
        self.z = z
        self._items: dict[str, list[OverlayItem]] = {}
        # The view's scene.clear() deletes the items: forget them before they dangle.
        view.sig_document_opened.connect(self._forget)
        view.sig_document_failed.connect(self._forget)

    def items(self, key: str | None = None) -> list[OverlayItem]:
        if key is not None:
            return list(self._items.get(key, []))
        return [item for items in self._items.values() for item in items]

    def keys(self) -> list[str]:
        return list(self._items)

    def show(self, key: str, anchors: Iterable[PageAnchor], colour: QColor) -> list[OverlayItem]:
        self.remove(key)
        created: list[OverlayItem] = []
        for anchor in anchors:
            if not anchor.quads or not 0 <= anchor.page < self.view.page_count:
                continue
            item = OverlayItem(key, anchor.quads, colour, self.z)
            item.setParentItem(self.view.page_item(anchor.page))
            item.setData(0, anchor.page)
            created.append(item)
        if created:
            self._items[key] = created
        return created

    def remove(self, key: str) -> None:
        for item in self._items.pop(key, []):
            if shiboken6.isValid(item) and item.scene() is not None:
                item.scene().removeItem(item)

    def clear(self) -> None:
        for key in list(self._items):
            self.remove(key)

    def _forget(self, *_args: object) -> None:
        self._items.clear()


class Flasher(QObject):
    """Pulses the opacity of a group of items a few times (evidence clicked in the list)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.flashing: list[QGraphicsItem] = []
        self._animation = QVariantAnimation(self)
        self._animation.setDuration(FLASH_MS)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(float(FLASH_PULSES))
        self._animation.valueChanged.connect(self._on_animation_value)
        self._animation.finished.connect(self._on_animation_finished)

    @property
    def running(self) -> bool:
        return self._animation.state() == QAbstractAnimation.State.Running

    def flash(self, items: Sequence[QGraphicsItem]) -> None:
        self._on_animation_finished()
        self.flashing = list(items)
        self._animation.start()

    def _on_animation_value(self, value: object) -> None:
        phase = float(value) % 1.0  # type: ignore[arg-type]
        opacity = 0.25 + 0.75 * abs(1.0 - 2.0 * phase)
        for item in self.flashing:
            if shiboken6.isValid(item):
                item.setOpacity(opacity)

    def _on_animation_finished(self) -> None:
        for item in self.flashing:
            if shiboken6.isValid(item):
                item.setOpacity(1.0)
        self.flashing = []
