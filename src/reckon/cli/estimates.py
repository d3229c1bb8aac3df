"""CLI commands of the estimates capability."""

import typer


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the main app."""
