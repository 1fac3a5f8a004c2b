"""The record's computed tier and its basis beside the imported automated tier."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from reviewer_app.domain.tier_policy import TierPolicy
from reviewer_app.services.scoring import ScoringService, TierReport

DIFFERS_TEXT = "⚑ differs from the automated tier"


class TierPanel(QWidget):
    def __init__(self, scoring: ScoringService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scoring = scoring
        self.record_id: str | None = None
        self.report: TierReport | None = None
        self.tier_label = QLabel()
        self.basis_label = QLabel()
        self.basis_label.setWordWrap(True)
        self.automated_label = QLabel()
        self.differs_label = QLabel(DIFFERS_TEXT)
        self.differs_label.setStyleSheet("color: #c62828; font-weight: bold")
        self.policy_label = QLabel()
        self.policy_label.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Computed tier", self.tier_label)
        form.addRow("Basis", self.basis_label)
        form.addRow("Automated tier", self.automated_label)
        form.addRow("", self.differs_label)
        form.addRow("Policy", self.policy_label)
        self.differs_label.hide()

    def show_record(self, record_id: str) -> None:
        self.record_id = record_id
        self.refresh()

    def refresh(self) -> None:
        if self.record_id is None:
            return
        self.report = report = self.scoring.tiers.tier(self.record_id)
        self.tier_label.setText(f"<b>{report.tier}</b> (policy v{report.policy_version})")
        self.basis_label.setText(report.basis)
        self.automated_label.setText(report.automated_tier or "none imported")
        self.differs_label.setVisible(report.differs)
        self.policy_label.setText(policy_text(self.scoring.tiers.policy()))


def policy_text(policy: TierPolicy) -> str:
    """Each tier with its thresholds, one line per tier."""
    lines = []
    for tier in policy.tiers:
        rules = [
            rule.kind.value.replace("_", " ")
            + (f" {rule.threshold:g}" if rule.threshold is not None else "")
            for rule in tier.rules
        ]
        lines.append(f"{tier.name}: {', '.join(rules) if rules else 'otherwise'}")
    return "\n".join(lines)
