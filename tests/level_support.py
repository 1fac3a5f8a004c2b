"""A workspace of many records for the stored-grounding-level tests: copies of the sample
report (computed L1, as it claims) and a few copies of a record page that claims L2 with two
source-grounded claims (computed L1: it over-states its grounding), dated oldest so that the
records list's first window (newest first) does not hold them, and with ids that sort before
the reports' (``A:…`` < ``RPT-…``), so that only their computed level can bring them first in
a descending order."""

from __future__ import annotations

import dataclasses
from datetime import date

from reviewer_app.importers import read_synthesis
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.records_repository import save_revision
from tests.conftest import SAMPLES

REPORT = "report-sparse-multimodal-alignment.txt"
RECORD_PAGE = "record-page-pipe-table.txt"


def fill(workspace: Workspace, reports: int, record_pages: int) -> list[str]:
    """Store the copies; returns the record pages' ids (the over-stating ones)."""
    report = read_synthesis(SAMPLES / REPORT)
    page = read_synthesis(SAMPLES / RECORD_PAGE)
    over_stating: list[str] = []
    with workspace.database.transaction() as session:
        for i in range(reports):
            copy = dataclasses.replace(
                report, title=f"{report.title} no. {i}", source_sha256=f"{i:064x}",
                date=date(2024, 6, 1),
            )  # fmt: skip
            save_revision(session, copy, f"report-{i}.txt")
        for i in range(record_pages):
            copy = dataclasses.replace(
                page, title=f"{page.title} no. {i}", source_sha256=f"{reports + i:064x}",
                record_id=f"A:{i:08X}", date=date(2001, 1, 1 + i),
            )  # fmt: skip
            over_stating.append(save_revision(session, copy, f"page-{i}.txt").local_id)
    return over_stating
