"""CLI commands of the web capability: ``serve``, ``users``, ``report``."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated, Any, Callable, TypeVar

import typer
from rich.table import Table

from ..errors import ReckonError
from .common import DbOpt, FormatOpt, console, err, fail, open_reckon

users_app = typer.Typer(help="Accounts of the web app: roles viewer, editor, admin; API tokens.", no_args_is_help=True)

T = TypeVar("T")


def _on_accounts(db: str | None, change: Callable[[Any], T]) -> T:
    """Run one audited operation on the accounts of a database; a refused one (unknown name, the
    last admin, ...) ends the command with its message and exit code 2."""
    from ..web.auth import Users

    try:
        return change(Users(open_reckon(db)))
    except ReckonError as exc:
        fail(exc, 2)
        raise  # not reached: fail() exits


def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on; anything but 127.0.0.1 exposes the data to the network")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
) -> None:
    """Run the web app (map, timeline, incidents, documents, places, victims, estimates, JSON API)."""
    from ..web.app import serve as run
    from ..web.auth import Users

    r = open_reckon(db)
    if not Users(r).list():
        err.print("[yellow]note[/yellow] no accounts yet: add one with "
                  "[bold]reckon users add NAME --role admin[/bold]", highlight=False)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning[/yellow] listening on {host}: other machines can reach this app", highlight=False)
    console.print(f"Reckon web app on http://{host}:{port}/ (Ctrl+C to stop)")
    run(r, host=host, port=port)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Login name")],
    role: Annotated[str, typer.Option(help="viewer, editor or admin")] = "viewer",
    can_see_names: Annotated[bool, typer.Option("--can-see-names", help="Let a viewer see victims' names")] = False,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input")] = False,
    no_password: Annotated[bool, typer.Option("--no-password", help="No web login: the account only uses API tokens")] = False,
    why: Annotated[str, typer.Option(help="Reason, for the audit log")] = "new account",
    db: DbOpt = None,
) -> None:
    """Add an account. The password is asked for (or read from stdin); only its argon2 hash is stored."""
    password: str | None = None
    if not no_password:
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Again: ") != password:
                fail("the two passwords differ", 2)
    user = _on_accounts(db, lambda users: users.add(name, role=role, password=password, can_see_names=can_see_names,
                                                     why=why))
    console.print(f"added {user.name} ({user.role}{', can see names' if user.sees_names else ''})")


@users_app.command("list")
def users_list(db: DbOpt = None, fmt: FormatOpt = "table") -> None:
    """List accounts and their rights."""
    import json

    from ..web.auth import Users

    r = open_reckon(db)
    rows = Users(r).list()
    if fmt in ("jsonl", "json"):
        for u in rows:
            sys.stdout.write(json.dumps({"name": u.name, "role": u.role, "can_see_names": u.sees_names,
                                         "disabled": u.disabled}) + "\n")
        return
    t = Table("name", "role", "sees names", "disabled", title="Accounts")
    for u in rows:
        t.add_row(u.name, u.role, "yes" if u.sees_names else "no", "yes" if u.disabled else "")
    console.print(t)


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="Account the token acts as")],
    label: Annotated[str, typer.Option(help="What the token is for")] = "",
    db: DbOpt = None,
) -> None:
    """Issue an API token (printed once; only its hash is kept). Send it as Authorization: Bearer TOKEN."""
    secret = _on_accounts(db, lambda users: users.new_token(name, label=label))
    sys.stdout.write(secret + "\n")


@users_app.command("revoke")
def users_revoke(
    name: Annotated[str, typer.Argument(help="Account whose API tokens to revoke")],
    why: Annotated[str, typer.Option(help="Reason, for the audit log")] = "API tokens revoked",
    db: DbOpt = None,
) -> None:
    """Revoke every API token of an account."""
    n = _on_accounts(db, lambda users: users.revoke_tokens(name, why=why))
    console.print(f"revoked {n} token(s) of {name}")


@users_app.command("disable")
def users_disable(
    name: Annotated[str, typer.Argument(help="Account to disable")],
    why: Annotated[str, typer.Option(help="Reason, for the audit log")] = "account disabled",
    db: DbOpt = None,
) -> None:
    """Disable an account: no more logins or token use; its open sessions end. The last enabled admin stays."""
    _on_accounts(db, lambda users: users.disable(name, why=why))
    console.print(f"disabled {name}")


@users_app.command("enable")
def users_enable(
    name: Annotated[str, typer.Argument(help="Account to enable again")],
    why: Annotated[str, typer.Option(help="Reason, for the audit log")] = "account enabled",
    db: DbOpt = None,
) -> None:
    """Enable a disabled account: it may log in and use its remaining API tokens again."""
    _on_accounts(db, lambda users: users.enable(name, why=why))
    console.print(f"enabled {name}")


@users_app.command("role")
def users_role(
    name: Annotated[str, typer.Argument(help="Account to change")],
    role: Annotated[str, typer.Argument(help="viewer, editor or admin")],
    can_see_names: Annotated[bool | None, typer.Option("--can-see-names/--no-can-see-names",
                                                      help="Let a viewer see victims' names (unchanged if not given)")] = None,
    why: Annotated[str, typer.Option(help="Reason, for the audit log")] = "role changed",
    db: DbOpt = None,
) -> None:
    """Change an account's role; the last enabled admin keeps the admin role."""
    user = _on_accounts(db, lambda users: users.set_role(name, role, can_see_names=can_see_names, why=why))
    console.print(f"{user.name} is now {user.role}{', can see names' if user.sees_names else ''}")


def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write index.html (and report.pdf) into")],
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also render a PDF with WeasyPrint")] = True,
    title: Annotated[str, typer.Option(help="Title of the report")] = "Incidents report",
    db: DbOpt = None,
) -> None:
    """Write a self-contained HTML report (and PDF): map, timeline, tables by place and perpetrator, estimates, methods."""
    from ..web.report import build_report

    r = open_reckon(db)
    try:
        res = build_report(r, out, pdf=pdf, title=title)
    except ReckonError as exc:
        fail(exc, 2)
        return
    for note in res.notes:
        err.print(f"[yellow]note[/yellow] {note}", highlight=False)
    console.print(f"wrote {res.html}" + (f" and {res.pdf}" if res.pdf else ""))


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the main app."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
    app.command("report")(report)
