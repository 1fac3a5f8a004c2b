"""`grounding ID --json` and `gate ID --json` against their JSON Schemas (resources/schemas/
grounding.schema.json, gate.schema.json) on SQLite and PostgreSQL, over records in every state:
nothing attached, a pinned and a wrong-version PDF, grounded, confirmed and contradicted claims,
an over-stating record page; gate unverified, artifact attached, reproduced, not reproduced."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from reviewer_app.cli import cli
from reviewer_app.config import schema_path
from reviewer_app.services.gate import GateService
from reviewer_app.services.review import ReviewService
from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from tests.grounding_support import QUOTE, make_arxiv_pdf, submit_verdict
from tests.review_support import REF_OTHER, SAMPLE_REPORT

RECORD_PAGE = "record-page-pipe-table.txt"


def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def cli_json(db: str, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["--db", db, *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def records(db_url: str, samples: Path, tmp_path: Path) -> dict[str, str]:
    """Four records: bare, reviewed (grounded, confirmed, contradicted; reproduced), a copy
    with a refused reproduction, and the over-stating record page with nothing attached."""
    with Workspace.open(db_url) as workspace:
        ids = {
            name: workspace.import_file(samples / file).local_id
            for name, file in (("reviewed", SAMPLE_REPORT), ("page", RECORD_PAGE))
        }
        service = ReviewService.for_workspace(workspace)
        scoring = ScoringService(workspace.database)
        gate = GateService.for_database(workspace.database)
        record = ids["reviewed"]
        pdf = make_arxiv_pdf(tmp_path / "2407.17856v4.pdf", "2407.17856", 4)
        service.attach_pdf(record, pdf, reviewer="ana")
        service.annotate_quote(record, 2, pdf=pdf, quote=QUOTE, stance="supports", reviewer="ana")
        old = make_arxiv_pdf(tmp_path / "old.pdf", "2308.12898", 1)
        service.attach_pdf(record, old, reference_url=REF_OTHER, reviewer="ana")
        for reviewer in ("ana", "ben"):
            submit_verdict(service, scoring, record, 2, reviewer, "supports")
            submit_verdict(service, scoring, record, 3, reviewer, "contradicts")
        script = tmp_path / "repro.sh"
        script.write_text("echo 42\n", encoding="utf-8")
        results = tmp_path / "results.txt"
        results.write_text("42\n", encoding="utf-8")
        artifact = gate.attach_artifact(record, script, kind="repro-script", reviewer="ana")
        for reviewer in ("ana", "ben"):
            gate.attest(record, artifact_sha256=artifact.sha256, reproduced=True,
                        reviewer=reviewer, results=results, note="python 3.11")  # fmt: skip
        page = ids["page"]
        proof = tmp_path / "proof.lean"
        proof.write_text("theorem t : True := trivial\n", encoding="utf-8")
        sha = gate.attach_artifact(page, proof, kind="proof", reviewer="ben").sha256
        gate.attest(page, artifact_sha256=sha, reproduced=False, reviewer="ben")
        bare = workspace.import_file(samples / "paper-page-benchmarks.txt").local_id
        return {**ids, "bare": bare}


def test_grounding_json_matches_its_schema(db_url: str, records: dict[str, str]) -> None:
    schema = validator("grounding.schema.json")
    outputs = {name: cli_json(db_url, "grounding", rid) for name, rid in records.items()}
    for name, data in outputs.items():
        errors = [f"{e.json_path}: {e.message}" for e in schema.iter_errors(data)]
        assert not errors, (name, errors)
    reviewed = outputs["reviewed"]
    claims = {claim["position"]: claim for claim in reviewed["claims"]}
    assert (claims[2]["grounded"], claims[2]["confirmed"], claims[3]["contradicted"]) == (
        True, True, True,
    )  # fmt: skip
    assert any(check["ok"] is False for ref in reviewed["references"] for check in ref["checks"])
    assert outputs["page"]["differs"] is True and outputs["page"]["difference"]
    # the schema does refuse what the contract forbids
    broken = {**reviewed, "computed": {**reviewed["computed"], "level": "L4"}}
    assert not schema.is_valid(broken)
    assert not schema.is_valid({**reviewed, "extra": 1})


def test_gate_json_matches_its_schema(db_url: str, records: dict[str, str]) -> None:
    schema = validator("gate.schema.json")
    outputs = {name: cli_json(db_url, "gate", rid) for name, rid in records.items()}
    for name, data in outputs.items():
        errors = [f"{e.json_path}: {e.message}" for e in schema.iter_errors(data)]
        assert not errors, (name, errors)
    states = {name: data["computed"]["state"] for name, data in outputs.items()}
    assert states == {"reviewed": "reproduced", "page": "not-reproduced", "bare": "unverified"}
    assert len(outputs["reviewed"]["computed"]["attestations"]) == 2
    assert not schema.is_valid({**outputs["bare"], "computed": {
        **outputs["bare"]["computed"], "state": "verified"}})  # fmt: skip
