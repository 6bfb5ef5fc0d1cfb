"""The few names s3pilot takes from Typer's private modules, kept here so they are seen at once.

Why they are needed: typer 0.28 carries its own copy of Click as `typer._click` (no `click`
package is installed beside it) and re-exports only `BadParameter`, `Exit` and `Abort`.
- `app.run` catches Click's errors itself, to print them as s3pilot's one-line errors with
  s3pilot's exit codes: it needs `ClickException` and `NoArgsIsHelpError`, and says the usage
  errors a person meets (`in_own_words`: a bad choice, a missing argument, an unknown option,
  an option without its value) in s3pilot's words, so in the user's language: Click's copy
  inside Typer has its English fixed, with no gettext to reach it.
- Click's other fixed English, "Usage:" and the help option's "Show this message and exit.",
  is s3pilot's through `HelpContext`, every command's context (`speak_own_words`), which
  draws the help with a formatter of its own and gives the help option its text.
- Typer's help is drawn by Rich with bold and dim even when colour is off; `plain_help` turns
  every escape sequence off through Typer's module setting for the help console.
- In a narrow terminal the help is Click's plain layout (`app.run`), whose list of names and
  their help gives the names up to 30 columns; `NarrowHelpContext` gives them a third of the
  width, so that the help beside them keeps room, through Click's `Context.formatter_class`.
These names are where they are in typer 0.28 (the pin) and 0.29 (the newest); CI runs the CLI
tests under the newest Typer as well (.ci/run), so a release that moves them fails there first.
"""

import re
from collections.abc import Callable, Sequence
from typing import Any

from typer._click.core import Command, Context, Parameter
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
)
from typer._click.formatting import HelpFormatter

from s3pilot_cli.i18n import _
from s3pilot_cli.textrules import quoted, visible

__all__ = [
    "ClickException",
    "HelpContext",
    "NarrowHelpContext",
    "NoArgsIsHelpError",
    "in_own_words",
    "plain_help",
    "speak_own_words",
]


class _HelpFormatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """The usage line, after s3pilot's word for "Usage:"."""
        super().write_usage(prog, args, _("Usage:") + " " if prefix is None else prefix)


class _NarrowHelpFormatter(_HelpFormatter):
    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        """A name longer than a third of the width stands on its own line, its help under it."""
        super().write_dl(rows, min(col_max, max(10, self.width // 3)), col_spacing)


class HelpContext(Context):
    """A command's context whose help is in s3pilot's words: its usage line and its help
    option (which Click makes on first use, once a command)."""

    formatter_class = _HelpFormatter

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        option = self.command.get_help_option(self)
        if option is not None:
            option.help = _("Show this message and exit.")


class NarrowHelpContext(HelpContext):
    formatter_class = _NarrowHelpFormatter


def speak_own_words(command: Command, context: type[HelpContext]) -> None:
    """`command` and its commands with `context` as their context, and their choices (a
    format, an order) refused in s3pilot's words."""
    for each in (command, *getattr(command, "commands", {}).values()):
        each.context_class = context
        each.options_metavar = _("[OPTIONS]")
        if hasattr(each, "subcommand_metavar"):
            each.subcommand_metavar = _("COMMAND [ARGS]...")
        for parameter in each.params:
            if parameter.param_type_name == "argument" and parameter.metavar:
                _placeholder_alone(parameter)
            # Newer Typers' parameters may carry no Click type: nothing to word then.
            kind = getattr(parameter, "type", None)
            choices = getattr(kind, "choices", None)
            if (
                kind is not None
                and choices is not None
                and hasattr(kind, "get_invalid_choice_message")
            ):
                kind.get_invalid_choice_message = _refusal(choices)


def _placeholder_alone(argument: Parameter) -> None:
    """An argument shown by its placeholder alone (`[REGION]...`), without the `<str>` of its
    type beside it, which Typer's Rich help adds from the type's metavar unless that is empty."""
    import copy

    if getattr(argument, "type", None) is None:
        return
    shown = copy.copy(argument.type)  # Click's STRING is one object for every parameter
    shown.get_metavar = lambda *args, **kwargs: ""  # type: ignore[method-assign]
    argument.type = shown


def _refusal(choices: Sequence[object]) -> Any:
    def message(value: object, ctx: Context | None = None) -> str:
        return _("{value} is not one of {choices}.").format(
            value=quoted(str(value)), choices=", ".join(quoted(str(c)) for c in choices)
        )

    return message


def _names(parameter: Parameter | None) -> str:
    """An option's names or an argument's placeholder, quoted: `'--format' / '-f'`."""
    if parameter is None:
        return ""
    if parameter.param_type_name == "argument":
        names = [parameter.metavar or (parameter.name or "").upper()]
    else:
        names = list(parameter.opts)
    return " / ".join(quoted(name) for name in names)


def _no_such_option(error: NoSuchOption) -> str:
    said = _("No such option: {option}").format(option=visible(error.option_name))
    if error.possibilities:
        known = ", ".join(sorted(error.possibilities))
        said += " " + _("(Possible options: {options})").format(options=known)
    return said


def _missing(error: MissingParameter) -> str | None:
    if error.param is None:
        return None
    if error.param.param_type_name == "argument":
        return _("Missing argument {name}.").format(name=_names(error.param))
    return _("Missing option {name}.").format(name=_names(error.param))


# A newer Typer checks choices itself, in Click's fixed words: 'x' is not one of 'a', 'b'.
_NOT_ONE_OF = re.compile(r"(?:Value error, )?'(.*)' is not one of ((?:'[^']*'(?:, )?)+)\.")


def _bad_value(error: BadParameter) -> str | None:
    if error.param is None:
        return None
    problem = error.message
    if match := _NOT_ONE_OF.fullmatch(problem):
        problem = _refusal(re.findall(r"'([^']*)'", match[2]))(match[1])
    return _("Invalid value for {option}: {problem}").format(
        option=_names(error.param), problem=problem
    )


def _bad_option_use(error: BadOptionUsage) -> str | None:
    option = quoted(error.option_name)
    if error.message.endswith("requires an argument."):
        return _("Option {option} requires an argument.").format(option=option)
    if error.message.endswith("does not take a value."):
        return _("Option {option} does not take a value.").format(option=option)
    return None


_EXTRA = "Got unexpected extra argument(s) ("  # Click's fixed words for words left over


def _left_over(error: ClickException) -> str | None:
    if not (error.message.startswith(_EXTRA) and error.message.endswith(")")):
        return None
    extra = error.message[len(_EXTRA) : -1]
    return _("Got unexpected extra argument(s) ({arguments})").format(arguments=extra)


# The most particular kind first: a missing parameter is a bad parameter to Click.
_SAYINGS: tuple[tuple[type[ClickException], Callable[[Any], str | None]], ...] = (
    (NoSuchOption, _no_such_option),
    (MissingParameter, _missing),
    (BadParameter, _bad_value),
    (BadOptionUsage, _bad_option_use),
    (ClickException, _left_over),
)


def in_own_words(error: ClickException) -> str:
    """Click's usage `error` in s3pilot's words (Click's own where s3pilot has none)."""
    said = next((say(error) for kind, say in _SAYINGS if isinstance(error, kind)), None)
    return said or error.format_message()


def plain_help() -> None:
    """Help and Typer's messages without any escape sequence (no colour, bold or dim)."""
    from typer import rich_utils

    rich_utils.COLOR_SYSTEM = None
