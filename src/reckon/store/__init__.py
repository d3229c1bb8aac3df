"""The store: one database (SQLite by default, PostgreSQL by URL) behind SQLAlchemy Core.

``Store.open(target)`` takes a file path or a SQLAlchemy URL, applies any pending
schema migrations (Alembic, all branches up to ``heads``) and hands out
connections. Writes go through :meth:`Store.transaction`, so a failure rolls back
and never leaves half a batch behind.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..errors import StoreError
from .schema import metadata

__all__ = ["Store", "to_url", "metadata"]

MIGRATIONS = Path(__file__).with_name("migrations")


def to_url(target: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL for a path (``./reckon.db``) or a URL given as is."""
    s = os.fspath(target)
    if "://" in s:
        return s
    return "sqlite:///" + str(Path(s).expanduser().resolve())


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


class Store:
    """A migrated database. Cheap to keep open; close with :meth:`close`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, target: str | os.PathLike[str], *, migrate: bool = True) -> "Store":
        url = to_url(target)
        try:
            if url.startswith("sqlite"):
                path = url.split("sqlite:///", 1)[-1]
                if path and path != ":memory:":
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                engine = sa.create_engine(url)
                sa.event.listen(engine, "connect", _sqlite_pragmas)
            else:
                engine = sa.create_engine(url, pool_pre_ping=True)
            store = cls(engine)
            if migrate:
                store.migrate()
        except StoreError:
            raise
        except Exception as exc:  # driver errors, unreadable files, non-database files
            raise StoreError(f"cannot open database {url}: {exc}", hint="check --db / RECKON_DB") from exc
        return store

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- schema ---------------------------------------------------------------
    def _alembic_config(self, connection: Connection):
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = connection
        return cfg

    def schema_heads(self) -> tuple[set[str], set[str]]:
        """(revisions applied to this database, revisions this release knows)."""
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        with self.engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
            script = ScriptDirectory.from_config(self._alembic_config(conn))
            return current, set(script.get_heads())

    def migrate(self) -> None:
        """Bring the schema up to this release (every migration branch to its head)."""
        from alembic import command

        current, heads = self.schema_heads()
        if current == heads:
            return
        with self.engine.begin() as conn:
            command.upgrade(self._alembic_config(conn), "heads")

    # -- access ---------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection inside one transaction: committed on success, rolled back on error."""
        with self.engine.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def table(self, name: str) -> sa.Table:
        return metadata.tables[name]

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.engine.url.render_as_string(hide_password=True)}>"
