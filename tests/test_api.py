"""The Python API: `import s3pilot_cli`, as a notebook uses it."""

import doctest
import json
import re
from pathlib import Path

import pytest

import s3pilot_cli
from s3pilot_cli import errors, model
from tests.conftest import BUNDLED, CLUSTER_FIELDS, MINIMAL, ROOT, Cli


def test_load_reads_the_bundled_registry() -> None:
    registry = s3pilot_cli.load()
    assert isinstance(registry, s3pilot_cli.Registry)
    # The programme page lists 22 clusters, Mobile Heights (Skåne) first.
    assert len(registry.clusters) == 22
    assert registry.clusters[0].name == "Mobile Heights"
    assert len(registry.regions) == 21


def test_load_follows_the_commands_lookup_order(
    home: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    own = home / ".local" / "share" / "s3pilot" / "clusters.toml"
    own.parent.mkdir(parents=True)
    own.write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    assert [c.id for c in s3pilot_cli.load().clusters] == ["compare", "paper-province"]
    monkeypatch.setenv("S3PILOT_REGISTRY", str(BUNDLED))
    assert len(s3pilot_cli.load().clusters) == 22
    # A path wins over both, as --registry does; str and Path alike.
    assert len(s3pilot_cli.load(MINIMAL).clusters) == 2
    assert len(s3pilot_cli.load(str(MINIMAL)).clusters) == 2
    assert json.loads(cli("info", "--format", "json").stdout)["registry"] == str(BUNDLED)


def test_the_records_are_the_json_objects(cli: Cli) -> None:
    assert s3pilot_cli.cluster_records() == json.loads(cli("list", "--format", "json").stdout)
    assert s3pilot_cli.region_records() == json.loads(cli("regions", "--format", "json").stdout)
    assert s3pilot_cli.contact_records() == json.loads(cli("contacts", "--format", "json").stdout)


def test_records_of_a_registry_file_named(cli: Cli, tmp_path: Path) -> None:
    """A path, as str or Path, is read as `load(path)` reads it: not taken for a Registry."""
    for command, function in [
        ("list", s3pilot_cli.cluster_records),
        ("regions", s3pilot_cli.region_records),
        ("contacts", s3pilot_cli.contact_records),
    ]:
        expected = json.loads(cli("--registry", str(MINIMAL), command, "--format", "json").stdout)
        assert function(str(MINIMAL)) == expected
        assert function(MINIMAL) == expected
    assert [r["id"] for r in s3pilot_cli.cluster_records(str(MINIMAL))] == [
        "compare",
        "paper-province",
    ]
    missing = tmp_path / "nosuch.toml"
    with pytest.raises(s3pilot_cli.RegistryError) as raised:
        s3pilot_cli.cluster_records(str(missing))
    assert raised.value.message == f"{missing}: no such registry file; check the path"


def test_the_records_load_no_writer() -> None:
    """The API builds its dicts in records.py, as the json writer does: no writer is loaded."""
    import subprocess
    import sys

    code = (
        "import sys, s3pilot_cli; s3pilot_cli.cluster_records(); s3pilot_cli.contact_records();"
        " print(sorted(m for m in sys.modules if m.startswith('s3pilot_cli.formats')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout == "[]\n"


def test_records_of_a_registry_given(cli: Cli) -> None:
    registry = s3pilot_cli.load(MINIMAL)
    expected = json.loads(cli("--registry", str(MINIMAL), "list", "--format", "json").stdout)
    assert s3pilot_cli.cluster_records(registry) == expected
    assert [r["id"] for r in expected] == ["compare", "paper-province"]


def test_records_are_flat_rows_with_the_same_keys() -> None:
    """What pandas.DataFrame(records) needs: one flat dict a row, every row the same keys."""
    records = s3pilot_cli.cluster_records()
    keys = list(records[0])
    assert keys == CLUSTER_FIELDS
    assert all(list(record) == keys for record in records)
    assert all(isinstance(record["aliases"], list) for record in records)


def test_errors_are_the_commands_own(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(s3pilot_cli.RegistryError) as raised:
        s3pilot_cli.load(missing)
    assert isinstance(raised.value, s3pilot_cli.S3PilotError)
    stderr = cli("--registry", str(missing), "list", exit_code=4).stderr
    assert stderr == f"s3pilot: error: {raised.value.message}\n"
    assert raised.value.message.startswith(f"{missing}: no such registry file")


def test_an_empty_path_is_refused_as_the_option_is(cli: Cli) -> None:
    """Not the current folder, which `Path("")` is: the same refusal as `--registry ""`."""
    with pytest.raises(s3pilot_cli.UsageError) as raised:
        s3pilot_cli.load("")
    assert raised.value.message == (
        "the registry path is empty; give the path of a registry file, or leave it out"
    )
    assert "is empty; give the path of a registry file, or leave it out" in (
        cli("--registry", "", "list", exit_code=2).stderr
    )


def test_the_public_names() -> None:
    assert s3pilot_cli.Registry is model.Registry
    assert s3pilot_cli.Cluster is model.Cluster
    assert s3pilot_cli.S3PilotError is errors.S3PilotError
    assert s3pilot_cli.NoSuchCluster is errors.NoSuchCluster
    for name in s3pilot_cli.__all__:
        assert getattr(s3pilot_cli, name) is not None


def test_the_package_is_typed() -> None:
    assert (ROOT / "s3pilot_cli" / "py.typed").is_file()


def readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    return text[start : text.index("\n## ", start + 1)]


def test_the_readme_python_examples_run() -> None:
    section = readme_section("Python")
    (session,) = re.findall(r"```pycon\n(.*?)```", section, re.DOTALL)
    test = doctest.DocTestParser().get_doctest(session, {}, "README", "README.md", 0)
    result = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS).run(test)
    assert (result.failed, result.attempted) == (0, 11)

    # The ```python example, with real pandas, runs in tests/test_csv.py.
