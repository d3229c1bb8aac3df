"""Tables of the incidents capability, on the shared :data:`reckon.store.schema.metadata`.

``incidents``            one row per incident: fused fields and figures (rewritten by each resolve)
``incident_claims``      which claims (by stable claim key) make up which incident
``incident_decisions``   people's merge / split / edit decisions, replayed by every resolve
``incidents_fts``        (SQLite only) FTS5 index over each incident's quotes, places and actors
"""

from __future__ import annotations

import sqlalchemy as sa

from ..store.schema import metadata

__all__ = ["incidents", "incident_claims", "incident_decisions", "FIGURES"]

#: the fused figures every incident carries as ``<field>_low``, ``_best``, ``_high``
FIGURES = ("fatalities", "injured", "displaced")

incidents = sa.Table(
    "incidents",
    metadata,
    sa.Column("id", sa.String(16), primary_key=True),
    sa.Column("anchor", sa.String(32), nullable=False),
    sa.Column("event_type", sa.String(40), nullable=False, index=True),
    sa.Column("sub_event_type", sa.String(60), nullable=False),
    sa.Column("date_start", sa.Date, index=True),
    sa.Column("date_end", sa.Date),
    sa.Column("time_precision", sa.Integer),
    sa.Column("location", sa.Text),
    sa.Column("country", sa.String(2)),
    sa.Column("admin1", sa.Text, index=True),
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
    # sort keys with no NULLs (undated last, no figure lowest), indexed with id for paging
    sa.Column("sort_date", sa.Date, nullable=False, server_default="9999-12-31"),
    sa.Column("sort_fatalities", sa.Integer, nullable=False, server_default="-1"),
    sa.Index("ix_incidents_fatalities_best", "fatalities_best"),
    sa.Index("ix_incidents_sort_date_id", "sort_date", "id"),
    sa.Index("ix_incidents_sort_fatalities_id", "sort_fatalities", "id"),
    sa.Index("ix_incidents_corroboration_id", "corroboration", "id"),
    sa.Index("ix_incidents_n_claims_id", "n_claims", "id"),
    sa.Index("ix_incidents_lat_lon", "lat", "lon"),
    sa.Index("ix_incidents_event_type_date", "event_type", "date_start"),
)

incident_claims = sa.Table(
    "incident_claims",
    metadata,
    sa.Column("incident_id", sa.String(16), sa.ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("claim_key", sa.String(32), primary_key=True),
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("source", sa.String(200), nullable=False),
)

incident_decisions = sa.Table(
    "incident_decisions",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # merge | split | edit
    sa.Column("target", sa.String(64), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("why", sa.Text, nullable=False),
    sa.Column("audit_seq", sa.Integer, nullable=False),
)
