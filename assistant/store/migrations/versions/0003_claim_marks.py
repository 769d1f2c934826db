"""Claim marks: numbers a user marked “不是数据声明”, with the reason, per section version.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('claim_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=50), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('context', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_claim_marks_author_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_claim_marks_report_id_reports')),
    sa.ForeignKeyConstraint(['version_id'], ['section_versions.id'], name=op.f('fk_claim_marks_version_id_section_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_marks'))
    )
    op.create_index(op.f('ix_claim_marks_report_id'), 'claim_marks', ['report_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_claim_marks_report_id'), table_name='claim_marks')
    op.drop_table('claim_marks')
