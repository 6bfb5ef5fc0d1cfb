"""The date of the facts: `[program] checked`, a real calendar date, shown by `info`."""

import datetime
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from s3pilot_cli import registry, rules, schema
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
    assert registry.read(path).program.checked == date


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
        registry.read(path)
    assert raised.value.problems == (f"{path}:14: [program]: checked: {problem}",)


def _field(name: str) -> schema.Field:
    return next(field for field in schema.PROGRAM if field.name == name)


def _accepted(field: schema.Field, text: str) -> bool:
    return rules.text_problem(text, field.pattern, field.expected, field.kind) is None


def _real(text: str) -> bool:
    """A day of the calendar, written exactly YYYY-MM-DD (what `date.isoformat` writes)."""
    try:
        return datetime.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


YEARS = (0, 1, 999, 1900, 2000, 2023, 2024, 2100, 9999)


def test_a_date_field_takes_exactly_the_days_of_the_calendar() -> None:
    """Every month's days and the days either side, in years with and without 29 February."""
    checked = _field("checked")
    for year in YEARS:
        for month in range(14):
            for day in range(33):
                text = f"{year:04}-{month:02}-{day:02}"
                assert _accepted(checked, text) == _real(text), text
    for other in ("20261127", "2026-11-27T00:00", "2026-W48-5", "2026-1-27", " 2026-11-27"):
        assert not _accepted(checked, other), other


def test_a_month_field_takes_exactly_the_months_of_the_calendar() -> None:
    kickoff = _field("kickoff")
    for year in YEARS:
        for month in range(14):
            text = f"{year:04}-{month:02}"
            assert _accepted(kickoff, text) == _real(f"{text}-01"), text
    for other in ("2018-8", "201808", "2018-08-01", "0000-08"):
        assert not _accepted(kickoff, other), other


def test_an_unquoted_date_through_the_command(
    cli: Cli, registry_text: str, write_registry: Callable[[str], Path]
) -> None:
    path = write_registry(registry_text.replace(EMAIL, f"{EMAIL}checked = 2026-02-28\n"))
    run = cli("--registry", str(path), "list", exit_code=ExitCode.BAD_REGISTRY)
    assert run.stderr == (
        f"s3pilot: error: {path}:14: [program]: checked: must be a string, not a date or time;"
        ' put it in quotes: checked = "2026-02-28"\n'
    )
