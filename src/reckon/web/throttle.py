"""Login rate limit: too many failed logins for one name or from one address, and logins wait.

    >>> throttle = LoginThrottle(r)                    # limits from LoginLimit.from_env()
    >>> throttle.blocked("amal", "10.0.0.7")           # seconds still to wait, 0 when free
    >>> throttle.failed("amal", "10.0.0.7")            # count a failed login
    >>> throttle.succeeded("amal")                     # a right password clears the name's count

Failures are counted in the database (table ``login_failures``), so every worker
and every process serving the same database sees the same counts. A name is
counted whether or not an account has it, so a refusal says nothing about which
accounts exist; the row is keyed by a SHA-256 digest, so a password typed into
the name field is never stored. A right password clears the count of its name
but not of its address: otherwise one valid account would let an address try
other names without end.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..errors import InputError
from .tables import login_failures

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Reckon

__all__ = ["LoginLimit", "LoginThrottle"]


@dataclasses.dataclass(frozen=True)
class LoginLimit:
    """How many failed logins are allowed within ``window_minutes`` before logins wait ``block_minutes``.

    ``per_name`` counts failures for one login name (any client), ``per_address`` failures from one
    client address (any name); 0 switches that count off. Environment variables override the
    defaults: ``RECKON_LOGIN_MAX_FAILURES``, ``RECKON_LOGIN_MAX_ADDRESS_FAILURES``,
    ``RECKON_LOGIN_WINDOW_MINUTES``, ``RECKON_LOGIN_BLOCK_MINUTES``.
    """

    per_name: int = 5
    per_address: int = 20
    window_minutes: float = 15.0
    block_minutes: float = 15.0

    ENV = {"per_name": "RECKON_LOGIN_MAX_FAILURES", "per_address": "RECKON_LOGIN_MAX_ADDRESS_FAILURES",
           "window_minutes": "RECKON_LOGIN_WINDOW_MINUTES", "block_minutes": "RECKON_LOGIN_BLOCK_MINUTES"}

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            if getattr(self, f.name) < 0:
                raise InputError(f"login limit {f.name} must not be negative", field=f.name)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "LoginLimit":
        env = os.environ if environ is None else environ
        values: dict[str, float] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(cls.ENV[f.name], "").strip()
            if not raw:
                continue
            try:
                values[f.name] = int(raw) if f.type in (int, "int") else float(raw)
            except ValueError as exc:
                raise InputError(f"{cls.ENV[f.name]} must be a number, not {raw!r}", field=f.name) from exc
        return cls(**values)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode("utf-8")).hexdigest()


class LoginThrottle:
    """Failed-login counts of one database, per login name and per client address."""

    def __init__(self, r: "Reckon", limit: LoginLimit | None = None) -> None:
        self._r = r
        self.limit = limit if limit is not None else LoginLimit.from_env()

    def _keys(self, name: str, address: str | None) -> list[tuple[str, int]]:
        keys = []
        if self.limit.per_name:
            keys.append((_key("name", name.strip().casefold()), self.limit.per_name))
        if self.limit.per_address and address:
            keys.append((_key("addr", address), self.limit.per_address))
        return keys

    def blocked(self, name: str, address: str | None, *, now: dt.datetime | None = None) -> int:
        """Seconds until ``name`` may try again from ``address``; 0 when it may now."""
        keys = [k for k, _ in self._keys(name, address)]
        if not keys:
            return 0
        now = now or _now()
        with self._r.store.connect() as conn:
            until = conn.execute(sa.select(sa.func.max(login_failures.c.blocked_until)).where(
                login_failures.c.key_sha256.in_(keys), login_failures.c.blocked_until > now)).scalar()
        return 0 if until is None else max(1, int((until - now).total_seconds()))

    def failed(self, name: str, address: str | None, *, now: dt.datetime | None = None) -> int:
        """Count a failed login; returns the seconds logins now wait (0 while under the limit)."""
        now = now or _now()
        window = dt.timedelta(minutes=self.limit.window_minutes)
        block = dt.timedelta(minutes=self.limit.block_minutes)
        t = login_failures.c
        wait = 0
        for attempt in range(3):  # another worker may insert the same key between our update and insert
            try:
                with self._r.store.transaction() as conn:
                    conn.execute(login_failures.delete().where(t.expires_at < now))
                    for key, most in self._keys(name, address):
                        # a count whose window has passed, or whose block has ended, starts again
                        fresh = conn.execute(login_failures.update().where(
                            t.key_sha256 == key,
                            sa.or_(sa.and_(t.window_start < now - window, t.blocked_until.is_(None)),
                                   t.blocked_until <= now),
                        ).values(failures=1, window_start=now, blocked_until=None, expires_at=now + window)).rowcount
                        if not fresh and not conn.execute(login_failures.update().where(t.key_sha256 == key).values(
                                failures=t.failures + 1)).rowcount:
                            conn.execute(login_failures.insert().values(key_sha256=key, failures=1, window_start=now,
                                                                        blocked_until=None, expires_at=now + window))
                        n, blocked_until = conn.execute(sa.select(t.failures, t.blocked_until).where(
                            t.key_sha256 == key)).one()
                        if n >= most and blocked_until is None:
                            blocked_until = now + block
                            conn.execute(login_failures.update().where(t.key_sha256 == key).values(
                                blocked_until=blocked_until, expires_at=max(now + window, blocked_until)))
                        if blocked_until is not None and blocked_until > now:
                            wait = max(wait, int((blocked_until - now).total_seconds()))
                return wait
            except sa.exc.IntegrityError:
                if attempt == 2:
                    raise
        return wait  # pragma: no cover - the loop returns or raises

    def succeeded(self, name: str) -> None:
        """A right password: forget the failures counted for this name (not those of the address)."""
        if not self.limit.per_name:
            return
        with self._r.store.transaction() as conn:
            conn.execute(login_failures.delete().where(
                login_failures.c.key_sha256 == _key("name", name.strip().casefold())))
