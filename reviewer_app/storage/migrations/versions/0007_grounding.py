"""grounding checks: rule sets, gate artifacts and attestations

Revision ID: 0007_grounding
Revises: 0006_evidence
Create Date: 2026-12-01 21:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0007_grounding'
down_revision = '0006_evidence'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'grounding_rules',
        sa.Column('version', sa.Integer(), primary_key=True),
        sa.Column('definition', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'gate_artifacts',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            'record_id', sa.String(64), sa.ForeignKey('records.id', ondelete='CASCADE'),
            nullable=False,
        ),
        sa.Column('sha256', sa.String(64), nullable=False),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('file_name', sa.Text(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('attached_by', sa.Integer(), sa.ForeignKey('reviewers.id'), nullable=True),
        sa.Column('attached_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('origin', sa.String(80), nullable=True),
        sa.UniqueConstraint('record_id', 'sha256'),
    )
    op.create_index('ix_gate_artifacts_record_id', 'gate_artifacts', ['record_id'])
    op.create_table(
        'gate_attestations',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column(
            'record_id', sa.String(64), sa.ForeignKey('records.id', ondelete='CASCADE'),
            nullable=False,
        ),
        sa.Column('artifact_sha256', sa.String(64), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), sa.ForeignKey('reviewers.id'), nullable=False),
        sa.Column('reproduced', sa.Boolean(), nullable=False),
        sa.Column('results_sha256', sa.String(64), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('origin', sa.String(80), nullable=True),
    )
    op.create_index('ix_gate_attestations_record', 'gate_attestations', ['record_id'])


def downgrade() -> None:
    op.drop_index('ix_gate_attestations_record', table_name='gate_attestations')
    op.drop_table('gate_attestations')
    op.drop_index('ix_gate_artifacts_record_id', table_name='gate_artifacts')
    op.drop_table('gate_artifacts')
    op.drop_table('grounding_rules')
