"""The date of the facts: `[program] checked`, a real calendar date, shown by `info`."""

import datetime
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from s3pilot_cli import registry, schema
from s3pilot_cli.errors import ExitCode, RegistryError
from tests.conftest import Cli

EMAIL = 'email_pattern = "{first}.{last}@tillvaxtverket.se"\n'  # line 13 of minimal.toml


def test_info_shows_the_date_after_the_registry(cli: Cli) -> None:
    """The bundled registry was compiled, and its facts checked, on 27 November 2026."""
    lines = cli("info").stdout.splitlines()
    assert lines[8] == "checked\t2026-11-27"
    data = json.loads(cli("info", "--format", "json").stdout)
    assert list(data)[7:10] == ["registry_reason", "checked", "call_opened"]
    assert data["checked"] == "2026-11-27"


def test_a_registry_without_a_date(
    cli: Cli, registry_text: str, write_registry: Callable[[str], Path]
) -> None:
    path = write_registry(registry_text)
    assert cli("--registry", str(path), "info").stdout.splitlines()[8] == "checked\t"
    data = json.loads(cli("--registry", str(path), "info", "--format", "json").stdout)
    assert data["checked"] is None


@pytest.mark.parametrize("date", ["2026-11-27", "2028-02-29", "2000-02-29", "0001-01-01"])
def test_real_dates_are_taken(
    registry_text: str, write_registry: Callable[[str], Path], date: str
) -> None:
    path = write_registry(registry_text.replace(EMAIL, f'{EMAIL}checked = "{date}"\n'))
    assert registry.load(path).program.checked == date


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('"2026-02-30"', "'2026-02-30' is not a real date like 2026-11-27"),
        ('"2100-02-29"', "'2100-02-29' is not a real date like 2026-11-27"),
        ('"2026-13-01"', "'2026-13-01' is not a real date like 2026-11-27"),
        ('"0000-01-01"', "'0000-01-01' is not a real date like 2026-11-27"),
        ('"27/11/2026"', "'27/11/2026' is not a real date like 2026-11-27"),
        # TOML's own date, time and date-time: say to quote them, as the file writes them
        (
            "2026-11-27",
            'must be a string, not a date or time; put it in quotes: checked = "2026-11-27"',
        ),
        (
            "2026-11-27T08:30:00Z  # a comment",
            "must be a string, not a date or time; put it in quotes:"
            ' checked = "2026-11-27T08:30:00Z"',
        ),
        (
            "2026-11-27 08:30:00.5+01:00",
            "must be a string, not a date or time; put it in quotes:"
            ' checked = "2026-11-27 08:30:00.5+01:00"',
        ),
        (
            "08:30:00",
            'must be a string, not a date or time; put it in quotes: checked = "08:30:00"',
        ),
    ],
)
def test_anything_else_is_refused_with_its_place(
    registry_text: str, write_registry: Callable[[str], Path], value: str, problem: str
) -> None:
    path = write_registry(registry_text.replace(EMAIL, f"{EMAIL}checked = {value}\n"))
    with pytest.raises(RegistryError) as raised:
        registry.load(path)
    assert raised.value.problems == (f"{path}:14: [program]: checked: {problem}",)


def test_the_date_pattern_is_the_calendar() -> None:
    """Every month's last days, and the days either side, in every year from 0 to 9999."""
    days = (0, 1, 28, 29, 30, 31, 32)
    for year in range(10000):
        for month in range(14):
            for day in days:
                text = f"{year:04}-{month:02}-{day:02}"
                try:
                    real = bool(datetime.date.fromisoformat(text))
                except ValueError:
                    real = False
                assert bool(schema._DATE.fullmatch(text)) == real, text


def test_an_unquoted_date_through_the_command(
    cli: Cli, registry_text: str, write_registry: Callable[[str], Path]
) -> None:
    path = write_registry(registry_text.replace(EMAIL, f"{EMAIL}checked = 2026-02-28\n"))
    run = cli("--registry", str(path), "list", exit_code=ExitCode.BAD_REGISTRY)
    assert run.stderr == (
        f"s3pilot: error: {path}:14: [program]: checked: must be a string, not a date or time;"
        ' put it in quotes: checked = "2026-02-28"\n'
    )
