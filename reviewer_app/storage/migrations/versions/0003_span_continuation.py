"""span continuation pages

Evidence spans and their re-anchorings keep the quads of every page they cover: the first page
stays in ``page``/``quads``; the pages after it go into the new nullable JSON column
``continuation``. Existing rows keep NULL (their other pages are redrawn from character offsets,
as before), since the migration has no PDF to compute them from.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_TABLES = ('evidence_spans', 'span_anchors')


def upgrade() -> None:
    # a nullable column is added in place on SQLite too (no table copy needed)
    for table in _TABLES:
        op.add_column(table, sa.Column('continuation', sa.JSON(), nullable=True))


def downgrade() -> None:
    # SQLite >= 3.35 drops a plain column in place. Batch mode's table copy would be worse:
    # with foreign keys on, dropping the old evidence_spans table cascades to span_anchors.
    for table in reversed(_TABLES):
        with op.batch_alter_table(table, recreate='never') as batch_op:
            batch_op.drop_column('continuation')
