"""The records list's stored grounding levels (issue 13): computing the levels of the records
that need it and storing the summaries that changed, a chunk at a time.

What is stored, and why per viewer, is in ``storage/grounding_levels.py``; the window runs
``refresh_levels`` in the background (``ui/level_sweep.py``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reviewer_app.domain.level_summary import GroundingBadge
from reviewer_app.errors import ReviewerAppError
from reviewer_app.services.grounding import GroundingReport, service_for
from reviewer_app.storage import grounding_levels as levels_repo
from reviewer_app.storage import grounding_repository as repo
from reviewer_app.storage.database import Database
from reviewer_app.storage.grounding_levels import StoredLevel
from reviewer_app.storage.grounding_repository import RecordInputs
from reviewer_app.storage.records_repository import record_key


def grounding_badges(
    database: Database, record_ids: Iterable[str] | None = None
) -> dict[str, GroundingBadge]:
    """The computed level beside the imported one: of every record (computed, not stored), or
    of the records named (unknown ids are left out; stored as this viewer's rows, see
    ``refresh_levels``, so the records list can sort and filter on them)."""
    if record_ids is None:
        return {rid: report.badge() for rid, report in service_for(database).workspace().items()}
    return refresh_levels(database, record_ids).badges


@dataclass(frozen=True)
class LevelRefresh:
    badges: dict[str, GroundingBadge]
    """The levels computed, by record id."""
    changed: tuple[str, ...]
    """Records whose stored level (or report) was missing, stale or different."""


LEVEL_CHUNK = 50
"""Records computed between two pauses of a pass over the workspace (about 30 ms of work)."""


def refresh_levels(
    database: Database,
    record_ids: Iterable[str] | None = None,
    *,
    pause: Callable[[], None] | None = None,
) -> LevelRefresh:
    """Compute the grounding of the records named, or of every record whose stored level may
    be out of date (``records_to_refresh``), and store the summaries that changed, a chunk at a
    time; ``pause`` runs between chunks (the window yields to its own thread there). A store
    the database refuses (a read-only role) leaves the stored levels as they were: the levels
    are still returned for the rows shown."""
    service = service_for(database)
    with database.reading() as session:
        if record_ids is None:
            ids = levels_repo.records_to_refresh(session)
        else:
            ids = list(dict.fromkeys(record_key(rid) for rid in record_ids))
    rules = service.rules()
    everything = record_ids is None and len(ids) > LEVEL_CHUNK
    consensus = service.consensus(None if everything else ids)
    badges: dict[str, GroundingBadge] = {}
    changed: list[str] = []
    for first in range(0, len(ids), LEVEL_CHUNK):
        if pause is not None and first:
            pause()
        chunk = ids[first : first + LEVEL_CHUNK]
        with database.reading() as session:
            inputs = repo.grounding_inputs(session, among=chunk)
            stored = levels_repo.stored_levels(session, chunk)
        fresh = {
            rid: _stored_level(service.report_of(item, consensus.get(rid), rules), item)
            for rid, item in inputs.items()
        }
        differing = {
            rid: level
            for rid, level in fresh.items()
            if rid not in stored
            or (stored[rid].fingerprint, stored[rid].rules_version, stored[rid].revision_id)
            != (level.fingerprint, level.rules_version, level.revision_id)
        }
        try:
            with database.transaction() as session:
                levels_repo.store_levels(session, differing)
        except ReviewerAppError:
            differing = {}
        badges.update((rid, level.badge) for rid, level in fresh.items())
        changed.extend(differing)
    return LevelRefresh(badges, tuple(changed))


def _stored_level(report: GroundingReport, inputs: RecordInputs) -> StoredLevel:
    canonical = json.dumps(report.to_json(), sort_keys=True, ensure_ascii=False)
    return StoredLevel(
        report.badge(),
        report.computed.rules_version,
        inputs.revision_id or 0,
        hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    )
