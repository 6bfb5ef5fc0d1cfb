"""The few names s3pilot takes from Typer's private modules, kept here so they are seen at once.

Why they are needed: typer 0.28 carries its own copy of Click as `typer._click` (no `click`
package is installed beside it) and re-exports only `BadParameter`, `Exit` and `Abort`.
- `app.run` catches Click's errors itself, to print them as s3pilot's one-line errors with
  s3pilot's exit codes: it needs `ClickException` and `NoArgsIsHelpError`.
- Typer's help is drawn by Rich with bold and dim even when colour is off; `plain_help` turns
  every escape sequence off through Typer's module setting for the help console.
These names are where they are in typer 0.28 (the pin) and 0.29 (the newest); CI runs the CLI
tests under the newest Typer as well (.ci/run), so a release that moves them fails there first.
"""

from typer._click.exceptions import ClickException, NoArgsIsHelpError

__all__ = ["ClickException", "NoArgsIsHelpError", "plain_help"]


def plain_help() -> None:
    """Help and Typer's messages without any escape sequence (no colour, bold or dim)."""
    from typer import rich_utils

    rich_utils.COLOR_SYSTEM = None
