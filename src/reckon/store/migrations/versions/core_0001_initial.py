"""core: documents, claims, claim locations, audit log, runs

Revision ID: core_0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "core_0001"
down_revision = None
branch_labels = ("core",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("doc", sa.String(300), nullable=False),
        sa.Column("source_path", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("date", sa.Date),
        sa.Column("language", sa.String(16)),
        sa.Column("encoding", sa.String(40)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("n_words", sa.Integer, nullable=False, server_default="0"),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
        sa.Column("extracted_at", sa.DateTime),
        sa.Column("extract_note", sa.Text),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
    )
    op.create_index("ix_documents_doc", "documents", ["doc"])
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE", name="fk_claims_document_id_documents"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("event_type", sa.String(40), nullable=False),
        sa.Column("sub_event_type", sa.String(60), nullable=False),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("actor1", sa.Text),
        sa.Column("actor2", sa.Text),
        sa.Column("actor1_canonical", sa.String(200)),
        sa.Column("actor2_canonical", sa.String(200)),
        *[sa.Column(f"{f}_{b}", sa.Integer) for f in ("fatalities", "injured", "displaced", "arrested") for b in ("min", "max")],
        *[sa.Column(f"has_{f}", sa.Boolean, nullable=False, server_default=sa.false()) for f in ("fatalities", "injured", "displaced", "arrested")],
        sa.Column("reported_by", sa.JSON, nullable=False),
        sa.Column("quote_start", sa.Integer, nullable=False),
        sa.Column("quote_end", sa.Integer, nullable=False),
        sa.Column("sentence_start", sa.Integer),
        sa.Column("sentence_end", sa.Integer),
        sa.Column("spans", sa.JSON, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("extractor", sa.String(200), nullable=False),
    )
    op.create_index("ix_claims_document_id", "claims", ["document_id"])
    op.create_index("ix_claims_event_type", "claims", ["event_type"])
    op.create_index("ix_claims_date_start", "claims", ["date_start"])
    op.create_table(
        "claim_locations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id", ondelete="CASCADE", name="fk_claim_locations_claim_id_claims"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.Column("hint", sa.Text),
        sa.Column("hint_start", sa.Integer),
        sa.Column("hint_end", sa.Integer),
        sa.Column("kind", sa.String(20), nullable=False, server_default="place"),
        sa.Column("country", sa.String(2)),
        sa.Column("admin1", sa.Text),
        sa.Column("admin2", sa.Text),
        sa.Column("place_id", sa.String(40)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("geo_precision", sa.Integer),
        sa.Column("geo_score", sa.Float),
        sa.Column("status", sa.String(20), nullable=False, server_default="unresolved"),
        sa.Column("candidates", sa.JSON),
    )
    op.create_index("ix_claim_locations_claim_id", "claim_locations", ["claim_id"])
    op.create_index("ix_claim_locations_place_id", "claim_locations", ["place_id"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("hash", name="uq_audit_log_hash"),
    )
    op.create_index("ix_audit_log_action", "audit_log", ["action"])
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
    )
    op.create_index("ix_runs_kind", "runs", ["kind"])


def downgrade() -> None:
    for name in ("runs", "audit_log", "claim_locations", "claims", "documents"):
        op.drop_table(name)
