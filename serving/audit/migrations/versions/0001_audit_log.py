"""The audit log: chained decisions and outcomes, and the chain heads.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from serving.audit.chain import GENESIS
from serving.audit.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("decision_id", sa.String(64), nullable=False, unique=True),
        sa.Column("call_id", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("recommendation", sa.String(16), nullable=False),
        sa.Column("model_recommendation", sa.String(16), nullable=True),
        sa.Column("overridden", sa.Boolean, nullable=False),
        sa.Column("rule_ids", sa.Text, nullable=False),
        sa.Column("district", sa.String(64), nullable=True),
        sa.Column("model_name", sa.String(200), nullable=True),
        sa.Column("model_version", sa.String(64), nullable=True),
        sa.Column("run_id", sa.String(64), nullable=True),
        sa.Column("rules_version", sa.String(100), nullable=False),
        sa.Column("degraded", sa.Boolean, nullable=False),
        sa.Column("client_role", sa.String(16), nullable=False),
        sa.Column("latency_ms", sa.Float, nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=True, unique=True),
        sa.Column("request_json", sa.Text, nullable=False),
        sa.Column("response_json", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("row_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_decisions_call_id", "decisions", ["call_id"])
    op.create_index("ix_decisions_created_at", "decisions", ["created_at"])
    op.create_table(
        "outcomes",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("outcome_id", sa.String(64), nullable=False, unique=True),
        sa.Column("decision_id", sa.String(64), sa.ForeignKey("decisions.decision_id"),
                  nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("client_role", sa.String(16), nullable=False),
        sa.Column("responder_sent", sa.String(16), nullable=True),
        sa.Column("body_json", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("row_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_outcomes_decision_id", "outcomes", ["decision_id"])
    heads = op.create_table(
        "chain_heads",
        sa.Column("chain", sa.String(32), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("row_hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(heads, [
        {"chain": "decisions", "seq": 0, "row_hash": GENESIS},
        {"chain": "outcomes", "seq": 0, "row_hash": GENESIS},
    ])


def downgrade() -> None:
    op.drop_table("chain_heads")
    op.drop_table("outcomes")
    op.drop_table("decisions")
