"""The table for people at a terminal: the one writer that imports Rich."""

from typing import TextIO

from s3pilot_cli.formats.cells import cell
from s3pilot_cli.records import Records
from s3pilot_cli.text import visible

# Fields a table never wraps: codes, numbers and addresses are copied whole.
_WHOLE_FIELDS = frozenset(
    {"id", "code", "region_code", "lan_code", "nuts3", "phone", "phone_e164", "email", "field"}
)


def write_table(out: TextIO, records: Records) -> None:
    """A Rich table. Values go in as `Text`, so [brackets] are data, never markup.

    Styled only where the terminal takes it: NO_COLOR (non-empty) or TERM=dumb turn every
    escape sequence off, bold included.
    """
    import os

    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, header_style="bold", highlight=False)
    for field in records.fields:
        table.add_column(field, overflow="fold", no_wrap=field in _WHOLE_FIELDS)
    for row in records.rows:
        table.add_row(*(Text(visible(cell(value))) for value in row))
    unstyled = bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"
    Console(
        file=out,
        markup=False,
        emoji=False,
        highlight=False,
        color_system=None if unstyled else "auto",
    ).print(table)
