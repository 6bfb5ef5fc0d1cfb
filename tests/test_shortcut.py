"""The shortcut and the Typer app read every command line the shortcut accepts the same way."""

import inspect
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s3pilot_cli import cli, commands, shortcut

FUNCTIONS = [
    "list_clusters",
    "list_regions",
    "show",
    "contacts",
    "export",
    "info",
    "validate",
    "init",
]

SIGNATURES = {name: inspect.signature(getattr(commands, name)) for name in FUNCTIONS}


def normalised(function: str, arguments: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The call with every default filled in, and lists as tuples."""
    bound = SIGNATURES[function].bind(**arguments)
    bound.apply_defaults()
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in bound.arguments.items()}
    return function, values


def typer_call(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, Any]]:
    calls: list[tuple[str, dict[str, Any]]] = []
    for name in FUNCTIONS:
        monkeypatch.setattr(
            commands, name, lambda name=name, **arguments: calls.append((name, arguments))
        )
    assert cli.run(args) == 0
    (call,) = calls
    return normalised(*call)


def shortcut_call(args: list[str]) -> tuple[str, dict[str, Any]] | None:
    invocation = shortcut.parse(args)
    return None if invocation is None else normalised(invocation.function, invocation.arguments)


ACCEPTED = [
    ["list"],
    ["list", "--region", "Värmland"],
    ["list", "--region=Värmland", "-r", "SE-W", "--region", "17"],
    ["list", "-s", "ict", "--sort", "name", "--format", "CSV", "--fields", "id,name"],
    ["list", "--search=Karlstad", "--sort=region", "-f", "json"],
    ["--registry", "x.toml", "list", "-r", "Dalarna"],
    ["--registry=x.toml", "--debug", "regions", "--format", "tsv"],
    ["regions"],
    ["show", "paper-province"],
    ["show", "--format", "json", "Paper Province"],
    ["show", "compare", "-f", "plain"],
    ["contacts", "--format", "vcard"],
    ["export"],
    ["export", "--format", "csv", "--excel", "-o", "out.csv", "-r", "Skåne"],
    ["export", "-f", "toml", "--output=-"],
    ["export", "--format", "sqlite", "-o", "s3pilot.db", "--region", "Dalarna"],
    ["export", "-f", "XLSX", "--output", "s3pilot.xlsx"],
    ["info", "--format", "json"],
    ["validate"],
    ["validate", "some/file.toml"],
]


@pytest.mark.parametrize("args", ACCEPTED, ids=" ".join)
def test_what_the_shortcut_takes_typer_reads_alike(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = shortcut_call(args)
    assert taken is not None
    assert taken == typer_call(args, monkeypatch)


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
    ["list", "--format", "xml"],
    ["list", "--format", "csv", "--format", "json"],
    ["list", "--sort", "NAME"],
    ["list", "extra"],
    ["show"],
    ["show", "a", "b"],
    ["show", "--", "-a"],
    ["export", "--no-excel"],
    ["export", "--excel=yes"],
    ["--registry", "list"],
    ["--bogus", "list"],
    ["frobnicate"],
]


@pytest.mark.parametrize("args", LEFT_TO_TYPER, ids=lambda a: " ".join(a) or "(nothing)")
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert shortcut.parse(args) is None


def test_completion_is_left_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_S3PILOT_COMPLETE", "bash_complete")
    assert shortcut.parse(["list"]) is None


TOKENS = st.sampled_from(
    [
        "list", "regions", "show", "contacts", "export", "info", "validate",
        "--region", "-r", "--region=Dalarna", "--format", "-f", "--format=csv", "csv", "JSON",
        "table", "--search", "-s", "--sort", "name", "region", "--fields", "id,name",
        "--excel", "-o", "out.csv", "--output=-", "--registry", "r.toml", "--debug",
        "Värmland", "compare", "-", "--", "x",
    ]
)  # fmt: skip


@settings(max_examples=500)
@given(st.lists(TOKENS, max_size=8))
def test_any_command_line_the_shortcut_takes_typer_reads_alike(args: list[str]) -> None:
    taken = shortcut_call(args)
    if taken is None:
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert taken == typer_call(args, monkeypatch)
