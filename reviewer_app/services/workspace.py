"""The workspace service: the one door through which the CLI and the GUI reach records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reviewer_app.domain.records import RecordKind, SynthesisRecord
from reviewer_app.errors import ImportRefused, NotFound
from reviewer_app.importers import read_synthesis
from reviewer_app.storage.database import Database
from reviewer_app.storage.records_repository import (
    latest_revisions,
    load_revision,
    record_key,
    save_revision,
)


@dataclass(frozen=True)
class ImportOutcome:
    local_id: str
    kind: RecordKind
    title: str
    revision: int
    status: str
    """``new``, ``revised`` (a changed version was added as a new revision) or ``unchanged``."""
    path: Path


@dataclass(frozen=True)
class RecordSummary:
    local_id: str
    kind: RecordKind
    title: str
    date: date | None
    review_score: float | None
    tier: str | None
    claims_extracted: int | None
    revision_count: int


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
        path = Path(path)
        record = read_synthesis(path)
        return self.import_record(record, source_name=path.name, path=path)

    def import_record(
        self, record: SynthesisRecord, *, source_name: str, path: Path | None = None
    ) -> ImportOutcome:
        with self.database.transaction() as session:
            saved = save_revision(session, record, source_name)
        return ImportOutcome(
            local_id=saved.local_id,
            kind=record.kind,
            title=record.title,
            revision=saved.revision,
            status=saved.status,
            path=path or Path(source_name),
        )

    def import_files(
        self,
        paths: Iterable[Path],
        progress: Callable[[int, int], None] | None = None,
    ) -> BatchImport:
        """Import each file on its own; a refused file does not stop the others."""
        paths = list(paths)
        imported: list[ImportOutcome] = []
        refused: list[ImportRefused] = []
        for done, path in enumerate(paths, start=1):
            try:
                imported.append(self.import_file(path))
            except ImportRefused as refusal:
                refused.append(refusal)
            if progress:
                progress(done, len(paths))
        return BatchImport(imported, refused)

    def list_records(self) -> list[RecordSummary]:
        with self.database.reading() as session:
            return [
                RecordSummary(
                    local_id=row.record_id,
                    kind=RecordKind(row.record.kind),
                    title=row.title,
                    date=row.published_on,
                    review_score=row.review_score,
                    tier=row.automated_tier,
                    claims_extracted=row.claims_extracted,
                    revision_count=count,
                )
                for row, count in latest_revisions(session)
            ]

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
