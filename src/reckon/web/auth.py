"""Accounts, roles, API tokens and login sessions.

    >>> users = Users(r)
    >>> users.add("amal", role="editor", password="...", why="new editor")
    >>> users.authenticate("amal", "...")
    User(name='amal', role='editor', ...)
    >>> secret = users.new_token("amal", label="nightly export")  # shown once

Passwords are hashed with argon2 (argon2-cffi); tokens and session ids are long
random secrets of which only the SHA-256 digest is stored. Adding a user or a
token is recorded in the audit log. Nothing here writes a password anywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import InputError, MissingExtra, NotFoundError, PermissionDenied
from ..store import audit
from .tables import ROLES, api_tokens, users, web_sessions

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Reckon

__all__ = ["User", "Session", "Users", "ROLES", "role_at_least", "sha256"]

SESSION_HOURS = 12
MIN_PASSWORD = 8


@dataclass(frozen=True)
class User:
    """An account. ``can_see_names`` lets a viewer see victims' names."""

    id: int
    name: str
    role: str
    can_see_names: bool
    disabled: bool = False

    @property
    def sees_names(self) -> bool:
        """Editors and admins always see names; viewers only when allowed."""
        return self.can_see_names or role_at_least(self.role, "editor")

    def may(self, role: str) -> bool:
        return not self.disabled and role_at_least(self.role, role)


@dataclass(frozen=True)
class Session:
    """A logged-in browser: the user and the CSRF token bound to the session."""

    user: User
    csrf: str
    expires_at: dt.datetime


def role_at_least(role: str, needed: str) -> bool:
    return ROLES.index(role) >= ROLES.index(needed)


def sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def _hasher():
    try:
        from argon2 import PasswordHasher
    except ImportError as exc:  # pragma: no cover - the web extra is missing
        raise MissingExtra("argon2-cffi", "web") from exc
    return PasswordHasher()


def _user(row: sa.Row) -> User:
    return User(id=row.id, name=row.name, role=row.role, can_see_names=bool(row.can_see_names), disabled=bool(row.disabled))


class Users:
    """User accounts of one database."""

    def __init__(self, r: "Reckon") -> None:
        self._r = r

    # -- accounts -------------------------------------------------------------
    def add(self, name: str, *, role: str = "viewer", password: str | None = None, can_see_names: bool = False,
            why: str = "new account") -> User:
        """Create an account; ``password`` None makes a token-only account (no web login)."""
        name = name.strip()
        if not name or len(name) > 100 or any(ch.isspace() for ch in name):
            raise InputError(f"bad user name {name!r}", field="name", hint="one word, at most 100 characters")
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}", field="role", hint="viewer, editor or admin")
        if password is not None and len(password) < MIN_PASSWORD:
            raise InputError(f"password too short (at least {MIN_PASSWORD} characters)", field="password")
        pw_hash = _hasher().hash(password) if password is not None else None
        with self._r.store.transaction() as conn:
            if conn.execute(sa.select(users.c.id).where(users.c.name == name)).first():
                raise InputError(f"user {name!r} exists already", field="name")
            uid = conn.execute(users.insert().values(
                name=name, role=role, can_see_names=can_see_names, password_hash=pw_hash, created_at=_now(),
            )).inserted_primary_key[0]
            audit.append(conn, actor=self._r.settings.actor, action="users.add", target=f"user:{name}",
                         payload={"role": role, "can_see_names": can_see_names, "password": password is not None},
                         why=why)
        return User(int(uid), name, role, can_see_names)

    def get(self, name: str) -> User:
        with self._r.store.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.name == name)).first()
        if row is None:
            raise NotFoundError(f"no user {name!r}", hint="reckon users list")
        return _user(row)

    def list(self) -> list[User]:
        with self._r.store.connect() as conn:
            return [_user(row) for row in conn.execute(sa.select(users).order_by(users.c.name))]

    def set_password(self, name: str, password: str, *, why: str = "password changed") -> None:
        if len(password) < MIN_PASSWORD:
            raise InputError(f"password too short (at least {MIN_PASSWORD} characters)", field="password")
        user = self.get(name)
        with self._r.store.transaction() as conn:
            conn.execute(users.update().where(users.c.id == user.id).values(password_hash=_hasher().hash(password)))
            conn.execute(web_sessions.delete().where(web_sessions.c.user_id == user.id))
            audit.append(conn, actor=self._r.settings.actor, action="users.password", target=f"user:{name}",
                         payload={}, why=why)

    def disable(self, name: str, *, why: str = "account disabled") -> None:
        """Stop an account: no login, no token, its sessions ended (the account stays for the audit trail).

        The last enabled admin cannot be disabled: nobody could manage accounts in the browser after it.
        """
        user = self.get(name)
        with self._r.store.transaction() as conn:
            if user.role == "admin" and not user.disabled:
                _keep_an_admin(conn, user)
            conn.execute(users.update().where(users.c.id == user.id).values(disabled=True))
            conn.execute(web_sessions.delete().where(web_sessions.c.user_id == user.id))
            audit.append(conn, actor=self._r.settings.actor, action="users.disable", target=f"user:{name}",
                         payload={}, why=why)

    def enable(self, name: str, *, why: str = "account enabled") -> None:
        """Let a disabled account log in and use its tokens again (tokens revoked meanwhile stay revoked)."""
        user = self.get(name)
        with self._r.store.transaction() as conn:
            conn.execute(users.update().where(users.c.id == user.id).values(disabled=False))
            audit.append(conn, actor=self._r.settings.actor, action="users.enable", target=f"user:{name}",
                         payload={}, why=why)

    def set_role(self, name: str, role: str, *, can_see_names: bool | None = None, why: str = "role changed") -> User:
        """Change an account's role (and, when given, whether a viewer sees victims' names).

        Takes effect on the account's next request: sessions and tokens read the role each time.
        The last enabled admin keeps the admin role.
        """
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}", field="role", hint="viewer, editor or admin")
        user = self.get(name)
        sees = user.can_see_names if can_see_names is None else bool(can_see_names)
        with self._r.store.transaction() as conn:
            if user.role == "admin" and role != "admin" and not user.disabled:
                _keep_an_admin(conn, user)
            conn.execute(users.update().where(users.c.id == user.id).values(role=role, can_see_names=sees))
            audit.append(conn, actor=self._r.settings.actor, action="users.role", target=f"user:{name}",
                         payload={"from": user.role, "role": role, "can_see_names": sees}, why=why)
        return User(user.id, user.name, role, sees, user.disabled)

    def overview(self) -> list[dict[str, Any]]:
        """Every account with what an admin needs to manage it: rights, state, password or not, tokens."""
        tokens = (sa.select(api_tokens.c.user_id, sa.func.count().label("n"),
                            sa.func.max(api_tokens.c.last_used_at).label("last_used"))
                  .group_by(api_tokens.c.user_id).subquery())
        q = (sa.select(users.c.id, users.c.name, users.c.role, users.c.can_see_names, users.c.disabled,
                       users.c.created_at, users.c.password_hash.is_not(None).label("has_password"),
                       sa.func.coalesce(tokens.c.n, 0).label("tokens"), tokens.c.last_used)
             .select_from(users.outerjoin(tokens, tokens.c.user_id == users.c.id)).order_by(users.c.name))
        out = []
        with self._r.store.connect() as conn:
            for row in conn.execute(q):
                u = _user(row)
                out.append({"name": u.name, "role": u.role, "can_see_names": u.can_see_names,
                            "sees_names": u.sees_names, "disabled": u.disabled, "has_password": bool(row.has_password),
                            "created_at": row.created_at, "tokens": int(row.tokens), "token_last_used": row.last_used})
        return out

    def authenticate(self, name: str, password: str) -> User | None:
        """The user if the password is right, else None (same answer for unknown names)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        with self._r.store.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.name == name)).first()
        ph = _hasher()
        if row is None or row.password_hash is None or row.disabled:
            try:  # spend the same time as a real check so names cannot be probed by timing
                ph.verify(_DUMMY_HASH(), password)
            except (VerificationError, InvalidHashError):
                pass
            return None
        try:
            ph.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        if ph.check_needs_rehash(row.password_hash):
            with self._r.store.transaction() as conn:
                conn.execute(users.update().where(users.c.id == row.id).values(password_hash=ph.hash(password)))
        return _user(row)

    # -- API tokens -----------------------------------------------------------
    def new_token(self, name: str, *, label: str = "", why: str = "API token issued") -> str:
        """A new API token for ``name``: the secret is returned once, only its digest is kept."""
        user = self.get(name)
        secret = "rk_" + secrets.token_urlsafe(32)
        with self._r.store.transaction() as conn:
            conn.execute(api_tokens.insert().values(user_id=user.id, token_sha256=sha256(secret), label=label,
                                                    created_at=_now()))
            audit.append(conn, actor=self._r.settings.actor, action="users.token", target=f"user:{name}",
                         payload={"label": label}, why=why)
        return secret

    def revoke_tokens(self, name: str, *, why: str = "API tokens revoked") -> int:
        """Revoke every API token of ``name``; returns how many there were."""
        user = self.get(name)
        with self._r.store.transaction() as conn:
            n = conn.execute(api_tokens.delete().where(api_tokens.c.user_id == user.id)).rowcount
            audit.append(conn, actor=self._r.settings.actor, action="users.revoke", target=f"user:{name}",
                         payload={"tokens": n}, why=why)
        return int(n or 0)

    def token_user(self, secret: str) -> User | None:
        """The user a token belongs to, or None."""
        digest = sha256(secret)
        with self._r.store.connect() as conn:
            row = conn.execute(
                sa.select(users, api_tokens.c.id.label("token_id"), api_tokens.c.last_used_at)
                .join(api_tokens, api_tokens.c.user_id == users.c.id)
                .where(api_tokens.c.token_sha256 == digest)
            ).first()
        if row is None or row.disabled:
            return None
        now = _now()
        if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):  # a write per minute at most
            with self._r.store.transaction() as conn:
                conn.execute(api_tokens.update().where(api_tokens.c.id == row.token_id).values(last_used_at=now))
        return _user(row)

    # -- sessions -------------------------------------------------------------
    def open_session(self, user: User) -> tuple[str, Session]:
        """Start a login session: (the cookie secret, the session with its CSRF token)."""
        secret = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = _now()
        expires = now + dt.timedelta(hours=SESSION_HOURS)
        with self._r.store.transaction() as conn:
            conn.execute(web_sessions.delete().where(web_sessions.c.expires_at < now))
            conn.execute(web_sessions.insert().values(id_sha256=sha256(secret), user_id=user.id, csrf=csrf,
                                                      created_at=now, expires_at=expires))
        return secret, Session(user, csrf, expires)

    def session(self, secret: str) -> Session | None:
        with self._r.store.connect() as conn:
            row = conn.execute(
                sa.select(users, web_sessions.c.csrf, web_sessions.c.expires_at)
                .join(web_sessions, web_sessions.c.user_id == users.c.id)
                .where(web_sessions.c.id_sha256 == sha256(secret))
            ).first()
        if row is None or row.expires_at < _now() or row.disabled:
            return None
        return Session(_user(row), row.csrf, row.expires_at)

    def close_session(self, secret: str) -> None:
        with self._r.store.transaction() as conn:
            conn.execute(web_sessions.delete().where(web_sessions.c.id_sha256 == sha256(secret)))


def _keep_an_admin(conn: sa.Connection, user: User) -> None:
    """Refuse a change that would leave no enabled admin."""
    others = conn.execute(sa.select(sa.func.count()).select_from(users).where(
        users.c.role == "admin", users.c.disabled == sa.false(), users.c.id != user.id)).scalar_one()
    if not others:
        raise InputError(f"{user.name} is the last enabled admin", field="name",
                         hint="make another account admin first: reckon users role NAME admin")


def require(user: User | None, role: str) -> User:
    """``user`` if it may act as ``role``, else :class:`PermissionDenied`."""
    if user is None or not user.may(role):
        raise PermissionDenied(f"this needs the {role} role", hint="ask an admin: reckon users add")
    return user


_dummy: list[str] = []


def _DUMMY_HASH() -> str:  # noqa: N802
    if not _dummy:
        _dummy.append(_hasher().hash(secrets.token_urlsafe(16)))
    return _dummy[0]
