"""Draws list items whose ``RICH_ROLE`` holds HTML (bold matching words), wrapped to width."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

RICH_ROLE = Qt.ItemDataRole.UserRole + 3
_PADDING = 4

Index = QModelIndex | QPersistentModelIndex


class RichTextDelegate(QStyledItemDelegate):
    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setHtml(str(index.data(RICH_ROLE) or ""))
        document.setTextWidth(max(50, option.rect.width() - 2 * _PADDING))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        document = self._document(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            colour = option.palette.color(QPalette.ColorRole.HighlightedText)
            context.palette.setColor(QPalette.ColorRole.Text, colour)
        painter.save()
        painter.translate(option.rect.left() + _PADDING, option.rect.top() + _PADDING)
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        self.initStyleOption(option, index)
        width = option.widget.viewport().width() if option.widget else option.rect.width()
        option.rect.setWidth(width)
        document = self._document(option, index)
        return QSize(width, int(document.size().height()) + 2 * _PADDING)
