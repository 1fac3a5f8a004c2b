"""Reviewer profiles: name, optional ORCID iD and colour (used in plots)."""

from __future__ import annotations

import json

import click

from reviewer_app.cli_support import AppContext, handles_app_errors
from reviewer_app.services.reviewers import ReviewerService


@click.command("reviewers")
@click.option("--add", "name", metavar="NAME", help="Create this profile (kept if it exists).")
@click.option("--orcid", help="ORCID iD, e.g. 0000-0002-1825-0097.")
@click.option("--colour", help="Colour for plots, e.g. #0072B2.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_obj
@handles_app_errors
def reviewers_command(
    app: AppContext, name: str | None, orcid: str | None, colour: str | None, as_json: bool
) -> None:
    """List reviewer profiles (NAME<TAB>ORCID or -<TAB>COLOUR), or add one with --add."""
    service = ReviewerService(app.workspace.database)
    if name:
        service.ensure(name, orcid=orcid, colour=colour)
    profiles = service.list()
    if as_json:
        rows = [{"name": p.name, "orcid": p.orcid, "colour": p.colour} for p in profiles]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for profile in profiles:
        click.echo(f"{profile.name}\t{profile.orcid or '-'}\t{profile.colour or '-'}")


COMMANDS = [reviewers_command]
