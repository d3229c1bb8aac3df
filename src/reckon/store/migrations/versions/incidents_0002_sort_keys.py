"""incidents: sort keys without NULLs and (key, id) indexes for fast server-side paging

Revision ID: incidents_0002
Revises: incidents_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "incidents_0002"
down_revision = "incidents_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (no table copy: on SQLite a copy would drop and cascade to incident_claims)
    op.add_column("incidents", sa.Column("sort_date", sa.Date, nullable=False, server_default="9999-12-31"))
    op.add_column("incidents", sa.Column("sort_fatalities", sa.Integer, nullable=False, server_default="-1"))
    op.execute("UPDATE incidents SET sort_date = coalesce(date_start, date_end, '9999-12-31'), "
               "sort_fatalities = coalesce(fatalities_best, -1)")
    op.create_index("ix_incidents_sort_date_id", "incidents", ["sort_date", "id"])
    op.create_index("ix_incidents_sort_fatalities_id", "incidents", ["sort_fatalities", "id"])
    op.create_index("ix_incidents_corroboration_id", "incidents", ["corroboration", "id"])
    op.create_index("ix_incidents_n_claims_id", "incidents", ["n_claims", "id"])


def downgrade() -> None:
    for name in ("ix_incidents_n_claims_id", "ix_incidents_corroboration_id", "ix_incidents_sort_fatalities_id",
                 "ix_incidents_sort_date_id"):
        op.drop_index(name, "incidents")
    with op.batch_alter_table("incidents") as b:
        b.drop_column("sort_fatalities")
        b.drop_column("sort_date")
