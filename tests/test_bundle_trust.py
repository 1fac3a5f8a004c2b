"""What a bundle's signatures vouch for: a bundle carries only its signer's own work and work
signed by its authors; nothing in the name of this workspace's reviewers; no look-alike names;
your own key entered at your first export; the trust store changed only by an accepted import."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from reviewer_app.bundles import (
    ENVELOPE_NAMES,
    BundleError,
    JsonTrustStore,
    ReviewerKeys,
    canonical_json,
    write_bundle,
)
from reviewer_app.bundles.signing import encode_signature
from reviewer_app.credentials import CredentialStore
from reviewer_app.services.bundles import BundleService
from reviewer_app.storage.database import Database
from reviewer_app.storage.review_models import (
    ClaimVerdictRow,
    EvidenceSpanRow,
    ReviewerRow,
    ScoreSheetRow,
    SpanAnchorRow,
)
from reviewer_app.storage.scoring_repository import current_verdicts
from tests.bundle_db_support import REPORT, add_sheet, add_span, add_verdict, import_samples
from tests.bundle_support import rewrite_zip

REVIEW = "reviews/RPT-60A47641.json"
VERDICT = {"reviewer": "zed", "verdict": "supports", "reason": None, "note": None}

RECORD = "RPT-60A47641"
CREATED = datetime(2026, 4, 2, 10, 0, 0, tzinfo=UTC)


class Person:
    """A reviewer with a workspace and a trust store of their own (one shared keyring)."""

    def __init__(self, name: str, db: str | Path, trust: Path) -> None:
        self.name = name
        self.database = Database.open(db)
        self.trust = JsonTrustStore(trust)
        import_samples(self.database, REPORT)

    @property
    def bundles(self) -> BundleService:
        return BundleService(self.database, trust=self.trust, credentials=CredentialStore())

    def export(self, out: Path) -> Path:
        self.bundles.export([RECORD], out, reviewer=self.name, created=CREATED)
        return out

    def verdicts(self, reviewer: str) -> dict[int, str | None]:
        with self.database.reading() as session:
            return current_verdicts(session, RECORD).get((RECORD, reviewer), {})

    def rows(self, reviewer: str) -> tuple[int, int, int]:
        """(verdicts, sheets, spans) in ``reviewer``'s name."""
        with self.database.reading() as session:
            rid = session.scalar(select(ReviewerRow.id).where(ReviewerRow.name == reviewer))
            return tuple(  # type: ignore[return-value]
                session.scalar(select(func.count()).where(table.reviewer_id == rid)) or 0
                for table in (ClaimVerdictRow, ScoreSheetRow, EvidenceSpanRow)
            )


@pytest.fixture
def ana(db_url: str, tmp_path: Path) -> Person:
    """The local reviewer: her own verdict on claim 1 is *contradicts*."""
    person = Person("ana", db_url, tmp_path / "ana-trust.json")
    with person.database.transaction() as session:
        add_verdict(session, RECORD, 1, "ana", "contradicts", minutes=10)
        add_sheet(session, RECORD, "ana", minutes=11, score=3.0)
    yield person
    person.database.close()


def stranger(tmp_path: Path, name: str, *, work_of: tuple[str, ...] = ("ana", "carol")) -> Person:
    """A workspace where ``name`` wrote work in other reviewers' names (later than ana's own)."""
    person = Person(name, tmp_path / f"{name}.sqlite3", tmp_path / f"{name}-trust.json")
    with person.database.transaction() as session:
        add_verdict(session, RECORD, 2, name, "supports", minutes=5)
        for i, other in enumerate(work_of):
            add_verdict(session, RECORD, 1, other, "supports", minutes=500 + i)
            add_sheet(session, RECORD, other, minutes=501 + i, score=9.5)
            add_span(session, RECORD, 1, other, minutes=502 + i)
    return person


def bundle_members(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def payload(members: dict[str, bytes]) -> dict[str, bytes]:
    return {n: d for n, d in members.items() if n not in ENVELOPE_NAMES}


def resigned(bundle: Path, name: str) -> Path:
    """The bundle's payload signed anew by a fresh key under the signer name ``name``."""
    out = bundle.with_name(f"as-{len(name)}-{name.strip()[:1]}.zip")
    return write_bundle(
        out,
        payload(bundle_members(bundle)),
        app_version="0.1.0",
        reviewer=name,
        signer=ReviewerKeys.generate(name),
    )


def refused_of(result) -> set[tuple[str, str]]:
    return {(d.author, d.row.kind) for d in result.refused}


def test_a_strangers_bundle_does_not_change_the_local_reviewers_verdict(
    ana: Person, tmp_path: Path, memory_keyring
) -> None:
    mallory = stranger(tmp_path, "mallory")
    bundle = mallory.export(tmp_path / "mallory.zip")
    before = ana.rows("ana")

    report = ana.bundles.verify(bundle)
    result = ana.bundles.import_bundle(bundle)

    assert ana.verdicts("ana") == {1: "contradicts"}
    assert ana.rows("ana") == before
    assert not report.ok
    flagged = [p for p in report.problems if p.kind == "unvouched"]
    assert any(p.message.startswith("ana\t") for p in flagged)
    assert refused_of(result) == {
        (who, kind) for who in ("ana", "carol") for kind in ("verdict", "sheet", "span")
    }
    assert ana.verdicts("mallory") == {2: "supports"}  # mallory's own work is kept
    assert ana.verdicts("carol") == {}
    mallory_key = ReviewerKeys.load("mallory", CredentialStore())
    assert ana.trust.known_key("mallory") == mallory_key.fingerprint
    mallory.database.close()


def test_a_trusted_signers_bundle_cannot_speak_for_anyone_else(
    ana: Person, tmp_path: Path, memory_keyring
) -> None:
    bob = stranger(tmp_path, "bob")
    first = bob.export(tmp_path / "bob-1.zip")
    ana.bundles.import_bundle(first)  # bob's key is learnt from his first bundle
    bob_key = ana.trust.known_key("bob")
    assert bob_key is not None
    with bob.database.transaction() as session:  # bob, now trusted, writes more in their names
        add_verdict(session, RECORD, 1, "ana", "not-enough-evidence", minutes=900)
        add_verdict(session, RECORD, 3, "carol", "contradicts", minutes=901)
        add_verdict(session, RECORD, 3, "bob", "contradicts", minutes=902)
    second = bob.export(tmp_path / "bob-2.zip")

    report = ana.bundles.verify(second)
    result = ana.bundles.import_bundle(second)

    assert ana.verdicts("ana") == {1: "contradicts"}
    assert ana.verdicts("carol") == {}
    assert ana.verdicts("bob") == {2: "supports", 3: "contradicts"}
    assert ("ana", "verdict") in refused_of(result) and ("carol", "verdict") in refused_of(result)
    assert not report.ok and report.intact
    by_name = {work.name: work for work in report.reviewers}
    assert by_name["bob"].fingerprint == bob_key and not by_name["bob"].refused
    assert by_name["ana"].vouched_by == "nobody" and len(by_name["ana"].refused) == 4
    assert ana.trust.known_key("bob") == bob_key
    bob.database.close()


def test_work_forwarded_with_its_authors_signature_is_accepted(
    ana: Person, tmp_path: Path, memory_keyring
) -> None:
    carol = stranger(tmp_path, "carol", work_of=())
    with carol.database.transaction() as session:
        add_sheet(session, RECORD, "carol", minutes=30, score=8.0)
    bob = stranger(tmp_path, "bob", work_of=())
    bob.bundles.import_bundle(carol.export(tmp_path / "carol.zip"))
    with bob.database.transaction() as session:  # bob forges a later verdict in carol's name
        add_verdict(session, RECORD, 4, "carol", "contradicts", minutes=950)
    forwarded = bob.export(tmp_path / "bob.zip")
    with zipfile.ZipFile(forwarded) as archive:
        signatures = [n for n in archive.namelist() if n.startswith("attestations/")]
    assert len(signatures) == 4  # bob's own and carol's, each a .json and a .sig

    report = ana.bundles.verify(forwarded)
    result = ana.bundles.import_bundle(forwarded)

    carol_key = ReviewerKeys.load("carol", CredentialStore()).fingerprint
    by_name = {work.name: work for work in report.reviewers}
    assert by_name["carol"].vouched_by == "work signature"
    assert by_name["carol"].fingerprint == carol_key and by_name["carol"].first_seen
    assert by_name["carol"].would_add == {"verdict": 1, "sheet": 1}
    assert [d.row.label.split(" (")[0] for d in by_name["carol"].refused] == [
        "verdict contradicts on claim 4"
    ]
    assert ana.verdicts("carol") == {2: "supports"}  # carol's own signed work, not bob's forgery
    assert refused_of(result) == {("carol", "verdict")}
    assert set(result.pinned) == {"bob", "carol"} and result.pinned["carol"] == carol_key
    assert ana.trust.known_key("carol") == carol_key
    # ana can forward carol's work in turn, still signed by carol
    relayed = ana.export(tmp_path / "ana.zip")
    dan = Person("dan", tmp_path / "dan.sqlite3", tmp_path / "dan-trust.json")
    relayed_result = dan.bundles.import_bundle(relayed)
    assert dan.verdicts("carol") == {2: "supports"} and not relayed_result.refused
    for person in (carol, bob, dan):
        person.database.close()


@pytest.mark.parametrize(
    "name", ["Ana", "ana ", " ana", "an\u200ba", "\u0430na", "ＡＮＡ"], ids=repr
)
def test_a_signer_posing_as_the_local_reviewer_is_refused(
    ana: Person, tmp_path: Path, memory_keyring, name: str
) -> None:
    bundle = resigned(stranger(tmp_path, "mallory").export(tmp_path / "m.zip"), name)
    before = ana.trust.snapshot()

    report = ana.bundles.verify(bundle)
    with pytest.raises(BundleError, match="REVIEWER OF THIS WORKSPACE"):
        ana.bundles.import_bundle(bundle)

    assert [p.kind for p in report.problems if p.path == "signer.json"] == ["impersonation"]
    assert ana.trust.snapshot() == before
    assert ana.verdicts("ana") == {1: "contradicts"}


def test_a_signer_with_the_local_reviewers_own_name_is_refused(
    ana: Person, tmp_path: Path, memory_keyring
) -> None:
    bundle = resigned(stranger(tmp_path, "mallory").export(tmp_path / "m.zip"), "ana")
    with pytest.raises(BundleError, match="NOT THEIR OWN"):
        ana.bundles.import_bundle(bundle)
    assert ana.trust.known_key("ana") is None


@pytest.mark.parametrize("name", ["Bob", "bob\u200d", "b\u043eb", "bob  "], ids=repr)
def test_a_new_key_for_a_name_like_a_known_reviewers_is_refused(
    ana: Person, tmp_path: Path, memory_keyring, name: str
) -> None:
    ana.trust.remember("bob", ReviewerKeys.generate("bob").fingerprint)
    bundle = resigned(stranger(tmp_path, "mallory").export(tmp_path / "m.zip"), name)
    before = ana.trust.snapshot()

    with pytest.raises(BundleError, match="LOOKS LIKE KNOWN REVIEWER 'bob'"):
        ana.bundles.import_bundle(bundle)

    assert ana.trust.snapshot() == before


def test_own_key_is_entered_at_the_first_export(ana: Person, tmp_path: Path, memory_keyring):
    assert ana.trust.known_reviewers() == {}
    result = ana.bundles.export([RECORD], tmp_path / "a.zip", reviewer="ana")

    assert ana.trust.own_reviewers() == {"ana": result.fingerprint}
    # her own bundle comes back in without a refusal, adding nothing
    again = ana.bundles.import_bundle(result.path)
    assert not again.refused and sum(again.added.values()) == 0
    # a stranger's "ana" key can no longer be pinned for her
    fake = resigned(stranger(tmp_path, "mallory").export(tmp_path / "m.zip"), "ana")
    with pytest.raises(BundleError, match="SIGNING KEY OF REVIEWER 'ana' HAS CHANGED"):
        ana.bundles.import_bundle(fake)
    assert ana.trust.known_key("ana") == result.fingerprint


def test_own_export_replaces_a_key_pinned_for_you_by_someone_else(
    ana: Person, tmp_path: Path, memory_keyring
) -> None:
    planted = ReviewerKeys.generate("ana").fingerprint
    ana.trust.remember("ana", planted)  # as an older version did from a stranger's "ana" bundle

    result = ana.bundles.export([RECORD], tmp_path / "a.zip", reviewer="ana")

    assert ana.trust.own_reviewers() == {"ana": result.fingerprint}
    assert any(planted in warning and "not your own" in warning for warning in result.warnings)


def test_a_bundle_refused_on_content_pins_no_key(ana: Person, tmp_path: Path, memory_keyring):
    zed = stranger(tmp_path, "zed", work_of=())
    good = zed.export(tmp_path / "zed.zip")
    members = bundle_members(good)
    review = json.loads(members[REVIEW])
    review["claims"][0]["verdicts"].append({**VERDICT, "created": "2026-02-30T10:00:00Z"})
    members[REVIEW] = canonical_json(review)
    bad = write_bundle(
        tmp_path / "bad.zip",
        payload(members),
        app_version="0.1.0",
        reviewer="zed",
        signer=ReviewerKeys.load("zed", CredentialStore()),
    )
    before = ana.trust.snapshot()

    report = ana.bundles.verify(bad)
    with pytest.raises(BundleError, match="2026-02-30"):
        ana.bundles.import_bundle(bad)

    assert [p.kind for p in report.problems] == ["malformed"]
    assert ana.trust.snapshot() == before and ana.trust.known_key("zed") is None
    verified = ana.bundles.verify(good)
    assert verified.pins and ana.trust.known_key("zed") is None  # verifying pins nothing
    ana.bundles.import_bundle(good)
    assert ana.trust.known_key("zed") == verified.pins["zed"]
    zed.database.close()


def test_a_failed_import_puts_the_trust_store_back(
    ana: Person, tmp_path: Path, memory_keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = stranger(tmp_path, "zed", work_of=()).export(tmp_path / "zed.zip")
    before = ana.trust.snapshot()
    real_remember_all = JsonTrustStore.remember_all

    def remember_then_fail(self: JsonTrustStore, *args: object, **kwargs: object) -> None:
        real_remember_all(self, *args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("disk gone at commit")

    monkeypatch.setattr(JsonTrustStore, "remember_all", remember_then_fail)
    with pytest.raises(RuntimeError):
        ana.bundles.import_bundle(bundle)

    assert ana.trust.snapshot() == before
    assert ana.verdicts("zed") == {}


def test_a_format_1_bundle_imports_its_signers_work_and_lists_the_rest(
    ana: Person, tmp_path: Path, memory_keyring
) -> None:
    mallory = stranger(tmp_path, "mallory", work_of=("carol",))
    members = bundle_members(mallory.export(tmp_path / "m.zip"))
    old = {n: d for n, d in payload(members).items() if not n.startswith("attestations/")}
    bundle = write_bundle(
        tmp_path / "v1.zip",
        old,
        app_version="0.1.0",
        reviewer="mallory",
        signer=ReviewerKeys.load("mallory", CredentialStore()),
    )
    manifest = json.loads(bundle_members(bundle)["manifest.json"])
    manifest["format_version"] = 1
    keys = ReviewerKeys.load("mallory", CredentialStore())
    manifest_bytes = canonical_json(manifest)
    rewrite_zip(
        bundle,
        replace={
            "manifest.json": manifest_bytes,
            "manifest.sig": encode_signature(keys.sign(manifest_bytes)),
        },
    )

    report = ana.bundles.verify(bundle)
    result = ana.bundles.import_bundle(bundle)

    assert report.intact and not report.ok
    assert {w.name: w.vouched_by for w in report.reviewers} == {
        "mallory": "bundle signature",
        "carol": "nobody",
    }
    assert ana.verdicts("mallory") == {2: "supports"}
    assert refused_of(result) == {("carol", "verdict"), ("carol", "sheet"), ("carol", "span")}
    assert all(d.reason == "not signed by carol" for d in result.refused)
    mallory.database.close()


def test_the_trust_migration_upgrades_a_0003_workspace(db_url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from reviewer_app.storage.database import MIGRATIONS_DIR

    old = Database.open(db_url, upgrade=False)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with old.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    import_samples(old, REPORT)  # records only: their tables are as at 0003
    with old.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO reviewers (id, name, created_at) VALUES (1, 'here', :t), "
                "(2, 'came', :t), (3, 'both', :t), (4, 'idle', :t)"
            ),
            {"t": CREATED},
        )
        for reviewer, origin in ((1, "local"), (2, "bundle x y"), (3, "bundle x y"), (3, "local")):
            connection.execute(
                text(
                    "INSERT INTO claim_verdicts (record_id, claim_position, reviewer_id, "
                    "verdict, created_at, origin) VALUES (:r, 1, :who, 'supports', :t, :o)"
                ),
                {"r": RECORD, "who": reviewer, "t": CREATED, "o": origin},
            )
    old.close()

    database = Database.open(db_url)  # upgrades to the head, whatever its id
    assert database.schema_revision() == Database.head_revision()
    with database.reading() as session:
        rows = dict(session.execute(text("SELECT name, imported_from FROM reviewers")).all())
        assert session.execute(text("SELECT count(*) FROM work_signatures")).scalar() == 0
    # only a reviewer whose every judgement came from bundles is marked as imported
    assert rows == {"here": None, "came": "bundle", "both": None, "idle": None}
    database.close()


def test_cli_verify_and_import_list_the_work_not_vouched_for(
    tmp_path: Path, memory_keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from reviewer_app.cli import cli

    mallory = stranger(tmp_path, "mallory", work_of=("carol",))
    bundle = mallory.export(tmp_path / "m.zip")
    mallory.database.close()
    target = tmp_path / "target.sqlite3"

    def run(*args: str) -> tuple[int, list[str], str]:
        result = CliRunner().invoke(cli, ["--db", str(target), *args], catch_exceptions=False)
        return result.exit_code, result.stdout.splitlines(), result.stderr

    code, out, err = run("verify", str(bundle))
    assert code == 2
    unvouched = [line.split("\t") for line in out if line.startswith("unvouched\t")]
    assert {(u[1], u[2], u[3]) for u in unvouched} == {(REVIEW, "carol", RECORD)}
    assert len(unvouched) == 3 and all(u[4].endswith("not signed by carol") for u in unvouched)
    reviewers = [line.split("\t") for line in out if line.startswith("reviewer\t")]
    assert [r[1:4] for r in reviewers] == [
        ["mallory", "bundle signature (first seen)", reviewers[0][3]],
        ["carol", "nobody", "-"],
    ]
    assert reviewers[0][4] == "1 verdicts" and reviewers[1][4] == "nothing new; 3 refused"

    code, out, err = run("import-bundle", str(bundle))
    assert code == 0, err
    refused = [line.split("\t") for line in out if line.startswith("refused\t")]
    assert sorted(r[1:3] for r in refused) == [["carol", RECORD]] * 3
    assert {r[3].split(" ")[0] for r in refused} == {"verdict", "submitted", "evidence"}
    assert "3 rows of work by carol left out" in err
    assert "First bundle from reviewer 'mallory'" in err and "is now remembered" in err


def test_work_signed_under_a_look_alike_of_the_local_reviewer_is_refused(
    ana: Person, tmp_path: Path, memory_keyring
) -> None:
    mallory = stranger(tmp_path, "mallory", work_of=("Ana",))
    # "Ana" signs her work in mallory's workspace; mallory forwards that signature
    mallory.bundles.export([RECORD], tmp_path / "Ana.zip", reviewer="Ana")
    bundle = mallory.export(tmp_path / "m.zip")

    result = ana.bundles.import_bundle(bundle)

    refused = {(d.author, d.row.kind): d for d in result.refused}
    assert set(refused) == {("Ana", "verdict"), ("Ana", "sheet"), ("Ana", "span")}
    assert all("reviewer of this workspace" in d.reason for d in refused.values())
    assert "Ana" not in result.pinned and ana.trust.known_key("Ana") is None
    assert ana.verdicts("ana") == {1: "contradicts"} and ana.verdicts("Ana") == {}
    mallory.database.close()


def test_a_bundle_cannot_re_anchor_someone_elses_span(
    ana: Person, tmp_path: Path, memory_keyring
) -> None:
    with ana.database.transaction() as session:
        span_id = add_span(session, RECORD, 1, "ana", minutes=12)
    mallory = stranger(tmp_path, "mallory", work_of=())
    with mallory.database.transaction() as session:
        own_span = add_span(session, RECORD, 1, "mallory", minutes=6)
    members = bundle_members(mallory.export(tmp_path / "m.zip"))
    name = next(n for n in members if n.startswith("annotations/"))
    collection = json.loads(members[name])
    (annotation,) = [a for a in collection["first"]["items"] if own_span in a["id"]]
    annotation["id"] = f"urn:uuid:{span_id}"  # mallory's annotation, ana's span id
    annotation["sr:anchors"] = [
        {
            "pdf_sha256": "c" * 64,
            "status": "moved",
            "page": 3,
            "quads": [[1, 2, 3, 2, 1, 4, 3, 4]],
            "start": 1,
            "end": 9,
            "score": 0.9,
            "computed": "2026-03-02T10:00:00+00:00",
        }
    ]
    members[name] = canonical_json(collection)
    keys = ReviewerKeys.load("mallory", CredentialStore())
    bundle = write_bundle(
        tmp_path / "anchors.zip",
        {n: d for n, d in payload(members).items() if not n.startswith("attestations/")},
        app_version="0.1.0",
        reviewer="mallory",
        signer=keys,
    )

    ana.bundles.import_bundle(bundle)

    with ana.database.reading() as session:
        anchors = session.scalar(
            select(func.count()).select_from(SpanAnchorRow).where(SpanAnchorRow.span_id == span_id)
        )
    assert anchors == 0
    mallory.database.close()
