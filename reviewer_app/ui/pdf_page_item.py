"""One PDF page in the scene: a white sheet in PDF points that paints its latest render.

Scene coordinates are PDF points, so later overlays (evidence spans, highlights) can be
child items placed with the page's own coordinates, whatever the zoom.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from reviewer_app.ui.pdf_render import RenderedPage

_BORDER = QColor("#9e9e9e")
_PLACEHOLDER_TEXT = QColor("#bdbdbd")


class PageItem(QGraphicsItem):
    def __init__(self, index: int, size: QSizeF) -> None:
        super().__init__()
        self.index = index
        self._rect = QRectF(0.0, 0.0, size.width(), size.height())
        self.rendered: RenderedPage | None = None
        """The render being painted; may be at an older zoom until the new one is ready."""

    def boundingRect(self) -> QRectF:
        return self._rect

    def show_render(self, rendered: RenderedPage | None) -> None:
        self.rendered = rendered
        self.update()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.fillRect(self._rect, Qt.GlobalColor.white)
        if self.rendered is not None:
            self._paint_render(painter, self.rendered.image)
        else:
            font = QFont()
            font.setPointSizeF(max(self._rect.height() / 20, 6.0))
            painter.setFont(font)
            painter.setPen(_PLACEHOLDER_TEXT)
            painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, str(self.index + 1))
        painter.setPen(QPen(_BORDER, 0))  # cosmetic: one device pixel at any zoom
        painter.drawRect(self._rect)

    def _paint_render(self, painter: QPainter, image: QImage) -> None:
        device = painter.transform().mapRect(self._rect)
        unscaled = (
            painter.transform().isScaling() or painter.transform().isIdentity()
        ) and not painter.transform().isRotating()
        if (
            unscaled
            and abs(device.width() - image.width()) <= 1
            and abs(device.height() - image.height()) <= 1
        ):
            # The render matches the zoom: copy pixels 1:1 instead of resampling the whole
            # page on every paint, which cost the GUI thread more than the render itself.
            painter.save()
            painter.resetTransform()
            painter.drawImage(device.topLeft().toPoint(), image)
            painter.restore()
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(self._rect, image)  # an older zoom, shown until the new render comes
