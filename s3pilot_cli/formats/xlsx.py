"""An Excel workbook: sheets Clusters, Regions, Contacts, Programme, Sources (each cluster's
pages, one a row) and Events (the programme's and the clusters', one a row).

Every sheet has a bold, frozen header row with an autofilter, and columns as wide as their
content. Cells hold the values of the csv export (a list joined with "; "), text as text (a
länskod "01" stays "01", nothing is ever read as a formula), counts as numbers; websites and
e-mail addresses are links. XlsxWriter is imported inside the writer, so that no other
format pays for it.
"""

from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from s3pilot_cli.formats.cells import cell
from s3pilot_cli.licences import DATA_STATEMENT
from s3pilot_cli.model import Registry
from s3pilot_cli.records import (
    PAIR_FIELDS,
    Records,
    clusters,
    contacts,
    events,
    program,
    regions,
    sources,
)

if TYPE_CHECKING:
    from datetime import datetime

# Fields whose values are links, and what goes before the value in the link's target.
_LINKS = {"website": "", "email": "mailto:", "source_url": "", "url": "", "later_url": ""}
_LINKS |= {"eccp_url": "", "s3_url": ""}
_MAX_LINKS = 65_530  # Excel's limit per worksheet; beyond it, addresses are plain text
_MAX_WIDTH = 80  # characters: wider columns are cut at the edge of the cell, not wrapped


def sheets(registry: Registry) -> dict[str, Records]:
    """Each sheet's name and its records."""
    return {
        "Clusters": clusters(registry, registry.clusters),
        "Regions": regions(registry),
        "Contacts": contacts(registry),
        "Programme": program(registry),
        "Sources": sources(registry.clusters),
        "Events": events(registry),
    }


def write_xlsx(target: Path | IO[bytes], registry: Registry) -> None:
    """Write the workbook to a file at `target` (a new or temporary one) or a binary stream.

    XlsxWriter builds it in memory and `target` gets it in one write: XlsxWriter's own
    temporary files, which an interruption would leave in $TMPDIR, never exist, and a full
    disk is one OSError here rather than a failing ZipFile that complains again when collected.
    """
    import io

    import xlsxwriter  # type: ignore[import-untyped]

    options = {
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "in_memory": True,
    }
    built = io.BytesIO() if isinstance(target, Path) else target
    workbook = xlsxwriter.Workbook(built, options)
    programme = registry.program
    workbook.set_properties(
        {
            # The date of the facts, not the clock's: the same registry, the same bytes.
            "created": _date_of_the_data(programme.checked),
            "title": f"{programme.name}: clusters, regions and contacts",
            "subject": f"The clusters of {programme.agency}'s {programme.name}",
            "comments": f"Source: {programme.source_url}",
        }
    )
    workbook.set_custom_property("Source URL", programme.source_url)
    workbook.set_custom_property("License", DATA_STATEMENT)
    if programme.checked:  # as text: a date property cannot hold years before 1900 as written
        workbook.set_custom_property("Date of the data", programme.checked)
    header = workbook.add_format({"bold": True})
    for name, records in sheets(registry).items():
        _sheet(workbook.add_worksheet(name), records, header)
    workbook.close()
    if isinstance(built, io.BytesIO) and isinstance(target, Path):
        target.write_bytes(built.getbuffer())


def _date_of_the_data(checked: str | None) -> "datetime":
    """When the facts were checked (midnight, UTC), or else the earliest date a zip holds, as
    the data package's entries have it."""
    from datetime import datetime

    return datetime.fromisoformat(checked) if checked else datetime(1980, 1, 1)


def _sheet(sheet: Any, records: Records, header: Any) -> None:
    widths = [len(field) for field in records.fields]
    sheet.write_row(0, 0, records.fields, header)
    links = 0
    for r, row in enumerate(records.rows, start=1):
        for c, value in enumerate(row):
            if value is None or value == ():
                continue
            if type(value) is int:
                sheet.write_number(r, c, value)
                text = str(value)
            else:
                text = cell(value)
                prefix = _LINKS.get(_field_of(records, r - 1, c))
                if prefix is not None and links < _MAX_LINKS:
                    sheet.write_url(r, c, prefix + text, None, text)
                    links += 1
                else:
                    sheet.write_string(r, c, text)
            widths[c] = max(widths[c], len(text))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(width, _MAX_WIDTH) + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(records.rows), len(records.fields) - 1)


def _field_of(records: Records, row: int, column: int) -> str:
    """The field a cell holds: its column's, or in a field/value sheet, the row's field."""
    if records.fields == PAIR_FIELDS and column == 1:
        return str(records.rows[row][0])
    return records.fields[column]
