"""The fast path and the Typer app read every command line the fast path accepts the same way.

Two checks hold them together: the fast path's table is compared with the Typer app's own
command tree (Click's commands and parameters, as Typer builds them), and command lines built
from that table, most valid and some broken, go through both parsers.
"""

import inspect
from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from typing import Any

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st

from s3pilot_cli import commands
from s3pilot_cli.cli import app as cli
from s3pilot_cli.cli import fastpath
from s3pilot_cli.cli.fastpath import COMMANDS, GLOBAL, Argument, Command, Option, Takes
from s3pilot_cli.commands import Sort
from s3pilot_cli.formats import Format

Call = tuple[str, dict[str, Any]]

# --- The table against the Typer app ---------------------------------------------------------

# What the fast path leaves to Typer on purpose: help, the version, completion, and the
# commands that are not run in loops by scripts (`init`, `diff`, `schema`, `map`, `timeline`,
# and `check-links`, which waits on the network anyway), whose
# start-up through Typer is measured in benchmarks/bench.py.
LEFT_TO_TYPER_OPTIONS = {"--help", "-h", "--version", "--install-completion", "--show-completion"}
# Declared in the app for its help; `cli.main` takes it out of every command line first.
TAKEN_BY_MAIN = {"--debug"}
LEFT_TO_TYPER_COMMANDS = {"init", "diff", "schema", "map", "check-links", "timeline"}


def _choices_in_app(param: Any) -> tuple[Any, bool]:
    """The choices Typer offers and whether case counts: on the parameter's choice type in
    typer 0.28, from its Enum annotation in 0.29 (which gives a parameter no `type`)."""
    if hasattr(param, "type"):
        return getattr(param.type, "choices", None), getattr(param.type, "case_sensitive", False)
    annotation = param.type_descriptor.annotation
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return tuple(annotation), param.type_descriptor.parameter_info.case_sensitive
    return None, False


def _option_in_app(param: Any) -> tuple[Any, ...]:
    choices, case_sensitive = _choices_in_app(param)
    assert param.nargs == 1, f"{param.opts}: the fast path takes one value an occurrence"
    return (
        tuple(sorted(param.secondary_opts)),
        param.multiple,
        param.is_flag,
        tuple(sorted(str(getattr(c, "value", c)) for c in choices)) if choices else None,
        case_sensitive if choices else None,
    )


def _option_in_table(option: Option) -> tuple[Any, ...]:
    return (
        tuple(sorted(option.off)),
        option.takes is Takes.VALUES,
        option.takes is Takes.NOTHING,
        tuple(sorted(choice.value for choice in option.choices)) if option.choices else None,
        False if option.choices else None,  # the fast path ignores case in every choice
    )


def _argument_in_app(param: Any) -> tuple[bool, bool]:
    return (param.required, param.nargs == -1)


def _argument_in_table(argument: Argument) -> tuple[bool, bool]:
    return (argument.required, argument.many)


def _differences(where: str, params: list[Any], options: tuple[Option, ...]) -> list[str]:
    found: list[str] = []
    table = {frozenset(option.names): option for option in options}
    in_app = set()
    for param in params:
        if param.param_type_name != "option":
            continue
        names = frozenset(param.opts)
        if names <= LEFT_TO_TYPER_OPTIONS | TAKEN_BY_MAIN:
            continue
        in_app.add(names)
        if names not in table:
            found.append(f"{where}: the app has {sorted(names)}, the fast path does not")
        elif _option_in_app(param) != _option_in_table(table[names]):
            found.append(
                f"{where}: {sorted(names)}: app {_option_in_app(param)},"
                f" fast path {_option_in_table(table[names])}"
            )
    for names in set(table) - in_app:
        found.append(f"{where}: the fast path has {sorted(names)}, the app does not")
    return found


def differences(table: dict[str, Command], global_options: tuple[Option, ...]) -> list[str]:
    """Every way the fast path's table and the Typer app's command tree disagree."""
    app = typer.main.get_command(cli.app)
    assert isinstance(app, typer.core.TyperGroup)
    found = _differences("s3pilot", app.params, global_options)
    left = set(app.commands) - set(table)
    if left - LEFT_TO_TYPER_COMMANDS:
        found.append(f"commands only in the app: {sorted(left - LEFT_TO_TYPER_COMMANDS)}")
    if LEFT_TO_TYPER_COMMANDS - left:
        found.append(f"left to Typer, yet in the table: {sorted(LEFT_TO_TYPER_COMMANDS - left)}")
    for name, command in table.items():
        if name not in app.commands:
            found.append(f"{name}: not a command of the app")
            continue
        params = app.commands[name].params
        arguments = [p for p in params if p.param_type_name == "argument"]
        found += _differences(name, params, command.options)
        if command.argument is None:
            found += [f"{name}: the app takes an argument, the fast path none" for _ in arguments]
        elif len(arguments) != 1:
            found.append(f"{name}: the fast path takes an argument, the app {len(arguments)}")
        elif _argument_in_app(arguments[0]) != _argument_in_table(command.argument):
            found.append(
                f"{name}: argument (required, many): app {_argument_in_app(arguments[0])},"
                f" fast path {_argument_in_table(command.argument)}"
            )
    return found


def test_the_fast_path_table_is_the_typer_app() -> None:
    assert differences(COMMANDS, GLOBAL) == []


def _changed(name: str, change: Callable[[Command], Command]) -> dict[str, Command]:
    return {**COMMANDS, name: change(COMMANDS[name])}


def _option_changed(command: Command, which: tuple[str, ...], **changes: Any) -> Command:
    options = tuple(
        replace(option, **changes) if option.names == which else option
        for option in command.options
    )
    return replace(command, options=options)


# Each drift the comparison must see, with what it must say: the option tuples are (negation,
# repeatable, a flag, choices, case counts), read off the change each drift makes.
FORMATS = tuple(sorted(f.value for f in Format))
DRIFTS: dict[str, tuple[dict[str, Command], list[str]]] = {
    "a command missing": (
        {k: v for k, v in COMMANDS.items() if k != "contacts"},
        ["commands only in the app: ['contacts']"],
    ),
    "a command left to Typer in the table": (
        {**COMMANDS, "init": replace(COMMANDS["validate"], argument=None, options=())},
        [
            "left to Typer, yet in the table: ['init']",
            "init: the app has ['--force'], the fast path does not",
        ],
    ),
    "a command the app lacks": (
        {**COMMANDS, "frobnicate": COMMANDS["regions"]},
        ["frobnicate: not a command of the app"],
    ),
    "an option missing": (
        _changed("list", lambda c: replace(c, options=c.options[1:])),
        ["list: the app has ['--region', '-r'], the fast path does not"],
    ),
    "a short name missing": (
        _changed("list", lambda c: _option_changed(c, ("--search", "-s"), names=("--search",))),
        [
            "list: the app has ['--search', '-s'], the fast path does not",
            "list: the fast path has ['--search'], the app does not",
        ],
    ),
    "a repeatable option taken once": (
        _changed("export", lambda c: _option_changed(c, ("--region", "-r"), takes=Takes.ONE_VALUE)),
        [
            "export: ['--region', '-r']: app ((), True, False, None, None),"
            " fast path ((), False, False, None, None)"
        ],
    ),
    "a flag taking a value": (
        _changed("export", lambda c: _option_changed(c, ("--excel",), takes=Takes.ONE_VALUE)),
        [
            "export: ['--excel']: app (('--no-excel',), False, True, None, None),"
            " fast path (('--no-excel',), False, False, None, None)"
        ],
    ),
    "a flag without its negation": (
        _changed("export", lambda c: _option_changed(c, ("--excel",), off=())),
        [
            "export: ['--excel']: app (('--no-excel',), False, True, None, None),"
            " fast path ((), False, True, None, None)"
        ],
    ),
    "a choice too many": (
        _changed("info", lambda c: _option_changed(c, ("--format", "-f"), choices=tuple(Format))),
        [
            "info: ['--format', '-f']: app ((), False, False, ('json', 'plain', 'table'), False),"
            f" fast path ((), False, False, {FORMATS}, False)"
        ],
    ),
    "choices missing": (
        _changed("list", lambda c: _option_changed(c, ("--sort",), choices=())),
        [
            "list: ['--sort']: app ((), False, False, ('name', 'region'), False),"
            " fast path ((), False, False, None, None)"
        ],
    ),
    "no positional argument": (
        _changed("show", lambda c: replace(c, argument=None)),
        ["show: the app takes an argument, the fast path none"],
    ),
    "an optional argument": (
        _changed("show", lambda c: replace(c, argument=Argument("cluster"))),
        ["show: argument (required, many): app (True, True), fast path (False, False)"],
    ),
    "one argument for many": (
        _changed("list", lambda c: replace(c, argument=Argument("region"))),
        ["list: argument (required, many): app (False, True), fast path (False, False)"],
    ),
}


@pytest.mark.parametrize(("table", "said"), DRIFTS.values(), ids=DRIFTS.keys())
def test_the_comparison_sees_drift(table: dict[str, Command], said: list[str]) -> None:
    assert differences(table, GLOBAL) == said


def test_the_comparison_sees_drift_in_the_global_options() -> None:
    assert differences(COMMANDS, ()) == [
        "s3pilot: the app has ['--registry'], the fast path does not"
    ]


# --- Both parsers on the same command lines --------------------------------------------------

SIGNATURES = {c.function.__name__: inspect.signature(c.function) for c in COMMANDS.values()}


def normalised(function: str, arguments: dict[str, Any]) -> Call:
    """The call with every default filled in, and lists as tuples."""
    bound = SIGNATURES[function].bind(**arguments)
    bound.apply_defaults()
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in bound.arguments.items()}
    return function, values


def typer_call(args: list[str], monkeypatch: pytest.MonkeyPatch) -> Call:
    calls: list[Call] = []
    for name in SIGNATURES:
        monkeypatch.setattr(
            commands, name, lambda name=name, **arguments: calls.append((name, arguments))
        )
    assert cli.run(args) == 0
    (call,) = calls
    return normalised(*call)


def fast_path_call(args: list[str]) -> Call | None:
    invocation = fastpath.parse(args)
    if invocation is None:
        return None
    return normalised(invocation.function.__name__, invocation.arguments)


ACCEPTED = [
    ["list"],
    ["list", "--region", "Värmland"],
    ["list", "--region=Värmland", "-r", "SE-W", "--region", "17"],
    ["list", "-s", "ict", "--sort", "name", "--format", "CSV", "--fields", "id,name"],
    ["list", "--search=Karlstad", "--sort=region", "-f", "json"],
    ["list", "Värmland", "Dalarna"],
    ["list", "Värmland", "--region", "Dalarna", "Skåne"],
    ["list", "--region", "Värmland,Dalarna"],
    ["list", "--fields", "id", "--fields", "name"],
    ["list", "--sort", "NAME"],
    ["list", "--registry", "mine.toml"],
    ["--registry", "x.toml", "list", "-r", "Dalarna"],
    ["--registry", "a.toml", "list", "--registry", "b.toml"],
    ["--registry=x.toml", "regions", "--format", "tsv"],
    ["regions"],
    ["show", "paper-province"],
    ["show", "Paper", "Province"],  # several words, one name
    ["show", "--format", "json", "Paper Province"],
    ["show", "compare", "-f", "plain", "--registry", "x.toml"],
    ["contacts", "--format", "vcard"],
    ["export"],
    ["export", "--format", "csv", "--excel", "-o", "out.csv", "-r", "Skåne"],
    ["export", "--format", "csv", "--registry", "x.toml"],
    ["export", "--no-excel"],
    ["export", "-f", "toml", "--output=-"],
    ["export", "--format", "sqlite", "-o", "s3pilot.db", "--region", "Dalarna"],
    ["export", "-f", "XLSX", "--output", "s3pilot.xlsx"],
    ["info", "--format", "json"],
    ["validate"],
    ["validate", "some/file.toml"],
]


@pytest.mark.parametrize("args", ACCEPTED, ids=" ".join)
def test_what_the_fast_path_takes_typer_reads_alike(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = fast_path_call(args)
    assert taken is not None
    assert taken == typer_call(args, monkeypatch)


def test_the_fast_path_reads_options_where_people_put_them() -> None:
    """What the README promises, read by the fast path alone (Typer's reading: above)."""
    assert fast_path_call(["list", "Värmland", "--region", "Dalarna", "Skåne"]) == normalised(
        "list_", {"region": ["Dalarna", "Värmland", "Skåne"]}
    )
    assert fast_path_call(["list", "--fields", "id", "--fields", "name"]) == normalised(
        "list_", {"fields": ["id", "name"]}
    )
    assert fast_path_call(["list", "--sort", "Region"]) == normalised(
        "list_", {"sort": Sort.REGION}
    )
    assert fast_path_call(["--registry", "a.toml", "info", "--registry", "b.toml"]) == normalised(
        "info", {"registry_path": "b.toml"}
    )


LEFT_TO_TYPER = [
    [],
    ["--help"],
    ["list", "--help"],
    ["list", "-h"],
    ["--version"],
    ["init"],
    ["list", "--regoin", "x"],
    ["list", "-rVärmland"],
    ["list", "-r=Värmland"],
    ["list", "--region"],
    ["list", "--region", "-x"],
    ["list", "--region", ""],
    ["list", "--format", "xml"],
    ["list", "--format", "vcard"],
    ["export", "--format", "table"],
    ["list", "--format", "csv", "--format", "json"],
    ["list", "--sort", "size"],
    ["show"],
    ["show", "--", "-a"],
    ["export", "extra"],
    ["export", "--excel=yes"],
    ["export", "--excel", "--no-excel"],
    ["--registry", "list"],
    ["--registry", "", "list"],
    ["list", "--registry="],
    ["--bogus", "list"],
    ["frobnicate"],
]


@pytest.mark.parametrize("args", LEFT_TO_TYPER, ids=lambda a: " ".join(a) or "(nothing)")
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert fastpath.parse(args) is None


def test_completion_is_left_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_S3PILOT_COMPLETE", "bash_complete")
    assert fastpath.parse(["list"]) is None


# --- Command lines built from the table ------------------------------------------------------

# Values as people type them: names with å, ä, ö, spaces, commas, an equals sign.
PLAIN_VALUES = st.one_of(
    st.sampled_from(["Värmland", "SE-S", "17", "Dalarna,SE-S", "id,name", "x.toml", "a b", "="]),
    st.text(st.sampled_from("abcåäöÅ ,=.-_/1"), min_size=1, max_size=8).filter(
        lambda v: not v.startswith("-")
    ),
)


@st.composite
def spelled(draw: st.DrawFn, option: Option) -> list[str]:
    """One occurrence of `option`: `--x v`, `--x=v` or `-x v`, or a flag's name."""
    name = draw(st.sampled_from(option.names + option.off))
    if option.takes is Takes.NOTHING:
        return [name]
    if option.choices:
        choice = draw(st.sampled_from(option.choices)).value
        value = draw(st.sampled_from([str.lower, str.upper, str.title]))(choice)
    else:
        value = draw(PLAIN_VALUES)
    if name.startswith("--") and draw(st.booleans()):
        return [f"{name}={value}"]
    return [name, value]


BREAKAGES = [
    lambda line, at: [*line[:at], "--bogus", *line[at:]],
    lambda line, at: [*line[:at], *line[at + 1 :]],  # a token lost: a value, a name
    lambda line, at: [*line[:at], "--", *line[at:]],
    lambda line, at: [*line[:at], "-rVärmland", *line[at:]],
    lambda line, at: [*line, "--format", "xml"],
    lambda line, at: [*line, "--sort", "size"],
    lambda line, at: [*line, "--search", "-x"],
    lambda line, at: [*line, "--registry="],
    lambda line, at: [*line, "extra", "more"],
    lambda line, at: ["frobnicate", *line[1:]],
]


@st.composite
def command_lines(draw: st.DrawFn) -> tuple[list[str], bool]:
    """A command line from the table, and whether it was broken on purpose (one in five)."""
    line = [
        t
        for o in draw(st.permutations(GLOBAL))[: draw(st.integers(0, 2))]
        for t in draw(spelled(o))
    ]
    name = draw(st.sampled_from(sorted(COMMANDS)))
    command = COMMANDS[name]
    pieces = []
    for option in command.options:
        times = draw(st.integers(0, 2 if option.takes is Takes.VALUES else 1))
        pieces += [draw(spelled(option)) for _ in range(times)]
    if command.argument is not None:
        count = draw(st.integers(int(command.argument.required), 3 if command.argument.many else 1))
        pieces += [[draw(PLAIN_VALUES)] for _ in range(count)]
    line += [name, *(token for piece in draw(st.permutations(pieces)) for token in piece)]
    broken = draw(st.sampled_from([False, False, False, False, True]))
    if broken:
        breakage = draw(st.sampled_from(BREAKAGES))
        line = breakage(line, draw(st.integers(0, len(line) - 1)))
    return line, broken


def test_most_lines_built_from_the_table_are_read_alike_by_both(
    capsys: pytest.CaptureFixture[str],
) -> None:
    outcomes: list[bool] = []
    broken_lines: list[bool] = []

    # Hundreds of lines (ten times a property test's budget: 300, or 3 000 when thorough), as
    # this test is the one guard of a second parser.
    @settings(max_examples=10 * settings().max_examples)
    @given(command_lines())
    def compare(case: tuple[list[str], bool]) -> None:
        args, broken = case
        taken = fast_path_call(args)
        if taken is not None:
            with pytest.MonkeyPatch.context() as monkeypatch:
                assert taken == typer_call(args, monkeypatch), args
        else:
            assert broken, f"a valid line the fast path left to Typer: {args}"
        outcomes.append(taken is not None)
        broken_lines.append(broken)

    compare()
    share = sum(outcomes) / len(outcomes)
    with capsys.disabled():
        print(f"\nfast path property test: {sum(outcomes)} of {len(outcomes)} lines compared"
              f" ({share:.0%}); {sum(broken_lines)} broken on purpose")  # fmt: skip
    assert share >= 0.6
    assert len(outcomes) >= 250
