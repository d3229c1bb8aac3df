"""Victims tables: imported lists, their records, linkage results and review decisions."""

from __future__ import annotations

import sqlalchemy as sa

from ..store.schema import metadata

__all__ = ["victim_lists", "victim_records", "victim_links", "victim_pairs", "victim_decisions", "RECORD_FIELDS"]

victim_lists = sa.Table(
    "victim_lists",
    metadata,
    sa.Column("source", sa.String(200), primary_key=True),
    sa.Column("path", sa.Text),
    sa.Column("encoding", sa.String(40)),
    sa.Column("mapping", sa.JSON, nullable=False),
    sa.Column("n_records", sa.Integer, nullable=False, server_default="0"),
    sa.Column("imported_at", sa.DateTime, nullable=False),
)

victim_records = sa.Table(
    "victim_records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source", sa.String(200), sa.ForeignKey("victim_lists.source", ondelete="CASCADE"), nullable=False, index=True),
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
    sa.Column("district", sa.Text),
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

victim_links = sa.Table(
    "victim_links",
    metadata,
    sa.Column("record", sa.Integer, sa.ForeignKey("victim_records.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("person_id", sa.Integer, nullable=False, index=True),
)

victim_pairs = sa.Table(
    "victim_pairs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("record_l", sa.Integer, sa.ForeignKey("victim_records.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("record_r", sa.Integer, sa.ForeignKey("victim_records.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("match_probability", sa.Float, nullable=False),
    sa.Column("match_weight", sa.Float, nullable=False),
    sa.Column("weights", sa.JSON, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
)

victim_decisions = sa.Table(
    "victim_decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("record_l", sa.Integer, sa.ForeignKey("victim_records.id", ondelete="CASCADE"), nullable=False),
    sa.Column("record_r", sa.Integer, sa.ForeignKey("victim_records.id", ondelete="CASCADE"), nullable=False),
    sa.Column("same", sa.Boolean, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("why", sa.Text, nullable=False),
    sa.Column("decided_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("record_l", "record_r", name="uq_victim_decisions_record_l"),
)

# The victim fields a list's columns can be mapped onto.
RECORD_FIELDS = (
    "record_id", "full_name", "given_name", "father_name", "grandfather_name", "family_name", "sex", "age",
    "birth_year", "date_of_death", "place", "district", "cause", "status", "notes",
)
