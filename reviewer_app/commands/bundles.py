"""``export``, ``verify``, ``import-bundle``, ``correct`` and ``corrections``: review bundles and
corrections from the command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reviewer_app.bundles import VerifyReport
from reviewer_app.cli_support import EXIT_REFUSED, AppContext, fail, handles_app_errors
from reviewer_app.services.bundles import BundleService
from reviewer_app.services.corrections import CorrectionService

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar
from reviewer_app.wording import counted

REVIEWER_ENV = "REVIEWER_APP_REVIEWER"
_ADDED_KINDS = (
    ("score_sheets", "sheets"),
    ("verdicts", "verdicts"),
    ("spans", "spans"),
    ("adjudications", "adjudications"),
    ("corrections", "corrections"),
    ("tier_results", "tiers"),
    ("sources", "sources"),
)
_WORK_KINDS = (
    ("sheet", "sheets"),
    ("verdict", "verdicts"),
    ("span", "spans"),
    ("adjudication", "adjudications"),
    ("correction", "corrections"),
    ("source", "sources"),
)


def _service(app: AppContext) -> BundleService:
    return BundleService(app.workspace.database)


@click.command("export")
@click.argument("record_ids", metavar="ID...", nargs=-1, required=True)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The bundle file to write (.zip).",
)
@click.option("--include-pdfs", is_flag=True, help="Put the source PDFs in the bundle.")
@click.option(
    "--reviewer",
    metavar="NAME",
    envvar=REVIEWER_ENV,
    help=f"Who exports and signs the bundle (default: ${REVIEWER_ENV}).",
)
@click.option(
    "--allow-unsigned",
    is_flag=True,
    help="Write the bundle without a signature when no keyring can hold a signing key.",
)
@click.pass_obj
@handles_app_errors
def export_command(
    app: AppContext,
    record_ids: tuple[str, ...],
    out: Path,
    include_pdfs: bool,
    reviewer: str | None,
    allow_unsigned: bool,
) -> None:
    """Export records, with every reviewer's work on them, to a review bundle.

    The bundle is signed with the reviewer's Ed25519 key, kept in the system keyring. Without a
    usable keyring the export fails, unless --allow-unsigned confirms an unsigned bundle. Source
    PDFs are referenced by SHA-256 only unless --include-pdfs is given.

    Prints FILE<TAB>N records<TAB>"signed by NAME" and the key fingerprint, or "UNSIGNED".
    """
    if not reviewer:
        fail(f"name the exporting reviewer with --reviewer NAME (or ${REVIEWER_ENV})")
    with _ProgressBar() as progress:
        result = _service(app).export(
            record_ids,
            out,
            reviewer=reviewer,
            include_pdfs=include_pdfs,
            allow_unsigned=allow_unsigned,
            progress=progress,
        )
    for warning in result.warnings:
        click.echo(f"reviewer-app: warning: {warning}", err=True)
    count = len(result.records)
    signed = f"signed by {reviewer}\t{result.fingerprint}" if result.signed else "UNSIGNED"
    click.echo(f"{result.path}\t{count} record{'s' if count != 1 else ''}\t{signed}")


@click.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
@handles_app_errors
def verify_command(app: AppContext, file: Path) -> None:
    """Check a review bundle: every file's SHA-256, the signature, the signer's key, and that
    every row of reviewer work is vouched for by its author's key.

    Exit 0 means: intact, validly signed by a known (or first-seen) key, and every row vouched
    for. Then prints OK<TAB>FILE<TAB>"signed by NAME"<TAB>FINGERPRINT. Otherwise prints one line
    per problem, KIND<TAB>MEMBER<TAB>MESSAGE (KIND: missing, altered, unexpected, signature,
    unsigned, key-changed, impersonation, malformed, unvouched; MEMBER is the file inside the
    bundle, "-" for the whole bundle; an unvouched MESSAGE is REVIEWER<TAB>RECORD<TAB>ITEM:
    REASON) and exits 2. Either way it then prints, per reviewer with work in the bundle,
    "reviewer"<TAB>NAME<TAB>VOUCHED-BY<TAB>FINGERPRINT<TAB>ADDED, where VOUCHED-BY is "bundle
    signature" (the signer's own rows), "work signature" or "nobody" (with " (first seen)" for
    a key not yet known), FINGERPRINT is "-" when no key vouches, and ADDED counts the rows that
    importing would add ("2 sheets, 5 verdicts, ...; 3 already here; 1 refused"). A changed
    key or a name posing as a known reviewer is also shouted on stderr. Verifying never changes
    the known signers (known-signers.json in the data directory); an accepted import does.
    """
    report = BundleService(app.workspace.database).verify(file)
    for warning in report.warnings:
        click.echo(f"reviewer-app: note: {warning}", err=True)
    if report.ok and report.signer is not None:
        signer = report.signer
        click.echo(f"OK\t{report.path}\tsigned by {signer.reviewer}\t{signer.fingerprint}")
        _print_reviewers(report)
        return
    _print_problems(report)
    _print_reviewers(report)
    sys.exit(EXIT_REFUSED)


def _print_reviewers(report: VerifyReport) -> None:
    for work in report.reviewers:
        vouched = work.vouched_by + (" (first seen)" if work.first_seen else "")
        added = ", ".join(
            f"{work.would_add[kind]} {label}" for kind, label in _WORK_KINDS if work.would_add[kind]
        )
        parts = [added or "nothing new"]
        if work.present:
            parts.append(f"{work.present} already here")
        if work.unvouched:
            parts.append(f"{len(work.unvouched)} signed by nobody")
        if work.refused:
            parts.append(f"{len(work.refused)} refused")
        fingerprint = work.fingerprint or "-"
        click.echo(f"reviewer\t{work.name}\t{vouched}\t{fingerprint}\t{'; '.join(parts)}")


def _print_problems(report: VerifyReport) -> None:
    for problem in report.problems:
        click.echo(f"{problem.kind}\t{problem.path or '-'}\t{problem.message}")
        if problem.kind in ("key-changed", "impersonation"):
            banner = "!" * 78
            click.echo(f"{banner}\n{problem.message}\n{banner}", err=True)
    count = len(report.problems)
    click.echo(
        f"reviewer-app: error: {report.path}: failed verification "
        f"({count} problem{'s' if count != 1 else ''})",
        err=True,
    )


@click.command("import-bundle")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--allow-unsigned",
    is_flag=True,
    help="Import an intact bundle that carries no signature, and rows of work no key vouches "
    "for (never in the name of a reviewer of this workspace or of one whose key is known).",
)
@click.pass_obj
@handles_app_errors
def import_bundle_command(app: AppContext, file: Path, allow_unsigned: bool) -> None:
    """Merge a review bundle's records and reviewers' work into this workspace.

    Nothing local is changed or removed: other reviewers' sheets, verdicts, spans,
    adjudications and corrections are added beside yours, and importing the same bundle again
    adds nothing. Each row of work must be vouched for by its author's key: the bundle's
    signature for the signer's own rows, the author's work signature for anyone else's. Rows
    in the name of a reviewer of this workspace are taken only under that reviewer's own key.
    A bundle that fails verification, is signed under a name posing as a known reviewer, or is
    hostile or malformed, is refused with the file and the problem named, and the workspace and
    the known signers are left unchanged (exit 2).

    Prints, per record, ID<TAB>REVISION<TAB>ADDED where REVISION is new, revised or unchanged
    and ADDED counts the rows added ("2 sheets, 5 verdicts, 3 spans, ..."); then one line per
    row left out, "refused"<TAB>REVIEWER<TAB>RECORD<TAB>ITEM<TAB>REASON (the rest of the bundle
    is imported; exit 0).
    """
    result = _service(app).import_bundle(file, allow_unsigned=allow_unsigned)
    for merge in result.records:
        added = ", ".join(f"{merge.added[key]} {label}" for key, label in _ADDED_KINDS)
        click.echo(f"{merge.record_id}\t{merge.revision_status}\t{added}")
    for decision in result.refused:
        row = decision.row
        click.echo(f"refused\t{decision.author}\t{row.record}\t{row.label}\t{decision.reason}")
    for warning in result.warnings:
        click.echo(f"reviewer-app: note: {warning}", err=True)
    if result.refused:
        authors = sorted({d.author for d in result.refused})
        click.echo(
            f"reviewer-app: warning: {counted(len(result.refused), 'row')} of work by "
            f"{', '.join(authors)} left out: not vouched for by their author's key",
            err=True,
        )
    if result.unvouched:
        click.echo(
            f"reviewer-app: warning: {counted(len(result.unvouched), 'row')} imported that no "
            "key vouches for (--allow-unsigned)",
            err=True,
        )


@click.command("correct")
@click.argument("record_id", metavar="ID")
@click.option("--reviewer", metavar="NAME", envvar=REVIEWER_ENV, required=True)
@click.option("--what", required=True, help="What is wrong in the record.")
@click.option("--why", required=True, help="Why it is wrong.")
@click.option("--evidence", help="Where that shows (a quote, page, URL).")
@click.pass_obj
@handles_app_errors
def correct_command(
    app: AppContext, record_id: str, reviewer: str, what: str, why: str, evidence: str | None
) -> None:
    """File a correction to a record: an entry added to its correction record, never an edit.

    Prints ID<TAB>CORRECTION-ID<TAB>STATUS<TAB>COUNT (the record's correction status and count
    after the entry).
    """
    service = CorrectionService(app.workspace.database)
    entry = service.file(record_id, reviewer=reviewer, what=what, why=why, evidence=evidence)
    history = service.history(record_id)
    click.echo(f"{history.record}\t{entry.id}\t{history.status}\t{history.count}")


@click.command("corrections")
@click.argument("record_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
@handles_app_errors
def corrections_command(app: AppContext, record_id: str, as_json: bool) -> None:
    """Show a record's correction record: status, count and history.

    --json prints {"record", "status", "count", "history": [{"id", "reviewer", "what", "why",
    "evidence", "created"}]}; count is the record's own count plus the entries filed by
    reviewers, and status is CORRECTED once there is an entry. Without --json, prints
    ID<TAB>"status STATUS"<TAB>"count N", then one line per entry: CREATED<TAB>REVIEWER<TAB>WHAT
    <TAB>WHY.
    """
    history = CorrectionService(app.workspace.database).history(record_id)
    if as_json:
        click.echo(json.dumps(history.to_json(), indent=2, ensure_ascii=False))
        return
    click.echo(f"{history.record}\tstatus {history.status or 'none'}\tcount {history.count}")
    for entry in history.history:
        click.echo(f"{entry.created}\t{entry.reviewer}\t{entry.what}\t{entry.why}")


class _ProgressBar:
    """A progress bar on stderr for a terminal; silent when output goes to a file or pipe."""

    def __enter__(self) -> Callable[[int, int], None] | None:
        if not sys.stderr.isatty():
            return None
        self._bar: ProgressBar[int] | None = None
        self._shown = 0
        return self._update

    def _update(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = click.progressbar(length=max(total, 1), label="Writing", file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._shown)
        self._shown = done

    def __exit__(self, *exc: object) -> None:
        bar = getattr(self, "_bar", None)
        if bar is not None:
            bar.__exit__(None, None, None)


COMMANDS = [
    export_command,
    verify_command,
    import_bundle_command,
    correct_command,
    corrections_command,
]
