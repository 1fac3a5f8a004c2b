"""The evidence finder on the command line: ``suggest`` (issue 12)."""

from __future__ import annotations

import json

import click

from reviewer_app.cli_support import AppContext, fail, handles_app_errors
from reviewer_app.pdf import PdfStore
from reviewer_app.services.review import pdf_store_dir
from reviewer_app.services.suggestions import DEFAULT_TOP, ClaimSuggestions, SuggestionService

_PROGRESS_EVERY = 100
"""Pages between progress lines while an index is built."""


def suggestion_service(app: AppContext) -> SuggestionService:
    return SuggestionService(app.workspace.database, PdfStore(pdf_store_dir()))


def _progress(stage: str, done: int, total: int) -> None:
    if done == total or done % _PROGRESS_EVERY == 0:
        click.echo(f"indexing: {stage} {done}/{total}", err=True)


@click.command("suggest")
@click.argument("record_id", metavar="ID")
@click.option("--claim", "claim", type=int, metavar="N", help="Claim (1-based).")
@click.option("--all", "all_claims", is_flag=True, help="Every claim of the record.")
@click.option("--top", type=click.IntRange(min=1), default=DEFAULT_TOP, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
@handles_app_errors
def suggest_command(
    app: AppContext, record_id: str, claim: int | None, all_claims: bool, top: int, as_json: bool
) -> None:
    """Rank the passages of record ID's attached PDFs as evidence for claim N.

    Builds any missing passage index first (progress on stderr). With --json prints an
    array, best first, of {rank, source_sha256, file, page (1-based), text, start, end,
    score, hints: [{kind, message}]}; with --all, {"claims": [{position, candidates}]}.
    Hints point at what to check (numbers, negation, key terms); they are never a verdict.
    """
    if (claim is None) == (not all_claims):
        fail("give either --claim N or --all")
    service = suggestion_service(app)
    if all_claims:
        results = service.suggest_all(record_id, top, progress=_progress, remember=True)
        payload = {
            "claims": [
                {"position": r.position, "candidates": [c.to_json() for c in r.candidates]}
                for r in results
            ]
        }
        if as_json:
            click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        else:
            for result in results:
                click.echo(f"claim {result.position}")
                _print_readable(result)
        return
    assert claim is not None
    result = service.suggest(record_id, claim, top, progress=_progress, remember=True)
    if as_json:
        click.echo(
            json.dumps([c.to_json() for c in result.candidates], indent=2, ensure_ascii=False)
        )
    else:
        _print_readable(result)


def _print_readable(result: ClaimSuggestions) -> None:
    for candidate in result.candidates:
        click.echo(f"{candidate.rank}\t{candidate.file} p.{candidate.page + 1}\t{candidate.text}")
        for hint in candidate.hints:
            click.echo(f"\t- {hint.message}")


COMMANDS = [suggest_command]
