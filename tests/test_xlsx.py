"""`export --format xlsx`, read back with openpyxl: every cell is the csv export's value."""

import csv
import io
import json
import os
import resource
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from s3pilot_cli import records
from s3pilot_cli.errors import ExitCode
from s3pilot_cli.formats.delimited import write_csv
from s3pilot_cli.formats.xlsx import write_xlsx
from s3pilot_cli.model import Registry
from tests.conftest import Cli, installed_command
from tests.strategies import registries


def xml_characters(registry: Registry) -> bool:
    """No U+FFFE or U+FFFF, which XML cannot hold: XlsxWriter writes them as the OOXML escapes
    `_xFFFE_` and `_xFFFF_`, which openpyxl reads back as those seven characters."""
    shown = repr(registry)  # repr writes them as escapes
    return "\\ufffe" not in shown and "\\uffff" not in shown


SHEETS = ["Clusters", "Regions", "Contacts", "Programme", "Sources", "Events"]


@pytest.fixture
def workbook(cli: Cli, tmp_path: Path) -> Workbook:
    target = tmp_path / "s3pilot.xlsx"
    cli("export", "--format", "xlsx", "-o", str(target))
    return openpyxl.load_workbook(target)


def cells(sheet: Worksheet) -> list[list[str]]:
    """Every cell as the csv export writes a value: empty for none, numbers as digits."""
    return [
        ["" if value is None else str(value) for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def width_of(sheet: Worksheet, column: int) -> float:
    """A column's width; a run of columns of one width is stored once, for its first."""
    (width,) = (d.width for d in sheet.column_dimensions.values() if d.min <= column <= d.max)
    return float(width)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_sheets(workbook: Workbook) -> None:
    assert workbook.sheetnames == SHEETS


@pytest.mark.parametrize(
    ("sheet", "command"),
    [
        ("Clusters", ["export", "--format", "csv"]),
        ("Regions", ["regions", "--format", "csv"]),
        ("Contacts", ["contacts", "--format", "csv"]),
    ],
)
def test_every_cell_is_the_csv_value(
    cli: Cli, workbook: Workbook, sheet: str, command: list[str]
) -> None:
    assert cells(workbook[sheet]) == csv_rows(cli(*command).stdout)


def test_the_programme_sheet_is_the_registry_program(cli: Cli, workbook: Workbook) -> None:
    program = json.loads(cli("export", "--format", "registry-json").stdout)["program"]
    # Each source a line: its page, then the fields it supports and the day it was read.
    program["sources"] = [
        f"{s['url']} ({', '.join(s['fields'])}; read {s['read']}"
        + (f"; weak: {s['caveat']})" if "caveat" in s else ")")
        for s in program["sources"]
    ]
    program.pop("events", None)  # the Events sheet's
    expected = {
        field: "; ".join(value) if isinstance(value, list) else str(value)
        for field, value in program.items()
    }
    expected["period"] = f"{program['first_year']}-{program['last_year']}"
    rows = cells(workbook["Programme"])
    assert rows[0] == ["field", "value"]
    assert dict(rows[1:]) == expected


def test_codes_stay_text(workbook: Workbook) -> None:
    regions = workbook["Regions"]
    assert [regions["A1"].value, regions["B1"].value] == ["code", "lan_code"]
    # Stockholm, the first län: länskod "01", not the number 1.
    assert (regions["B2"].value, regions["B2"].data_type) == ("01", "s")
    # ...while a count is a number.
    assert regions["H1"].value == "clusters"
    assert regions["H2"].data_type == "n"


@pytest.mark.parametrize("sheet", SHEETS)
def test_a_bold_frozen_filtered_header_and_sized_columns(workbook: Workbook, sheet: str) -> None:
    ws = workbook[sheet]
    last = get_column_letter(ws.max_column)
    assert all(cell.font.b for cell in ws[1])
    assert not any(cell.font.b for cell in ws[2])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}"
    for column in ws.iter_cols():
        longest = max(len("" if c.value is None else str(c.value)) for c in column)
        width = width_of(ws, column[0].column)
        assert min(longest, 80) <= width <= min(longest, 80) + 3


def test_websites_and_addresses_are_links(cli: Cli, workbook: Workbook) -> None:
    clusters = json.loads(cli("list", "--format", "json").stdout)
    websites = [
        cell for (cell,) in workbook["Clusters"].iter_rows(min_row=2, min_col=10, max_col=10)
    ]
    assert workbook["Clusters"]["J1"].value == "website"
    for cell, cluster in zip(websites, clusters, strict=True):
        if cluster["website"]:
            assert cell.hyperlink.target == cluster["website"] == cell.value
        else:
            assert cell.hyperlink is None
    assert sum(1 for cell in websites if cell.hyperlink) >= 10

    contacts = json.loads(cli("contacts", "--format", "json").stdout)
    addresses = [cell for (cell,) in workbook["Contacts"].iter_rows(min_row=2, min_col=5)]
    assert [(c.value, c.hyperlink.target) for c in addresses] == [
        (contact["email"], "mailto:" + contact["email"]) for contact in contacts
    ]
    source = {row[0].value: row[1] for row in workbook["Programme"].iter_rows(min_row=2)}
    assert source["source_url"].hyperlink.target == source["source_url"].value


def test_workbook_properties_name_the_source_and_date(cli: Cli, workbook: Workbook) -> None:
    program = json.loads(cli("export", "--format", "registry-json").stdout)["program"]
    assert workbook.properties.title == "S3-piloten: clusters, regions and contacts"
    custom = {p.name: p.value for p in workbook.custom_doc_props.props}
    assert custom["Source URL"] == program["source_url"]
    assert custom["Date of the data"] == program["checked"]


def test_no_file_named_is_a_usage_error(cli: Cli) -> None:
    run = cli("export", "--format", "xlsx", exit_code=2)
    assert run.stderr.endswith("name the file with -o, e.g. -o s3pilot.xlsx\n")


@given(registries().filter(xml_characters))
def test_any_registry_round_trips(registry: Registry) -> None:
    text = io.StringIO()
    write_csv(text, records.clusters(registry, registry.clusters))
    stream = io.BytesIO()
    write_xlsx(stream, registry)
    workbook = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    assert cells(workbook["Clusters"]) == csv_rows(text.getvalue())


def test_a_folder_or_a_missing_folder_is_refused(cli: Cli, tmp_path: Path) -> None:
    run = cli("export", "--format", "xlsx", "-o", str(tmp_path), exit_code=1)
    assert run.stderr == (
        f"s3pilot: error: {tmp_path}: is a directory; give the name of a file to write\n"
    )
    nowhere = tmp_path / "no" / "s3pilot.xlsx"
    run = cli("export", "--format", "xlsx", "-o", str(nowhere), exit_code=1)
    assert run.stderr == (
        f"s3pilot: error: {nowhere}: the folder {nowhere.parent} does not exist; create it first\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_replacing_a_workbook_keeps_its_permissions(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "s3pilot.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    cli("export", "--format", "xlsx", "-o", str(target))
    assert target.stat().st_mode & 0o777 == 0o640
    assert openpyxl.load_workbook(target).sheetnames == SHEETS


def test_the_same_registry_gives_the_same_bytes_whatever_the_clock(
    cli: Cli, tmp_path: Path
) -> None:
    """Two exports in different seconds: the workbook's dates are the registry's date of
    the facts (`checked`), not the clock's, as the data package's zip already is."""
    import time
    import zipfile
    from datetime import datetime

    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    cli("export", "-o", str(first))
    time.sleep(1.01 - time.time() % 1)  # into the clock's next second
    cli("export", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    core = zipfile.ZipFile(first).read("docProps/core.xml").decode()
    checked = json.loads(cli("info", "--format", "json").stdout)["checked"]
    assert f'<dcterms:created xsi:type="dcterms:W3CDTF">{checked}T00:00:00Z<' in core
    properties = openpyxl.load_workbook(first).properties
    assert properties.created == datetime.fromisoformat(checked)


def _export_xlsx(
    target: Path, temporary: Path, limit: int | None = None
) -> "subprocess.CompletedProcess[str]":
    """`s3pilot export --format xlsx -o TARGET` with $TMPDIR at `temporary`; files limited to
    `limit` bytes (`ulimit -f`) if given."""

    def limited() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [installed_command(), "export", "--format", "xlsx", "-o", str(target)],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(temporary)},
        preexec_fn=limited,
        check=False,
        timeout=60,
    )


def _failed_cleanly(
    done: "subprocess.CompletedProcess[str]", target: Path, temporary: Path
) -> None:
    assert done.returncode == ExitCode.FAILURE, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith(f"s3pilot: error: {target}: could not be written (")
    assert done.stderr.endswith("); it is unchanged\n")
    assert done.stderr.count("\n") == 1, done.stderr  # no "Exception ignored ... ZipFile"
    assert list(temporary.iterdir()) == []  # nothing of XlsxWriter's in $TMPDIR
    assert [p.name for p in target.parent.iterdir() if p.name != "fill"] == []  # no target


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs with 4 KiB left: too small for the bundled registry's workbook."""
    folder = tmp_path / "full"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs (needs root): {mounted.stderr.decode().strip()}")
    try:
        (folder / "fill").write_bytes(b"\0" * 60 * 1024)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_xlsx_on_a_full_disk(full_disk: Path, tmp_path: Path) -> None:
    """ENOSPC: one error line, the disk as it was, nothing in $TMPDIR."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    target = full_disk / "book.xlsx"
    _failed_cleanly(_export_xlsx(target, temporary), target, temporary)


def test_xlsx_past_the_file_size_limit(tmp_path: Path) -> None:
    """EFBIG, as under `ulimit -f 8`: the same, for any user."""
    temporary, folder = tmp_path / "tmp", tmp_path / "out"
    temporary.mkdir()
    folder.mkdir()
    target = folder / "book.xlsx"
    _failed_cleanly(_export_xlsx(target, temporary, limit=8 * 1024), target, temporary)


def test_xlsx_interrupted_leaves_no_temporary_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the workbook is being zipped: exit 130, and $TMPDIR as it was."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    calls = 0

    def interrupting(original: Any) -> Any:
        def method(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> Any:
            nonlocal calls
            calls += 1
            if calls == 3:  # some parts of the workbook are written, others not yet
                raise KeyboardInterrupt
            return original(self, *args, **kwargs)

        return method

    for name in ("write", "writestr"):  # a part from a file, a part from memory
        monkeypatch.setattr(zipfile.ZipFile, name, interrupting(getattr(zipfile.ZipFile, name)))
    target = tmp_path / "book.xlsx"
    cli("export", "--format", "xlsx", "-o", str(target), exit_code=ExitCode.INTERRUPTED)
    assert calls == 3
    assert list(temporary.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]
