"""stored computed grounding levels (per record and viewer) for the records list

The records list sorts and filters on a record's computed grounding level in SQL, over every
record: each database role stores the level it computed, from what it may see
(``storage/grounding_levels.py``). On PostgreSQL the table gets its row level security policies
(a role reads and writes only its own rows); in a database that is already a team workspace it
is put under forced row level security and members may write it, as ``team init`` would.

Revision ID: 0010_levels
Revises: 0008_team
Create Date: 2026-12-02 01:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

from reviewer_app.storage import team_sql

revision = '0010_levels'
down_revision = '0008_team'
branch_labels = None
depends_on = None

_TABLE = 'grounding_levels'


def upgrade() -> None:
    op.create_table(
        _TABLE,
        sa.Column(
            'record_id', sa.String(64), sa.ForeignKey('records.id', ondelete='CASCADE'),
            primary_key=True,
        ),
        sa.Column('viewer', sa.String(200), primary_key=True),
        sa.Column('level', sa.String(4), nullable=False),
        sa.Column('sort_key', sa.Integer(), nullable=False),
        sa.Column('imported_level', sa.String(16), nullable=True),
        sa.Column('over_states', sa.Boolean(), nullable=False),
        sa.Column('difference', sa.Text(), nullable=True),
        sa.Column('rules_version', sa.Integer(), nullable=False),
        sa.Column('revision_id', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sa.String(64), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    )
    if op.get_bind().dialect.name != 'postgresql':
        return
    for statement in team_sql.policy_statements(only=(_TABLE,)):
        op.execute(statement)
    team = op.get_bind().scalar(sa.text(
        "SELECT relforcerowsecurity FROM pg_class WHERE oid = 'reviewers'::regclass"
    ))
    if team:
        member = op.get_bind().scalar(sa.text("SELECT current_database() || '_member'"))
        op.execute(f'GRANT SELECT, INSERT, UPDATE ON "{_TABLE}" TO "{member}"')
        op.execute(f'ALTER TABLE "{_TABLE}" ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{_TABLE}" FORCE ROW LEVEL SECURITY')


def downgrade() -> None:
    op.drop_table(_TABLE)  # its policies go with it
