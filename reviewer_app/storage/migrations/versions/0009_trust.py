"""work signatures and imported reviewers

Two things the bundle trust model needs to remember. ``work_signatures`` keeps each reviewer's
signed list of their rows of work exactly as it came in a bundle, so the rows can be forwarded
in later exports with their author's signature. ``reviewers.imported_from`` tells reviewers who
came with a bundle from the reviewers of this workspace (NULL), whose work no bundle may change.
Existing reviewers with work from bundles and none made here are marked as imported.

Revision ID: 0009_trust
Revises: 0007_grounding
Create Date: 2026-12-01 21:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0009_trust'
down_revision = '0007_grounding'
branch_labels = None
depends_on = None

_JUDGEMENTS = (('claim_verdicts', 'reviewer_id'), ('score_sheets', 'reviewer_id'),
               ('adjudications', 'adjudicator_id'))


def upgrade() -> None:
    op.add_column('reviewers', sa.Column('imported_from', sa.String(length=80), nullable=True))
    op.create_table(
        'work_signatures',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('author', sa.String(length=200), nullable=False),
        sa.Column('fingerprint', sa.String(length=80), nullable=False),
        sa.Column('document', sa.Text(), nullable=False),
        sa.Column('signature', sa.Text(), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('digest'),
    )
    op.create_index('ix_work_signatures_author', 'work_signatures', ['author'])
    local = ' OR '.join(
        f"EXISTS (SELECT 1 FROM {table} t WHERE t.{column} = reviewers.id "
        "AND (t.origin IS NULL OR t.origin = 'local'))"
        for table, column in _JUDGEMENTS
    )
    imported = ' OR '.join(
        f"EXISTS (SELECT 1 FROM {table} t WHERE t.{column} = reviewers.id "
        "AND t.origin LIKE 'bundle %')"
        for table, column in _JUDGEMENTS
    )
    op.execute(
        f"UPDATE reviewers SET imported_from = 'bundle' WHERE NOT ({local}) AND ({imported})"
    )


def downgrade() -> None:
    op.drop_index('ix_work_signatures_author', table_name='work_signatures')
    op.drop_table('work_signatures')
    with op.batch_alter_table('reviewers', recreate='never') as batch_op:
        batch_op.drop_column('imported_from')
