"""Core tables: documents, claims, claim locations and the audit log.

Every capability keeps its tables in its own package (``reckon.places.tables``,
``reckon.incidents.tables``, ...) on the one shared :data:`metadata`, and its
own Alembic migration branch that starts from the core revision.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("doc", sa.String(300), nullable=False, index=True),
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
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("event_type", sa.String(40), nullable=False, index=True),
    sa.Column("sub_event_type", sa.String(60), nullable=False),
    sa.Column("date_start", sa.Date, index=True),
    sa.Column("date_end", sa.Date),
    sa.Column("actor1", sa.Text),
    sa.Column("actor2", sa.Text),
    sa.Column("actor1_canonical", sa.String(200)),
    sa.Column("actor2_canonical", sa.String(200)),
    sa.Column("fatalities_min", sa.Integer),
    sa.Column("fatalities_max", sa.Integer),
    sa.Column("injured_min", sa.Integer),
    sa.Column("injured_max", sa.Integer),
    sa.Column("displaced_min", sa.Integer),
    sa.Column("displaced_max", sa.Integer),
    sa.Column("arrested_min", sa.Integer),
    sa.Column("arrested_max", sa.Integer),
    sa.Column("has_fatalities", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("has_injured", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("has_displaced", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("has_arrested", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("reported_by", sa.JSON, nullable=False),
    sa.Column("quote_start", sa.Integer, nullable=False),
    sa.Column("quote_end", sa.Integer, nullable=False),
    sa.Column("sentence_start", sa.Integer),
    sa.Column("sentence_end", sa.Integer),
    sa.Column("spans", sa.JSON, nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("extractor", sa.String(200), nullable=False),
)

claim_locations = sa.Table(
    "claim_locations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True),
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
    sa.Column("place_id", sa.String(40), index=True),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("geo_precision", sa.Integer),
    sa.Column("geo_score", sa.Float),
    sa.Column("status", sa.String(20), nullable=False, server_default="unresolved"),
    sa.Column("candidates", sa.JSON),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("action", sa.String(100), nullable=False, index=True),
    sa.Column("target", sa.String(200), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("why", sa.Text, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False, unique=True),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False, index=True),  # extract | geocode | resolve | link | estimate
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime),
    sa.Column("settings", sa.JSON, nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),
)
