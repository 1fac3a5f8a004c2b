"""The Grounding tab: what the review established beside what the synthesis claims (issue 13).

Computed level (with its basis and rule-set version) beside the imported one, the sentence
saying how they differ, the gate computed from artifacts and attestations beside the imported
verdict, every reference's checks with their messages, and each claim's marks.

"Allow online checks" (off by default, remembered in the user's settings): when on, the arXiv
id/version of each reference is also confirmed with arXiv, off the GUI thread, after the
offline checks are shown; offline, or when it is off, the check says "not checked online".
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.domain.reference_checks import ONLINE, VERSION_PINNED, OnlineAnswer
from reviewer_app.errors import ReviewerAppError
from reviewer_app.pdf import PdfStore
from reviewer_app.services.arxiv_online import ARXIV_API_URL, confirm_arxiv
from reviewer_app.services.gate import GateReport, GateService
from reviewer_app.services.grounding import GroundingReport, GroundingService
from reviewer_app.services.review import pdf_store_dir
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.ops import BackgroundOp
from reviewer_app.user_settings import load_settings, update_settings

PASSED, FAILED, NOT_CHECKED = "✓", "✗", "–"
_COLOURS = {PASSED: "#2e7d32", FAILED: "#c62828", NOT_CHECKED: "#757575"}


def mark(ok: bool | None) -> str:
    return {True: PASSED, False: FAILED, None: NOT_CHECKED}[ok]


class GroundingView(QWidget):
    def __init__(
        self, grounding: GroundingService, gate: GateService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.grounding = grounding
        self.gate = gate
        self.record_id: str | None = None
        self.viewer: str | None = None
        """Who looks: in blind mode the colleagues' verdicts count once they have submitted."""
        self.arxiv_api_url = ARXIV_API_URL
        """Where online checks ask (tests point it at a local server)."""
        self._online_asked = 0
        """Online checks started; an answer counts only if it is the newest one asked for."""
        self._online_answered = 0
        self.online_box = QCheckBox("Allow online checks (arXiv)", self)
        self.online_box.setObjectName("allow_online_checks")
        self.online_box.setToolTip(
            "Ask arXiv whether each reference's id and version exist. Never required: "
            "offline, or with this off, the check says 'not checked online'."
        )
        self.online_box.setChecked(load_settings().allow_online_checks)
        self.online_box.toggled.connect(self._on_online_box_toggled)
        # wrapped: unwrapped, its sentence widened the scoring panel and squeezed the PDF pane
        # at 1366x768 (seen under Xvfb)
        self.online_status = _wrapping()
        self.online_status.setObjectName("online_status")
        self.report: GroundingReport | None = None
        self.gate_report: GateReport | None = None
        self.computed_label = _wrapping()
        self.computed_label.setObjectName("grounding_computed")
        self.basis_label = _wrapping()
        self.imported_label = _wrapping()
        self.differs_label = _wrapping()
        self.differs_label.setObjectName("grounding_differs")
        self.differs_label.setStyleSheet("color: #c62828; font-weight: bold")
        self.gate_label = _wrapping()
        self.gate_label.setObjectName("grounding_gate")
        form = QFormLayout()
        form.addRow("Computed", self.computed_label)
        form.addRow("Basis", self.basis_label)
        form.addRow("Imported", self.imported_label)
        form.addRow("", self.differs_label)
        form.addRow("Gate", self.gate_label)
        self.references = _tree("grounding_references", ("Reference / check", "Message"))
        # the check names set the first column's width; the references' rows span both
        header = self.references.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        widest = self.fontMetrics().horizontalAdvance(f"{FAILED} {VERSION_PINNED}  ")
        header.resizeSection(0, widest + 2 * self.references.indentation())
        self.claims = _tree(
            "grounding_claims", ("Claim", "Grounded", "Confirmed", "Contradicted", "Why")
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.online_box)
        layout.addWidget(self.online_status)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>Reference checks</b>"))
        layout.addWidget(self.references, 1)
        layout.addWidget(QLabel("<b>Claims</b>"))
        layout.addWidget(self.claims, 1)

    def show_record(self, record_id: str, viewer: str | None = None) -> None:
        self.record_id, self.viewer = record_id, viewer
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        # evidence and verdicts change elsewhere: recompute whenever the tab comes into view
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        if self.record_id is None:
            return
        try:
            self.report = report = self.grounding.report(self.record_id, viewer=self.viewer)
            self.gate_report = gate = self.gate.report(self.record_id)
        except ReviewerAppError as exc:
            self.computed_label.setText(f"cannot be computed: {exc}")
            return
        self._show(report, gate)
        self._check_online()

    def _show(self, report: GroundingReport, gate: GateReport) -> None:
        computed = report.computed
        self.computed_label.setText(
            f"<b>{computed.level}</b> {computed.label} · {report.facts.grounded} grounded, "
            f"{report.facts.confirmed} confirmed, {report.facts.contradicted} contradicted "
            f"(rules v{computed.rules_version})"
        )
        self.basis_label.setText(computed.basis)
        imported = report.imported
        counts = []
        if imported.source_grounded_claims is not None:
            counts.append(f"{imported.source_grounded_claims} source-grounded")
        if imported.verified_claims is not None:
            counts.append(f"{imported.verified_claims} verified")
        level = f"{imported.level} {imported.label or ''}".strip() if imported.level else "none"
        listed = ", ".join(counts)
        self.imported_label.setText(level + (f" · {listed}" if listed else ""))
        self.differs_label.setText(f"⚑ {report.difference}" if report.difference else "")
        self.differs_label.setVisible(report.difference is not None)
        imported_gate = (gate.imported or {}).get("status") or "none imported"
        flag = " ⚑ differs" if gate.differs else ""
        computed_gate = f"<b>{gate.computed.status}</b> — {gate.computed.basis}"
        self.gate_label.setText(f"{computed_gate}; imported: {imported_gate}{flag}")
        self._fill_references(report)
        self._fill_claims(report)

    # -- online checks -----------------------------------------------------------------------
    @property
    def online_pending(self) -> bool:
        return self._online_answered < self._online_asked

    def _on_online_box_toggled(self, allowed: bool) -> None:
        update_settings(allow_online_checks=allowed)
        self.refresh()

    def _check_online(self) -> None:
        """With online checks allowed, ask arXiv in the background and show the answer when it
        comes (if it is still the newest asked for); the offline report is already on screen.
        No reference to the op is kept: it deletes itself once finished."""
        self._online_asked += 1
        asked = self._online_asked
        if not self.online_box.isChecked() or self.record_id is None:
            self._online_answered = asked
            self.online_status.setText("Online checks are off: arXiv is not asked.")
            return
        record_id, base_url, grounding = self.record_id, self.arxiv_api_url, self.grounding
        viewer = self.viewer

        def ask(arxiv_id: str) -> OnlineAnswer:
            return confirm_arxiv(arxiv_id, base_url=base_url)

        op: BackgroundOp[GroundingReport] = BackgroundOp(
            self, "Asking arXiv…",
            lambda _ctx: grounding.report(
                record_id, allow_online=True, online_check=ask, viewer=viewer
            ),
            quiet=True,
        )  # fmt: skip
        op.success(lambda report: self._on_online_report(asked, report))
        op.failure(lambda exc: self._on_online_failed(asked, exc))
        op.cancelled(lambda: self._on_online_failed(asked, None))
        self.online_status.setText("Asking arXiv…")
        op.run_in_background()

    def _on_online_failed(self, asked: int, exc: Exception | None) -> None:
        if asked != self._online_asked:
            return
        self._online_answered = asked
        self.online_status.setText(f"Online checks failed: {exc}" if exc else "")

    def _on_online_report(self, asked: int, report: GroundingReport) -> None:
        if asked != self._online_asked:
            return  # a newer check was asked for (another record, or the switch turned off)
        self._online_answered = asked
        self.report = report
        self._fill_references(report)
        answered = [
            check for reference in report.references if reference.arxiv_id
            for check in reference.checks if check.name == ONLINE
        ]  # fmt: skip
        confirmed = sum(check.ok is True for check in answered)
        unchecked = sum(check.ok is None for check in answered)
        text = f"Online: {confirmed} of {len(answered)} arXiv references confirmed"
        if unchecked:
            text += f", {unchecked} not checked online"
        self.online_status.setText(text)

    def _fill_references(self, report: GroundingReport) -> None:
        self.references.clear()
        for reference in report.references:
            state = PASSED if reference.passes else FAILED
            # the reference on a row of its own: URLs are longer than check names
            top = QTreeWidgetItem([f"{state} {reference.url} — {_file_text(reference)}"])
            _colour(top, state)
            for check in reference.checks:
                child = QTreeWidgetItem([f"{mark(check.ok)} {check.name}", check.message])
                child.setToolTip(1, check.message)  # the column elides long messages
                _colour(child, mark(check.ok))
                top.addChild(child)
            self.references.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            top.setExpanded(not reference.passes)

    def _fill_claims(self, report: GroundingReport) -> None:
        self.claims.clear()
        for claim in report.claims:
            why = "; ".join(c.message for c in claim.checks if c.ok is not None)
            row = QTreeWidgetItem(
                [
                    str(claim.position),
                    mark(claim.grounded),
                    mark(claim.confirmed),
                    FAILED if claim.contradicted else "",
                    why,
                ]
            )
            row.setToolTip(4, why)
            for column, value in ((1, claim.grounded), (2, claim.confirmed)):
                row.setForeground(column, QColor(_COLOURS[mark(value)]))
            row.setForeground(3, QColor(_COLOURS[FAILED]))
            self.claims.addTopLevelItem(row)


def grounding_view_for(workspace: Workspace) -> GroundingView:
    """The view on the app's own PDF and artifact stores."""
    return GroundingView(
        GroundingService(workspace.database, PdfStore(pdf_store_dir())),
        GateService.for_database(workspace.database),
    )


def _file_text(reference: object) -> str:
    sha = getattr(reference, "attached_sha256", None)
    return f"PDF {sha[:12]}…" if sha else "no PDF attached"


def _colour(item: QTreeWidgetItem, state: str) -> None:
    item.setForeground(0, QColor(_COLOURS[state]))


def _wrapping() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _tree(name: str, headers: tuple[str, ...]) -> QTreeWidget:
    """A tree whose last column (the messages) takes the width the others leave."""
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setHeaderLabels(list(headers))
    tree.setRootIsDecorated(True)
    tree.setAlternatingRowColors(True)
    tree.setWordWrap(True)
    header = tree.header()
    header.setStretchLastSection(True)
    for column in range(len(headers) - 1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return tree
