"""The few names s3pilot takes from Typer's private modules, kept here so they are seen at once.

Why they are needed: typer 0.28 carries its own copy of Click as `typer._click` (no `click`
package is installed beside it) and re-exports only `BadParameter`, `Exit` and `Abort`.
- `cli.run` catches Click's errors itself, to print them as s3pilot's one-line errors with
  s3pilot's exit codes: it needs `ClickException` and `NoArgsIsHelpError`.
- `--format` offers each command only the formats it writes: that takes Typer's own choice
  type (what Typer builds for an Enum parameter) with a list of choices of its own.
- Typer's help is drawn by Rich with bold and dim even when colour is off; `plain_help` turns
  every escape sequence off through Typer's module setting for the help console.
typer 0.29 moved or removed all of these; pyproject.toml pins typer below it, and the tests
import this module, so an upgrade that breaks a name here fails at once.
"""

from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer._types import TyperChoice

__all__ = ["ClickException", "NoArgsIsHelpError", "TyperChoice", "plain_help"]


def plain_help() -> None:
    """Help and Typer's messages without any escape sequence (no colour, bold or dim)."""
    from typer import rich_utils

    rich_utils.COLOR_SYSTEM = None
