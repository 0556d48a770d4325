"""The ``midcorridor`` command line: one sub-module per family of commands."""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

from midcorridor.errors import DataError, MidcorridorError


class _Commands(TyperGroup):
    """Turns a user mistake into a one-line error and exit status 1, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except DataError as exc:
            for line in str(exc).splitlines():
                typer.echo(line, err=True)
            raise typer.Exit(1) from None
        except MidcorridorError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        except OSError as exc:  # an unwritable -o/--report path, a full disk, a missing file
            where = f"{exc.filename}: " if exc.filename else ""
            typer.echo(f"error: {where}{exc.strerror or exc}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Commands,
    help="Plan, optimize, simulate and track freight on the Middle Corridor.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module defines ``register(app)``; adding a family of commands is one line here.
_FAMILIES = ("network", "places", "run", "service", "route", "simulate", "optimize",
             "corridor", "replay", "whatif")

for _name in _FAMILIES:
    importlib.import_module(f"midcorridor.cli.{_name}").register(app)


def main() -> None:
    """Entry point of the ``midcorridor`` console script."""
    app()
