"""Accounts, passwords, API tokens and sessions (reckon.web.auth)."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from reckon.cli import app as cli
from reckon.errors import InputError, PermissionDenied
from reckon.web.auth import Users, require
from web_support import cheap_argon2  # noqa: F401
from reckon.web.tables import api_tokens, users, web_sessions

PW = "a long enough secret"


def test_users_add_stores_an_argon2_hash_not_the_password(r):
    Users(r).add("amal", role="editor", password=PW, why="test")
    with r.store.connect() as conn:
        stored = conn.execute(sa.select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2")
    assert PW not in stored


def test_authenticate_accepts_the_right_password_only(r):
    u = Users(r)
    u.add("amal", role="viewer", password=PW)
    assert u.authenticate("amal", PW).name == "amal"
    assert u.authenticate("amal", PW + "x") is None
    assert u.authenticate("nobody", PW) is None


def test_token_only_account_cannot_log_in(r):
    u = Users(r)
    u.add("script", role="viewer", password=None)
    assert u.authenticate("script", "") is None


def test_unknown_role_is_refused(r):
    with pytest.raises(InputError, match="unknown role"):
        Users(r).add("x", role="owner", password=PW)


def test_short_password_is_refused(r):
    with pytest.raises(InputError, match="too short"):
        Users(r).add("x", role="viewer", password="short")


def test_duplicate_name_is_refused(r):
    Users(r).add("x", role="viewer", password=PW)
    with pytest.raises(InputError, match="exists"):
        Users(r).add("x", role="admin", password=PW)


def test_adding_a_user_is_audited_without_the_password(r):
    Users(r).add("amal", role="admin", password=PW, why="team lead")
    ev = r.audit_log(action="users.add")[0]
    assert ev.target == "user:amal" and ev.why == "team lead"
    assert PW not in str(ev.payload)


def test_api_token_is_stored_as_a_digest_and_finds_its_user(r):
    u = Users(r)
    u.add("bot", role="editor", password=None)
    secret = u.new_token("bot", label="nightly")
    with r.store.connect() as conn:
        stored = conn.execute(sa.select(api_tokens.c.token_sha256)).scalar_one()
    assert secret not in stored and len(stored) == 64
    assert u.token_user(secret).name == "bot"
    assert u.token_user(secret + "x") is None


def test_session_carries_a_csrf_token_and_closes(r):
    u = Users(r)
    user = u.add("amal", role="viewer", password=PW)
    secret, s = u.open_session(user)
    assert len(s.csrf) >= 32
    with r.store.connect() as conn:
        assert secret not in {row.id_sha256 for row in conn.execute(sa.select(web_sessions))}
    assert u.session(secret).user.name == "amal"
    u.close_session(secret)
    assert u.session(secret) is None


def test_roles_are_ordered(r):
    u = Users(r)
    viewer = u.add("v", role="viewer", password=PW)
    editor = u.add("e", role="editor", password=PW)
    assert require(editor, "viewer") is editor
    with pytest.raises(PermissionDenied):
        require(viewer, "editor")


def test_viewer_sees_names_only_when_allowed(r):
    u = Users(r)
    assert not u.add("v1", role="viewer", password=PW).sees_names
    assert u.add("v2", role="viewer", password=PW, can_see_names=True).sees_names
    assert u.add("e1", role="editor", password=PW).sees_names


def test_cli_users_add_reads_password_from_stdin_and_never_prints_it(db_path, caplog):
    caplog.set_level(logging.DEBUG)
    res = CliRunner().invoke(cli, ["users", "add", "amal", "--role", "editor", "--password-stdin", "--db", str(db_path)],
                             input=PW + "\n")
    assert res.exit_code == 0, res.output
    assert "added amal (editor" in res.output
    assert PW not in res.output and PW not in caplog.text
    listed = CliRunner().invoke(cli, ["users", "list", "--db", str(db_path), "--format", "jsonl"])
    assert '"role": "editor"' in listed.output


def test_cli_users_token_prints_a_token_once(db_path):
    CliRunner().invoke(cli, ["users", "add", "bot", "--no-password", "--db", str(db_path)])
    res = CliRunner().invoke(cli, ["users", "token", "bot", "--db", str(db_path)])
    assert res.exit_code == 0 and res.output.startswith("rk_")


def test_cli_users_add_bad_role_exits_non_zero(db_path):
    res = CliRunner().invoke(cli, ["users", "add", "x", "--role", "boss", "--no-password", "--db", str(db_path)])
    assert res.exit_code == 2


def test_real_hasher_is_argon2id_with_at_least_64_mib():
    from argon2 import Type

    from web_support import REAL_HASHER

    ph = REAL_HASHER[0]()  # the tests themselves use a cheap one
    assert ph.type is Type.ID and ph.memory_cost >= 65536 and ph.time_cost >= 3


def test_revoked_tokens_stop_working(r):
    u = Users(r)
    u.add("bot", role="viewer", password=None)
    secret = u.new_token("bot")
    assert u.revoke_tokens("bot", why="laptop lost") == 1
    assert u.token_user(secret) is None
    assert r.audit_log(action="users.revoke")[0].why == "laptop lost"


def test_disabled_account_cannot_log_in_or_use_its_session(r):
    u = Users(r)
    user = u.add("amal", role="editor", password=PW)
    secret, _ = u.open_session(user)
    token = u.new_token("amal")
    u.disable("amal", why="left the team")
    assert u.authenticate("amal", PW) is None
    assert u.session(secret) is None and u.token_user(token) is None


def test_cli_users_revoke_and_disable(db_path):
    run = CliRunner().invoke
    run(cli, ["users", "add", "bot", "--no-password", "--db", str(db_path)])
    run(cli, ["users", "token", "bot", "--db", str(db_path)])
    assert "revoked 1 token(s)" in run(cli, ["users", "revoke", "bot", "--db", str(db_path)]).output
    assert "disabled bot" in run(cli, ["users", "disable", "bot", "--db", str(db_path)]).output
