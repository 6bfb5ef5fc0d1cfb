"""The JSON Schema as the editors' checkers show it: a cluster's region among the 21 codes,
named; a date whose refusal a person can read."""

import datetime
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest

from s3pilot_cli import registry, rules, schema
from s3pilot_cli.errors import ExitCode
from tests.conftest import BUNDLED, INTEROP, Cli

SHIPPED = json.loads(registry.schema_path().read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SHIPPED)
REGION = SHIPPED["properties"]["clusters"]["items"]["properties"]["region"]
CHECKED = SHIPPED["properties"]["program"]["properties"]["checked"]


def test_a_clusters_region_is_one_of_the_21_codes_with_their_names() -> None:
    # Read from the registry file itself, not through s3pilot: the schema must follow it.
    regions = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))["regions"]
    assert REGION["enum"] == [region["code"] for region in regions]
    assert len(REGION["enum"]) == 21
    for region in regions:
        assert f"{region['code']} {region['name']}" in REGION["description"]


@pytest.mark.parametrize("region", ["Skåne", "se-m", "SE-Q"])
def test_the_schema_refuses_a_region_that_is_no_code(region: str) -> None:
    document = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
    document["clusters"][0]["region"] = region
    errors = list(VALIDATOR.iter_errors(document))
    assert [list(error.absolute_path) for error in errors] == [["clusters", 0, "region"]]


@pytest.mark.parametrize(
    ("region", "told"), [("Skåne", "write SE-M for Skåne"), ("se-m", "write SE-M for Skåne")]
)
def test_validate_names_the_code_of_the_region_meant(
    cli: Cli, tmp_path: Path, region: str, told: str
) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    # Mobile Heights, the first cluster, is in Skåne (SE-M).
    path = tmp_path / "mine.toml"
    path.write_text(text.replace('region = "SE-M"', f'region = "{region}"', 1), encoding="utf-8")
    stderr = cli("validate", str(path), exit_code=ExitCode.BAD_REGISTRY).stderr
    assert f"region: '{region}' is not the code of a region in this registry; {told}" in stderr


def _days() -> list[str]:
    """Every YYYY-MM-DD of a common year, a leap year, two centuries, and days that never are."""
    days = []
    for year in (2026, 2024, 2000, 1900):
        for month in range(1, 13):
            days += [f"{year}-{month:02}-{day:02}" for day in range(1, 33)]
    return [*days, "0000-01-01", "2026-00-10", "2026-13-01", "26-11-27", "2026-1-27"]


def _real(text: str) -> bool:
    try:
        return datetime.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def test_the_schema_and_validate_agree_on_dates_but_29_february() -> None:
    """The schema's two short checks of a date refuse what validate refuses, but for 29
    February of a year that is not a leap year, which only validate sees. The `checked`
    property alone is read: every date field has the same schema (a test below)."""
    checked = jsonschema.Draft7Validator(CHECKED)
    field = next(field for field in schema.PROGRAM if field.name == "checked")
    for day in _days():
        by_validate = rules.text_problem(day, field.pattern, field.expected, field.kind) is None
        assert by_validate == _real(day), day
        if day.endswith("-02-29") and not _real(day):
            assert checked.is_valid(day), day
        else:
            assert checked.is_valid(day) == _real(day), day


def test_every_date_field_has_the_same_schema() -> None:
    program = SHIPPED["properties"]["program"]["properties"]
    source = SHIPPED["properties"][schema.REGION_SOURCES]["items"]["properties"]
    dates = [program["call_opened"], source["read"]]
    assert all(date == CHECKED for date in dates)


def _lint(checker: str, arguments: list[str], folder: Path) -> str:
    path = Path(sys.executable).parent / checker
    if not path.exists():
        pytest.skip(f"the {checker} command {INTEROP}")
    done = subprocess.run(
        [str(path), *arguments, "clusters.toml"],
        capture_output=True,
        text=True,
        cwd=folder,
        env={"HOME": str(folder), "NO_COLOR": "1", "PATH": os.environ["PATH"]},
        check=False,
        timeout=60,
    )
    assert done.returncode != 0
    return done.stdout + done.stderr


def test_editors_say_no_such_day_readably(cli: Cli, home: Path) -> None:
    cli("init")
    folder = home / ".local" / "share" / "s3pilot"
    copy = folder / "clusters.toml"
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace('"2026-11-27"', '"2026-02-30"', 1), encoding="utf-8")
    taplo = _lint("taplo", ["lint", "--no-auto-config", "--colors", "never"], folder)
    said = next(line for line in taplo.splitlines() if line.startswith("error:"))
    assert "no such day: 30 or 31 February" in said
    assert len(said) < 250
    tombi = _lint("tombi", ["lint", "--offline"], folder)
    assert "2026-02-30" not in tombi or len(max(tombi.splitlines(), key=len)) < 250
    assert "[0-9]{3}[1-9]" not in taplo + tombi  # the whole calendar as one pattern
    assert CHECKED["description"].startswith("A real date, written YYYY-MM-DD")
