"""The csv format: columns, `--excel` for Excel, and the readers that take it (pandas)."""

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from s3pilot_cli.errors import ExitCode
from tests.conftest import (
    ROOT,
    Cli,
    fails,
    in_terminal,
    interop,
)

Write = Callable[..., Path]
FORMULAS = ['=HYPERLINK("http://x")', "+46 8 123", "-2+3", "@SUM(A1)"]


def test_excel_alone_means_csv(cli: Cli) -> None:
    text = cli("export", "--excel", "-r", "Värmland").stdout
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert [row["name"] for row in rows] == ["Compare", "Paper Province"]


def test_export_excel_csv(cli: Cli) -> None:
    text = cli("export", "--format", "csv", "--excel", "-r", "Värmland").stdout
    assert text.startswith("\ufeffid;name;region;")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[1][:2] == ["compare", "Compare"]


def test_formula_payloads_are_neutralised_for_excel(
    cli: Cli, write_registry: Write, registry_text: str
) -> None:
    text = registry_text
    for old, payload in zip(
        ['"Karlstad"', '"IT and telecom"', '"The Paper Province"', '"Paper Province"'],
        FORMULAS,
        strict=True,
    ):
        text = text.replace(old, '"' + payload.replace('"', '\\"') + '"', 1)
    path = write_registry(text)
    excel = cli("--registry", str(path), "export", "--format", "csv", "--excel").stdout
    rows = list(csv.DictReader(io.StringIO(excel.removeprefix("\ufeff")), delimiter=";"))
    assert [rows[0]["city"], rows[0]["focus"], rows[1]["aliases"], rows[1]["name"]] == [
        "'" + payload for payload in FORMULAS
    ]
    # Plain csv keeps values as they are.
    plain = cli("--registry", str(path), "export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(plain)))
    assert [rows[0]["city"], rows[0]["focus"], rows[1]["aliases"], rows[1]["name"]] == FORMULAS


def _readme_python_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Python\n")
    return text[start : text.index("\n## ", start + 1)]


@pytest.mark.slow
def test_the_readme_reads_codes_as_text_with_pandas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    interop("pandas")
    section = _readme_python_section()
    (console,) = re.findall(r"```console\n(.*?)```", section, re.DOTALL)
    (script,) = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    for line in console.splitlines():
        in_terminal(line.removeprefix("$ "), cwd=tmp_path)
    monkeypatch.chdir(tmp_path)
    names: dict[str, Any] = {}
    exec(script, names)  # noqa: S102 - the README's own example, with real pandas
    # Stockholm's länskod is 01 and the contacts' numbers +46… (Sweden's list of län, the
    # programme page): kept as text, never 1 or 4686819451.
    assert names["clusters"]["lan_code"].tolist() == names["from_csv"]["lan_code"].tolist()
    assert "03" not in names["from_csv"]["lan_code"].tolist()  # Uppsala has no cluster
    assert names["from_csv"]["lan_code"].tolist()[:2] == ["12", "12"]  # Skåne's two first
    assert names["contacts"]["phone_e164"].tolist() == ["+4686819451", "+4686819132"]
    sheets = names["workbook"]
    assert sheets["Regions"]["lan_code"].tolist()[:2] == ["01", "03"]
    assert sheets["Contacts"]["phone_e164"].tolist() == ["+4686819451", "+4686819132"]


@pytest.mark.slow
def test_without_being_told_pandas_guesses_numbers(tmp_path: Path) -> None:
    """Why the README says so: read without dtype, the codes lose their zero and their +."""
    pandas = interop("pandas")
    in_terminal("s3pilot regions --format csv > regions.csv", cwd=tmp_path)
    assert pandas.read_csv(tmp_path / "regions.csv")["lan_code"].tolist()[:2] == [1, 3]


def test_export_contradictions(cli: Cli) -> None:
    run = cli("export", "--format", "json", "--excel", exit_code=ExitCode.USAGE)
    assert (run.stdout, run.stderr) == (
        "",
        "s3pilot: error: --excel goes with --format csv, not --format json\n",
    )


def test_contradicting_options(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    message = fails(cli, "export", "--excel", "-o", str(target), code=ExitCode.USAGE)
    assert message == "--excel goes with --format csv, not --format json"
    assert not target.exists()
