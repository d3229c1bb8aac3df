"""web: failed logins per account name and per client address (login rate limit)

Revision ID: web_0002
Revises: web_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "web_0002"
down_revision = "web_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("key_sha256", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("window_start", sa.DateTime, nullable=False),
        sa.Column("blocked_until", sa.DateTime),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_login_failures_expires_at", "login_failures", ["expires_at"])


def downgrade() -> None:
    op.drop_table("login_failures")
