"""places: imported gazetteer, name keys, corrections

Revision ID: places_0001
Revises: core_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "places_0001"
down_revision = "core_0001"
branch_labels = ("places",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gazetteer_places",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("asciiname", sa.Text),
        sa.Column("alternatenames", sa.JSON, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("feature_class", sa.String(1)),
        sa.Column("feature_code", sa.String(10)),
        sa.Column("country", sa.String(2)),
        sa.Column("admin1_code", sa.String(20)),
        sa.Column("admin2_code", sa.String(80)),
        sa.Column("admin1", sa.Text),
        sa.Column("admin2", sa.Text),
        sa.Column("population", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("source", sa.Text),
        sa.Column("imported_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_gazetteer_places_country", "gazetteer_places", ["country"])
    op.create_table(
        "gazetteer_names",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("place_id", sa.String(40), sa.ForeignKey("gazetteer_places.id", ondelete="CASCADE",
                                                          name="fk_gazetteer_names_place_id_gazetteer_places"), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
    )
    op.create_index("ix_gazetteer_names_place_id", "gazetteer_names", ["place_id"])
    op.create_index("ix_gazetteer_names_key", "gazetteer_names", ["key"])
    op.create_table(
        "place_corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("mention", sa.Text, nullable=False),
        sa.Column("mention_key", sa.Text, nullable=False),
        sa.Column("doc", sa.String(300)),
        sa.Column("place_id", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_place_corrections_mention_key", "place_corrections", ["mention_key"])


def downgrade() -> None:
    for name in ("place_corrections", "gazetteer_names", "gazetteer_places"):
        op.drop_table(name)
