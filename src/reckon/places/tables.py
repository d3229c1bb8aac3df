"""Tables of the places capability: the imported gazetteer and people's corrections.

The built-in world data is not copied into the database; it is read from the
installed packages and kept as a prepared index in the user cache directory.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..store.schema import metadata

__all__ = ["gazetteer_places", "gazetteer_names", "place_corrections"]

#: places imported from GeoNames-format dumps; ``id`` is "gn:<geonameid>"
gazetteer_places = sa.Table(
    "gazetteer_places",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("asciiname", sa.Text),
    sa.Column("alternatenames", sa.JSON, nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("feature_class", sa.String(1)),
    sa.Column("feature_code", sa.String(10)),
    sa.Column("country", sa.String(2), index=True),
    sa.Column("admin1_code", sa.String(20)),
    sa.Column("admin2_code", sa.String(80)),
    sa.Column("admin1", sa.Text),
    sa.Column("admin2", sa.Text),
    sa.Column("population", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("source", sa.Text),
    sa.Column("imported_at", sa.DateTime, nullable=False),
)

#: folded name keys of imported places (see reckon.places.translit.keys)
gazetteer_names = sa.Table(
    "gazetteer_names",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("place_id", sa.String(40), sa.ForeignKey("gazetteer_places.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("key", sa.Text, nullable=False, index=True),
)

#: a person's decision: this mention (in this document, or anywhere) is this place
place_corrections = sa.Table(
    "place_corrections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("mention", sa.Text, nullable=False),
    sa.Column("mention_key", sa.Text, nullable=False, index=True),
    sa.Column("doc", sa.String(300)),
    sa.Column("place_id", sa.String(40), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("why", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
)
