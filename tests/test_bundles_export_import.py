"""Review bundles end to end: export from one workspace, import into another, merge rules."""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from reviewer_app.bundles import open_bundle
from reviewer_app.bundles.layout import assign_stems, classify_member, safe_stem
from reviewer_app.bundles.member_schemas import ANNOTATIONS_SCHEMA, REVIEW_SCHEMA, schema_problem
from reviewer_app.config import schema_path
from reviewer_app.domain.evidence import from_web_annotation
from reviewer_app.domain.record_json import InvalidRecordJson, record_from_json
from reviewer_app.importers import read_synthesis
from reviewer_app.services.bundles import BundleService
from reviewer_app.storage.bundle_repository import review_documents
from reviewer_app.storage.database import Database
from reviewer_app.storage.records_repository import load_revision, save_revision
from tests import bundle_db_support
from tests.bundle_db_support import (
    DEMO_PDF_SHA256,
    RECORD_PAGE,
    REPORT,
    SAMPLES,
    add_policy,
    add_sheet,
    add_verdict,
    import_samples,
    populate,
    store_demo_pdf,
    table_counts,
)

CREATED = datetime(2026, 4, 2, 10, 0, 0, tzinfo=UTC)

# Fixtures shared with the other bundle tests.


@pytest.fixture
def source_db(tmp_path: Path) -> Database:
    database = Database.open(tmp_path / "a.sqlite3")
    ids = import_samples(database, REPORT, RECORD_PAGE)
    populate(database, ids, spans_per_reviewer=2)
    yield database
    database.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def target_db(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    url = (
        str(tmp_path / "b.sqlite3")
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    database = Database.open(url)
    yield database
    database.close()


def export(database: Database, out: Path, **options: object) -> Path:
    ids = options.pop("ids", ("RPT-60A47641", "SRCH:8F12A054"))
    options.setdefault("allow_unsigned", True)
    BundleService(database).export(ids, out, reviewer="alice", created=CREATED, **options)
    return out


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def reviews_of(database: Database, *ids: str) -> dict[str, tuple[dict, list]]:
    with database.reading() as session:
        heads = {i: load_revision(session, i).record for i in ids}
        return {i: (r, a) for i, r, a in review_documents(session, heads, include_pdfs=False)}


# --- record JSON -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_record_from_json_inverts_to_json(name: str) -> None:
    record = read_synthesis(SAMPLES / name)

    back = record_from_json(json.loads(json.dumps(record.to_json())))

    assert back == record
    assert back.content_sha256 == record.content_sha256


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("title"), "'title' is a required property"),
        (lambda d: d.update(kind="memo"), "'memo' is not one of"),
        (lambda d: d.update(date="2025-02-30"), "2025-02-30"),
        (lambda d: d.update(id="SRCH:00000000"), "does not match the record's own id"),
        (lambda d: d.update(extra=1), "Additional properties"),
    ],
)
def test_record_from_json_refuses_malformed_json_naming_the_source(change, expected) -> None:
    data = read_synthesis(SAMPLES / RECORD_PAGE).to_json()
    change(data)

    with pytest.raises(InvalidRecordJson, match=r"records/x\.json") as caught:
        record_from_json(data, "records/x.json")
    assert expected in str(caught.value)


def test_record_ids_become_distinct_safe_file_names() -> None:
    stems = assign_stems(["SRCH:8F12A054", "SRCH_8F12A054", "srch:8f12a054", "../x"])

    assert stems["SRCH:8F12A054"] == "SRCH_8F12A054"
    assert len({s.casefold() for s in stems.values()}) == 4
    assert safe_stem("../x") == "_x"
    assert all(classify_member(f"records/{s}.json").kind == "record" for s in stems.values())
    assert classify_member("records/../x.json") is None
    assert classify_member("sources/abc.pdf") is None


# --- export ------------------------------------------------------------------------------


def test_export_holds_every_part_of_the_review(source_db: Database, tmp_path: Path) -> None:
    files = members(export(source_db, tmp_path / "out.zip"))

    record_schema = json.loads(schema_path("record.schema.json").read_text())
    for stem in ("RPT-60A47641", "SRCH_8F12A054"):
        jsonschema.validate(json.loads(files[f"records/{stem}.json"]), record_schema)
        assert schema_problem(REVIEW_SCHEMA, json.loads(files[f"reviews/{stem}.json"])) is None
    review = json.loads(files["reviews/RPT-60A47641.json"])
    assert len(review["score_sheets"]) == 6  # every version of three reviewers
    assert sum(s["first_impression"] for s in review["score_sheets"]) == 3
    assert {v["reviewer"] for c in review["claims"] for v in c["verdicts"]} == {
        "alice",
        "bob",
        "carol",
    }
    assert review["claims"][0]["text"] == read_synthesis(SAMPLES / REPORT).claims[0].text
    assert review["adjudications"][0]["adjudicator"] == "dana"
    assert review["tier_results"] == [
        {
            "policy_version": 1,
            "tier": "Watchlist",
            "basis": "Watchlist: consensus score 7.5 is below 7.0.",
            "computed": "2026-03-01T09:51:00.123456+00:00",
        }
    ]
    assert review["corrections"]["count"] == 1 and review["corrections"]["status"] == "CORRECTED"
    assert review["sources"][0]["included"] is False
    policies = json.loads(files["tier-policies.json"])["policies"]
    assert [p["version"] for p in policies] == [1]
    assert not any(name.startswith("sources/") for name in files)


def test_evidence_spans_are_web_annotations(source_db: Database, tmp_path: Path) -> None:
    files = members(export(source_db, tmp_path / "out.zip"))

    collection = json.loads(files["annotations/RPT-60A47641.jsonld"])
    assert schema_problem(ANNOTATIONS_SCHEMA, collection) is None
    assert collection["type"] == "AnnotationCollection" and collection["total"] == 6
    items = collection["first"]["items"]
    spans = [from_web_annotation(item) for item in items]
    assert {s.reviewer for s in spans} == {"alice", "bob", "carol"}
    assert all(s.source_sha256 == DEMO_PDF_SHA256 for s in spans)
    assert sum("sr:removed" in item for item in items) == 1
    assert sum("sr:anchors" in item for item in items) == 1


def test_ro_crate_describes_every_file(source_db: Database, tmp_path: Path) -> None:
    files = members(export(source_db, tmp_path / "out.zip"))

    crate = json.loads(files["ro-crate-metadata.json"])
    assert crate["@context"] == "https://w3id.org/ro/crate/1.1/context"
    graph = {entity["@id"]: entity for entity in crate["@graph"]}
    assert len(graph) == len(crate["@graph"])
    descriptor = graph["ro-crate-metadata.json"]
    assert descriptor["conformsTo"] == {"@id": "https://w3id.org/ro/crate/1.1"}
    assert descriptor["about"] == {"@id": "./"}
    root = graph["./"]
    assert root["@type"] == "Dataset" and root["datePublished"] == "2026-04-02T10:00:00Z"
    parts = {part["@id"] for part in root["hasPart"]}
    payload = set(files) - {"manifest.json", "ro-crate-metadata.json"}
    assert parts == payload
    for name in parts:
        assert graph[name]["@type"] == "File"
        assert graph[name]["contentSize"] == str(len(files[name]))
    assert graph[root["author"]["@id"]]["name"] == "alice"


def test_provenance_names_agents_activities_and_times(source_db: Database, tmp_path: Path) -> None:
    files = members(export(source_db, tmp_path / "out.zip"))

    prov = json.loads(files["provenance.json"])
    assert {"prefix", "entity", "activity", "agent", "wasGeneratedBy", "used"} <= set(prov)
    people = {a["prov:label"] for a in prov["agent"].values() if a["prov:type"] == "prov:Person"}
    assert people == {"alice", "bob", "carol", "dana"}
    scoring = [a for a in prov["activity"].values() if a["prov:type"] == "sr:Scoring"]
    assert len(scoring) == 12  # 2 records x 3 reviewers x 2 versions
    revisions = [d for d in prov["wasDerivedFrom"].values() if d["prov:type"] == "prov:Revision"]
    assert len(revisions) == 6
    export_activity = prov["activity"]["sr:activity/export"]
    assert export_activity["prov:startTime"] == "2026-04-02T10:00:00Z"
    for relation in prov["wasGeneratedBy"].values():
        assert relation["prov:entity"] in prov["entity"]
        assert relation["prov:activity"] in prov["activity"]


def test_summary_shows_verdicts_and_charts_with_the_sheet_values(
    source_db: Database, tmp_path: Path
) -> None:
    html = members(export(source_db, tmp_path / "out.zip"))["summary.html"].decode()

    assert html.count("<svg") == 4  # two charts per record
    for svg in re.findall(r"<svg.*?</svg>", html, re.DOTALL):
        ElementTree.fromstring(svg)  # well-formed XML, so any browser draws it
    assert "Contradicts" in html and "Supports" in html
    assert 'data-series="carol" data-value="8.5"' in html  # newest sheet of carol
    assert 'class="threshold" data-value="7"' in html  # DOI-grade needs 7.0
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in html  # reviewers' text is escaped
    assert "<b>&</b>" not in html


def test_export_refuses_unknown_ids_and_missing_reviewer(
    source_db: Database, tmp_path: Path
) -> None:
    from reviewer_app.errors import NotFound, ReviewerAppError

    with pytest.raises(NotFound, match="NOPE"):
        export(source_db, tmp_path / "x.zip", ids=("NOPE",))
    with pytest.raises(ReviewerAppError, match="reviewer"):
        BundleService(source_db).export(["RPT-60A47641"], tmp_path / "x.zip", reviewer=" ")
    assert not (tmp_path / "x.zip").exists()


def test_export_without_keyring_needs_confirmation(
    source_db: Database, tmp_path: Path, no_keyring: None
) -> None:
    from reviewer_app.bundles import SigningUnavailable

    with pytest.raises(SigningUnavailable, match="--allow-unsigned"):
        export(source_db, tmp_path / "x.zip", allow_unsigned=False)
    assert not (tmp_path / "x.zip").exists()

    result = BundleService(source_db).export(
        ["RPT-60A47641"], tmp_path / "x.zip", reviewer="alice", allow_unsigned=True
    )
    assert not result.signed and "NOT signed" in result.warnings[0]
    assert open_bundle(tmp_path / "x.zip").signer is None


def test_signed_export_verifies(source_db: Database, tmp_path: Path, memory_keyring) -> None:
    result = BundleService(source_db).export(["RPT-60A47641"], tmp_path / "x.zip", reviewer="alice")

    report = BundleService(source_db).verify(result.path)
    assert result.signed and not report.ok  # bob's, carol's and dana's work is signed by nobody
    assert {p.kind for p in report.problems} == {"unvouched"}
    assert any("bob" in w and "not signed by its author" in w for w in result.warnings)

    bundle_db_support.sign_own_work(source_db, ["RPT-60A47641"], tmp_path, ("bob", "carol", "dana"))
    result = BundleService(source_db).export(["RPT-60A47641"], tmp_path / "x.zip", reviewer="alice")
    report = BundleService(source_db).verify(result.path)
    assert report.ok, report.problems
    assert report.signer.fingerprint == result.fingerprint
    assert result.warnings == []


def test_progress_reaches_the_total(source_db: Database, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []

    export(source_db, tmp_path / "x.zip", progress=lambda done, total: calls.append((done, total)))

    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1] > 0
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


# --- round trip --------------------------------------------------------------------------


def test_round_trip_gives_the_same_review_and_the_same_bundle(
    source_db: Database, target_db: Database, tmp_path: Path
) -> None:
    first = export(source_db, tmp_path / "first.zip")

    result = BundleService(target_db).import_bundle(first, allow_unsigned=True)

    assert {m.record_id: m.revision_status for m in result.records} == {
        "RPT-60A47641": "new",
        "SRCH:8F12A054": "new",
    }
    assert result.added["score_sheets"] == 12 and result.added["spans"] == 12
    ids = ("RPT-60A47641", "SRCH:8F12A054")
    assert reviews_of(target_db, *ids) == reviews_of(source_db, *ids)
    again = export(target_db, tmp_path / "again.zip")
    assert members(again) == members(first)


def test_reimporting_the_same_bundle_changes_nothing(
    source_db: Database, target_db: Database, tmp_path: Path
) -> None:
    bundle = export(source_db, tmp_path / "b.zip")
    BundleService(target_db).import_bundle(bundle, allow_unsigned=True)
    before = table_counts(target_db)

    result = BundleService(target_db).import_bundle(bundle, allow_unsigned=True)

    assert table_counts(target_db) == before
    assert sum(result.added.values()) == 0
    assert {m.revision_status for m in result.records} == {"unchanged"}


def test_import_adds_beside_local_work_without_overwriting(
    source_db: Database, tmp_path: Path
) -> None:
    target = Database.open(tmp_path / "local.sqlite3")
    import_samples(target, REPORT)
    with target.transaction() as session:
        add_policy(session)
        add_sheet(session, "RPT-60A47641", "alice", minutes=500, score=2.0)  # alice's local sheet
        add_verdict(session, "RPT-60A47641", 1, "erin", "conflicting", minutes=501)
    local = reviews_of(target, "RPT-60A47641")["RPT-60A47641"][0]

    result = BundleService(target).import_bundle(
        export(source_db, tmp_path / "b.zip"), allow_unsigned=True
    )

    merged = reviews_of(target, "RPT-60A47641")["RPT-60A47641"][0]
    for sheet in local["score_sheets"]:
        assert sheet in merged["score_sheets"]
    # bob's and carol's sheets come in; alice is a reviewer here, so the bundle's unsigned
    # rows in her name are left out, and listed
    assert len(merged["score_sheets"]) == len(local["score_sheets"]) + 4
    assert merged["score_sheets"][-1]["review_score"] == 2.0  # still alice's newest
    first_claim = {(v["reviewer"], v["verdict"]) for v in merged["claims"][0]["verdicts"]}
    assert ("erin", "conflicting") in first_claim and ("alice", "supports") not in first_claim
    assert ("bob", "supports") in first_claim
    assert {d.author for d in result.refused} == {"alice"}
    target.close()


def test_a_changed_record_is_added_as_a_new_revision(source_db: Database, tmp_path: Path) -> None:
    target = Database.open(tmp_path / "local.sqlite3")
    old = read_synthesis(SAMPLES / REPORT)
    with target.transaction() as session:
        save_revision(
            session, replace(old, abstract="An older abstract.").with_source("c" * 64), "old.txt"
        )

    result = BundleService(target).import_bundle(
        export(source_db, tmp_path / "b.zip"), allow_unsigned=True
    )

    statuses = {m.record_id: m.revision_status for m in result.records}
    assert statuses["RPT-60A47641"] == "revised"
    with target.reading() as session:
        newest = load_revision(session, "RPT-60A47641")
    assert newest.revision_count == 2 and newest.record == old
    target.close()


def test_a_different_local_tier_policy_keeps_its_tiers(source_db: Database, tmp_path: Path) -> None:
    target = Database.open(tmp_path / "local.sqlite3")
    with target.transaction() as session:
        add_policy(session, {"version": 1, "tiers": [{"name": "Only", "rules": []}]})
    before = table_counts(target)["tier_results"]

    result = BundleService(target).import_bundle(
        export(source_db, tmp_path / "b.zip"), allow_unsigned=True
    )

    assert table_counts(target)["tier_results"] == before
    assert any("tier policy version 1 differs" in w for w in result.warnings)
    assert result.added["score_sheets"] == 12  # the rest is still imported
    target.close()


def test_source_pdfs_travel_when_included(source_db: Database, tmp_path: Path) -> None:
    store_a, store_b = tmp_path / "store-a", tmp_path / "store-b"
    sha256 = store_demo_pdf(store_a)
    bundle = export(source_db, tmp_path / "b.zip", include_pdfs=True, pdf_store_root=store_a)
    assert f"sources/{sha256}.pdf" in members(bundle)
    target = Database.open(tmp_path / "local.sqlite3")

    result = BundleService(target).import_bundle(
        bundle, allow_unsigned=True, pdf_store_root=store_b
    )

    assert result.pdfs_stored == 1
    assert (store_b / sha256[:2] / f"{sha256[2:]}.pdf").read_bytes() == (
        store_a / sha256[:2] / f"{sha256[2:]}.pdf"
    ).read_bytes()
    target.close()


def test_including_a_pdf_missing_from_the_store_fails_clearly(
    source_db: Database, tmp_path: Path
) -> None:
    from reviewer_app.bundles import BundleError

    with pytest.raises(BundleError, match=f"cannot include source PDF {DEMO_PDF_SHA256}"):
        export(source_db, tmp_path / "b.zip", include_pdfs=True, pdf_store_root=tmp_path / "no")
    assert not (tmp_path / "b.zip").exists()
