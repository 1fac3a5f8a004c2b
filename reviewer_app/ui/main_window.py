"""The main window: records (left), details and claims (middle), the source PDF (right)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QWidget,
)

from reviewer_app import __version__
from reviewer_app.domain.evidence import Stance, Verdict
from reviewer_app.errors import ReviewerAppError
from reviewer_app.services.review import ReviewService
from reviewer_app.services.team import TeamService
from reviewer_app.services.workspace_settings import WorkspaceSettingsService
from reviewer_app.ui.actions import AppActions
from reviewer_app.ui.bundle_choices import CorrectionText, ExportChoice
from reviewer_app.ui.bundle_controller import BundleController
from reviewer_app.ui.download_controller import DownloadController
from reviewer_app.ui.drops import local_paths
from reviewer_app.ui.grounding_refresh import GroundingRefresh
from reviewer_app.ui.laptop_layout import LaptopLayout
from reviewer_app.ui.level_sweep import LevelSweep
from reviewer_app.ui.live_updates import LiveUpdates
from reviewer_app.ui.loop_focus import LoopFocus
from reviewer_app.ui.ops import BackgroundOp
from reviewer_app.ui.pdf_pane import PdfPane
from reviewer_app.ui.pdf_view import ZoomMode
from reviewer_app.ui.record_details import RecordDetails
from reviewer_app.ui.record_list import RecordListPanel
from reviewer_app.ui.review.claim_panel import ReviewClaimPanel
from reviewer_app.ui.review.evidence_note_dialog import EvidenceNoteDialog
from reviewer_app.ui.review.find_bar import FindBar
from reviewer_app.ui.review.help_overlay import HelpOverlay
from reviewer_app.ui.review.review_controller import ReviewController
from reviewer_app.ui.review.reviewer_choice import ReviewerCombo
from reviewer_app.ui.review.suggestions_controller import SuggestionsController
from reviewer_app.ui.scoring.dock import ScoringDock
from reviewer_app.ui.team_identity import lock_to_team_role
from reviewer_app.ui.window_dialogs import WindowDialogs
from reviewer_app.ui.window_menus import MENUS
from reviewer_app.wording import counted

if TYPE_CHECKING:
    from reviewer_app.services.bundles import BundleService
    from reviewer_app.services.corrections import CorrectionService
    from reviewer_app.services.grounding_levels import LevelRefresh
    from reviewer_app.services.workspace import Workspace

APP_TITLE = "Synthesis Reviewer"
_LAYOUT_KEYS = ("geometry", "state", "main_splitter", "middle_splitter")


class MainWindow(QMainWindow):
    sig_record_shown = Signal(str)
    """The details and claims now show this record (local id)."""

    def __init__(
        self, workspace: Workspace, *, settings: QSettings | None = None,
        parent: QWidget | None = None,
        report_message: Callable[[str, str], None] | None = None,
    ) -> None:  # fmt: skip
        """``report_message`` replaces the message boxes (title, text), e.g. when nobody is there
        to close one: a screenshot run must not wait on a modal box."""
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings
        """Where the window layout is remembered; None remembers nothing."""
        self._opening: tuple[str, str] | None = None
        self._page_to_restore: int | None = None
        """The page the last session ended on, for the first PDF this window opens."""
        """The path being opened and what to call it (an attached source: its original name)."""
        # Replaceable by tests: every question and message to the person goes through these.
        dialogs = WindowDialogs(self, confirm=lambda title, text: self.confirm(title, text))
        self.show_error: Callable[[str, str], None] = report_message or dialogs.error_box
        self.show_info: Callable[[str, str], None] = report_message or dialogs.info_box
        self.ask_pdf_path: Callable[[], Path | None] = dialogs.pdf_path
        self.ask_record_paths: Callable[[], list[Path]] = dialogs.record_paths
        self.ask_folder: Callable[[], Path | None] = dialogs.folder
        self.ask_reason: Callable[[Verdict], str | None] = dialogs.reason
        self.ask_export_choice: Callable[[str], ExportChoice | None] = dialogs.export_choice
        self.ask_bundle_path: Callable[[], Path | None] = dialogs.bundle_path
        self.ask_correction: Callable[[str], CorrectionText | None] = dialogs.correction
        self.confirm: Callable[[str, str], bool] = dialogs.confirm_box
        self.ask_evidence_note: Callable[[str], tuple[Stance, str | None] | None] = lambda quote: (
            EvidenceNoteDialog.ask(quote, self)
        )
        self.current_record_id: str | None = None
        self._torn_down = False

        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.app_actions = AppActions(self)
        self.records = RecordListPanel(workspace, self)
        # rows fetched as the list scrolls get their grounding level too
        self.records.model.rowsInserted.connect(self._on_record_rows_inserted)
        self.records.model.modelReset.connect(self._on_record_rows_reset)
        self._levels_changed = False
        """Stored levels changed since the list was last read in an order that follows them."""
        self.level_sweep = LevelSweep(
            workspace.database, lambda refresh: self._on_levels_refreshed(refresh, reorder=True),
            self._on_levels_failed, self,
        )  # fmt: skip
        self.details = RecordDetails(self)
        workspace_settings = WorkspaceSettingsService(workspace.database)
        self.claims = ReviewClaimPanel(workspace_settings.hide_machine_marks, self)
        self.pdf_pane = PdfPane(self.app_actions, self)
        self.find_bar = FindBar(self.pdf_pane.view, self.app_actions, self)
        self.middle_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.middle_splitter.setObjectName("middle_splitter")
        self.middle_splitter.addWidget(self.details)
        self.middle_splitter.addWidget(self.claims)
        self.middle_splitter.setSizes([420, 300])
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.setObjectName("main_splitter")
        for widget in (self.records, self.middle_splitter, self.pdf_pane):
            self.main_splitter.addWidget(widget)
        self.main_splitter.setSizes([360, 540, 540])
        self.main_splitter.setStretchFactor(2, 1)
        self.setCentralWidget(self.main_splitter)
        self.record_count = QLabel(self)
        self.statusBar().addPermanentWidget(self.record_count)
        self.reviewer_combo = ReviewerCombo(self._known_reviewers(), settings=settings)
        self.help_overlay = HelpOverlay(self.app_actions, self)
        self._build_menus()
        self._build_toolbar()
        self.review = ReviewController(self, ReviewService.for_workspace(workspace), settings)
        self.suggestions = SuggestionsController(self.review)
        self.loop_focus = LoopFocus([self.claims, self.pdf_pane.view], self.claims.table, self)
        self.loop_focus.bind(self.app_actions.loop_keys())
        self.pdf_pane.add_bar(self.find_bar)
        self.scoring_dock = ScoringDock(
            workspace, reviewer_provider=lambda: self.reviewer_combo.reviewer, parent=self
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.scoring_dock)
        self._add_scoring_toggle()
        self.laptop_layout = LaptopLayout(self)
        self.downloads = DownloadController(
            self, self, self.review.service, self.review.sources,
            reviewer=lambda: self.reviewer_combo.reviewer,
            show_status=lambda text: self.statusBar().showMessage(text, 10_000),
        )  # fmt: skip
        self.bundles = BundleController(
            self, self, lambda: _bundle_service(workspace), lambda: _correction_service(workspace),
            current_record=lambda: self.current_record_id,
            reviewer=lambda: self.reviewer_combo.reviewer,
            show_status=lambda text: self.statusBar().showMessage(text, 10_000),
            records_changed=self._on_records_changed,
        )  # fmt: skip
        self.grounding_refresh = GroundingRefresh(
            self, workspace.database,
            lambda refresh: self._on_levels_refreshed(refresh, reorder=False),
            self._on_levels_failed,
        )  # fmt: skip
        self._connect()
        # team workspace: the reviewer is the database role; colleagues' work appears live
        lock_to_team_role(self.reviewer_combo, TeamService(workspace.database))
        self.live_updates = LiveUpdates.attach(self)
        self.reload_records()
        self.resize(1440, 900)
        self.restore_layout()

    # -- records -----------------------------------------------------------------------------
    def reload_records(self) -> None:
        shown = self.current_record_id
        self.records.reload()
        self._update_record_count()
        self._refresh_grounding(self.records.model.loaded_ids(without_level=True))
        self.level_sweep.schedule()
        if shown is not None:  # re-reading the list (a bundle import) must not move the reviewer
            self.records.select(shown)

    def _on_record_rows_inserted(self, _parent: object, first: int, last: int) -> None:
        model = self.records.model
        unknown = set(model.loaded_ids(without_level=True))
        rows = [model.row_object(row).local_id for row in range(first, last + 1)]
        self._refresh_grounding([rid for rid in rows if rid in unknown])

    def _on_record_rows_reset(self) -> None:
        self._refresh_grounding(self.records.model.loaded_ids(without_level=True))

    def _refresh_grounding(self, record_ids: Sequence[str | None]) -> None:
        """The records list's Level column (issue 13), computed off the GUI thread (every
        attached file is re-hashed and every quote looked up again) and stored, so the list
        sorts and filters on it in SQL, for the records named: rows loaded without a stored
        level; the one left and the one shown, whose work may have changed. Requests close
        together run as one op (``GroundingRefresh``); every other record is kept current by
        ``level_sweep`` (on opening, after an import or a merge)."""
        self.grounding_refresh.request(record_ids)

    def _on_levels_failed(self, exc: Exception) -> None:
        self.statusBar().showMessage(f"Grounding levels not computed: {exc}", 8000)

    def _on_levels_refreshed(self, refresh: LevelRefresh, *, reorder: bool) -> None:
        """Show the levels. When stored levels changed, a list sorted or filtered by level is
        read again: at the end of the pass over every record while one is pending or running
        (re-reading it for each chunk of rows computed meanwhile would move it under the
        reviewer's eyes), else at once."""
        self.records.model.set_grounding(refresh.badges, merge=True)
        self._levels_changed |= bool(refresh.changed)
        if self._levels_changed and (reorder or not self.level_sweep.running):
            self._levels_changed = False
            self.records.levels_changed()

    def show_record(self, local_id: str) -> None:
        try:
            stored = self.workspace.get_record(local_id)
        except ReviewerAppError as exc:
            self.show_error("Cannot show the record", str(exc))
            return
        record = stored.record
        subtitle = f"revision {stored.revision} of {stored.revision_count} · {stored.source_name}"
        self.details.show_record(record, local_id=stored.local_id, subtitle=subtitle)
        self.review.show_record(stored.local_id, record)
        self.scoring_dock.show_record(stored.local_id)
        # the record left (work done on it may change its level), and the one shown if its
        # level is not known yet
        known = self.records.model.has_level(stored.local_id)
        self._refresh_grounding([self.current_record_id, None if known else stored.local_id])
        self.current_record_id = stored.local_id
        if self.settings is not None:
            self.settings.setValue("review/record", stored.local_id)
        self.sig_record_shown.emit(stored.local_id)

    def import_records(self, paths: Sequence[Path]) -> None:
        """Import files through the workspace; refused files are listed in one message."""
        if not paths:
            return
        try:
            result = self.workspace.import_files(paths)
        except ReviewerAppError as exc:
            self.show_error("Import failed", str(exc))
            return
        if result.imported:
            self.reload_records()
        if result.imported:
            self.records.select(result.imported[-1].local_id)
        unchanged = sum(outcome.status == "unchanged" for outcome in result.imported)
        self.statusBar().showMessage(
            f"Imported {len(result.imported)} of {len(paths)} file(s)"
            + (f"; {unchanged} unchanged (imported before, nothing added)" if unchanged else ""),
            8000,
        )
        if result.refused:
            lines = "\n".join(str(refusal) for refusal in result.refused)
            self.show_error(f"{len(result.refused)} file(s) not imported", lines)

    def _on_records_changed(self) -> None:
        """Records were merged from elsewhere (a bundle): list them, keep the one shown."""
        self.reload_records()
        if self.current_record_id:
            self.show_record(self.current_record_id)

    def _update_record_count(self) -> None:
        self.record_count.setText(counted(self.workspace.count_records(), "record"))

    # -- PDF ---------------------------------------------------------------------------------
    def open_pdf(self, path: Path, *, shown_as: str | None = None) -> bool:
        """Show the PDF at ``path``; ``shown_as`` names it in the title and status bar (an
        attached source lives in the store under its hash, but people know its file name)."""
        self._opening = (str(path), shown_as or Path(path).name)
        return self.pdf_pane.open_pdf(path)

    def _on_pdf_opened(self, path: str, page_count: int) -> None:
        self._restore_zoom()
        if self.isVisible():
            self._go_to_restored_page()
        # The view announces the document inside open_pdf, so _opening is about this path
        # unless the PDF came some other way (then it has no other name).
        opening_path, opening_name = self._opening or ("", "")
        name = opening_name if opening_path == path else Path(path).name
        self.setWindowTitle(f"{name} — {APP_TITLE}")
        shown = name if name != Path(path).name else path  # a file of one's own: the full path
        self.statusBar().showMessage(f"Opened {shown} ({counted(page_count, 'page')})", 8000)

    def _go_to_restored_page(self) -> None:
        # Only once the window is shown: before, the pane is too small to scroll that far.
        if self._page_to_restore is not None and self.pdf_pane.view.page_count:
            self.pdf_pane.view.go_to_page(self._page_to_restore)
            self._page_to_restore = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._go_to_restored_page)

    def _on_pdf_closed(self) -> None:
        self._opening = None
        self.setWindowTitle(APP_TITLE)
        self.statusBar().clearMessage()

    def _on_pdf_failed(self, message: str) -> None:
        self.setWindowTitle(APP_TITLE)
        self.statusBar().showMessage(message)

    # -- menus and actions -----------------------------------------------------------------
    def _build_menus(self) -> None:
        for title, names in MENUS.items():
            menu = self.menuBar().addMenu(title)
            for name in names:
                menu.addSeparator() if name is None else menu.addAction(self.app_actions[name])

    def _build_toolbar(self) -> None:
        bar = self.addToolBar("Main")
        bar.setObjectName("main_toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addActions([self.app_actions["open_pdf"], self.app_actions["import_records"]])
        bar.addSeparator()
        bar.addAction(self.app_actions["find"])
        bar.addSeparator()
        bar.addActions([self.app_actions["undo"], self.app_actions["redo"]])
        bar.addSeparator()
        bar.addActions([self.app_actions["records_list"], self.app_actions["scoring_panel"]])
        bar.addSeparator()
        bar.addWidget(QLabel(" Reviewer: ", self))
        bar.addWidget(self.reviewer_combo)
        # the evidence list owns Del: removing a span must not fire from the record list
        self.claims.evidence.addAction(self.app_actions["remove_evidence"])

    def _add_scoring_toggle(self) -> None:
        toggle = self.app_actions["scoring_panel"]
        toggle.setCheckable(True)
        # Hidden until asked for: beside the records, claims and PDF it would crowd all three.
        # Its visibility is part of the window state that restore_layout brings back.
        self.scoring_dock.hide()
        self.resizeDocks([self.scoring_dock], [420], Qt.Orientation.Horizontal)
        toggle.setChecked(False)
        toggle.toggled.connect(self.scoring_dock.setVisible)
        self.scoring_dock.visibilityChanged.connect(self._on_scoring_dock_visibility_changed)

    def _on_scoring_dock_visibility_changed(self, _visible: bool) -> None:
        # isHidden, not the signal's flag: a minimised window's dock is still wanted, and
        # closing the dock with its own button must uncheck the action.
        self.app_actions["scoring_panel"].setChecked(not self.scoring_dock.isHidden())
        if self.scoring_dock.isHidden():
            self.loop_focus.restore_soon()

    def _on_overview_record_requested(self, local_id: str) -> None:
        if not self.records.select(local_id):
            self.show_record(local_id)

    def _on_reviewer_changed(self, _name: str) -> None:
        self.scoring_dock.refresh()  # blind mode: what the panels may show depends on who asks

    def _connect(self) -> None:
        a = self.app_actions
        self.scoring_dock.sig_record_requested.connect(self._on_overview_record_requested)
        self.reviewer_combo.sig_reviewer_changed.connect(self._on_reviewer_changed)
        self.reviewer_combo.sig_choice_finished.connect(self.loop_focus.restore_soon)
        self.help_overlay.sig_closed.connect(self.loop_focus.restore)
        a["open_pdf"].triggered.connect(self._on_open_pdf_triggered)
        a["import_records"].triggered.connect(lambda: self.import_records(self.ask_record_paths()))
        a["quit"].triggered.connect(self.close)
        a["keyboard_help"].triggered.connect(self._on_keyboard_help_triggered)
        a["export_bundle"].triggered.connect(self.bundles.export_current)
        a["download_source"].triggered.connect(self.downloads.download_current)
        a["import_bundle"].triggered.connect(self._on_import_bundle_triggered)
        a["verify_bundle"].triggered.connect(self._on_verify_bundle_triggered)
        a["file_correction"].triggered.connect(self.bundles.file_correction)
        a["about"].triggered.connect(self._on_about_triggered)
        self.records.sig_record_selected.connect(self.show_record)
        self.pdf_pane.view.sig_document_opened.connect(self._on_pdf_opened)
        self.pdf_pane.view.sig_document_failed.connect(self._on_pdf_failed)
        self.pdf_pane.view.sig_document_closed.connect(self._on_pdf_closed)

    def _on_open_pdf_triggered(self) -> None:
        path = self.ask_pdf_path()
        if path is None:
            return
        # A PDF only read, not attached, cannot hold evidence: offer to attach it.
        if self.current_record_id is not None and self.confirm(
            "Attach this PDF?",
            f"{Path(path).name} is not attached to {self.current_record_id}. Attach it as a "
            "source, so that its words can be marked as evidence?",
        ):
            self.review.sources.attach(path)
        else:
            self.open_pdf(path)

    def _on_import_bundle_triggered(self) -> None:
        path = self.ask_bundle_path()
        if path is not None:
            self.bundles.import_bundle(path)

    def _on_verify_bundle_triggered(self) -> None:
        path = self.ask_bundle_path()
        if path is not None:
            self.bundles.verify(path)

    def _on_keyboard_help_triggered(self) -> None:
        self.help_overlay.open()

    def _on_about_triggered(self) -> None:
        self.show_info(
            f"About {APP_TITLE}",
            f"<b>{APP_TITLE}</b> {__version__}<br>Judge whether a machine-generated "
            "literature synthesis can be trusted, against its sources.<br>MIT licence.",
        )

    # -- drag and drop of record files and PDFs anywhere on the window ---------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if any(local_paths(mime, suffix) for suffix in (".txt", ".pdf", ".zip")):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        records, pdfs = local_paths(mime, ".txt"), local_paths(mime, ".pdf")
        bundles = local_paths(mime, ".zip")
        if not records and not pdfs and not bundles:
            return
        event.acceptProposedAction()
        for bundle in bundles:
            self.bundles.import_bundle(bundle)
        if records:
            self.import_records(records)
        if pdfs:
            self.open_pdf(pdfs[0])

    # -- window layout, remembered between runs ----------------------------------------------
    def restore_layout(self) -> None:
        if self.settings is None:
            return
        saved = {key: self.settings.value(f"window/{key}") for key in _LAYOUT_KEYS}
        if isinstance(saved["geometry"], QByteArray):
            self.restoreGeometry(saved["geometry"])
        if isinstance(saved["state"], QByteArray):
            self.restoreState(saved["state"])
        if isinstance(saved["main_splitter"], QByteArray):
            self.main_splitter.restoreState(saved["main_splitter"])
        if isinstance(saved["middle_splitter"], QByteArray):
            self.middle_splitter.restoreState(saved["middle_splitter"])
        claims_splitter = self.settings.value("window/claims_splitter")
        if isinstance(claims_splitter, QByteArray):
            self.claims.splitter.restoreState(claims_splitter)
        records_list = self.settings.value("window/records_list")
        if records_list is not None:
            self.app_actions["records_list"].setChecked(str(records_list).lower() == "true")
        thumbnails = self.settings.value("review/thumbnails")
        if thumbnails is not None:
            self.pdf_pane.thumbnails_action.setChecked(str(thumbnails).lower() == "true")
        record, page = self.settings.value("review/record"), self.settings.value("review/page")
        if isinstance(record, str) and record:
            self._page_to_restore = int(page) if str(page or "").isdigit() else None  # type: ignore[arg-type]
            if not self.records.select(record):
                self._page_to_restore = None

    def _restore_zoom(self) -> None:
        """Open each PDF at the zoom the person last chose (fit width until they choose)."""
        if self.settings is None:
            return
        mode, zoom = self.settings.value("review/zoom_mode"), self.settings.value("review/zoom")
        view = self.pdf_pane.view
        if mode == ZoomMode.FIT_PAGE.value:
            view.fit_page()
        elif mode == ZoomMode.CUSTOM.value and zoom is not None:
            view.set_zoom(float(zoom))  # type: ignore[arg-type]

    def save_layout(self) -> None:
        if self.settings is None:
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/main_splitter", self.main_splitter.saveState())
        self.settings.setValue("window/middle_splitter", self.middle_splitter.saveState())
        self.settings.setValue("window/claims_splitter", self.claims.splitter.saveState())
        view = self.pdf_pane.view
        self.settings.setValue("review/thumbnails", self.pdf_pane.thumbnails_action.isChecked())
        self.settings.setValue("window/records_list", self.app_actions["records_list"].isChecked())
        if view.page_count:
            self.settings.setValue("review/zoom_mode", view.zoom_mode.value)
            self.settings.setValue("review/zoom", view.zoom)
            self.settings.setValue("review/page", view.current_page)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.grounding_refresh.stop()
        self.level_sweep.stop()
        for op in self.findChildren(BackgroundOp):  # no worker may outlive the window
            op.cancel()
            op.wait_for_close()
        if not self._torn_down:  # closing twice (app quit after a close) must not disconnect twice
            self._torn_down = True
            self.scoring_dock.sig_record_requested.disconnect(self._on_overview_record_requested)
            self.reviewer_combo.sig_reviewer_changed.disconnect(self._on_reviewer_changed)
            self.loop_focus.teardown()
            self.scoring_dock.teardown()
            self.suggestions.shutdown()
            if self.live_updates is not None:
                self.live_updates.stop()
        self.find_bar.wait_for_search()  # text-layer reads use the workspace database
        self.pdf_pane.view.text_layers.wait_for_reads()
        self.pdf_pane.view.close_document()
        super().closeEvent(event)

    def _known_reviewers(self) -> list[str]:
        from reviewer_app.services.reviewers import ReviewerService

        try:
            return [r.name for r in ReviewerService(self.workspace.database).list()]
        except ReviewerAppError:
            return []


def _correction_service(workspace: Workspace) -> CorrectionService:
    from reviewer_app.services.corrections import CorrectionService  # the bundle codecs: late

    return CorrectionService(workspace.database)


def _bundle_service(workspace: Workspace) -> BundleService:
    from reviewer_app.services.bundles import BundleService  # signing and zip code: on first use

    return BundleService(workspace.database)
