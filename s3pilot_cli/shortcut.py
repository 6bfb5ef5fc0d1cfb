"""The common invocations, recognised without loading Typer.

`s3pilot list --region Värmland --format csv` in a shell loop should cost what its work costs,
not what importing a CLI framework costs (see benchmarks/). So `parse` accepts a strict subset
of the command line: each command's own options, spelled in full (`--region X`,
`--region=X`) or by their short name alone (`-r X`), values that do not start with `-`,
and formats and sort orders that are valid. Anything else, help, completion, a typo, an
unusual spelling, gets None, and the Typer app in `cli.py` parses it instead. The two must
agree on everything this accepts: tests/test_shortcut.py runs both on the same command lines.
"""

import os
from enum import Enum
from typing import Any, NamedTuple

from s3pilot_cli.commands import Sort
from s3pilot_cli.formats import Format


class _Kind(Enum):
    VALUE = "value"
    REPEATED = "repeated"
    FLAG = "flag"
    FORMAT = "format"
    SORT = "sort"


class _Command(NamedTuple):
    function: str
    options: dict[str, tuple[str, _Kind]]
    positional: str | None = None
    positional_required: bool = False


_FORMAT = {"--format": ("fmt", _Kind.FORMAT), "-f": ("fmt", _Kind.FORMAT)}
_REGION = {"--region": ("region", _Kind.REPEATED), "-r": ("region", _Kind.REPEATED)}

# The commands and options of cli.py, as Typer names them.
_COMMANDS = {
    "list": _Command(
        "list_clusters",
        {
            **_REGION,
            **_FORMAT,
            "--search": ("search", _Kind.VALUE),
            "-s": ("search", _Kind.VALUE),
            "--sort": ("sort", _Kind.SORT),
            "--fields": ("fields", _Kind.VALUE),
        },
    ),
    "regions": _Command("list_regions", _FORMAT),
    "show": _Command("show", _FORMAT, positional="cluster", positional_required=True),
    "contacts": _Command("contacts", _FORMAT),
    "export": _Command(
        "export",
        {
            **_FORMAT,
            **_REGION,
            "--excel": ("excel", _Kind.FLAG),
            "--output": ("output", _Kind.VALUE),
            "-o": ("output", _Kind.VALUE),
        },
    ),
    "info": _Command("info", _FORMAT),
    "validate": _Command("validate", {}, positional="path"),
}


class Invocation(NamedTuple):
    """Which function of `commands.py` to call, with which keyword arguments."""

    function: str
    arguments: dict[str, Any]


def parse(args: list[str]) -> Invocation | None:
    """The invocation `args` asks for, or None to leave it to Typer."""
    if "_S3PILOT_COMPLETE" in os.environ:
        return None
    arguments: dict[str, Any] = {"registry_path": None}
    rest = list(args)
    while rest and rest[0].startswith("-"):
        name, value = _split(rest, {"--registry"}, {"--debug"})
        if name is None:
            return None
        if name == "--registry":
            arguments["registry_path"] = value
    if not rest or rest[0] not in _COMMANDS:
        return None
    command = _COMMANDS[rest.pop(0)]
    if not _take_all(command, rest, arguments):
        return None
    if command.positional_required and command.positional not in arguments:
        return None
    return Invocation(command.function, arguments)


def _take_all(command: _Command, rest: list[str], arguments: dict[str, Any]) -> bool:
    """Move every option and argument of `command` from `rest` into `arguments`."""
    flags = {option for option, (_, kind) in command.options.items() if kind is _Kind.FLAG}
    while rest:
        if not rest[0].startswith("-"):
            if command.positional is None or command.positional in arguments:
                return False
            arguments[command.positional] = rest.pop(0)
            continue
        name, value = _split(rest, set(command.options) - flags, flags)
        if name is None:
            return False
        parameter, kind = command.options[name]
        converted = _converted(kind, value)
        if converted is None:
            return False
        if kind is _Kind.REPEATED:
            arguments.setdefault(parameter, []).append(converted)
        elif parameter in arguments:
            return False  # a single option given twice: Typer decides
        else:
            arguments[parameter] = converted
    return True


def _split(rest: list[str], with_value: set[str], flags: set[str]) -> tuple[str | None, str]:
    """Take one option (and its value) off the front of `rest`; None if it is not plain."""
    token = rest.pop(0)
    name, equals, value = token.partition("=")
    if name in flags and not equals:
        return name, ""
    if name not in with_value or (equals and not name.startswith("--")):
        return None, ""
    if not equals:
        if not rest or rest[0].startswith("-"):
            return None, ""
        value = rest.pop(0)
    return name, value


def _converted(kind: _Kind, value: str) -> Any:
    if kind is _Kind.FLAG:
        return True
    if kind is _Kind.FORMAT:
        return Format(value.lower()) if value.lower() in Format._value2member_map_ else None
    if kind is _Kind.SORT:
        return Sort(value) if value in Sort._value2member_map_ else None
    return value
