"""CLI commands of the places capability."""

import typer


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the main app."""
