"""Blind review from the command line: the sheets a reviewer may see (issue 10).

The same service rules as the window: until a reviewer submits their own sheet they see only
it; the adjudicator role (Reviewer A, B, C…) is only for someone with no sheet on the record.
"""

from __future__ import annotations

import json
from typing import Any

import click

from reviewer_app.cli_support import AppContext, handles_app_errors
from reviewer_app.services.scoring import ScoreSheet, ScoringService


def sheet_json(label: str, sheet: ScoreSheet, *, anonymous: bool) -> dict[str, Any]:
    return {
        "label": label,
        "reviewer": None if anonymous else sheet.reviewer,
        "submitted": sheet.submitted,
        **{name: level.value if level else None for name, level in sheet.dimensions.items()},
        "review_score": sheet.review_score,
        "recommendation": sheet.recommendation,
    }


@click.command("sheets")
@click.argument("record_id", metavar="ID")
@click.option("--viewer", required=True, help="Who is looking (blind review applies to them).")
@click.option(
    "--adjudicator", is_flag=True,
    help="Take the adjudicator role: submitted sheets as Reviewer A, B, C… "
    "(refused if the viewer has a sheet on the record).",
)  # fmt: skip
@click.pass_obj
@handles_app_errors
def sheets_command(app: AppContext, record_id: str, viewer: str, adjudicator: bool) -> None:
    """The score sheets of record ID that VIEWER may see, as a JSON array."""
    scoring = ScoringService(app.workspace.database)
    record_id = record_id.upper()
    if adjudicator:
        rows = [
            sheet_json(label, sheet, anonymous=True)
            for label, sheet in scoring.blind.anonymised_sheets(record_id, viewer)
        ]
    else:
        rows = [
            sheet_json(sheet.reviewer, sheet, anonymous=False)
            for sheet in scoring.blind.visible_sheets(record_id, viewer)
        ]
    click.echo(json.dumps(rows, indent=2, ensure_ascii=False))


COMMANDS = [sheets_command]
