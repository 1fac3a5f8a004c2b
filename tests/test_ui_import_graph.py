"""The ui package's import graph (TYPE_CHECKING imports included): controllers and the
background-op runner are given their collaborators and never import the main window."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[1] / "reviewer_app" / "ui"
INDEPENDENT_OF_MAIN_WINDOW = (
    "reviewer_app.ui.ops",
    "reviewer_app.ui.bundle_controller",
    "reviewer_app.ui.download_controller",
    "reviewer_app.ui.window_dialogs",
    "reviewer_app.ui.correction_dialog",
    "reviewer_app.ui.window_prompts",
)


def ui_import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in UI.rglob("*.py"):
        module = "reviewer_app." + ".".join(path.relative_to(UI.parent).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
        graph[module] = {name for name in imported if name.startswith("reviewer_app.ui")}
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_controllers_do_not_reach_the_main_window() -> None:
    graph = ui_import_graph()
    for module in INDEPENDENT_OF_MAIN_WINDOW:
        assert module in graph, module
        assert "reviewer_app.ui.main_window" not in reachable(graph, module), module


def test_the_circle_through_main_window_is_down_to_the_review_controllers() -> None:
    graph = ui_import_graph()
    circle = {m for m in reachable(graph, "reviewer_app.ui.main_window")
              if "reviewer_app.ui.main_window" in reachable(graph, m)}  # fmt: skip
    # Before: 7 modules (these two plus bundle_controller, download_controller,
    # window_dialogs, correction_dialog and main_window itself).
    assert circle <= {
        "reviewer_app.ui.main_window",
        "reviewer_app.ui.review.review_controller",
        "reviewer_app.ui.review.sources_view",
    }
