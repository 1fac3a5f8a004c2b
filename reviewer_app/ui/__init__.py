"""The desktop GUI (PySide6). The only package that imports Qt, qtawesome or pyqtgraph.

Importing it selects the PySide6 binding for qtawesome (QtPy) and pyqtgraph before either
loads: otherwise an installed PyQt could win.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
