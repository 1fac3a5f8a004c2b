"""``reviewer-app``: the headless operations, for scripting and tests. Never imports Qt unless
the ``gui`` command runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reviewer_app import __version__
from reviewer_app.cli_support import (
    EXIT_REFUSED,
    AppContext,
    fail,
    handles_app_errors,
    one_line,
)
from reviewer_app.commands import CommandsOnDemand
from reviewer_app.config import data_dir, demo_workspace_dir
from reviewer_app.errors import ImportRefused

if TYPE_CHECKING:
    # start-up time: the workspace service loads SQLAlchemy, which ``list`` mostly does without
    from reviewer_app.services.records_list import RecordSummary
    from reviewer_app.services.workspace import ImportOutcome, StoredRecord, Workspace


@click.group(
    cls=CommandsOnDemand,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    metavar="PATH_OR_URL",
    envvar="REVIEWER_APP_DB",
    help="SQLite file or SQLAlchemy URL (postgresql+psycopg://user@host/db). "
    "Default: workspace.sqlite3 in the user data directory.",
)
@click.version_option(__version__, prog_name="reviewer-app")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Synthesis Reviewer: judge whether a machine-generated literature synthesis can be trusted.

    With no command, opens the desktop window.
    """
    app = AppContext(db)
    ctx.obj = app
    ctx.call_on_close(app.close)
    if ctx.invoked_subcommand is None:
        ctx.invoke(gui)


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_obj
@handles_app_errors
def import_command(app: AppContext, files: tuple[Path, ...]) -> None:
    """Import synthesis text files (reports, record pages, paper pages).

    Prints ID<TAB>KIND<TAB>TITLE for each imported record as its transaction commits. Each file
    is imported in its own transaction; a refused file is named on stderr with the reason and
    the exit status is 2. A file whose content was imported before adds nothing and says so.
    Content kept but not recognised is reported as ``warning:`` lines on stderr (exit 0).
    """
    result = app.workspace.import_files(
        files, on_committed=_echo_committed, on_refused=_echo_refused
    )
    if result.refused:
        sys.exit(EXIT_REFUSED)


def _echo_committed(outcome: ImportOutcome) -> None:
    click.echo(f"{outcome.local_id}\t{outcome.kind.value}\t{one_line(outcome.title)}")
    for warning in outcome.warnings:
        click.echo(f"warning: {one_line(str(outcome.path))}: {one_line(warning)}", err=True)
    if note := outcome.unchanged_note():
        click.echo(f"reviewer-app: {one_line(note)}", err=True)


def _echo_refused(refusal: ImportRefused) -> None:
    click.echo(f"reviewer-app: refused {one_line(str(refusal))}", err=True)


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_obj
@handles_app_errors
def list_command(app: AppContext, as_json: bool) -> None:
    """List the records in the workspace: ID<TAB>KIND<TAB>TITLE, or a JSON array."""
    summaries = app.list_records()
    if as_json:
        click.echo(json.dumps([_summary_json(s) for s in summaries], indent=2, ensure_ascii=False))
        return
    for summary in summaries:
        click.echo(f"{summary.local_id}\t{summary.kind.value}\t{one_line(summary.title)}")


@cli.command("show")
@click.argument("record_id", metavar="ID")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the record as JSON (record.schema.json)."
)
@click.option("--revision", type=click.IntRange(min=1), help="An earlier imported revision.")
@click.pass_obj
@handles_app_errors
def show_command(app: AppContext, record_id: str, as_json: bool, revision: int | None) -> None:
    """Show one record (its newest revision unless --revision is given)."""
    stored = app.workspace.get_record(record_id, revision)
    if as_json:
        click.echo(json.dumps(stored.record.to_json(stored.local_id), indent=2, ensure_ascii=False))
        return
    click.echo(_describe(stored))


@cli.command("gui")
@click.option(
    "--screenshot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Render the window offscreen, save it as PNG and exit.",
)
@click.option("--pdf", type=click.Path(dir_okay=False, path_type=Path), help="Open this PDF.")
@click.option(
    "--demo",
    is_flag=True,
    help="Open the bundled demo records and PDF (in a demo workspace unless --db is given).",
)
@click.pass_obj
@handles_app_errors
def gui(app: AppContext, screenshot: Path | None, pdf: Path | None, demo: bool) -> None:
    """Open the desktop window."""
    from reviewer_app.ui.app import display_problem, run_gui

    problem = display_problem() if screenshot is None else None
    if problem:
        fail(problem)
    if demo:
        if not app.db_given:
            # Keep the sample records out of the user's real workspace.
            app.use_database(str(data_dir() / "demo-workspace.sqlite3"))
        pdf = pdf or _load_demo(app.workspace)
    db = app.db
    app.close()
    sys.exit(run_gui(db, screenshot=screenshot, pdf=pdf))


def _load_demo(workspace: Workspace) -> Path | None:
    demo = demo_workspace_dir()
    result = workspace.import_files(sorted((demo / "records").glob("*.txt")))
    for refusal in result.refused:
        click.echo(f"reviewer-app: demo record refused: {refusal}", err=True)
    # Attach the stand-in PDFs to the records that cite them, so evidence can be marked at once.
    from reviewer_app.services.review import ReviewService

    review = ReviewService.for_workspace(workspace)
    for outcome in result.imported:
        review.scan_folder(outcome.local_id, demo / "pdfs")
    pdfs = sorted((demo / "pdfs").glob("*.pdf"))
    return pdfs[0] if pdfs else None


def _summary_json(summary: RecordSummary) -> dict[str, Any]:
    return {
        "id": summary.local_id,
        "kind": summary.kind.value,
        "title": summary.title,
        "date": summary.date.isoformat() if summary.date else None,
        "review_score": summary.review_score,
        "quality_tier": summary.tier,
        "claims_extracted": summary.claims_extracted,
        "revisions": summary.revision_count,
    }


def _describe(stored: StoredRecord) -> str:
    record = stored.record
    lines = [
        f"{stored.local_id}  ({record.kind.value}, revision {stored.revision} of "
        f"{stored.revision_count})",
        record.title,
    ]
    facts = {
        "Publisher": record.publisher,
        "Date": record.date.isoformat() if record.date else None,
        "Review score": f"{record.review_score}/10" if record.review_score is not None else None,
        "Verification": record.verification.level if record.verification else None,
        "Quality tier": record.quality_tier.tier if record.quality_tier else None,
        "Research question": record.research_question,
    }
    lines += [f"  {label}: {value}" for label, value in facts.items() if value is not None]
    if record.claims:
        lines.append(f"  Claims ({len(record.claims)}):")
        lines += [
            f"    {c.position:>3}. [{'✓' if c.verified else '×'} {c.confidence:.2f}] {c.text}"
            for c in record.claims
        ]
    if record.benchmarks:
        lines.append(f"  Benchmarks ({len(record.benchmarks)}):")
        lines += [
            f"    {b.task} / {b.dataset}: "
            f"{'no result' if b.result is None else f'{b.metric} {b.result}'} (rank {b.rank})"
            for b in record.benchmarks
        ]
    if record.unrecognised:
        lines.append(f"  Kept but not recognised ({len(record.unrecognised)}):")
        lines += [
            f"    {item.section}: {item.text}" + (f"  [{item.note}]" if item.note else "")
            for item in record.unrecognised
        ]
    return "\n".join(lines)


def main() -> None:
    cli(prog_name="reviewer-app")


def gui_main() -> None:
    cli(args=["gui", *sys.argv[1:]], prog_name="reviewer-app-gui")
