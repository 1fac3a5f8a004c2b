"""Every user action of the main window, declared once: text, shortcuts, icon, status tip.

Widgets receive the ``AppActions`` and connect to ``triggered``; menus, toolbars and the
keyboard help are all built from the same declarations so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from reviewer_app.ui.icons import icon

StandardKey = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    tip: str
    shortcuts: tuple[str | StandardKey, ...] = ()
    icon: str | None = None
    enabled: bool = True
    pane_only: bool = False
    """Only while the focus is in the widget the action is added to (Home/End edit text)."""
    loop_key: bool = False
    """A single-letter key of the claim loop: acts only in the claims list and the PDF."""


ACTION_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("open_pdf", "&Open PDF…", "Open a source PDF in the PDF pane",
               (StandardKey.Open,), "open_pdf"),
    ActionSpec("import_records", "&Import records…", "Import synthesis text files",
               ("Ctrl+I",), "import_records"),
    ActionSpec("quit", "&Quit", "Quit Synthesis Reviewer", (StandardKey.Quit, "Ctrl+Q"), "quit"),
    ActionSpec("find", "&Find…", "Find text in the PDF; every hit is highlighted",
               (StandardKey.Find,), "find"),
    ActionSpec("find_next", "Find &next", "Go to the next hit", ("F3",), "find_next"),
    ActionSpec("find_previous", "Find pre&vious", "Go to the previous hit", ("Shift+F3",),
               "find_previous"),
    ActionSpec("undo", "&Undo", "Undo the last verdict or evidence change",
               (StandardKey.Undo,), "undo", enabled=False),
    ActionSpec("redo", "&Redo", "Redo what was undone", (StandardKey.Redo, "Ctrl+Shift+Z"),
               "redo", enabled=False),
    ActionSpec("attach_pdf", "&Attach source PDF…", "Attach a PDF to the record's references",
               ("Ctrl+Shift+O",), "attach_source", enabled=False),
    ActionSpec("assign_source", "Assign the PDF to a &reference…",
               "Assign (or reassign) the PDF shown to one of the record's references",
               (), "assign_source", enabled=False),
    ActionSpec("scan_folder", "&Scan folder for sources…",
               "Attach the PDFs of a folder that match the record's references by arXiv id",
               (), "scan_folder", enabled=False),
    ActionSpec("next_claim", "Ne&xt claim", "Select the next claim", ("J",),
               "next_claim", loop_key=True),
    ActionSpec("previous_claim", "Pre&vious claim", "Select the previous claim",
               ("K",), "previous_claim", loop_key=True),
    ActionSpec("verdict_supports", "&Supports", "Verdict: the sources support the claim",
               ("1",), "verdict_supports", loop_key=True),
    ActionSpec("verdict_special_case", "Supports only a special &case",
               "Verdict: the sources support only a special case of the claim", ("2",),
               "verdict_special-case", loop_key=True),
    ActionSpec("verdict_contradicts", "C&ontradicts", "Verdict: the sources contradict the claim",
               ("3",), "verdict_contradicts", loop_key=True),
    ActionSpec("verdict_conflicting", "Con&flicting evidence",
               "Verdict: some sources support the claim and others contradict it", ("4",),
               "verdict_conflicting", loop_key=True),
    ActionSpec("verdict_not_enough_evidence", "&Not enough evidence",
               "Verdict: the sources say too little to judge the claim", ("5",),
               "verdict_not-enough-evidence", loop_key=True),
    ActionSpec("verdict_clear", "C&lear verdict", "Remove your verdict on this claim", ("0",),
               "verdict_clear", loop_key=True),
    ActionSpec("mark_supports", "Mark selection as &supporting",
               "Attach the selected PDF text to the claim as supporting evidence",
               ("S", "Ctrl+1"), "stance_supports", loop_key=True),
    ActionSpec("mark_contradicts", "Mark selection as &contradicting",
               "Attach the selected PDF text to the claim as contradicting evidence",
               ("C", "Ctrl+2"), "stance_contradicts", loop_key=True),
    ActionSpec("mark_context", "Mark selection as conte&xt",
               "Attach the selected PDF text to the claim as context", ("X", "Ctrl+3"),
               "stance_context", loop_key=True),
    ActionSpec("mark_with_note", "Attach selection with a &note…",
               "Attach the selected words as evidence, choosing the stance and adding a note",
               ("N",), "mark_with_note", loop_key=True),
    ActionSpec("remove_evidence", "&Remove evidence", "Remove the evidence span chosen in the list",
               ("Del",), "close", pane_only=True),
    ActionSpec("first_page", "&First page", "Go to the first page", ("Home",), "first_page",
               pane_only=True),
    ActionSpec("previous_page", "&Previous page", "Go to the previous page",
               ("PgUp",), "previous_page"),
    ActionSpec("next_page", "&Next page", "Go to the next page", ("PgDown",), "next_page"),
    ActionSpec("last_page", "&Last page", "Go to the last page", ("End",), "last_page",
               pane_only=True),
    ActionSpec("go_to_page", "&Go to page…", "Type a page number to jump to", ("Ctrl+G",)),
    ActionSpec("zoom_in", "Zoom &in", "Enlarge the PDF pages", ("Ctrl++", "Ctrl+="), "zoom_in"),
    ActionSpec("zoom_out", "Zoom &out", "Shrink the PDF pages", ("Ctrl+-",), "zoom_out"),
    ActionSpec("fit_width", "Fit &width", "Make the pages as wide as the PDF pane",
               ("Ctrl+0",), "fit_width"),
    ActionSpec("fit_page", "Fit &page", "Show one whole page in the PDF pane",
               ("Ctrl+9",), "fit_page"),
    ActionSpec("keyboard_help", "&Keyboard shortcuts", "List every keyboard shortcut",
               (StandardKey.HelpContents, "F1"), "keyboard_help"),
    ActionSpec("about", "&About Synthesis Reviewer", "Version and licence", (), "about"),
    ActionSpec("download_source", "&Download source from arXiv",
               "Download the shown reference's PDF from arXiv and attach it", ("Ctrl+Shift+D",),
               "download_source"),
    ActionSpec("export_bundle", "&Export review bundle…",
               "Export the selected record with every review to a signed bundle",
               ("Ctrl+E",), "export_bundle"),
    ActionSpec("import_bundle", "Import review &bundle…",
               "Merge another reviewer's bundle into this workspace", ("Ctrl+Shift+I",),
               "import_bundle"),
    ActionSpec("verify_bundle", "&Verify bundle…",
               "Check a bundle's signature and every file's hash", (), "verify_bundle"),
    ActionSpec("file_correction", "File a &correction…",
               "Add an entry to the selected record's correction record", (), "file_correction"),
    ActionSpec("page_thumbnails", "Page &thumbnails",
               "Show or hide the strip of page thumbnails beside the PDF", ("Ctrl+Shift+T",),
               "page_thumbnails"),
    ActionSpec("records_list", "&Records list",
               "Show or hide the list of records (folded away on small screens while the "
               "scoring panel is open)", ("Ctrl+Shift+R",), "records_list"),
    ActionSpec("scoring_panel", "&Scoring panel",
               "Show or hide score sheets, comparison, conflicts, tier and plots",
               ("Ctrl+Shift+S",), "scoring_panel"),
)  # fmt: skip


class AppActions:
    """The ``QAction`` objects of one main window, looked up by name (``actions["zoom_in"]``)."""

    def __init__(self, parent: QObject) -> None:
        self._actions: dict[str, QAction] = {
            spec.name: _build(spec, parent) for spec in ACTION_SPECS
        }

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def all(self) -> list[QAction]:
        return list(self._actions.values())

    def loop_keys(self) -> list[QAction]:
        """The claim loop's single-letter actions (see ``LoopFocus``)."""
        return [self._actions[spec.name] for spec in ACTION_SPECS if spec.loop_key]

    def shortcut_table(self) -> list[tuple[str, str]]:
        """(action text, shortcuts as shown to people) for the keyboard help."""
        rows = []
        for action in self._actions.values():
            keys = ", ".join(
                seq.toString(QKeySequence.SequenceFormat.NativeText) for seq in action.shortcuts()
            )
            if keys:
                rows.append((action.text().replace("&", "").rstrip("…"), keys))
        return rows


_USUAL_KEYS = {
    Qt.Key.Key_Delete, Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
    Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backspace,
    Qt.Key.Key_Insert, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right,
    *(Qt.Key(Qt.Key.Key_F1.value + n) for n in range(12)),
}  # fmt: skip


def typeable(sequence: QKeySequence) -> bool:
    """A key a laptop keyboard has: the platform's extra bindings (F14, the X11 "Undo" key)
    would only clutter the menus and the keyboard help."""
    key = sequence[0].key()
    return key.value < 0x01000000 or key in _USUAL_KEYS


def _build(spec: ActionSpec, parent: QObject) -> QAction:
    action = QAction(spec.text, parent)
    action.setObjectName(f"action_{spec.name}")
    action.setStatusTip(spec.tip)
    action.setToolTip(spec.tip)
    action.setEnabled(spec.enabled)
    if spec.icon:
        action.setIcon(icon(spec.icon))
    sequences: list[QKeySequence] = []
    for key in spec.shortcuts:
        for sequence in (QKeySequence.keyBindings(key) if isinstance(key, StandardKey)
                         else [QKeySequence(key)]):  # fmt: skip
            if not sequence.isEmpty() and sequence not in sequences and typeable(sequence):
                sequences.append(sequence)
    action.setShortcuts(sequences)
    if spec.pane_only:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return action
