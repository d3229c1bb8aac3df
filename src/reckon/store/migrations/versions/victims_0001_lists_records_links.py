"""victims: lists, records, links, scored pairs, review decisions

Revision ID: victims_0001
Revises: core_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "victims_0001"
down_revision = "core_0001"
branch_labels = ("victims",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "victim_lists",
        sa.Column("source", sa.String(200), primary_key=True),
        sa.Column("path", sa.Text),
        sa.Column("encoding", sa.String(40)),
        sa.Column("mapping", sa.JSON, nullable=False),
        sa.Column("n_records", sa.Integer, nullable=False, server_default="0"),
        sa.Column("imported_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "victim_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String(200), sa.ForeignKey("victim_lists.source", ondelete="CASCADE", name="fk_victim_records_source_victim_lists"), nullable=False),
        sa.Column("record_id", sa.String(200), nullable=False),
        sa.Column("line", sa.Integer),
        sa.Column("full_name", sa.Text),
        sa.Column("given_name", sa.Text),
        sa.Column("father_name", sa.Text),
        sa.Column("grandfather_name", sa.Text),
        sa.Column("family_name", sa.Text),
        sa.Column("sex", sa.String(10)),
        sa.Column("age", sa.Integer),
        sa.Column("birth_year", sa.Integer),
        sa.Column("date_of_death", sa.Date),
        sa.Column("place", sa.Text),
        sa.Column("place_id", sa.String(40)),
        sa.Column("place_admin1", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("cause", sa.Text),
        sa.Column("status", sa.String(20)),
        sa.Column("notes", sa.Text),
        sa.Column("extra", sa.JSON, nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("source", "record_id", name="uq_victim_records_source"),
    )
    op.create_index("ix_victim_records_source", "victim_records", ["source"])
    op.create_table(
        "victim_links",
        sa.Column("record", sa.Integer, sa.ForeignKey("victim_records.id", ondelete="CASCADE", name="fk_victim_links_record_victim_records"), primary_key=True),
        sa.Column("person_id", sa.Integer, nullable=False),
    )
    op.create_index("ix_victim_links_person_id", "victim_links", ["person_id"])
    op.create_table(
        "victim_pairs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_l", sa.Integer, sa.ForeignKey("victim_records.id", ondelete="CASCADE", name="fk_victim_pairs_record_l_victim_records"), nullable=False),
        sa.Column("record_r", sa.Integer, sa.ForeignKey("victim_records.id", ondelete="CASCADE", name="fk_victim_pairs_record_r_victim_records"), nullable=False),
        sa.Column("match_probability", sa.Float, nullable=False),
        sa.Column("match_weight", sa.Float, nullable=False),
        sa.Column("weights", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
    )
    op.create_index("ix_victim_pairs_record_l", "victim_pairs", ["record_l"])
    op.create_index("ix_victim_pairs_record_r", "victim_pairs", ["record_r"])
    op.create_table(
        "victim_decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_l", sa.Integer, sa.ForeignKey("victim_records.id", ondelete="CASCADE", name="fk_victim_decisions_record_l_victim_records"), nullable=False),
        sa.Column("record_r", sa.Integer, sa.ForeignKey("victim_records.id", ondelete="CASCADE", name="fk_victim_decisions_record_r_victim_records"), nullable=False),
        sa.Column("same", sa.Boolean, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("decided_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("record_l", "record_r", name="uq_victim_decisions_record_l"),
    )


def downgrade() -> None:
    for name in ("victim_decisions", "victim_pairs", "victim_links", "victim_records", "victim_lists"):
        op.drop_table(name)
