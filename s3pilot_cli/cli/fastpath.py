"""The common invocations, recognised without loading Typer.

`s3pilot list --region Värmland --format csv` in a shell loop should cost what its work costs,
not what importing a CLI framework costs (see benchmarks/). So `parse` accepts a strict subset
of the command line: each command's own options and the global ones, before or after the
command, spelled in full (`--region X`, `--region=X`) or by their short name alone (`-r X`),
values that are not empty and do not start with `-` (but `-` itself), and valid choices.
Anything else, help, completion, a typo, an unusual spelling, gets None, and the Typer app in
`cli/app.py` parses it instead. The two must agree on everything this accepts:
tests/test_fastpath.py checks this table against the app's own command tree, and runs both
parsers on command lines built from it.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any, NamedTuple

from s3pilot_cli import commands
from s3pilot_cli.commands import Sort
from s3pilot_cli.formats import CONTACT_FORMATS, EXPORT_FORMATS, INFO_FORMATS, RECORD_FORMATS


class Takes(Enum):
    """What an option takes after its name."""

    ONE_VALUE = "one value"
    VALUES = "a value, and may be repeated"
    NOTHING = "nothing: a flag"


@dataclass(frozen=True)
class Option:
    names: tuple[str, ...]  # as Typer declares them: "--region", "-r"
    parameter: str  # the command function's keyword
    takes: Takes
    choices: tuple[StrEnum, ...] = ()  # the value must be one of these, case ignored
    off: tuple[str, ...] = ()  # names that turn a flag off: "--no-excel"


@dataclass(frozen=True)
class Argument:
    parameter: str  # a keyword of the command function; an option's if both fill it
    required: bool = False
    many: bool = False  # any number of them, after the option's own values


@dataclass(frozen=True)
class Command:
    function: Callable[..., None]
    options: tuple[Option, ...]
    argument: Argument | None = None


def _format_among(formats: tuple[StrEnum, ...]) -> Option:
    return Option(("--format", "-f"), "fmt", Takes.ONE_VALUE, formats)


REGISTRY_OPTION = Option(("--registry",), "registry_path", Takes.ONE_VALUE)
REGION_OPTION = Option(("--region", "-r"), "region", Takes.VALUES)
OUTPUT_OPTION = Option(("--output", "-o"), "output", Takes.ONE_VALUE)

# The options s3pilot takes before the command; each command takes them after it as well.
# (--debug is no parser's: `cli.main` takes it out of the command line first.)
GLOBAL = (REGISTRY_OPTION,)

# The commands and options of cli/app.py, as Typer names them; `init`, `diff`, `schema`, `map`
# and `check-links` are left to Typer (tests/test_fastpath.py names them).
COMMANDS = {
    "list": Command(
        commands.list_,
        (
            REGION_OPTION,
            Option(("--search", "-s"), "search", Takes.ONE_VALUE),
            Option(("--sort",), "sort", Takes.ONE_VALUE, tuple(Sort)),
            _format_among(RECORD_FORMATS),
            Option(("--fields",), "fields", Takes.VALUES),
            *GLOBAL,
        ),
        Argument("region", many=True),
    ),
    "regions": Command(commands.regions, (_format_among(RECORD_FORMATS), *GLOBAL)),
    "show": Command(
        commands.show,
        (_format_among(RECORD_FORMATS), *GLOBAL),
        Argument("cluster", required=True, many=True),
    ),
    "contacts": Command(
        commands.contacts, (_format_among(CONTACT_FORMATS), OUTPUT_OPTION, *GLOBAL)
    ),
    "export": Command(
        commands.export,
        (
            _format_among(EXPORT_FORMATS),
            REGION_OPTION,
            Option(("--excel",), "excel", Takes.NOTHING, off=("--no-excel",)),
            Option(("--downloads",), "downloads", Takes.NOTHING, off=("--no-downloads",)),
            OUTPUT_OPTION,
            *GLOBAL,
        ),
    ),
    "info": Command(commands.info, (_format_among(INFO_FORMATS), *GLOBAL)),
    "validate": Command(commands.validate, GLOBAL, Argument("path")),
}


class Invocation(NamedTuple):
    """Which function of `commands.py` to call, with which keyword arguments."""

    function: Callable[..., None]
    arguments: dict[str, Any]


def parse(args: list[str]) -> Invocation | None:
    """The invocation `args` asks for, or None to leave it to Typer."""
    if "_S3PILOT_COMPLETE" in os.environ:
        return None
    rest = list(args)
    before: dict[str, Any] = {}
    while rest and rest[0].startswith("-"):
        if not _take_option(GLOBAL, rest, before):
            return None
    if not rest or rest[0] not in COMMANDS:
        return None
    command = COMMANDS[rest.pop(0)]
    arguments = _take_all(command, rest)
    if arguments is None:
        return None
    # --registry after the command wins over one before it, as in the Typer app.
    return Invocation(command.function, {**before, **arguments})


def _take_all(command: Command, rest: list[str]) -> dict[str, Any] | None:
    """The keyword arguments for `command` from what follows its name; None if not plain."""
    arguments: dict[str, Any] = {}
    positional: list[str] = []
    while rest:
        if rest[0].startswith("-"):
            if not _take_option(command.options, rest, arguments):
                return None
        else:
            positional.append(rest.pop(0))
    return arguments if _take_arguments(command.argument, positional, arguments) else None


def _take_arguments(
    argument: Argument | None, positional: list[str], arguments: dict[str, Any]
) -> bool:
    """Put the command's arguments into `arguments`; False if they are not what it takes."""
    if argument is None or not positional:
        return not positional and not (argument and argument.required)
    if "" in positional:
        return False  # an empty path: Typer's usage error, in the words of `--registry ""`
    if argument.many:
        arguments[argument.parameter] = [*arguments.get(argument.parameter, ()), *positional]
    elif len(positional) == 1:
        arguments[argument.parameter] = positional[0]
    return argument.many or len(positional) == 1


def _take_option(options: tuple[Option, ...], rest: list[str], arguments: dict[str, Any]) -> bool:
    """Move the option at the front of `rest` (and its value) into `arguments`.

    False if it is not one `parse` takes: Typer is then left to read the whole line.
    """
    name, equals, value = rest.pop(0).partition("=")
    option = next((o for o in options if name in o.names or name in o.off), None)
    if option is None:
        return False
    if option.takes is Takes.NOTHING:
        taken = None if equals else name not in option.off
    else:
        taken = _option_value(option, name, value if equals else None, rest)
    if taken is None:
        return False
    if option.takes is Takes.VALUES:
        arguments.setdefault(option.parameter, []).append(taken)
    elif option.parameter in arguments:
        return False  # an option that takes one value, given twice: Typer decides
    else:
        arguments[option.parameter] = taken
    return True


def _option_value(option: Option, name: str, attached: str | None, rest: list[str]) -> Any:
    """The value of `--name=value` or `--name value`; None if not one `parse` takes."""
    if attached is not None and not name.startswith("--"):
        return None  # -r=X: Typer reads "=X"
    if attached is None:
        if not rest:
            return None
        attached = rest.pop(0)
    if not attached or (attached.startswith("-") and attached != "-"):
        return None
    if not option.choices:
        return attached
    # The choice it names, case ignored as Typer ignores it.
    wanted = attached.casefold()
    return next((choice for choice in option.choices if choice.value.casefold() == wanted), None)
