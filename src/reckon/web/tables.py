"""Tables of the web capability: user accounts, API tokens, login sessions and failed logins.

Passwords are stored only as argon2 hashes; API tokens and session ids only as
SHA-256 digests of the random secret handed to the user (the secret itself is
shown once and never stored). Failed logins are counted under a SHA-256 digest
of the name typed or the client address, never the name itself (a password
typed into the name field must not end up in the database).
"""

from __future__ import annotations

import sqlalchemy as sa

from ..store.schema import metadata

__all__ = ["users", "api_tokens", "web_sessions", "login_failures", "ROLES"]

#: Roles, weakest first; each may do everything the ones before it may.
ROLES = ("viewer", "editor", "admin")

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("can_see_names", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("password_hash", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("label", sa.String(200), nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("last_used_at", sa.DateTime),
)

web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("id_sha256", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("key_sha256", sa.String(64), primary_key=True),  # sha256("name:<name>") or sha256("addr:<address>")
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("window_start", sa.DateTime, nullable=False),
    sa.Column("blocked_until", sa.DateTime),
    sa.Column("expires_at", sa.DateTime, nullable=False, index=True),  # the row means nothing after this
)
