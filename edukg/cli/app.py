"""The ``edukg`` command group and the options its commands share."""

from __future__ import annotations

import sys
from typing import Any

import click

from edukg.errors import EdukgError


class EdukgGroup(click.Group):
    """Turns edukg's own errors into one clear line and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EdukgError as error:
            click.echo(f"edukg: error: {error}", err=True)
            sys.exit(1)


@click.group(cls=EdukgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="edukg")
def main() -> None:
    """Build knowledge graphs from Chinese education-bureau reports.

    \b
    Example:
      edukg build data/reports --out out
    """


def out_option(default: str = "out") -> Any:
    return click.option(
        "--out",
        "out",
        type=click.Path(file_okay=False),
        default=default,
        show_default=True,
        help="Output folder.",
    )
