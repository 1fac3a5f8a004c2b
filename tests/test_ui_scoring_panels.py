"""Conflicts panel (adjudication changes the consensus) and tier panel (computed vs automated)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from reviewer_app.domain.records import Level
from reviewer_app.domain.tier_policy import RuleKind, Tier, TierPolicy, TierRule
from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.scoring.conflicts_panel import ConflictsPanel
from reviewer_app.ui.scoring.tier_panel import TierPanel
from tests.test_plot_data import REVIEWED, SHEETS, submit_all

pytest_plugins = ("tests.ui_fixtures",)
RECORD_PAGE = "SRCH:8F12A054"


def open_conflicts(qtbot: QtBot, scoring: ScoringService) -> ConflictsPanel:
    panel = ConflictsPanel(scoring, lambda: "adj")
    qtbot.addWidget(panel)
    panel.show_record(REVIEWED)
    return panel


def test_adjudicating_marks_the_conflict_and_changes_the_consensus(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    scoring = submit_all(demo_workspace)
    panel = open_conflicts(qtbot, scoring)
    fields = [c.field for c in panel.conflicts()]
    assert "citation_grounding" in fields and "review_score" in fields
    assert scoring.ratings.consensus(REVIEWED).dimensions["citation_grounding"].value == Level.HIGH
    panel.select(fields.index("citation_grounding"))
    # The value choices are the ratings given (HIGH, HIGH, LOW): two distinct values.
    choices = [panel.value_box.itemText(i) for i in range(panel.value_box.count())]
    assert choices == ["HIGH", "LOW"]
    errors: list[str] = []
    panel.show_error = errors.append
    with qtbot.waitSignal(panel.sig_adjudicated) as done:
        assert panel.adjudicate("LOW", "Two of the cited papers do not exist.")
    assert done.args == [REVIEWED] and errors == []
    settled = next(c for c in panel.conflicts() if c.field == "citation_grounding")
    assert settled.adjudicated
    assert "adjudicated" in panel.list.item(fields.index("citation_grounding")).text()
    assert {c.field for c in panel.open_conflicts()} == set(fields) - {"citation_grounding"}
    consensus = scoring.ratings.consensus(REVIEWED).dimensions["citation_grounding"]
    assert consensus.value == Level.LOW and consensus.adjudication is not None
    assert consensus.adjudication.adjudicator == "adj"
    # Additive: the reviewers' own sheets are untouched.
    bob = scoring.sheets.own(REVIEWED, "bob")
    assert bob is not None and bob.dimensions["citation_grounding"] == Level.HIGH


def test_adjudicating_a_score_on_a_value_nobody_gave(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    scoring = submit_all(demo_workspace)
    panel = open_conflicts(qtbot, scoring)
    panel.select([c.field for c in panel.conflicts()].index("review_score"))
    panel.value_box.setCurrentText("6.9")
    panel.rationale_edit.setText("Sources re-checked.")
    panel.adjudicate_button.click()
    assert scoring.ratings.consensus(REVIEWED).review_score.value == 6.9
    assert panel.rationale_edit.text() == ""


def test_adjudication_without_rationale_is_refused(qtbot: QtBot, demo_workspace: Workspace) -> None:
    scoring = submit_all(demo_workspace)
    panel = open_conflicts(qtbot, scoring)
    panel.select(0)
    errors: list[str] = []
    panel.show_error = errors.append
    with qtbot.assertNotEmitted(panel.sig_adjudicated):
        assert not panel.adjudicate(panel.value_box.currentText(), "   ")
    assert errors == ["an adjudication needs a rationale"]
    assert scoring.adjudication.adjudications(REVIEWED) == {}
    assert not any(c.adjudicated for c in panel.conflicts())


def test_tier_panel_shows_computed_and_automated_tier(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    scoring = ScoringService(demo_workspace.database)
    for name, (dimensions, score) in SHEETS.items():
        scoring.sheets.save(
            RECORD_PAGE, name, dimensions=dimensions, review_score=score, submit=True
        )
    panel = TierPanel(scoring)
    qtbot.addWidget(panel)
    panel.show_record(RECORD_PAGE)
    # The default policy wants 3 verified claims: this record page has none, so Watchlist,
    # the same as its imported tier.
    assert panel.report is not None and panel.report.tier == "Watchlist"
    assert "<b>Watchlist</b>" in panel.tier_label.text()
    assert panel.automated_label.text() == "Watchlist"
    assert (
        panel.basis_label.text() == panel.report.basis
        and "verified claims" in panel.basis_label.text()
    )
    assert panel.differs_label.isHidden()

    scoring.tiers.set_policy(
        TierPolicy(
            1,
            (Tier("DOI-grade", (TierRule(RuleKind.MIN_CONSENSUS_SCORE, 7.0),)), Tier("Watchlist")),
        )
    )
    panel.refresh()
    assert panel.report.tier == "DOI-grade" and panel.report.differs
    assert "<b>DOI-grade</b> (policy v2)" in panel.tier_label.text()
    assert panel.automated_label.text() == "Watchlist"
    assert not panel.differs_label.isHidden()
    assert "DOI-grade: min consensus score 7" in panel.policy_label.text()


def test_tier_panel_without_an_automated_tier(qtbot: QtBot, demo_workspace: Workspace) -> None:
    panel = TierPanel(submit_all(demo_workspace))
    qtbot.addWidget(panel)
    panel.show_record(REVIEWED)
    assert panel.automated_label.text() == "none imported"
    assert panel.differs_label.isHidden()
