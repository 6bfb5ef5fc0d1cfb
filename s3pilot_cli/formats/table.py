"""The table for people at a terminal: the one writer that imports Rich.

Every chosen column is shown and no value is cut silently (README, "The output contract").
The column widths are worked out here and handed to Rich fixed: Rich's own layout splits words
in the middle and, in a narrow terminal, shrinks a column to nothing. In order:

1. Each column as wide as its widest value, if the terminal has the room.
2. Otherwise the widest columns are narrowed first, but no further than their longest word:
   text wraps between words, and the fields that are copied whole (`_WHOLE_FIELDS`: ids,
   codes, numbers, phone numbers, e-mail and web addresses) never wrap.
3. Still too wide: the widest text columns are narrowed further, never below their header nor
   `_NARROWEST` cells, and a value that does not fit its column ends in "…". A column of
   values copied whole is never narrowed below its widest value: a cut address is useless.
4. Still too wide: each record is printed as a block of `field  value` lines, as `show` prints
   one, where a text value that does not fit the line ends in "…" too, and a value copied
   whole folds onto the next lines, every character kept.

The headers, and the field names of a `field value` table, are labels for people: the field
names in English, their labels in Swedish (the catalogue's context `field`). Every other
format keeps the field names, whatever the language.

A list of values copied whole (`_LIST_FIELDS`: a cluster's source URLs) wraps between its
items, and an item wider than its column folds onto the next lines whole, at any step.
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from s3pilot_cli.formats.cells import cell
from s3pilot_cli.i18n import pgettext
from s3pilot_cli.records import PAIR_FIELDS, Records
from s3pilot_cli.textrules import LIST_SEPARATOR, visible

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

# Fields a table never wraps: codes, numbers and addresses are copied whole.
_WHOLE_FIELDS = frozenset(
    {
        "id",
        "code",
        "region_code",
        "lan_code",
        "nuts3",
        "phone",
        "phone_e164",
        "email",
        "website",
        "source_url",
        "later_url",
        "eccp_url",
        "s3_url",
        "kommun_code",
        "wikidata",
        "url",  # check-links': the address asked, and the one it ended at
        "final_url",
        "registry",  # info's: the path of the registry file in use
        "field",
        "kind",  # diff's: a change's kind and the key of its entry name it
        "key",
    }
)
# Fields holding a list of values copied whole: wrapped between the items, never inside one
# unless it is wider than the column, and then folded, never cut.
_LIST_FIELDS = frozenset({"sources", "events"})  # an event's line ends in its page's address
# A column is never narrowed below this many cells (or its header) to keep the table: a value
# cut shorter shows too little to be recognised, and a block of lines shows it better.
_NARROWEST = 8


def write_table(out: TextIO, records: Records) -> None:
    """A Rich table. Values go in as `Text`, so [brackets] are data, never markup."""
    from rich.cells import cell_len

    console = _console(out)
    texts = [[visible(cell(value)) for value in row] for row in records.rows]
    whole = _cells_where(_is_whole, records.fields, texts)
    items = _cells_where(_is_list, records.fields, texts)
    pairs = records.fields == PAIR_FIELDS
    if pairs:  # the first column names fields: labels too
        texts = [[label(row[0]), *row[1:]] for row in texts]
    headers = [label(field) for field in records.fields]
    natural, least = _measure(headers, texts, whole)
    floor = _floor(records.fields, headers, least)
    room = console.width - _overhead(len(records.fields))
    widths = _fit(natural, least, floor, room)
    if widths is None and not pairs:
        console.print(_blocks(records.fields, texts, console.width))
    else:  # a `field value` table is a block already: its values take what the names leave
        value = label(PAIR_FIELDS[1])
        widths = widths or [floor[0], max(cell_len(value), room - floor[0])]
        console.print(_table(headers, texts, whole, items, widths))


def _console(out: TextIO) -> "Console":
    """A console onto `out`, styled only where the terminal takes it: NO_COLOR (non-empty) or
    TERM=dumb turn every escape sequence off, bold included."""
    import os

    from rich.console import Console

    unstyled = bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"
    return Console(
        file=out,
        markup=False,
        emoji=False,
        highlight=False,
        color_system=None if unstyled else "auto",
    )


def _floor(fields: Sequence[str], headers: Sequence[str], least: Sequence[int]) -> list[int]:
    """The narrowest each column may be before the records go into blocks (step 3)."""
    from rich.cells import cell_len

    return [
        w if f in _WHOLE_FIELDS else max(cell_len(h), min(w, _NARROWEST))
        for f, h, w in zip(fields, headers, least, strict=True)
    ]


def label(field: str) -> str:
    """What a table calls a field: its name, in the user's language."""
    return pgettext("field", field)


def _cells_where(
    test: Callable[[Sequence[str], Sequence[str], int], bool],
    fields: Sequence[str],
    texts: Sequence[Sequence[str]],
) -> list[list[bool]]:
    """`test` for every cell of the table."""
    return [[test(fields, row, j) for j in range(len(row))] for row in texts]


def _is_whole(fields: Sequence[str], row: Sequence[str], column: int) -> bool:
    """Whether a cell is never wrapped: by its column, or in a `field value` table its row."""
    return _field_of(fields, row, column) in _WHOLE_FIELDS


def _is_list(fields: Sequence[str], row: Sequence[str], column: int) -> bool:
    """Whether a cell holds a list of values copied whole (wrapped between its items)."""
    return _field_of(fields, row, column) in _LIST_FIELDS


def _field_of(fields: Sequence[str], row: Sequence[str], column: int) -> str:
    """The field a cell shows: its column's, or in a `field value` table its row's."""
    return row[0] if fields == PAIR_FIELDS and column == 1 else fields[column]


def _overhead(columns: int) -> int:
    """Cells a table of SIMPLE_HEAD without edges spends around its values: 1 | value | 1, ' '."""
    return 3 * columns - 1


def _measure(
    headers: Sequence[str], texts: Sequence[Sequence[str]], whole: Sequence[Sequence[bool]]
) -> tuple[list[int], list[int]]:
    """Each column's width with every value on one line, and the least that cuts none.

    The least is the widest of the header, the values that never wrap and the longest word.
    """
    from rich.cells import cell_len

    natural = [cell_len(header) for header in headers]
    least = list(natural)
    for row, kinds in zip(texts, whole, strict=True):
        for j, (text, kind) in enumerate(zip(row, kinds, strict=True)):
            length = cell_len(text)
            natural[j] = max(natural[j], length)
            if kind:
                least[j] = max(least[j], length)
            elif length > least[j]:
                longest = max((cell_len(word) for word in text.split()), default=0)
                least[j] = max(least[j], longest)
    return natural, least


def _fit(
    natural: Sequence[int], least: Sequence[int], floor: Sequence[int], room: int
) -> list[int] | None:
    """Column widths for steps 1 to 3 of the module's docstring; None if only blocks fit."""
    if sum(natural) <= room:
        return list(natural)
    if sum(least) <= room:
        return _narrow(natural, least, room)
    if sum(floor) <= room:
        return _narrow(least, floor, room)
    return None


def _narrow(widths: Sequence[int], lowest: Sequence[int], room: int) -> list[int]:
    """The widest columns narrowed first, to one common width, none below its `lowest`.

    The cells left over go one each to the narrowed columns, from the left. `room` is at least
    `sum(lowest)`.
    """
    top = max(widths)
    while (
        top > 0 and sum(max(low, min(w, top)) for w, low in zip(widths, lowest, strict=True)) > room
    ):
        top -= 1
    fitted = [max(low, min(w, top)) for w, low in zip(widths, lowest, strict=True)]
    spare = room - sum(fitted)
    for j, w in enumerate(widths):
        if spare and fitted[j] < w:
            fitted[j] += 1
            spare -= 1
    return fitted


def _cell(text: str, whole: bool, width: int | None = None, *, items: bool = False) -> "Text":
    """A value as Rich shows it: text wraps between words, and ends in "…" where even a word
    is too long; a value copied whole (an address, a URL, a path, an id) is never cut: where
    it is wider than its column, it folds onto the next lines at the column's edge, every
    character (spaces too) kept, which Rich's own folding, between words first, does not.
    A list of such values (`items`) wraps between its items, and folds an item too wide."""
    from rich.cells import cell_len, chop_cells
    from rich.text import Text

    if items and width is not None and cell_len(text) > width:
        return Text("\n".join(_item_lines(text, width)), no_wrap=True, overflow="ellipsis")
    if whole and width is not None and cell_len(text) > width:
        text = "\n".join(chop_cells(text, width))
    return Text(text, no_wrap=whole, overflow="ellipsis")


def _item_lines(text: str, width: int) -> list[str]:
    """A list's items, as many to a line as fit, each but the last ending in its separator;
    an item wider than `width` starts a line and folds at the edge, every character kept."""
    from rich.cells import cell_len, chop_cells

    parts = text.split(LIST_SEPARATOR)
    mark = LIST_SEPARATOR.rstrip()
    lines: list[str] = []
    for number, part in enumerate(parts):
        item = part if number == len(parts) - 1 else part + mark
        if lines and cell_len(lines[-1]) + 1 + cell_len(item) <= width:
            lines[-1] += " " + item
        else:
            lines.extend(chop_cells(item, width))
    return lines


def _new_table() -> "Table":
    from rich import box
    from rich.table import Table

    return Table(box=box.SIMPLE_HEAD, show_edge=False, header_style="bold", highlight=False)


def _table(
    headers: Sequence[str],
    texts: Sequence[Sequence[str]],
    whole: Sequence[Sequence[bool]],
    items: Sequence[Sequence[bool]],
    widths: Sequence[int],
) -> "Table":
    table = _new_table()
    for header, width in zip(headers, widths, strict=True):
        table.add_column(_cell(header, True), width=width, overflow="ellipsis")
    for row, kind, listed in zip(texts, whole, items, strict=True):
        cells = zip(row, kind, listed, widths, strict=True)
        table.add_row(*(_cell(t, k, w, items=i) for t, k, i, w in cells))
    return table


def _blocks(fields: Sequence[str], texts: Sequence[Sequence[str]], width: int) -> "Table":
    """Step 4: one block of `field value` lines per record, a blank line between blocks."""
    from rich.cells import cell_len

    name_header, value_header = (label(field) for field in PAIR_FIELDS)
    name_width = max(cell_len(label(field)) for field in (*fields, *PAIR_FIELDS))
    table = _new_table()
    table.add_column(_cell(name_header, True), width=name_width, overflow="ellipsis")
    widest = max((cell_len(text) for row in texts for text in row), default=0)
    value_width = max(
        1, min(width - _overhead(2) - name_width, max(widest, cell_len(value_header)))
    )
    table.add_column(_cell(value_header, True), width=value_width, overflow="ellipsis")
    for number, row in enumerate(texts):
        for j, (field, text) in enumerate(zip(fields, row, strict=True)):
            last = j == len(fields) - 1 and number < len(texts) - 1
            value = _cell(text, field in _WHOLE_FIELDS, value_width, items=field in _LIST_FIELDS)
            table.add_row(_cell(label(field), True), value, end_section=last)
    return table
