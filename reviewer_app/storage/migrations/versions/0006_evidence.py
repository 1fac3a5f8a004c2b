"""evidence finder: passage indexes, suggestion rankings and dismissals

Full-text search is each database's own: on SQLite an FTS5 table ``passage_fts`` (porter
stemming over unicode61, external content over ``passages``), on PostgreSQL a generated
``tsvector`` column with a GIN index.

Revision ID: 0006_evidence
Revises: 0005_races
Create Date: 2026-12-01 21:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0006_evidence'
down_revision = '0005_races'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('passage_layers',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=False),
    sa.Column('passage_count', sa.Integer(), nullable=False),
    sa.Column('index_version', sa.Integer(), nullable=False),
    sa.Column('lexical_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('vector_model', sa.String(length=80), nullable=True),
    sa.Column('vectors_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('sha256')
    )
    op.create_table('passages',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=True),
    sa.Column('dense', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['sha256'], ['passage_layers.sha256'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sha256', 'ordinal')
    )
    op.create_index('ix_passages_sha256', 'passages', ['sha256'])
    op.create_table('suggestion_rankings',
    sa.Column('record_id', sa.String(length=64), nullable=False),
    sa.Column('claim_position', sa.Integer(), nullable=False),
    sa.Column('candidates', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', 'claim_position')
    )
    op.create_table('suggestion_dismissals',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('record_id', sa.String(length=64), nullable=False),
    sa.Column('claim_position', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['reviewers.id']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('record_id', 'claim_position', 'reviewer_id', 'source_sha256', 'start', 'end')
    )
    op.create_index('ix_suggestion_dismissals_claim', 'suggestion_dismissals',
                    ['record_id', 'claim_position', 'reviewer_id'])
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "ALTER TABLE passages ADD COLUMN tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED"
        )
        op.execute("CREATE INDEX ix_passages_tsv ON passages USING GIN (tsv)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE passage_fts USING fts5("
            "text, content='passages', content_rowid='id', tokenize='porter unicode61')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        op.execute("DROP TABLE passage_fts")
    op.drop_index('ix_suggestion_dismissals_claim', table_name='suggestion_dismissals')
    op.drop_table('suggestion_dismissals')
    op.drop_table('suggestion_rankings')
    op.drop_index('ix_passages_sha256', table_name='passages')
    op.drop_table('passages')
    op.drop_table('passage_layers')
