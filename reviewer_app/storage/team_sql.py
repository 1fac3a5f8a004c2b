"""The PostgreSQL side of a team workspace: helper functions, row-level security policies and the
work ledger they read, installed by migration 0008 and switched on by ``team init``.

The migration only *defines* things (functions, the ledger table, policies, triggers): with row
level security disabled, policies are inert, so a database that never runs ``team init`` behaves
exactly as before. ``team init`` creates the group roles, grants privileges, reinstalls the
policies and triggers of this version of the app (``reinstall_statements``: so re-running it
upgrades a team database made by an older version) and then enables and forces row level
security (``FORCE`` so the table owner is bound too, through its own policy).

Group roles are per database (``<database>_member``, ``<database>_adjudicator``,
``<database>_policy_editor``) because roles are cluster-wide and one server may hold several
team workspaces.
"""

from __future__ import annotations

TEAM_TABLES = (
    "records",
    "record_revisions",
    "claims",
    "references",
    "benchmarks",
    "reviewers",
    "source_files",
    "evidence_spans",
    "span_anchors",
    "claim_verdicts",
    "score_sheets",
    "adjudications",
    "tier_policies",
    "tier_results",
    "corrections",
    "workspace_settings",
    "reviewer_app_work",
    "passage_layers",
    "passages",
    "suggestion_rankings",
    "suggestion_dismissals",
    "grounding_rules",
    "gate_artifacts",
    "gate_attestations",
    "work_signatures",
    "grounding_levels",
)
"""Every table row level security covers (all the app's tables but alembic_version)."""

TABLES_AFTER_0008 = ("grounding_levels",)
"""Tables later migrations create (and install the policies of): migration 0008 skips them."""

SHARED_INPUT = "shared input"
SHARED_DERIVED = "shared derived"
REVIEWER_WORK = "reviewer work"
POLICY_DATA = "policy"
LEDGER = "ledger"
VIEWER_DERIVED = "viewer derived"
TABLE_CLASSES: dict[str, str] = {
    # what the team reviews: readable by all, added by any member, never changed afterwards
    **dict.fromkeys(("records", "record_revisions", "claims", "references"), SHARED_INPUT),
    **dict.fromkeys(("benchmarks", "corrections", "source_files"), SHARED_INPUT),
    "gate_artifacts": SHARED_INPUT,
    "reviewers": SHARED_INPUT,
    # a reviewer's signed list of their own rows (issue 16): it reveals digests, not judgements,
    # and its Ed25519 signature is checked wherever it is used
    "work_signatures": SHARED_INPUT,
    # recomputable from the inputs, written by whichever member's action needs it
    **dict.fromkeys(("tier_results", "passage_layers", "passages"), SHARED_DERIVED),
    "suggestion_rankings": SHARED_DERIVED,
    # recomputable, but from what one role may see (blind mode): each role's own rows only
    "grounding_levels": VIEWER_DERIVED,
    # one reviewer's judgement: inserted as oneself only, blind until one has submitted
    **dict.fromkeys(("score_sheets", "claim_verdicts", "evidence_spans"), REVIEWER_WORK),
    **dict.fromkeys(("span_anchors", "adjudications"), REVIEWER_WORK),
    **dict.fromkeys(("suggestion_dismissals", "gate_attestations"), REVIEWER_WORK),
    # rules of the workspace: readable by all, changed by adjudicators and policy editors
    **dict.fromkeys(("tier_policies", "workspace_settings", "grounding_rules"), POLICY_DATA),
    "reviewer_app_work": LEDGER,
}
"""How the server treats each table (README "Team workspace"); a test fails when a table of
the schema is missing here, so a new table cannot be left unprotected or unusable."""

MEMBER_INSERTS = tuple(t for t in TEAM_TABLES if t != "reviewer_app_work")
MEMBER_UPDATES = (
    "reviewers",
    "source_files",
    "evidence_spans",
    "span_anchors",
    "tier_policies",
    "tier_results",
    "workspace_settings",
    "passage_layers",
    "passages",
    "suggestion_rankings",
    "grounding_levels",
)
"""Tables whose rows the app changes in place (a span's removal mark, a re-anchoring, a
recomputed tier, a setting, a passage index growing its vectors, the last ranking shown);
every other table is append-only for members."""
MEMBER_DELETES = ("passage_layers", "passages")
"""A passage index is rebuilt (older index version) by deleting it: derived data only."""

NOTIFY_CHANNEL = "reviewer_app_changes"

FUNCTIONS = r"""
CREATE TABLE reviewer_app_work (
    record_id varchar(64) NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    reviewer_id integer NOT NULL REFERENCES reviewers(id),
    kind varchar(16) NOT NULL,
    PRIMARY KEY (record_id, reviewer_id, kind)
);
COMMENT ON TABLE reviewer_app_work IS
    'Who has worked on which record (sheet, submitted, verdict, span): what the blind-mode '
    'policies read, since a policy on score_sheets cannot query score_sheets itself.';

CREATE FUNCTION reviewer_app_me() RETURNS integer LANGUAGE sql STABLE AS
$$ SELECT id FROM reviewers WHERE name = current_user $$;

CREATE FUNCTION reviewer_app_is_owner() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT pg_has_role(current_user, c.relowner, 'MEMBER')
   FROM pg_class c WHERE c.oid = 'reviewers'::regclass $$;

CREATE FUNCTION reviewer_app_has_role(suffix text) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM pg_roles r
                  WHERE r.rolname = current_database() || '_' || suffix
                    AND pg_has_role(current_user, r.oid, 'MEMBER')) $$;

CREATE FUNCTION reviewer_app_may_set_policy() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT reviewer_app_has_role('adjudicator') OR reviewer_app_has_role('policy_editor') $$;

CREATE FUNCTION reviewer_app_blind() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT COALESCE((SELECT value::text <> 'false' FROM workspace_settings
                    WHERE key = 'blind_mode'), true) $$;

-- NULL unless this is a team workspace (row level security forced) and the connected role is a
-- member rather than the owner: then the name every write is recorded under.
CREATE FUNCTION reviewer_app_team_identity() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT CASE WHEN c.relforcerowsecurity AND NOT reviewer_app_is_owner()
               THEN current_user::text END
   FROM pg_class c WHERE c.oid = 'reviewers'::regclass $$;

-- Runs as the owner so members need no write access to the ledger and cannot forge it.
CREATE FUNCTION reviewer_app_note_work() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS
$$ BEGIN
    INSERT INTO reviewer_app_work (record_id, reviewer_id, kind)
    VALUES (NEW.record_id, NEW.reviewer_id, TG_ARGV[0]) ON CONFLICT DO NOTHING;
    IF (to_jsonb(NEW) ->> 'submitted')::boolean THEN
        INSERT INTO reviewer_app_work (record_id, reviewer_id, kind)
        VALUES (NEW.record_id, NEW.reviewer_id, 'submitted') ON CONFLICT DO NOTHING;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER reviewer_app_work_sheet AFTER INSERT ON score_sheets
    FOR EACH ROW EXECUTE FUNCTION reviewer_app_note_work('sheet');
CREATE TRIGGER reviewer_app_work_verdict AFTER INSERT ON claim_verdicts
    FOR EACH ROW EXECUTE FUNCTION reviewer_app_note_work('verdict');
CREATE TRIGGER reviewer_app_work_span AFTER INSERT ON evidence_spans
    FOR EACH ROW EXECUTE FUNCTION reviewer_app_note_work('span');

-- Live updates: one notification per changed record and table, sent at the writer's commit.
-- Identical payloads in one transaction are folded into one by PostgreSQL; the time is the
-- writing statement's start (the same for every row of a multi-row INSERT).
CREATE FUNCTION reviewer_app_notify_change() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN
    PERFORM pg_notify('reviewer_app_changes', json_build_object(
        'table', TG_TABLE_NAME,
        'record', to_jsonb(NEW) ->> 'record_id',
        'reviewer', COALESCE(to_jsonb(NEW) ->> 'reviewer_id', to_jsonb(NEW) ->> 'adjudicator_id'),
        'at', extract(epoch FROM statement_timestamp())
    )::text);
    RETURN NULL;
END $$;

INSERT INTO reviewer_app_work (record_id, reviewer_id, kind)
    SELECT DISTINCT record_id, reviewer_id, 'sheet' FROM score_sheets
    UNION SELECT DISTINCT record_id, reviewer_id, 'submitted' FROM score_sheets WHERE submitted
    UNION SELECT DISTINCT record_id, reviewer_id, 'verdict' FROM claim_verdicts
    UNION SELECT DISTINCT record_id, reviewer_id, 'span' FROM evidence_spans;
"""

DROP_FUNCTIONS = """
DROP TABLE IF EXISTS reviewer_app_work CASCADE;
DROP TRIGGER IF EXISTS reviewer_app_work_sheet ON score_sheets;
DROP TRIGGER IF EXISTS reviewer_app_work_verdict ON claim_verdicts;
DROP TRIGGER IF EXISTS reviewer_app_work_span ON evidence_spans;
DROP FUNCTION IF EXISTS reviewer_app_note_work() CASCADE;
DROP FUNCTION IF EXISTS reviewer_app_notify_change() CASCADE;
DROP FUNCTION IF EXISTS reviewer_app_team_identity();
DROP FUNCTION IF EXISTS reviewer_app_blind() CASCADE;
DROP FUNCTION IF EXISTS reviewer_app_may_set_policy() CASCADE;
DROP FUNCTION IF EXISTS reviewer_app_has_role(text) CASCADE;
DROP FUNCTION IF EXISTS reviewer_app_is_owner() CASCADE;
DROP FUNCTION IF EXISTS reviewer_app_me() CASCADE;
"""

_MINE = "reviewer_id = reviewer_app_me()"
_SEES = f"{_MINE} OR reviewer_app_may_see_work(record_id)"
_IN_NEW_REVISION = (
    "EXISTS (SELECT 1 FROM record_revisions r WHERE r.id = \"{t}\".revision_id "
    "AND r.xmin::text::bigint = (SELECT txid_current() % 4294967296))"
)
"""A revision's claims, references and benchmarks are written with it, in the transaction that
imports it (its row's xmin), never added to an imported revision afterwards."""
_SPAN_VISIBLE = "EXISTS (SELECT 1 FROM evidence_spans s WHERE s.id = span_anchors.span_id)"
"""A re-anchoring is as visible as its span (evidence_spans' own policies apply inside)."""
# Policies are written with two shorthands, expanded per table by ``_expanded``:
# reviewer_app_may_see_work(record_id) -- others' judgements on the row's record are visible:
#     the workspace is not blind, or one has submitted one's own sheet on that record, or one is
#     an adjudicator who has done no work on it;
# reviewer_app_did(record_id, NULL) -- one has done any work on the row's record.

# (table, command, USING, WITH CHECK); commands not listed for a table are refused to members.
POLICIES: tuple[tuple[str, str, str | None, str | None], ...] = (
    *((t, "SELECT", "true", None) for t in ("records", "record_revisions", "claims")),
    *((t, "SELECT", "true", None) for t in ("references", "benchmarks", "reviewer_app_work")),
    *((t, "INSERT", None, "true") for t in ("records", "record_revisions")),
    *((t, "INSERT", None, _IN_NEW_REVISION.format(t=t)) for t in ("claims", "references")),
    ("benchmarks", "INSERT", None, _IN_NEW_REVISION.format(t="benchmarks")),
    ("reviewers", "SELECT", "true", None),
    ("reviewers", "INSERT", None, "name = current_user"),
    ("reviewers", "UPDATE", "name = current_user", "name = current_user"),
    ("source_files", "SELECT", "true", None),
    ("source_files", "INSERT", None, "attached_by = reviewer_app_me()"),
    ("source_files", "UPDATE", "true", "attached_by = reviewer_app_me()"),
    ("evidence_spans", "SELECT", _SEES, None),
    ("evidence_spans", "INSERT", None, _MINE),
    ("evidence_spans", "UPDATE", _MINE, _MINE),
    *(
        ("span_anchors", command, *using_check)
        for command, using_check in (
            ("SELECT", (_SPAN_VISIBLE, None)),
            ("INSERT", (None, _SPAN_VISIBLE)),
            ("UPDATE", (_SPAN_VISIBLE, _SPAN_VISIBLE)),
        )
    ),
    ("claim_verdicts", "SELECT", _SEES, None),
    ("claim_verdicts", "INSERT", None, _MINE),
    (
        "score_sheets",
        "SELECT",
        f"{_MINE} OR (submitted AND reviewer_app_may_see_work(record_id))",
        None,
    ),
    ("score_sheets", "INSERT", None, _MINE),
    (
        "adjudications",
        "SELECT",
        "adjudicator_id = reviewer_app_me() OR reviewer_app_may_see_work(record_id)",
        None,
    ),
    (
        "adjudications",
        "INSERT",
        None,
        "adjudicator_id = reviewer_app_me() AND reviewer_app_has_role('adjudicator') "
        "AND NOT reviewer_app_did(record_id, NULL)",
    ),
    ("corrections", "SELECT", "true", None),
    ("corrections", "INSERT", None, _MINE),
    *((t, "SELECT", "true", None) for t in ("tier_policies", "workspace_settings")),
    *(
        (t, "INSERT", None, "reviewer_app_may_set_policy()")
        for t in ("tier_policies", "workspace_settings")
    ),
    *(
        (t, "UPDATE", "reviewer_app_may_set_policy()", "reviewer_app_may_set_policy()")
        for t in ("tier_policies", "workspace_settings")
    ),
    ("tier_results", "SELECT", "true", None),
    ("tier_results", "INSERT", None, "true"),
    ("tier_results", "UPDATE", "true", "true"),
    # -- evidence finder (issue 12) and grounding checks (issue 13) --
    *(
        (t, command, *using_check)
        for t in ("passage_layers", "passages")
        for command, using_check in (
            ("SELECT", ("true", None)),
            ("INSERT", (None, "true")),
            ("UPDATE", ("true", "true")),
            ("DELETE", ("true", None)),
        )
    ),
    ("suggestion_rankings", "SELECT", "true", None),
    ("suggestion_rankings", "INSERT", None, "true"),
    ("suggestion_rankings", "UPDATE", "true", "true"),
    *((t, "SELECT", _SEES, None) for t in ("suggestion_dismissals", "gate_attestations")),
    *((t, "INSERT", None, _MINE) for t in ("suggestion_dismissals", "gate_attestations")),
    ("gate_artifacts", "SELECT", "true", None),
    ("gate_artifacts", "INSERT", None, "attached_by = reviewer_app_me()"),
    ("grounding_rules", "SELECT", "true", None),
    ("grounding_rules", "INSERT", None, "reviewer_app_may_set_policy()"),
    ("work_signatures", "SELECT", "true", None),
    # a member keeps only their own (at their signed export); the owner merges bundles
    ("work_signatures", "INSERT", None, "author = current_user OR reviewer_app_is_owner()"),
    # a computed level is as blind as the verdicts it was computed from: one's own rows only
    ("grounding_levels", "SELECT", "viewer = current_user", None),
    ("grounding_levels", "INSERT", None, "viewer = current_user"),
    ("grounding_levels", "UPDATE", "viewer = current_user", "viewer = current_user"),
)


NOTIFIED_TABLES = (
    "record_revisions",
    "reviewers",
    "source_files",
    "evidence_spans",
    "claim_verdicts",
    "score_sheets",
    "adjudications",
    "corrections",
    "tier_policies",
    "tier_results",
    "workspace_settings",
    "gate_artifacts",
    "gate_attestations",
    "grounding_rules",
)
"""Tables a colleague's window shows. Not the passage index (derived, thousands of rows a PDF)
nor suggestion rankings and dismissals (only their own author's window shows them)."""

WORK_TRIGGERS = (
    ("score_sheets", "sheet"),
    ("claim_verdicts", "verdict"),
    ("evidence_spans", "span"),
    ("gate_attestations", "attestation"),
)
"""(table, ledger kind): inserting a row counts as working on its record, so blindness lifts
only by submitting, and an adjudicator who attested an artifact has reviewed the record."""


def notify_trigger_statements() -> list[str]:
    return [
        f'CREATE TRIGGER reviewer_app_notify AFTER INSERT OR UPDATE ON "{table}" '
        "FOR EACH ROW EXECUTE FUNCTION reviewer_app_notify_change()"
        for table in NOTIFIED_TABLES
    ]


DROP_ALL_POLICIES = r"""
DO $$ DECLARE p record; BEGIN
    FOR p IN SELECT tablename, policyname FROM pg_policies
             WHERE schemaname = current_schema() AND policyname LIKE 'reviewer\_app\_%'
    LOOP
        EXECUTE format('DROP POLICY %I ON %I', p.policyname, p.tablename);
    END LOOP;
END $$
"""
"""Whatever policies an older version of the app installed, under whatever names."""


def reinstall_statements() -> list[str]:
    """What ``team init`` runs so that a team database made by an older version of the app gets
    the current policies, ledger and notification triggers (and a fresh one is unchanged)."""
    statements = [DROP_ALL_POLICIES]
    for table, kind in WORK_TRIGGERS:
        name = f"reviewer_app_work_{kind}"
        statements += [
            f'DROP TRIGGER IF EXISTS {name} ON "{table}"',
            f'CREATE TRIGGER {name} AFTER INSERT ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION reviewer_app_note_work('{kind}')",
            "INSERT INTO reviewer_app_work (record_id, reviewer_id, kind) "
            f"SELECT DISTINCT record_id, reviewer_id, '{kind}' FROM \"{table}\" "
            "ON CONFLICT DO NOTHING",
        ]
    for table in NOTIFIED_TABLES:
        statements.append(f'DROP TRIGGER IF EXISTS reviewer_app_notify ON "{table}"')
    return [*statements, *notify_trigger_statements(), *policy_statements()]


_ROW_INDEPENDENT = (
    "reviewer_app_me()",
    "reviewer_app_is_owner()",
    "reviewer_app_may_set_policy()",
    "reviewer_app_has_role('adjudicator')",
)


def _did(table: str, kind: str | None) -> str:
    of_kind = f" AND w.kind = '{kind}'" if kind else ""
    return (
        "EXISTS (SELECT 1 FROM reviewer_app_work w "
        f'WHERE w.record_id = "{table}".record_id AND w.reviewer_id = reviewer_app_me(){of_kind})'
    )


def _expanded(expression: str, table: str) -> str:
    """The policy text PostgreSQL gets. Calls that do not depend on the row become scalar
    subqueries, which the planner runs once per statement (an InitPlan) instead of once per
    row: ~150 us a row otherwise. Ledger look-ups are inlined so they use its primary key."""
    may_see = (
        f"((SELECT NOT reviewer_app_blind()) OR {_did(table, 'submitted')} "
        f"OR (reviewer_app_has_role('adjudicator') AND NOT {_did(table, None)}))"
    )
    expression = expression.replace("reviewer_app_may_see_work(record_id)", may_see)
    expression = expression.replace("reviewer_app_did(record_id, NULL)", _did(table, None))
    for call in _ROW_INDEPENDENT:
        expression = expression.replace(call, f"(SELECT {call})")
    return expression


def policy_statements(
    *, only: tuple[str, ...] | None = None, skip: tuple[str, ...] = ()
) -> list[str]:
    """The policies of every table, or of the tables ``only`` names, but those in ``skip``
    (a migration installs the policies of the tables that exist at its point of the chain)."""
    statements = []
    owner = _expanded("reviewer_app_is_owner()", "")
    for table in TEAM_TABLES:
        if (only is not None and table not in only) or table in skip:
            continue
        statements.append(
            f'CREATE POLICY reviewer_app_owner ON "{table}" USING ({owner}) WITH CHECK ({owner})'
        )
    for index, (table, command, using, check) in enumerate(POLICIES):
        if (only is not None and table not in only) or table in skip:
            continue
        clauses = (f" USING ({_expanded(using, table)})" if using else "") + (
            f" WITH CHECK ({_expanded(check, table)})" if check else ""
        )
        statements.append(
            f'CREATE POLICY reviewer_app_{command.lower()}_{index} ON "{table}" '
            f"FOR {command}{clauses}"
        )
    return statements
