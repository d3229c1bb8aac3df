"""victims: district (admin area below the governorate) of the place of death

Revision ID: victims_0002
Revises: victims_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "victims_0002"
down_revision = "victims_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("victim_records") as batch:
        batch.add_column(sa.Column("district", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("victim_records") as batch:
        batch.drop_column("district")
