"""The package layering, checked on the source (issue 11): SQLAlchemy and the ORM row modules
only inside ``reviewer_app/storage/``, Qt only inside ``reviewer_app/ui/``.

The lint rule (ruff TID251, ``pyproject.toml``) says the same, but its per-file ignores are
rule-wide, so this test is what keeps Qt out of ``storage/`` and SQLAlchemy out of ``ui/``. The
modules that still break the storage rule are listed as debt: the list may only shrink.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "reviewer_app"

# debt: issue 11 — a module that breaks the storage rule is listed here until it is freed; the
# list may only shrink (it is empty now: keep it so)
STORAGE_DEBT: set[str] = set()

_ROW_MODULE = re.compile(r"^reviewer_app\.storage\.(?:models|\w+_models)$")
_QT = ("PySide6", "pyqtgraph", "qtawesome")


def imported_modules(source: str, module: str) -> Iterator[str]:
    """Every module a source file imports, anywhere in it (``TYPE_CHECKING`` blocks and
    function bodies too), relative imports resolved against ``module`` (dotted, the file's own
    name); ``from package import name`` yields both ``package`` and ``package.name``."""
    package = module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _touches_storage_internals(name: str) -> bool:
    return name == "sqlalchemy" or name.startswith("sqlalchemy.") or bool(_ROW_MODULE.match(name))


def _touches_qt(name: str) -> bool:
    return name.split(".")[0] in _QT


def _modules() -> Iterator[tuple[str, str, str]]:
    """(path relative to the repository, dotted module name, source) of every package file."""
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT)
        dotted = ".".join(relative.with_suffix("").parts)
        yield relative.as_posix(), dotted, path.read_text(encoding="utf-8")


def _offenders(inside: str, touches: Callable[[str], bool]) -> set[str]:
    return {
        path
        for path, dotted, source in _modules()
        if not path.startswith(inside)
        and any(touches(name) for name in imported_modules(source, dotted))
    }


def test_only_storage_imports_sqlalchemy_or_rows_apart_from_the_known_debt() -> None:
    offenders = _offenders("reviewer_app/storage/", _touches_storage_internals)
    assert offenders == STORAGE_DEBT, (
        f"new: {sorted(offenders - STORAGE_DEBT)}; freed (drop from the debt list and from "
        f"pyproject's per-file ignores): {sorted(STORAGE_DEBT - offenders)}"
    )


def test_only_ui_imports_qt() -> None:
    assert _offenders("reviewer_app/ui/", _touches_qt) == set()


def test_lint_ignores_outside_ui_and_storage_are_exactly_the_debt() -> None:
    lint = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]
    ignored = {
        pattern
        for pattern, rules in lint["lint"]["per-file-ignores"].items()
        if "TID251" in rules and pattern.startswith("reviewer_app/")
    }
    assert ignored - {"reviewer_app/ui/**", "reviewer_app/storage/**"} == STORAGE_DEBT


def test_the_import_walk_sees_every_form_of_import() -> None:
    source = """
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from sqlalchemy.orm import Session
def later():
    import PySide6.QtCore
from ..storage.review_models import ReviewerRow
from ..storage import grounding_models
from . import sibling
"""
    names = set(imported_modules(source, "reviewer_app.services.example"))
    assert {
        "sqlalchemy.orm",
        "PySide6.QtCore",
        "reviewer_app.storage.review_models",
        "reviewer_app.storage.grounding_models",
        "reviewer_app.services.sibling",
    } <= names
    assert _touches_storage_internals("sqlalchemy.orm")
    assert _touches_storage_internals("reviewer_app.storage.models")
    assert _touches_storage_internals("reviewer_app.storage.passage_models")
    assert not _touches_storage_internals("reviewer_app.storage.evidence_repository")
    assert not _touches_storage_internals("sqlalchemyx")
    assert _touches_qt("PySide6.QtCore") and not _touches_qt("reviewer_app.ui")
