"""Score sheets, agreement, conflicts, adjudication and tiers (issue 5)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reviewer_app.cli_support import AppContext, handles_app_errors
from reviewer_app.domain.score_sheets import RECOMMENDATIONS
from reviewer_app.domain.tier_policy import TierPolicy
from reviewer_app.domain.workspace_settings import BLIND_MODE, HIDE_MACHINE_MARKS
from reviewer_app.errors import ReviewerAppError

if TYPE_CHECKING:
    from reviewer_app.services.scoring import ScoringService

LEVEL = click.Choice(["LOW", "MEDIUM", "HIGH"], case_sensitive=False)


def _scoring(app: AppContext) -> ScoringService:
    # start-up time: the service loads SQLAlchemy, which ``agreement`` can do without
    from reviewer_app.services.scoring import ScoringService

    return ScoringService(app.workspace.database)


def _dump(value: object) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


@click.command("score")
@click.argument("record_id", metavar="ID")
@click.option("--reviewer", required=True, help="Whose sheet this is.")
@click.option("--evidence-strength", type=LEVEL)
@click.option("--citation-grounding", type=LEVEL)
@click.option("--uncertainty-disclosure", type=LEVEL)
@click.option("--reproducibility-status", type=LEVEL)
@click.option("--review-score", type=float, help="0-10, one decimal.")
@click.option("--recommendation", type=click.Choice(RECOMMENDATIONS))
@click.option("--comments")
@click.option("--submit", is_flag=True, help="Submit the sheet (it stays a draft otherwise).")
@click.pass_obj
@handles_app_errors
def score_command(
    app: AppContext,
    record_id: str,
    reviewer: str,
    evidence_strength: str | None,
    citation_grounding: str | None,
    uncertainty_disclosure: str | None,
    reproducibility_status: str | None,
    review_score: float | None,
    recommendation: str | None,
    comments: str | None,
    submit: bool,
) -> None:
    """Fill in (a new version of) a reviewer's score sheet for record ID.

    Options left out keep their previous value. Prints the sheet as JSON.
    """
    given = {
        "evidence_strength": evidence_strength,
        "citation_grounding": citation_grounding,
        "uncertainty_disclosure": uncertainty_disclosure,
        "reproducibility_status": reproducibility_status,
    }
    sheet = _scoring(app).sheets.save(
        record_id.upper(),
        reviewer,
        dimensions={k: v for k, v in given.items() if v is not None},
        review_score=review_score,
        recommendation=recommendation,
        comments=comments,
        submit=submit,
    )
    _dump(
        {
            "record": sheet.record_id,
            "reviewer": sheet.reviewer,
            **{k: v.value if v else None for k, v in sheet.dimensions.items()},
            "review_score": sheet.review_score,
            "recommendation": sheet.recommendation,
            "submitted": sheet.submitted,
            "first_impression": sheet.first_impression,
        }
    )


@click.command("agreement")
@click.argument("record_id", metavar="[ID]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the only output form).")
@click.pass_obj
@handles_app_errors
def agreement_command(app: AppContext, record_id: str | None, as_json: bool) -> None:
    """Inter-reviewer agreement on one record, or pooled over the whole workspace.

    Prints {"record": ID, "reviewers": [...], "fields": {FIELD: {"n_reviewers",
    "percent_agreement", "cohen_kappa", "weighted_kappa", "fleiss_kappa",
    "krippendorff_alpha", "level"}}} for the four dimensions, review_score and claim_verdicts;
    without ID, "record" is null and the items of every record are pooled.
    """
    if record_id:
        _dump(_scoring(app).ratings.agreement(record_id.upper()).to_json())
        return
    pooled = app.workspace_agreement().to_json()
    _dump({"record": None, "records": pooled.pop("records"), **pooled})


@click.command("tier")
@click.argument("record_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the only output form).")
@click.pass_obj
@handles_app_errors
def tier_command(app: AppContext, record_id: str, as_json: bool) -> None:
    """The tier record ID earns under the current policy.

    Prints {"tier", "basis", "policy_version", "automated_tier", "differs"}.
    """
    _dump(_scoring(app).tiers.tier(record_id.upper()).to_json())


@click.command("conflicts")
@click.argument("record_id", metavar="ID")
@click.option("--margin", type=float, default=1.0, show_default=True, help="Score difference.")
@click.pass_obj
@handles_app_errors
def conflicts_command(app: AppContext, record_id: str, margin: float) -> None:
    """Items where the submitted sheets disagree, as a JSON array."""
    found = _scoring(app).ratings.conflicts(record_id.upper(), margin=margin)
    _dump(
        [
            {
                "field": c.field,
                "claim": c.claim_position,
                "ratings": {k: getattr(v, "value", v) for k, v in c.ratings.items()},
                "detail": c.detail,
                "adjudicated": c.adjudicated,
            }
            for c in found
        ]
    )


@click.command("adjudicate")
@click.argument("record_id", metavar="ID")
@click.option("--field", required=True, help="A dimension, review_score or claim_verdicts.")
@click.option("--claim", type=int, help="Claim position (for claim_verdicts).")
@click.option("--value", required=True)
@click.option("--rationale", required=True)
@click.option("--adjudicator", required=True)
@click.pass_obj
@handles_app_errors
def adjudicate_command(
    app: AppContext,
    record_id: str,
    field: str,
    claim: int | None,
    value: str,
    rationale: str,
    adjudicator: str,
) -> None:
    """Settle a conflict with a rationale (an additive record; sheets are not edited)."""
    typed: object = float(value) if field == "review_score" else value
    _scoring(app).adjudication.adjudicate(
        record_id.upper(),
        field=field,
        value=typed,
        rationale=rationale,
        adjudicator=adjudicator,
        claim_position=claim,
    )
    click.echo(f"{record_id.upper()}\t{field}\t{claim or '-'}\t{value}")


@click.command("policy")
@click.option("--set", "policy_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
@handles_app_errors
def policy_command(app: AppContext, policy_file: Path | None) -> None:
    """Print the tier policy as JSON, or store a new version from FILE and recompute tiers."""
    service = _scoring(app)
    if policy_file is None:
        _dump(service.tiers.policy().to_json())
        return
    try:
        data = json.loads(policy_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReviewerAppError(f"{policy_file}: not a JSON tier policy ({exc})") from None
    data.setdefault("version", 1)
    stored = service.tiers.set_policy(TierPolicy.from_json(data, source=str(policy_file)))
    _dump(stored.to_json())


@click.command("setting")
@click.argument("name", type=click.Choice([BLIND_MODE, HIDE_MACHINE_MARKS]))
@click.argument("value", type=click.Choice(["on", "off"]))
@click.pass_obj
@handles_app_errors
def setting_command(app: AppContext, name: str, value: str) -> None:
    """Turn a workspace setting on or off (blind_mode, hide_machine_marks; both on by default)."""
    _scoring(app).settings.set(name, value == "on")
    click.echo(f"{name}\t{value}")


COMMANDS = [
    score_command,
    agreement_command,
    tier_command,
    conflicts_command,
    adjudicate_command,
    policy_command,
    setting_command,
]
