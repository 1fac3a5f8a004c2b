"""Grounding checks and the reproducibility gate (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from reviewer_app.cli_support import AppContext, handles_app_errors
from reviewer_app.commands.review import REVIEWER_HELP, _reviewer
from reviewer_app.domain.gate import ARTIFACT_KINDS
from reviewer_app.domain.grounding_rules import GroundingRules
from reviewer_app.errors import ReviewerAppError
from reviewer_app.pdf import PdfStore
from reviewer_app.services.arxiv_online import confirm_arxiv
from reviewer_app.services.gate import GateService
from reviewer_app.services.grounding import GroundingReport, GroundingService
from reviewer_app.services.review import pdf_store_dir


def _grounding(app: AppContext) -> GroundingService:
    return GroundingService(
        app.workspace.database, PdfStore(pdf_store_dir()), online_check=confirm_arxiv
    )


def _dump(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@click.command("grounding")
@click.argument("record_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@click.option(
    "--online",
    is_flag=True,
    help="Also confirm each arXiv id and version with arXiv (needs the network; never "
    "required: offline the check says 'not checked online').",
)
@click.option(
    "--viewer",
    metavar="NAME",
    help="As NAME may see it: in blind mode the other reviewers' verdicts and the "
    "adjudications count only once NAME has submitted a sheet on the record.",
)
@click.pass_obj
@handles_app_errors
def grounding_command(
    app: AppContext, record_id: str, as_json: bool, online: bool, viewer: str | None
) -> None:
    """The verification level the review of record ID established, beside the imported one.

    Checks every reference against its attached PDF, re-verifies every evidence quote against
    the stored file and computes the level under the newest grounding rule set.
    """
    report = _grounding(app).report(record_id, allow_online=online, viewer=viewer)
    if as_json:
        _dump(report.to_json())
    else:
        click.echo(_readable(report))


@click.command("grounding-rules")
@click.option("--set", "rules_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
@handles_app_errors
def grounding_rules_command(app: AppContext, rules_file: Path | None) -> None:
    """Print the grounding rule set as JSON, or store a new version from FILE."""
    service = _grounding(app)
    if rules_file is None:
        _dump(service.rules().to_json())
        return
    try:
        data = json.loads(rules_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReviewerAppError(f"{rules_file}: not a JSON grounding rule set ({exc})") from None
    if isinstance(data, dict):
        data.setdefault("version", 1)
    _dump(service.set_rules(GroundingRules.from_json(data, source=str(rules_file))).to_json())


@click.command("artifact")
@click.argument("record_id", metavar="ID")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(ARTIFACT_KINDS), default="other", show_default=True)
@click.option("--reviewer", metavar="NAME", help=REVIEWER_HELP)
@click.pass_obj
@handles_app_errors
def artifact_command(
    app: AppContext, record_id: str, file: Path, kind: str, reviewer: str | None
) -> None:
    """Attach a reproducible artifact (repro script, results, Lean4 proof, any file) to ID.

    The file is copied into the content-addressed artifact store (size-limited; never run by
    the app). Prints its SHA-256.
    """
    gate = GateService.for_database(app.workspace.database)
    artifact = gate.attach_artifact(record_id, file, kind=kind, reviewer=_reviewer(app, reviewer))
    click.echo(artifact.sha256)


@click.command("attest")
@click.argument("record_id", metavar="ID")
@click.option("--artifact", "artifact_sha", required=True, metavar="SHA", help="Its SHA-256.")
@click.option("--reproduced", required=True, type=click.Choice(["yes", "no"]))
@click.option(
    "--results",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The results file your run produced (its SHA-256 is recorded).",
)
@click.option("--note", help="The environment you ran it in, and anything else worth saying.")
@click.option("--reviewer", metavar="NAME", required=True, help="Who reproduced it.")
@click.pass_obj
@handles_app_errors
def attest_command(
    app: AppContext,
    record_id: str,
    artifact_sha: str,
    reproduced: str,
    results: Path | None,
    note: str | None,
    reviewer: str,
) -> None:
    """Record whether you reproduced an artifact of ID (an additive attestation).

    Prints the new attestation as JSON.
    """
    gate = GateService.for_database(app.workspace.database)
    attestation = gate.attest(
        record_id,
        artifact_sha256=artifact_sha,
        reproduced=reproduced == "yes",
        reviewer=reviewer,
        results=results,
        note=note,
    )
    _dump(attestation.to_json())


@click.command("gate")
@click.argument("record_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@click.pass_obj
@handles_app_errors
def gate_command(app: AppContext, record_id: str, as_json: bool) -> None:
    """The gate status computed from ID's artifacts and attestations, beside the imported one."""
    report = GateService.for_database(app.workspace.database).report(record_id)
    if as_json:
        _dump(report.to_json())
        return
    imported = (report.imported or {}).get("status") or "-"
    flag = "  (differs)" if report.differs else ""
    click.echo(f"{report.record}: {report.computed.status}; imported {imported}{flag}")
    click.echo(f"  {report.computed.basis}")


def _readable(report: GroundingReport) -> str:
    imported = report.imported
    lines = [
        f"{report.record}: computed {report.computed.level} ({report.computed.label}), "
        f"imported {imported.level or '-'} ({imported.label or '-'})",
        f"  {report.computed.basis}",
    ]
    if report.difference:
        lines.append(f"  differs: {report.difference}")
    for reference in report.references:
        lines.append(f"  {reference.url}")
        lines += [
            f"    [{_mark(check.ok)}] {check.name}: {check.message}" for check in reference.checks
        ]
    for claim in report.claims:
        marks = [
            name
            for name, value in (
                ("grounded", claim.grounded),
                ("confirmed", claim.confirmed),
                ("contradicted", claim.contradicted),
            )
            if value
        ]
        lines.append(f"  claim {claim.position}: {', '.join(marks) or 'not grounded'}")
    return "\n".join(lines)


def _mark(ok: bool | None) -> str:
    return {True: "ok", False: "FAIL", None: "--"}[ok]


COMMANDS = [
    grounding_command,
    grounding_rules_command,
    artifact_command,
    attest_command,
    gate_command,
]
