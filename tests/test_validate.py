"""One bad registry per rule, each the small valid registry with one edit, and its exact message.

A message names the file, the line, the entry and the field, and says what to do.
"""

from collections.abc import Callable
from pathlib import Path

import pytest

from s3pilot_cli import registry
from s3pilot_cli.errors import ExitCode, RegistryError
from tests.bad_registries import CASES
from tests.conftest import BUNDLED, MINIMAL, Cli


@pytest.mark.parametrize(
    ("old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_rule_has_its_message(
    registry_text: str,
    write_registry: Callable[[str], Path],
    old: str,
    new: str,
    expected: list[str],
) -> None:
    assert old in registry_text
    path = write_registry(registry_text.replace(old, new, 1))
    with pytest.raises(RegistryError) as raised:
        registry.read(path)
    assert list(raised.value.problems) == [p.replace("{path}", str(path)) for p in expected]


def test_the_minimal_registry_is_valid(
    registry_text: str, write_registry: Callable[[str], Path]
) -> None:
    loaded = registry.read(write_registry(registry_text))
    assert [c.id for c in loaded.clusters] == ["compare", "paper-province"]


def test_every_problem_is_reported_at_once(
    registry_text: str, write_registry: Callable[[str], Path], cli: Cli
) -> None:
    """Four distinct problems in four places: four lines, each with its place."""
    text = registry_text
    for old, new in [
        ("applications = 40", 'applications = "many"'),
        ('lan_code = "03"', 'lan_code = "3"'),
        ('website = "https://compare.se"', 'website = "compare.se"'),
        ('aliases = ["The Paper Province"]', 'aliases = ["The Paper Province"]\nowner = "x"'),
    ]:
        text = text.replace(old, new, 1)
    path = write_registry(text)
    with pytest.raises(RegistryError) as raised:
        registry.read(path)
    assert [p.split(": ")[0] for p in raised.value.problems] == [
        f"{path}:9",
        f"{path}:29",
        f"{path}:40",
        f"{path}:48",
    ]

    run = cli("validate", str(path), exit_code=ExitCode.BAD_REGISTRY)
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        *(f"s3pilot: {p}" for p in raised.value.problems),
        f"s3pilot: {path}: 4 problems; the registry was not used",
    ]

    run = cli("--registry", str(path), "list", exit_code=ExitCode.BAD_REGISTRY)
    assert run.stdout == ""
    assert run.stderr == (
        f"s3pilot: error: {raised.value.problems[0]} (and 3 more; run 's3pilot validate"
        f" {path}' to list them all)\n"
    )


def test_validate_ok_prints_counts(
    cli: Cli, registry_text: str, write_registry: Callable[[str], Path]
) -> None:
    path = write_registry(registry_text)
    run = cli("validate", str(path))
    assert run.stdout == f"ok\t{path}\t2 clusters, 2 regions, 1 contacts\n"
    assert run.stderr == ""


def test_the_minimal_and_bundled_registries_are_valid(cli: Cli) -> None:
    for path in (MINIMAL, BUNDLED):
        assert cli("validate", str(path)).stdout.startswith("ok\t")
