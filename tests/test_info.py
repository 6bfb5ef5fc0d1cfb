"""`s3pilot info`: the programme, and which registry is used and why."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from s3pilot_cli.errors import ExitCode
from tests.conftest import (
    BUNDLED,
    Cli,
)


def test_info_says_which_registry_and_why(cli: Cli) -> None:
    lines = dict(line.split("\t", 1) for line in cli("info").stdout.splitlines())
    assert lines["name"] == "S3-piloten"
    assert lines["agency"] == "Tillväxtverket"
    assert (lines["applications"], lines["selected"]) == ("40", "22")
    assert Path(lines["registry"]).samefile(BUNDLED)
    assert lines["registry_reason"] == "bundled with s3pilot"


def test_info_json(cli: Cli, tmp_path: Path) -> None:
    copy = tmp_path / "mine.toml"
    copy.write_bytes(BUNDLED.read_bytes())
    data = json.loads(cli("--registry", str(copy), "info", "--format", "json").stdout)
    assert (data["registry"], data["registry_reason"]) == (str(copy), "given with --registry")
    assert data["offers"][0] == "utbildningar"


BROKEN = 'schema_version = 1\n[program\nname = "x"\n'


@pytest.mark.parametrize("how", ["option", "variable"])
def test_info_on_a_broken_registry_says_which_and_why(
    cli: Cli, write_registry: Callable[[str], Path], how: str
) -> None:
    broken = write_registry(BROKEN)
    if how == "option":
        run = cli("info", "--registry", str(broken), exit_code=ExitCode.BAD_REGISTRY)
        reason = "given with --registry"
    else:
        env = {"S3PILOT_REGISTRY": str(broken)}
        run = cli("info", env=env, exit_code=ExitCode.BAD_REGISTRY)
        reason = "named by $S3PILOT_REGISTRY"
    assert run.stdout == f"registry\t{broken}\nregistry_reason\t{reason}\n"
    assert run.stderr.startswith(
        f"s3pilot: error: the registry in use is invalid: {broken}:2:9: TOML syntax error"
    )
    assert run.stderr.count("\n") == 1


def test_info_json_on_a_broken_registry(cli: Cli, write_registry: Callable[[str], Path]) -> None:
    broken = write_registry(BROKEN)
    run = cli("--registry", str(broken), "info", "-f", "json", exit_code=ExitCode.BAD_REGISTRY)
    assert json.loads(run.stdout) == {
        "registry": str(broken),
        "registry_reason": "given with --registry",
    }
