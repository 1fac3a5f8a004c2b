"""Sources, evidence spans, claim verdicts and W3C annotations (issue 4)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from reviewer_app.cli_support import AppContext, fail, handles_app_errors
from reviewer_app.domain.evidence import Stance, Verdict
from reviewer_app.services.review import ReviewService, default_reviewer
from reviewer_app.services.team import TeamService

REVIEWER_HELP = (
    "Who is reviewing. Default: $REVIEWER_APP_REVIEWER, else your user name; in a team "
    "workspace your database role (any other name is refused)."
)


def _review(app: AppContext) -> ReviewService:
    return ReviewService.for_workspace(app.workspace)


def _reviewer(app: AppContext, name: str | None) -> str:
    if name and name.strip():
        return name
    # In a team workspace the database role is the reviewer; elsewhere the local default.
    return TeamService(app.workspace.database).connected_reviewer() or default_reviewer()


@click.command("attach")
@click.argument("record_id", metavar="ID")
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--reference",
    metavar="URL",
    help="The reference this PDF is the source of (its URL, or an arXiv id). Default: "
    "matched by the arXiv id in the file name or on the first page.",
)
@click.option("--reviewer", metavar="NAME", help=REVIEWER_HELP)
@click.pass_obj
@handles_app_errors
def attach_command(
    app: AppContext, record_id: str, pdf: Path, reference: str | None, reviewer: str | None
) -> None:
    """Attach a source PDF to record ID.

    The file is copied into the app's content-addressed store. Prints
    SHA256<TAB>REFERENCE_URL (or -)<TAB>FILE. If another file was already attached for the
    same reference, the spans marked on it are re-anchored in this one and a summary line
    (exact, moved, changed, orphan) goes to stderr. A corrupt, password-protected or
    unloadable PDF is refused (exit status 2) and nothing is stored; a repaired (e.g. cut-off)
    one is attached with a warning on stderr.
    """
    result = _review(app).attach_pdf(
        record_id, pdf, reference_url=reference, reviewer=_reviewer(app, reviewer)
    )
    click.echo(f"{result.source.sha256}\t{result.source.reference_url or '-'}\t{pdf}")
    for warning in result.warnings:
        click.echo(f"reviewer-app: warning: {warning}", err=True)
    if result.reanchor is not None and result.reanchor.results:
        click.echo(f"re-anchored {result.reanchor.summary()}", err=True)


@click.command("annotate")
@click.argument("record_id", metavar="ID")
@click.option("--claim", "claim", type=int, required=True, metavar="N", help="Claim (1-based).")
@click.option(
    "--pdf",
    metavar="PDF",
    help="A PDF attached to the record (its path, or its SHA-256).",
)
@click.option("--quote", help="The passage, as copied from the PDF.")
@click.option(
    "--suggestion",
    type=click.IntRange(min=1),
    metavar="RANK",
    help="Instead of --pdf/--quote: suggestion RANK of the claim's last `suggest` ranking.",
)
@click.option("--stance", required=True, type=click.Choice([s.value for s in Stance]))
@click.option("--reviewer", metavar="NAME", help=REVIEWER_HELP)
@click.option("--note", help="A note on the evidence.")
@click.pass_obj
@handles_app_errors
def annotate_command(
    app: AppContext,
    record_id: str,
    claim: int,
    pdf: str | None,
    quote: str | None,
    suggestion: int | None,
    stance: str,
    reviewer: str | None,
    note: str | None,
) -> None:
    """Mark a passage of a source PDF as evidence for claim N of record ID.

    The quote is found as a person pasting it expects: whitespace, line breaks, hyphenated
    line ends, ligatures and curly quotes do not matter (exact case is preferred; the first
    occurrence is taken). Prints the new span's id. Exit status 2 when the quote is not there.
    """
    if suggestion is not None:
        click.echo(_accept_suggestion(app, record_id, claim, suggestion, stance, reviewer, note))
        return
    if pdf is None or quote is None:
        fail("give --pdf and --quote, or --suggestion RANK")
    span = _review(app).annotate_quote(
        record_id,
        claim,
        pdf=pdf,
        quote=quote,
        stance=stance,
        reviewer=_reviewer(app, reviewer),
        note=note,
    )
    click.echo(span.id)


def _accept_suggestion(
    app: AppContext,
    record_id: str,
    claim: int,
    rank: int,
    stance: str,
    reviewer: str | None,
    note: str | None,
) -> str:
    from reviewer_app.commands.suggest import suggestion_service
    from reviewer_app.services.suggestion_accept import accept_suggestion

    span = accept_suggestion(
        _review(app), suggestion_service(app), record_id, claim, rank,
        stance=stance, reviewer=_reviewer(app, reviewer), note=note,
    )  # fmt: skip
    return span.id


@click.command("verdict")
@click.argument("record_id", metavar="ID")
@click.option("--claim", "claim", type=int, required=True, metavar="N", help="Claim (1-based).")
@click.option("--reviewer", metavar="NAME", help=REVIEWER_HELP)
@click.option("--verdict", required=True, type=click.Choice([v.value for v in Verdict]))
@click.option("--reason", help="Why no evidence span can be marked (needed without one).")
@click.option("--note", help="A note on the verdict.")
@click.pass_obj
@handles_app_errors
def verdict_command(
    app: AppContext,
    record_id: str,
    claim: int,
    reviewer: str | None,
    verdict: str,
    reason: str | None,
    note: str | None,
) -> None:
    """Record a reviewer's verdict on claim N of record ID.

    Every verdict but not-enough-evidence is refused (exit status 2) unless the reviewer
    has marked an evidence span on the claim or gives --reason. Earlier verdicts are kept
    as history. Prints the verdict as JSON.
    """
    saved = _review(app).set_verdict(
        record_id,
        claim,
        reviewer=_reviewer(app, reviewer),
        verdict=verdict,
        reason=reason,
        note=note,
    )
    assert saved is not None  # only clearing returns None
    payload = {
        "record": saved.record_id,
        "claim": saved.claim_position,
        "reviewer": saved.reviewer,
        "verdict": saved.verdict.value,
        "reason": saved.reason,
        "note": saved.note,
        "created": saved.created_at.isoformat(),
    }
    click.echo(json.dumps(payload, ensure_ascii=False))


@click.command("annotations")
@click.argument("record_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the only output form).")
@click.pass_obj
@handles_app_errors
def annotations_command(app: AppContext, record_id: str, as_json: bool) -> None:
    """The evidence spans of record ID as a JSON array of W3C Web Annotations (JSON-LD).

    Each targets its source PDF by SHA-256 (urn:sha256:...) with a TextQuoteSelector,
    a TextPositionSelector, a page FragmentSelector and the page quads (a PdfQuadSelector
    with the 0-based first page and, for a span over a page break, "continuation": the
    later pages' quads); the body names the claim, stance, reviewer and note. Removed spans
    are left out.
    """
    click.echo(json.dumps(_review(app).annotations(record_id), indent=2, ensure_ascii=False))


COMMANDS = [attach_command, annotate_command, verdict_command, annotations_command]
