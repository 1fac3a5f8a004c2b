"""one first impression per reviewer and record

Concurrent ``score --submit`` runs could each store a "first impression" sheet. A partial
unique index now allows one per (record, reviewer). Workspaces that already hold duplicates
keep the earliest as the first impression; the later ones stay as ordinary submitted versions,
so no sheet is lost.

Revision ID: 0005_races
Revises: 0003
Create Date: 2026-12-01 21:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0005_races'
down_revision = '0003'
branch_labels = None
depends_on = None

_INDEX = 'uq_score_sheets_first_impression'
_WHERE = sa.text('first_impression')


def upgrade() -> None:
    op.execute(
        """
        UPDATE score_sheets SET first_impression = false
        WHERE first_impression AND id > (
            SELECT min(earliest.id) FROM score_sheets AS earliest
            WHERE earliest.record_id = score_sheets.record_id
              AND earliest.reviewer_id = score_sheets.reviewer_id
              AND earliest.first_impression
        )
        """
    )
    op.create_index(
        _INDEX,
        'score_sheets',
        ['record_id', 'reviewer_id'],
        unique=True,
        sqlite_where=_WHERE,
        postgresql_where=_WHERE,
    )


def downgrade() -> None:
    op.drop_index(_INDEX, table_name='score_sheets')
