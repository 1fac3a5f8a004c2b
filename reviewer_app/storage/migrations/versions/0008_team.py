"""team workspace on PostgreSQL

Installs what a team workspace needs on PostgreSQL: the helper functions the row-level security
policies call, the work ledger (who worked on which record) the blind-mode policies read, the
policies themselves, and the triggers that keep the ledger and send live-update notifications.
Policies stay inert until ``reviewer-app team init`` enables row level security, so databases
that never become team workspaces behave as before (apart from the notifications, which cost a
NOTIFY per changed record). A no-op on SQLite: a SQLite workspace is a local, single-user file.

Revision ID: 0008_team
Revises: 0009_trust
Create Date: 2026-12-01 21:00:00.000000
"""
from __future__ import annotations

from alembic import op

from reviewer_app.storage import team_sql

revision = '0008_team'
down_revision = '0009_trust'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(team_sql.FUNCTIONS)
    policies = team_sql.policy_statements(skip=team_sql.TABLES_AFTER_0008)  # not created yet
    for statement in (*team_sql.notify_trigger_statements(), *policies):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in team_sql.TEAM_TABLES:
        if table != 'reviewer_app_work' and table not in team_sql.TABLES_AFTER_0008:
            op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
            op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
    op.execute(team_sql.DROP_ALL_POLICIES)
    for table in team_sql.NOTIFIED_TABLES:
        op.execute(f'DROP TRIGGER IF EXISTS reviewer_app_notify ON "{table}"')
    op.execute(team_sql.DROP_FUNCTIONS)
