"""The workspace service: the one door through which the CLI and the GUI reach records (but
for the quick read-only list of ``reviewer-app list``, in ``records_list.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reviewer_app.domain.records import RecordKind, SynthesisRecord
from reviewer_app.errors import ImportRefused, NotFound, WriteFailed
from reviewer_app.services.records_list import RecordSummary, summary_of
from reviewer_app.storage.database import Database
from reviewer_app.storage.list_query import ListQuery as RecordView
from reviewer_app.storage.records_repository import (
    latest_revisions,
    load_revision,
    record_key,
    save_revision,
)

# The importers, the windowed list's SQL and the grounding badge are imported where they are
# used: ``reviewer-app list`` needs none of them and pays for every module it loads.


@dataclass(frozen=True)
class ImportOutcome:
    local_id: str
    kind: RecordKind
    title: str
    revision: int
    status: str
    """``new``, ``revised`` (a changed version was added as a new revision) or ``unchanged``
    (the same content as ``revision`` was imported before; nothing was added)."""
    path: Path
    warnings: tuple[str, ...] = ()
    """Kept unrecognised content and encoding fallbacks, one sentence each (see import_warnings)."""
    newest_revision: int = 0
    """The record's newest revision after this import."""

    def unchanged_note(self) -> str | None:
        """What an import that added nothing says, or None when it added a revision."""
        if self.status != "unchanged":
            return None
        which = (
            "its newest revision"
            if self.revision == self.newest_revision
            else f"revision {self.revision} (the newest is {self.newest_revision})"
        )
        return f"{self.path}: unchanged, the same content as {which} of {self.local_id}"


@dataclass(frozen=True)
class StoredRecord:
    local_id: str
    revision: int
    revision_count: int
    imported_at: datetime
    source_name: str
    record: SynthesisRecord


@dataclass(frozen=True)
class BatchImport:
    imported: list[ImportOutcome]
    refused: list[ImportRefused]


class Workspace:
    def __init__(self, database: Database) -> None:
        self.database = database

    @classmethod
    def open(cls, db: str | Path) -> Workspace:
        """Open (creating or upgrading) the workspace at a SQLite path or database URL."""
        return cls(Database.open(db))

    def close(self) -> None:
        self.database.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def import_file(self, path: Path) -> ImportOutcome:
        """Parse and store one file in its own transaction; ImportRefused stores nothing."""
        from reviewer_app.importers import read_synthesis  # start-up time: see the imports

        path = Path(path)
        record = read_synthesis(path)
        return self.import_record(record, source_name=path.name, path=path)

    def import_record(
        self, record: SynthesisRecord, *, source_name: str, path: Path | None = None
    ) -> ImportOutcome:
        from reviewer_app.importers import import_warnings  # start-up time: see the imports

        with self.database.transaction() as session:
            saved = save_revision(session, record, source_name)
        return ImportOutcome(
            local_id=saved.local_id,
            kind=record.kind,
            title=record.title,
            revision=saved.revision,
            status=saved.status,
            path=path or Path(source_name),
            warnings=tuple(import_warnings(record)),
            newest_revision=saved.newest_revision,
        )

    def import_files(
        self,
        paths: Iterable[Path],
        progress: Callable[[int, int], None] | None = None,
        *,
        on_committed: Callable[[ImportOutcome], None] | None = None,
        on_refused: Callable[[ImportRefused], None] | None = None,
    ) -> BatchImport:
        """Import each file on its own; a refused file does not stop the others.

        ``on_committed`` hears of each file as soon as its transaction commits, so whatever
        happens later in the batch, the files already stored have been reported.
        """
        paths = list(paths)
        imported: list[ImportOutcome] = []
        refused: list[ImportRefused] = []
        for done, path in enumerate(paths, start=1):
            try:
                outcome = self.import_file(path)
            except ImportRefused as refusal:
                refused.append(refusal)
                if on_refused:
                    on_refused(refusal)
            except WriteFailed as failure:
                not_written = ImportRefused(path, str(failure))
                refused.append(not_written)
                if on_refused:
                    on_refused(not_written)
            else:
                imported.append(outcome)
                if on_committed:
                    on_committed(outcome)
            if progress:
                progress(done, len(paths))
        return BatchImport(imported, refused)

    def list_records(self) -> list[RecordSummary]:
        with self.database.reading() as session:
            rows = latest_revisions(session)
        return [summary_of(row) for row in rows]

    def count_records(self, contains: str | RecordView = "") -> int:
        """How many records the list shows with this filter text (id, title, kind, tier), or
        with this view (also: only records that over-state their grounding)."""
        from reviewer_app.storage.record_summaries import count_summaries  # start-up time

        view = contains if isinstance(contains, RecordView) else RecordView(contains)
        with self.database.reading() as session:
            return count_summaries(session, view)

    def records_window(self, view: RecordView, offset: int, limit: int) -> list[RecordSummary]:
        """One window of the records list, filtered and sorted by the database."""
        # start-up time: see the imports
        from reviewer_app.domain.level_summary import GroundingBadge
        from reviewer_app.storage.record_summaries import summaries_window

        with self.database.reading() as session:
            rows = summaries_window(session, view, offset=offset, limit=limit)
        return [
            summary_of(
                row,
                GroundingBadge(row.level, row.imported_level, row.over_states, row.difference)
                if row.level
                else None,
            )
            for row in rows
        ]

    def record_position(self, local_id: str, view: RecordView) -> int | None:
        from reviewer_app.storage.record_summaries import summary_position  # start-up time

        with self.database.reading() as session:
            return summary_position(session, local_id, view)

    def get_record(self, local_id: str, revision: int | None = None) -> StoredRecord:
        with self.database.reading() as session:
            info = load_revision(session, record_key(local_id), revision)
        if info is None:
            which = f"revision {revision} of record" if revision else "record"
            raise NotFound(f"no {which} '{local_id}' in {self.database.url}")
        return StoredRecord(
            local_id=info.local_id,
            revision=info.revision,
            revision_count=info.revision_count,
            imported_at=info.imported_at,
            source_name=info.source_name,
            record=info.record,
        )
