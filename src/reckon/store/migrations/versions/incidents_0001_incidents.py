"""incidents: incidents, incident_claims, incident_decisions, incidents_fts (SQLite)

Revision ID: incidents_0001
Revises: core_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "incidents_0001"
down_revision = "core_0001"
branch_labels = ("incidents",)
depends_on = None

FIGURES = ("fatalities", "injured", "displaced")


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("anchor", sa.String(32), nullable=False),
        sa.Column("event_type", sa.String(40), nullable=False),
        sa.Column("sub_event_type", sa.String(60), nullable=False),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("time_precision", sa.Integer),
        sa.Column("location", sa.Text),
        sa.Column("country", sa.String(2)),
        sa.Column("admin1", sa.Text),
        sa.Column("admin2", sa.Text),
        sa.Column("place_id", sa.String(40)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("geo_precision", sa.Integer),
        sa.Column("locations", sa.JSON, nullable=False),
        sa.Column("actor1", sa.Text),
        sa.Column("actor2", sa.Text),
        *[sa.Column(f"{f}_{b}", sa.Integer) for f in FIGURES for b in ("low", "best", "high")],
        sa.Column("figures", sa.JSON, nullable=False),
        sa.Column("corroboration", sa.Integer, nullable=False, server_default="0"),
        sa.Column("n_claims", sa.Integer, nullable=False, server_default="0"),
        sa.Column("n_documents", sa.Integer, nullable=False, server_default="0"),
        sa.Column("conflict", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("conflicts", sa.JSON, nullable=False),
        sa.Column("edited", sa.JSON, nullable=False),
        sa.Column("places_text", sa.Text),
        sa.Column("actors_text", sa.Text),
        sa.Column("text", sa.Text),
        sa.Column("resolved_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_incidents_event_type", "incidents", ["event_type"])
    op.create_index("ix_incidents_date_start", "incidents", ["date_start"])
    op.create_index("ix_incidents_admin1", "incidents", ["admin1"])
    op.create_index("ix_incidents_fatalities_best", "incidents", ["fatalities_best"])
    op.create_index("ix_incidents_lat_lon", "incidents", ["lat", "lon"])
    op.create_index("ix_incidents_event_type_date", "incidents", ["event_type", "date_start"])
    op.create_table(
        "incident_claims",
        sa.Column("incident_id", sa.String(16),
                  sa.ForeignKey("incidents.id", ondelete="CASCADE", name="fk_incident_claims_incident_id_incidents"),
                  primary_key=True),
        sa.Column("claim_key", sa.String(32), primary_key=True),
        sa.Column("claim_id", sa.Integer,
                  sa.ForeignKey("claims.id", ondelete="CASCADE", name="fk_incident_claims_claim_id_claims"), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
    )
    op.create_index("ix_incident_claims_claim_id", "incident_claims", ["claim_id"])
    op.create_table(
        "incident_decisions",
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("audit_seq", sa.Integer, nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE incidents_fts USING fts5(id UNINDEXED, text, tokenize='unicode61 remove_diacritics 2')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS incidents_fts")
    for name in ("incident_decisions", "incident_claims", "incidents"):
        op.drop_table(name)
