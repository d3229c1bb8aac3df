"""CLI commands of the incidents capability."""

import typer


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the main app."""
