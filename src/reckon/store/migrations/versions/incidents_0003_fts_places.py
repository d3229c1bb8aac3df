"""incidents: a places column in the SQLite full-text index, for fast place filters

Revision ID: incidents_0003
Revises: incidents_0002
"""
from alembic import op

revision = "incidents_0003"
down_revision = "incidents_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS incidents_fts")
        op.execute("CREATE VIRTUAL TABLE incidents_fts USING fts5(id UNINDEXED, text, places, "
                   "tokenize='unicode61 remove_diacritics 2')")
        op.execute("INSERT INTO incidents_fts (id, text, places) "
                   "SELECT id, coalesce(text, ''), coalesce(places_text, '') || ' ' || coalesce(admin1, '') || ' ' "
                   "|| coalesce(admin2, '') FROM incidents")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS incidents_fts")
        op.execute("CREATE VIRTUAL TABLE incidents_fts USING fts5(id UNINDEXED, text, "
                   "tokenize='unicode61 remove_diacritics 2')")
        op.execute("INSERT INTO incidents_fts (id, text) SELECT id, coalesce(text, '') FROM incidents")
