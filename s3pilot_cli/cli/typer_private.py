"""The few names s3pilot takes from Typer's private modules, kept here so they are seen at once.

Why they are needed: typer 0.28 carries its own copy of Click as `typer._click` (no `click`
package is installed beside it) and re-exports only `BadParameter`, `Exit` and `Abort`.
- `app.run` catches Click's errors itself, to print them as s3pilot's one-line errors with
  s3pilot's exit codes: it needs `ClickException` and `NoArgsIsHelpError`.
- Typer's help is drawn by Rich with bold and dim even when colour is off; `plain_help` turns
  every escape sequence off through Typer's module setting for the help console.
- In a narrow terminal the help is Click's plain layout (`app.run`), whose list of names and
  their help gives the names up to 30 columns; `NarrowHelpContext` gives them a third of the
  width, so that the help beside them keeps room, through Click's `Context.formatter_class`.
These names are where they are in typer 0.28 (the pin) and 0.29 (the newest); CI runs the CLI
tests under the newest Typer as well (.ci/run), so a release that moves them fails there first.
"""

from collections.abc import Sequence

from typer._click.core import Context
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer._click.formatting import HelpFormatter

__all__ = ["ClickException", "NarrowHelpContext", "NoArgsIsHelpError", "plain_help"]


class _NarrowHelpFormatter(HelpFormatter):
    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        """A name longer than a third of the width stands on its own line, its help under it."""
        super().write_dl(rows, min(col_max, max(10, self.width // 3)), col_spacing)


class NarrowHelpContext(Context):
    formatter_class = _NarrowHelpFormatter


def plain_help() -> None:
    """Help and Typer's messages without any escape sequence (no colour, bold or dim)."""
    from typer import rich_utils

    rich_utils.COLOR_SYSTEM = None
