"""What start-up pays for: the modules a command imports (timings live in benchmarks/)."""

import subprocess
import sys

import pytest

from tests.conftest import BUNDLED, imported_by


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--format", "csv"],
        ["list", "--region", "Värmland"],
        ["regions"],
        # options where people put them take the same quick way
        ["list", "Värmland", "Dalarna", "--sort", "NAME", "--fields", "id", "--fields", "name"],
        ["export", "--format", "csv", "--region", "Värmland,Dalarna", "--registry", str(BUNDLED)],
    ],
)
def test_data_commands_import_nothing_heavy(args: list[str]) -> None:
    modules = imported_by(*args)
    for heavy in ("typer", "click", "rich", "tomli_w", "platformdirs", "pydantic", "json"):
        assert heavy not in modules, f"s3pilot {' '.join(args)} imports {heavy}"


def test_the_csv_writer_imports_csv_and_only_then() -> None:
    assert "csv" in imported_by("list", "--format", "csv")
    assert "csv" not in imported_by("list")


def test_a_table_imports_rich() -> None:
    assert "rich.table" in imported_by("list", "--format", "table")


def test_help_and_errors_load_typer() -> None:
    assert "typer" in imported_by("list", "--help")
    assert "typer" in imported_by("list", "--region", "", exit_code=2)


def test_help_still_works() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "s3pilot_cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "Usage: s3pilot" in done.stdout


def test_the_python_api_loads_neither_typer_nor_rich() -> None:
    """`import s3pilot_cli` (which every command does) imports only what the quickest command
    imports anyway; the API, used, reads the registry without the CLI's libraries."""
    script = (
        "import sys; import s3pilot_cli;"
        " before = sorted(m for m in sys.modules if m.startswith('s3pilot_cli.'));"
        " s3pilot_cli.cluster_records(s3pilot_cli.load());"
        " print(' '.join(before)); print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    before, after = done.stdout.split("\n")[:2]
    assert "s3pilot_cli.registry" in before.split()
    assert set(before.split()) <= {
        m for m in imported_by("regions") if m.startswith("s3pilot_cli.")
    }
    modules = set(after.split())
    assert "s3pilot_cli.registry" in modules
    for heavy in ("typer", "click", "rich", "sqlite3", "xlsxwriter", "tomli_w", "platformdirs"):
        assert heavy not in modules, f"the Python API imports {heavy}"


def test_the_binary_formats_import_their_libraries_only_when_asked() -> None:
    modules = imported_by("export", "--format", "csv")
    assert "sqlite3" not in modules
    assert "xlsxwriter" not in modules
