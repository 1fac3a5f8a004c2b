"""stored text layer of an indexed PDF

``passage_layers.text_layer`` keeps the document's text layer packed (text, word offsets,
lines and boxes, and both comparison forms of the text; see ``pdf/packed_layer.py``), built
in the same pass as the passage index, so find-in-document and ``annotate --quote`` no longer
read every page of the PDF again. NULL for indexes built before: the next index run adds it.

Revision ID: 0011_text_layer
Revises: 0010_levels
Create Date: 2026-12-02 01:10:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0011_text_layer'
down_revision = '0010_levels'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('passage_layers') as batch:
        batch.add_column(sa.Column('text_layer', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('passage_layers') as batch:
        batch.drop_column('text_layer')
