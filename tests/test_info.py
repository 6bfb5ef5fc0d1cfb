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


@pytest.mark.parametrize(
    ("lang", "support", "members"),
    [("en", "1,000,000", "2,400"), ("sv", "1 000 000", "2 400")],
)
def test_a_table_groups_thousands_and_writes_a_range_of_years_with_a_dash(
    cli: Cli, lang: str, support: str, members: str
) -> None:
    """The registry's `support_sek = 1000000` and `members_about = 2400`, as a person reads
    them in each language; the years `2018-2021` with an en dash. The data formats keep
    the values as the registry writes them."""
    env = {"S3PILOT_LANG": lang, "COLUMNS": "100"}
    shown = cli("info", "--format", "table", env=env).stdout
    lines = shown.splitlines()
    assert any(line.endswith(f" {support}") for line in lines), shown
    assert any(line.endswith(f" {members}") for line in lines), shown
    assert any(line.endswith(" 2018\u20132021") for line in lines), shown
    assert "2018-2021" not in shown
    data = json.loads(cli("info", "--format", "json", env=env).stdout)
    assert (data["support_sek"], data["members_about"], data["period"]) == (
        1000000,
        2400,
        "2018-2021",
    )
    plain = cli("info", "--format", "plain", env=env).stdout
    assert "support_sek\t1000000\n" in plain
    assert "period\t2018-2021\n" in plain
