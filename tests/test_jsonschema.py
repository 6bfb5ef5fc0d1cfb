"""The registry's JSON Schema, read by a validator nobody here wrote (jsonschema), agrees with
`validate` wherever a JSON Schema can say what `validate` checks."""

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from s3pilot_cli import registry
from s3pilot_cli.errors import ExitCode
from tests.bad_registries import CASES
from tests.conftest import BUNDLED, INTEROP, Cli, script

MAKE_SCHEMA = script("make_schema")
SHIPPED = json.loads(registry.schema_path().read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SHIPPED)

# What only `validate` can see: values that must differ from entry to entry, a cluster's
# region among the file's regions, the e-mail pattern's placeholders; and a file that is not
# TOML at all never reaches a schema.
VALIDATE_ONLY = {
    "duplicate id",
    "duplicate name, other case",
    "duplicate lan_code",
    "dangling region",
    "email pattern",
    "label year still to come",
    "first_year after last_year",
}
NOT_TOML = {"TOML syntax"}


def test_the_shipped_file_is_the_generated_one() -> None:
    assert registry.schema_path().read_text(encoding="utf-8") == MAKE_SCHEMA.text(), (
        "schema.py's declarations changed: run"
        " 'uv run python scripts/make_schema.py > s3pilot_cli/clusters.schema.json'"
    )


def test_it_is_a_valid_draft_7_schema() -> None:
    jsonschema.Draft7Validator.check_schema(SHIPPED)
    assert SHIPPED["$schema"] == "http://json-schema.org/draft-07/schema#"


# Keywords that Taplo (drafts 4 to 7) and tombi (draft-07 on) both read, the same in each.
KEYWORDS = {
    "$schema",
    "title",
    "description",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "not",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
}


def _keywords(schema: dict[str, Any]) -> set[str]:
    found = set(schema)
    for name, value in schema.items():
        if name == "properties":
            for child in value.values():
                found |= _keywords(child)
        elif name == "items":
            found |= _keywords(value)
    return found


def test_only_keywords_both_editors_read() -> None:
    assert _keywords(SHIPPED) <= KEYWORDS


def test_the_bundled_registry_is_valid() -> None:
    document = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
    assert list(VALIDATOR.iter_errors(document)) == []


def test_the_minimal_registry_is_valid(registry_text: str) -> None:
    assert list(VALIDATOR.iter_errors(tomllib.loads(registry_text))) == []


@pytest.mark.parametrize(
    ("rule", "old", "new"),
    [c[:3] for c in CASES if c[0] not in NOT_TOML],
    ids=[c[0] for c in CASES if c[0] not in NOT_TOML],
)
def test_it_refuses_what_validate_refuses(
    registry_text: str, rule: str, old: str, new: str
) -> None:
    """Each of validate's bad registries (tests/test_validate.py): the schema refuses it too,
    unless it is one only `validate` can see."""
    document = tomllib.loads(registry_text.replace(old, new, 1))
    refused = not VALIDATOR.is_valid(document)
    assert refused == (rule not in VALIDATE_ONLY)


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ('name = "Compare"\n', "", "clusters/0: 'name' is a required property"),
        ('focus = "IT and telecom"', 'focus = "IT"\ncolour = "red"', "clusters/0: Additional"),
        ("applications = 40", 'applications = "40"', "program/applications: '40' is not of"),
        ('city = "Karlstad"', 'city = "  "', "clusters/0/city: '  ' does not match"),
        ('city = "Karlstad"', 'city = ""', "clusters/0/city: '' should be non-empty"),
        ("email_pattern", 'checked = "2026-02-30"\nemail_pattern', "program/checked: '2026-02-30'"),
    ],
    ids=["missing key", "unknown key", "wrong type", "blank value", "empty value", "no such day"],
)
def test_each_refusal_names_its_place(registry_text: str, old: str, new: str, where: str) -> None:
    document = tomllib.loads(registry_text.replace(old, new, 1))
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in VALIDATOR.iter_errors(document)
    ]
    place = where.partition(": ")[0]
    assert {error.partition(": ")[0] for error in errors} == {place}
    assert any(error.startswith(where) for error in errors)


def test_schema_prints_the_shipped_file(cli: Cli) -> None:
    run = cli("schema")
    assert run.stdout == registry.schema_path().read_text(encoding="utf-8")
    assert run.stderr == ""


def test_init_writes_the_schema_beside_the_copy_and_names_it(cli: Cli, home: Path) -> None:
    cli("init")
    folder = home / ".local" / "share" / "s3pilot"
    copy = (folder / "clusters.toml").read_text(encoding="utf-8")
    # The first line, then a blank line as tombi asks; Taplo and tombi resolve the path
    # from the TOML file's own folder.
    assert copy.startswith("#:schema ./clusters.schema.json\n\n# s3pilot registry")
    assert copy.removeprefix("#:schema ./clusters.schema.json\n\n") == BUNDLED.read_text(
        encoding="utf-8"
    )
    schema = json.loads((folder / "clusters.schema.json").read_text(encoding="utf-8"))
    assert schema == SHIPPED
    assert VALIDATOR.is_valid(tomllib.loads(copy))
    cli("validate")


# --- The editors' own checkers, on the copy `init` writes ----------------------------------------

EDITOR_CHECKERS = {
    "taplo": ["lint", "--no-auto-config", "--colors", "never"],  # no online catalogs either
    "tombi": ["lint", "--offline"],
}
# Four edits `validate` refuses, each on a line of its own in the bundled registry.
BAD_EDITS = [
    ("applications = 40", 'applications = "40"'),  # a wrong type
    ('checked = "2026-11-27"', 'checked = "2026-02-30"'),  # no such day
    ('name = "Compare"', 'name = "  "'),  # an empty value
    ('focus = "IT and telecom"', 'focus = "IT and telecom"\ncolour = "red"'),  # an unknown key
]


def _checker(name: str) -> str:
    path = Path(sys.executable).parent / name
    if not path.exists():
        pytest.skip(f"the {name} command {INTEROP}")
    return str(path)


@pytest.mark.parametrize("checker", list(EDITOR_CHECKERS))
def test_editors_check_the_copy_against_the_schema_beside_it(
    cli: Cli, home: Path, checker: str
) -> None:
    cli("init")
    folder = home / ".local" / "share" / "s3pilot"
    copy = folder / "clusters.toml"

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [_checker(checker), *EDITOR_CHECKERS[checker], copy.name],
            capture_output=True,
            text=True,
            cwd=folder,
            env={"HOME": str(home), "NO_COLOR": "1", "PATH": os.environ["PATH"]},
            check=False,
            timeout=60,
        )

    assert check().returncode == 0
    text = copy.read_text(encoding="utf-8")
    lines = []
    for old, new in BAD_EDITS:
        assert text.count(old) == 1
        lines.append(text[: text.index(old)].count("\n") + 1 + new.count("\n"))
        text = text.replace(old, new)
    copy.write_text(text, encoding="utf-8")
    assert cli("validate", exit_code=ExitCode.BAD_REGISTRY).stderr.count("\n") == 5

    done = check()
    assert done.returncode == 1
    shown = done.stdout + done.stderr
    for line in lines:
        assert f"clusters.toml:{line}:" in shown, (line, shown)


def test_the_schema_refuses_exactly_the_control_characters_validate_refuses() -> None:
    """One class of control characters: the schema's patterns (read by jsonschema) and
    `validate`'s check agree on every character of the first planes' edges."""
    from s3pilot_cli.textrules import find_control

    name = MAKE_SCHEMA.generate()["properties"]["program"]["properties"]["name"]
    checker = jsonschema.Draft7Validator(name)
    from s3pilot_cli.invisible import RANGES

    edges = [code for first, last in RANGES for code in (first - 1, first, last, last + 1)]
    for code in [*range(0x300), *range(0x2000, 0x2070), 0xFFFD, 0x10FFFF, *edges]:
        value = f"a{chr(code)}b"
        assert checker.is_valid(value) is (find_control(value) is None), hex(code)
    # 65 C0 and C1 controls (DEL too), the 2 line and paragraph separators, the characters
    # that draw nothing, and the 2048 surrogates, which only validate sees: JSON Schema's
    # readers cannot.
    invisible = sum(last - first + 1 for first, last in RANGES)
    assert sum(find_control(chr(code)) is not None for code in range(0x110000)) == (
        65 + 2 + invisible + 2048
    )
