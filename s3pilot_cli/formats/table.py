"""The view for people at a terminal: the one writer that imports Rich.

One record (`show`, `info`, a `field value` table) is a list of `label  value` lines, as
`kubectl describe` and `gh repo view` print one, not a table: nothing in it is ever cut.
- Prose wraps between words, its lines aligned beside the labels; where that leaves too
  little room, it goes on the lines under its label. A word longer than the line stays whole.
- A value people copy (`_WHOLE_FIELDS`: ids, codes, numbers, phone numbers, e-mail and web
  addresses, the registry's path) is never split: it stands beside its label if it fits
  there, else alone on the next line, indented where it fits, else from the left edge, where
  the terminal wraps it and copies it whole. A list of them (`_LIST_FIELDS`: a cluster's
  source URLs) is an item a line, placed so together; a list of prose (`_PROSE_LISTS`: a
  cluster's events, each ending in its page's address) an item a paragraph under its label,
  the address alone on its last line.
- A label too long for the label column (a long Swedish one in a narrow terminal) stands on a
  line of its own, its value under it.

Many records are a table: every chosen column is shown and no value is cut silently
(docs/contract.md). The column widths are worked out here and handed to Rich fixed:
Rich's own layout splits words in the middle and, in a narrow terminal, shrinks a column to
nothing. In order:

1. Each column as wide as its widest value, if the terminal has the room.
2. Otherwise the widest columns are narrowed first, but no further than their longest word:
   text wraps between words, and the fields that are copied whole never wrap. The first
   column, which names a row (a cluster's name), stays whole while the others can give way
   (down to their floor, step 3): a line whose first cell is empty is then always the row
   above's, and a name that wrapped could not read as a row of its own.
3. Still too wide: the widest text columns are narrowed further, never below their header nor
   `_NARROWEST` cells, and a value that does not fit its column ends in "…". A column of
   values copied whole is never narrowed below its widest value: a cut address is useless;
   nor a column of sentences (`_SENTENCES`, timeline's events) below `_SENTENCE_WIDTH` cells
   in step 2 or 3: a sentence cut, or a word a line, is not read.
4. Still too wide: each record is printed as one record is, its lines, a blank line between
   records.

The headers and labels are for people: the field names in English, their labels in Swedish
(the catalogue's context `field`). Every other format keeps the field names, whatever the
language.

A list of values copied whole wraps between its items in a table's column.
"""

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, TextIO

from s3pilot_cli.formats.cells import cell
from s3pilot_cli.i18n import _, pgettext
from s3pilot_cli.records import PAIR_FIELDS, Records, Value
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
        "cluster",  # timeline's: a cluster's id, or `program`
        "date",  # timeline's: a year, a month or a day
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
_LIST_FIELDS = frozenset({"sources"})
# Fields holding a list of prose items, each ending in the address of its page (a cluster's
# events): an item a paragraph under the label, wrapped between words, its further lines
# indented; the address, one word, stays whole.
_PROSE_LISTS = frozenset({"events"})
# A column is never narrowed below this many cells (or its header) to keep the table: a value
# cut shorter shows too little to be recognised, and the records' lines show it better.
_NARROWEST = 8
# Fields of sentences (timeline's events): never cut, and never narrowed below this many cells
# (a few words a line) to keep the table; where it cannot give them that, the records' lines.
_SENTENCES = frozenset({"event"})
_SENTENCE_WIDTH = 30


def write_table(out: TextIO, records: Records) -> None:
    """A table, or for one record its lines. Values go in as `Text`, so [brackets] are data,
    never markup."""
    console = _console(out)
    if records.fields == PAIR_FIELDS:  # one record, a `field value` row a field
        console.print(_record(records.rows, console.width), soft_wrap=True)
        return
    texts = [[visible(cell(value)) for value in row] for row in records.rows]
    whole = _cells_where(_WHOLE_FIELDS, records.fields, texts)
    items = _cells_where(_LIST_FIELDS, records.fields, texts)
    headers = [_column(field) for field in records.fields]
    natural, least = _measure(headers, texts, whole)
    least = _readable(records.fields, natural, least)
    floor = _floor(records.fields, headers, least)
    room = console.width - _overhead(len(records.fields))
    if natural[0] + sum(floor[1:]) <= room:  # the first column whole: see the module, step 2
        least[0] = floor[0] = natural[0]
    widths = _fit(natural, least, floor, room)
    if widths is None:
        for number, row in enumerate(records.rows):
            if number:
                console.print()
            pairs = tuple(zip(records.fields, row, strict=True))
            console.print(_record(pairs, console.width), soft_wrap=True)
    else:
        console.print(_table(headers, texts, whole, items, widths))


def unstyled() -> bool:
    """Whether the terminal asks for no escape sequence at all, colour, bold or a progress
    bar's: NO_COLOR (non-empty, no-color.org) or TERM=dumb. Every command asks here."""
    import os

    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


def _console(out: TextIO) -> "Console":
    """A console onto `out`, styled only where the terminal takes it (`unstyled`)."""
    from rich.console import Console

    return Console(
        file=out,
        markup=False,
        emoji=False,
        highlight=False,
        color_system=None if unstyled() else "auto",
    )


def _floor(fields: Sequence[str], headers: Sequence[str], least: Sequence[int]) -> list[int]:
    """The narrowest each column may be before the records go into their lines (step 3)."""
    from rich.cells import cell_len

    return [
        w if f in _WHOLE_FIELDS or f in _SENTENCES else max(cell_len(h), min(w, _NARROWEST))
        for f, h, w in zip(fields, headers, least, strict=True)
    ]


def _readable(fields: Sequence[str], natural: Sequence[int], least: Sequence[int]) -> list[int]:
    """The least width of each column, a column of sentences given `_SENTENCE_WIDTH` cells
    (or what its widest value needs, if less)."""
    return [
        max(w, min(n, _SENTENCE_WIDTH)) if f in _SENTENCES else w
        for f, n, w in zip(fields, natural, least, strict=True)
    ]


def label(field: str) -> str:
    """What a table calls a field: its name, in the user's language."""
    return pgettext("field", field)


def _column(field: str) -> str:
    """A field's label: a record's own `field` key (check-links', diff's) names a field of
    the registry, and says so, never to be read as a name for the record's own fields."""
    if field == PAIR_FIELDS[0]:
        return _("registry field")
    return label(field)


def _cells_where(
    kinds: frozenset[str], fields: Sequence[str], texts: Sequence[Sequence[str]]
) -> list[list[bool]]:
    """For every cell of the table, whether its field is one of `kinds`."""
    return [[field in kinds for field in fields] for _ in texts]


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
                longest = max((cell_len(word) for word in _words(text)), default=0)
                least[j] = max(least[j], longest)
    return natural, least


def _fit(
    natural: Sequence[int], least: Sequence[int], floor: Sequence[int], room: int
) -> list[int] | None:
    """Column widths for steps 1 to 3 of the module's docstring; None if only lines fit."""
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
    """A value as Rich shows it in a table: text wraps between words, and ends in "…" where
    even a word is too long; a value copied whole never wraps (its column is as wide as it).
    A list of such values (`items`) wraps between its items."""
    from rich.cells import cell_len
    from rich.text import Text

    if items and width is not None and cell_len(text) > width:
        return Text("\n".join(_item_lines(text, width)), no_wrap=True, overflow="ellipsis")
    if not whole and width is not None and any(" " in word for word in _words(text)):
        return Text("\n".join(_wrapped(text, width)), no_wrap=True, overflow="ellipsis")
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


# --- One record: its lines ------------------------------------------------------------------

_GAP = 2  # cells between a label and its value
_UNDER = 2  # the indent of a value on the lines under its label
# Prose keeps to the lines beside the labels while it has at least this many cells there; a
# value on one line stands beside its label whenever it fits.
_BESIDE = 20
# Fields whole in a table's column but words in one record's lines: a cluster's kind shares its
# name with diff's, and in Swedish it is words ("del av ett universitet eller en forskningspark").
_WORDS_IN_A_RECORD = frozenset({"kind"})


def _record(pairs: Sequence[Sequence[Value]], width: int) -> "Text":
    """One record's `label  value` lines (see the module), from its (field, value) pairs."""
    from rich.cells import cell_len
    from rich.text import Text

    labels = [_column(str(field)) for field, _ in pairs]
    # The label column: as wide as the longest label, but for those too long to leave the
    # values three fifths of the line, which stand on lines of their own.
    fitting = [n for n in map(cell_len, labels) if n <= width * 2 // 5]
    column = max(fitting, default=0) + _GAP
    lines = Text(end="")
    for name, (field, value) in zip(labels, pairs, strict=True):
        beside, under, indent = _placed(str(field), value, column, width)
        lines.append(name, style="bold")
        if beside:
            lines.append(" " * (column - cell_len(name)) + beside)
        for line in under:
            lines.append("\n" + " " * indent + line)
        lines.append("\n")
    lines.rstrip()
    return lines


def _placed(field: str, value: Value, column: int, width: int) -> tuple[str, list[str], int]:
    """A value's line beside its label ("" for none), its lines under it, and their indent."""
    from rich.cells import cell_len

    if field in _PROSE_LISTS:
        return "", _paragraphs(value, width - _UNDER), _UNDER
    whole = field in _WHOLE_FIELDS or field in _LIST_FIELDS
    whole = whole and field not in _WORDS_IN_A_RECORD
    lines, indent = (_whole if whole else _prose)(value, column, width)
    if lines and indent == column and cell_len(_column(field)) + _GAP <= column:
        return lines[0], lines[1:], indent
    return "", lines, indent


def _whole(value: Value, column: int, width: int) -> tuple[list[str], int]:
    """A value copied whole, or each item of a list of them, a line, and where the lines start:
    at the value column, under the label, or from the left edge, the first where all fit."""
    from rich.cells import cell_len

    items = [visible(v) for v in value] if isinstance(value, tuple) else [visible(cell(value))]
    lines = [item for item in items if item]
    widest = max(map(cell_len, lines), default=0)
    return lines, next((i for i in (column, _UNDER) if i + widest <= width), 0)


def _prose(value: Value, column: int, width: int) -> tuple[list[str], int]:
    """Prose wrapped between words, beside the labels while it has room there (its longest word
    included), else under."""
    from rich.cells import cell_len

    text = visible(cell(value))
    longest = max(map(cell_len, _words(text)), default=0)
    room = width - column >= max(_BESIDE, longest)
    beside = room or cell_len(text) + column <= width
    indent = column if beside else _UNDER
    return _wrapped(text, width - indent), indent


def _paragraphs(value: Value, room: int) -> list[str]:
    """Each item of a list of prose a paragraph in `room` cells, its lines after the first
    indented by `_UNDER`, so that a reader tells the items apart; an item's last word, where it
    is an address (an event's page), on the paragraph's last line, alone, to copy."""
    items = value if isinstance(value, tuple) else (cell(value),)
    lines: list[str] = []
    for item in items:
        words = _words(visible(item))
        address = [words.pop()] if len(words) > 1 and "://" in words[-1] else []
        if address and len(words) > 1 and not any(c.isalnum() for c in words[-1]):
            words[-2:] = [" ".join(words[-2:])]  # the " —" before the address ends the prose
        first, *rest = _lines(words, room - _UNDER) or [""]
        lines += [first, *(" " * _UNDER + line for line in [*rest, *address])]
    return lines


def _wrapped(text: str, room: int) -> list[str]:
    """`text` in lines of at most `room` cells, broken between words only: a longer word is a
    line of its own, whole."""
    return _lines(_words(text), room)


def _words(text: str) -> list[str]:
    """`text`'s words, where a line may break; the mark of words the registry has only in
    English ("(på engelska)", `records.english_mark`) one word, never broken."""
    from s3pilot_cli.i18n import language

    words = text.split()
    unit = _english_mark(language())
    if len(unit) < 2:
        return words
    joined: list[str] = []
    for word in words:
        joined.append(word)
        if joined[-len(unit) :] == unit:
            joined[-len(unit) :] = [" ".join(unit)]
    return joined


@cache
def _english_mark(lang: str) -> list[str]:
    """The words of the mark `records.english_mark` gives in `lang`."""
    from s3pilot_cli.i18n import catalogue
    from s3pilot_cli.records import english_mark

    return english_mark(catalogue(lang)).replace("{text}", "").split()


def _lines(words: Sequence[str], room: int) -> list[str]:
    """`words` in lines of at most `room` cells, a space between two on a line (`_wrapped`)."""
    from rich.cells import cell_len

    lines: list[str] = []
    for word in words:
        if lines and cell_len(lines[-1]) + 1 + cell_len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
