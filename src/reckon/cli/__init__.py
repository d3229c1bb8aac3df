"""The ``reckon`` command. Each module registers its commands on :data:`app`;
every command calls the same :class:`reckon.Reckon` method a Python user would."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="reckon",
    help="Turn reports of violence into a verified, source-linked record of incidents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

from . import core, places, incidents, victims, estimates, web  # noqa: E402

for _module in (core, places, incidents, victims, estimates, web):
    _module.register(app)


def main() -> None:
    app()
