"""Delimited text for scripts and spreadsheets: plain, tsv, csv (also for Excel), Markdown."""

import re
from collections.abc import Iterable, Sequence
from typing import TextIO

from s3pilot_cli.formats.cells import cell
from s3pilot_cli.records import Records, Value
from s3pilot_cli.textrules import visible

_TAB_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _tab_line(values: list[str]) -> str:
    return "\t".join(value.translate(_TAB_ESCAPES) for value in values) + "\n"


def write_plain(out: TextIO, records: Records) -> None:
    """Tab-separated, no header: what a pipe gets by default (`cut -f1`, `read`), and what
    `--format plain` shows in a terminal. Line-based and for people too, so a control or
    format character (which only a file's name can bring: registries refuse them) is always
    written as its escape (`\\x1b`, `\\u2028`), and no value makes two lines."""
    out.writelines(
        "\t".join(visible(cell(v).translate(_TAB_ESCAPES)) for v in row) + "\n"
        for row in records.rows
    )


def write_tsv(out: TextIO, records: Records) -> None:
    """plain with a header row, for scripts: values as they are, but for `_TAB_ESCAPES`."""
    out.write(_tab_line(list(records.fields)))
    out.writelines(_tab_line([cell(v) for v in row]) for row in records.rows)


def _text_rows(records: Records) -> Iterable[Sequence[Value]]:
    """Rows the csv module can write as they are: it writes None as "" and numbers as text,
    so only lists (tuples) need joining. Column by column, so the csv module's own loops do
    the work: in some records (diff's old and new) a column holds a list in one row and text
    in another, so every value is looked at."""
    columns = list(zip(*records.rows, strict=True))
    lists = [i for i, column in enumerate(columns) if tuple in set(map(type, column))]
    if not lists:
        return records.rows
    for i in lists:
        columns[i] = tuple(map(cell, columns[i]))
    return zip(*columns, strict=True)


def write_csv(out: TextIO, records: Records) -> None:
    """RFC 4180: a header row, values as they are, CRLF line ends."""
    import csv

    writer = csv.writer(out)
    writer.writerow(records.fields)
    writer.writerows(_text_rows(records))


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _neutralised(text: str) -> str:
    """A cell a spreadsheet would run as a formula, made text with a leading `'` (OWASP)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_excel_csv(out: TextIO, records: Records) -> None:
    """`csv --excel`, CSV for Swedish Excel: a UTF-8 byte-order mark, `;` between cells, no
    formulas."""
    import csv

    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(records.fields)
    writer.writerows([_neutralised(cell(value)) for value in row] for row in records.rows)


# What CommonMark (and GitHub's tables and strikethrough) could read inside a table cell as
# something other than text: escapes, code, emphasis, links and images, HTML and autolinks,
# entities (`&` before a name or `#`), the cell separator, strikethrough. A `_` between two
# letters or digits never emphasises (`lan_code`), so it stays bare. A backslash before ASCII
# punctuation is a literal in CommonMark, so escaping these keeps a value's text as it is.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*\[\]<>|~]|&(?=[#\w])|(?<![^\W_])_|_(?![^\W_])")


def _markdown_text(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(lambda found: "\\" + found.group(), text)


def write_markdown(out: TextIO, records: Records) -> None:
    """A GitHub table of text: what CommonMark would interpret in a value is escaped, so a
    renderer shows the value as it is (`*bold*` with its asterisks, `<b>` as text)."""

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(_markdown_text(cell) for cell in cells) + " |\n"

    out.write(line(list(records.fields)))
    out.write(line(["---"] * len(records.fields)))
    out.writelines(line([visible(cell(v)) for v in row]) for row in records.rows)
