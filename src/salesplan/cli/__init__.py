"""The command line (the only code that talks to typer): ``salesplan.cli.app`` has the app."""

from salesplan.cli.app import app, main
from salesplan.cli.output import use_color

__all__ = ["app", "main", "use_color"]
