"""Export a plot to PNG or SVG, written atomically (temp file in the same folder + replace)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyqtgraph as pg
import pyqtgraph.exporters as pg_exporters
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator

from reviewer_app.errors import ReviewerAppError

EXPORT_SUFFIXES = (".png", ".svg")


class PlotExportFailed(ReviewerAppError):
    pass


def export_plot(plot: pg.PlotItem, path: Path, *, width: int = 1200) -> Path:
    """Write ``plot`` to ``path``; the suffix (.png or .svg) picks the format."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise PlotExportFailed(f"{path}: plots export to {' or '.join(EXPORT_SUFFIXES)} only")
    handle, temp_name = tempfile.mkstemp(suffix=suffix, dir=path.parent, prefix=f".{path.stem}-")
    os.close(handle)
    try:
        if suffix == ".png":
            exporter = pg_exporters.ImageExporter(plot)
            exporter.parameters()["width"] = width
            exporter.export(temp_name)
        else:
            _export_svg(plot, temp_name)
        if os.path.getsize(temp_name) == 0:
            raise PlotExportFailed(f"{path}: the exporter wrote nothing")
        os.replace(temp_name, path)
    except OSError as exc:
        raise PlotExportFailed(f"{path}: cannot write the plot ({exc})") from exc
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
    return path


def _export_svg(plot: pg.PlotItem, file_name: str) -> None:
    """pyqtgraph's SVGExporter first; Qt's own SVG writer when it fails.

    pyqtgraph 0.14's SVGExporter cannot parse the closing "Z" that Qt 6.12 writes into paths
    (ValueError in ``correctCoordinates``), so with that pair every export takes the fallback.
    """
    try:
        pg_exporters.SVGExporter(plot).export(file_name)
        return
    except ValueError:
        pass
    source = plot.sceneBoundingRect()
    generator = QSvgGenerator()
    generator.setFileName(file_name)
    generator.setSize(QSize(int(source.width()), int(source.height())))
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    painter = QPainter(generator)
    try:
        plot.scene().render(painter, QRectF(0, 0, source.width(), source.height()), source)
    finally:
        painter.end()
