"""Bundle export and import time: 100 records reviewed by 3 reviewers each.

Each record has 10 claims; each reviewer has two score sheet versions, a verdict on every claim
and 3 evidence spans; each record has a tier under the default policy. Rows are generated
directly with SQLAlchemy Core. The bundle is exported unsigned (no keyring is needed) and
imported into a fresh SQLite workspace, then imported again (the no-op re-import).

Run: .venv/bin/python benchmarks/bundle_bench.py [--records N] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import insert  # noqa: E402

from reviewer_app.domain.records import Claim  # noqa: E402
from reviewer_app.domain.tier_policy import DEFAULT_TIER_POLICY  # noqa: E402
from reviewer_app.importers import read_synthesis  # noqa: E402
from reviewer_app.services.bundles import BundleService  # noqa: E402
from reviewer_app.storage.database import Database  # noqa: E402
from reviewer_app.storage.records_repository import save_revision  # noqa: E402
from reviewer_app.storage.review_models import (  # noqa: E402
    ClaimVerdictRow,
    EvidenceSpanRow,
    ScoreSheetRow,
    TierPolicyRow,
    TierResultRow,
)
from reviewer_app.storage.reviewers_repository import ensure_reviewer  # noqa: E402

SAMPLE = REPO / "resources" / "demo" / "records" / "report-sparse-multimodal-alignment.txt"
REVIEWERS = ("alice", "bob", "carol")
LEVELS = ("LOW", "MEDIUM", "HIGH")
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def fill(database: Database, count: int) -> list[str]:
    base = read_synthesis(SAMPLE)
    claims = tuple(Claim(i, f"Claim {i} of the synthesis.", i % 2 == 0, 0.5) for i in range(1, 11))
    ids: list[str] = []
    sheets, verdicts, spans, tiers = [], [], [], []
    with database.transaction() as session:
        session.add(
            TierPolicyRow(version=1, definition=DEFAULT_TIER_POLICY.to_json(), created_at=T0)
        )
        reviewer_ids = [ensure_reviewer(session, name).id for name in REVIEWERS]
        for n in range(count):
            record = replace(base, title=f"{base.title} {n}", claims=claims)
            record_id = save_revision(session, record, f"r{n}.txt").local_id
            ids.append(record_id)
            for r, reviewer_id in enumerate(reviewer_ids):
                for version in range(2):
                    sheets.append(
                        {
                            "record_id": record_id,
                            "reviewer_id": reviewer_id,
                            "evidence_strength": LEVELS[(n + r) % 3],
                            "citation_grounding": LEVELS[(n + version) % 3],
                            "uncertainty_disclosure": "MEDIUM",
                            "reproducibility_status": None,
                            "review_score": 5.0 + r + version / 2,
                            "recommendation": "revise",
                            "comments": "generated",
                            "submitted": True,
                            "first_impression": version == 0,
                            "created_at": T0 + timedelta(minutes=n * 10 + r + version),
                            "origin": "local",
                        }
                    )
                for position in range(1, 11):
                    verdicts.append(
                        {
                            "record_id": record_id,
                            "claim_position": position,
                            "reviewer_id": reviewer_id,
                            "verdict": "supports" if (position + r) % 3 else "contradicts",
                            "reason": None,
                            "note": None,
                            "origin": "local",
                            "created_at": T0 + timedelta(minutes=n * 10 + r, seconds=position),
                        }
                    )
                for s in range(3):
                    spans.append(
                        {
                            "id": str(uuid.uuid4()),
                            "record_id": record_id,
                            "claim_position": s + 1,
                            "reviewer_id": reviewer_id,
                            "source_sha256": "a" * 64,
                            "stance": "supports",
                            "note": None,
                            "page": s,
                            "quads": [[72.0, 100.0, 300.0, 100.0, 72.0, 112.0, 300.0, 112.0]],
                            "exact": "a quoted passage",
                            "prefix": "before ",
                            "suffix": " after",
                            "start": 100 * s,
                            "end": 100 * s + 16,
                            "removed_at": None,
                            "created_at": T0 + timedelta(minutes=n * 10 + r, seconds=30 + s),
                        }
                    )
            tiers.append(
                {
                    "record_id": record_id,
                    "policy_version": 1,
                    "tier": "Watchlist",
                    "basis": "generated",
                    "computed_at": T0,
                }
            )
        for table, rows in (
            (ScoreSheetRow, sheets),
            (ClaimVerdictRow, verdicts),
            (EvidenceSpanRow, spans),
            (TierResultRow, tiers),
        ):
            session.execute(insert(table.__table__), rows)
    return ids


def timed(label: str, action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    elapsed = time.perf_counter() - start
    print(f"{label:<44} {elapsed:7.2f} s")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--postgres-url", help="Also import into this (empty) PostgreSQL db.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = Database.open(root / "source.sqlite3")
        ids = fill(source, args.records)
        bundle = root / "bundle.zip"
        service = BundleService(source)
        print(
            f"{args.records} records x {len(REVIEWERS)} reviewers "
            "(2 sheet versions, 10 verdicts, 3 spans each)"
        )
        timed(
            "export (SQLite)",
            lambda: service.export(ids, bundle, reviewer="alice", allow_unsigned=True),
        )
        print(f"{'bundle size':<44} {bundle.stat().st_size / 1024:7.0f} KiB")
        targets = [str(root / "target.sqlite3")]
        if args.postgres_url:
            targets.append(args.postgres_url)
        for url in targets:
            name = "PostgreSQL" if "://" in url else "SQLite"
            target = Database.open(url)
            importer = BundleService(target)
            timed(
                f"import into an empty workspace ({name})",
                lambda importer=importer: importer.import_bundle(bundle, allow_unsigned=True),
            )
            timed(
                f"re-import, nothing to add ({name})",
                lambda importer=importer: importer.import_bundle(bundle, allow_unsigned=True),
            )
            target.close()
        source.close()


if __name__ == "__main__":
    main()
