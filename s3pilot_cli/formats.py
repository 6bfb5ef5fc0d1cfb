"""One writer per output format, chosen from one table.

Every writer takes a text stream and `Records` and writes the whole result; nothing here
decides what to print, only how. Rich, csv, json and tomli-w are imported inside the writers
that use them, so a command pays at start-up only for the format it prints.
"""

from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any, TextIO

from s3pilot_cli.records import Records, Value
from s3pilot_cli.text import visible


class Format(StrEnum):
    TABLE = "table"
    PLAIN = "plain"
    TSV = "tsv"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    MARKDOWN = "markdown"
    TOML = "toml"
    VCARD = "vcard"


LIST_SEPARATOR = "; "  # how a list (aliases) is written in one text cell


def _cell(value: Value) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(value)
    return str(value)


def _json_value(value: Value) -> object:
    return list(value) if isinstance(value, tuple) else value


# --- For people ------------------------------------------------------------------------------


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
        table.add_row(*(Text(visible(_cell(value))) for value in row))
    unstyled = bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"
    Console(
        file=out,
        markup=False,
        emoji=False,
        highlight=False,
        color_system=None if unstyled else "auto",
    ).print(table)


# --- For scripts -----------------------------------------------------------------------------

_TAB_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _tab_line(values: list[str]) -> str:
    return "\t".join(value.translate(_TAB_ESCAPES) for value in values) + "\n"


def write_plain(out: TextIO, records: Records) -> None:
    """Tab-separated, no header: what a pipe gets by default (`cut -f1`, `read`)."""
    out.writelines(_tab_line([_cell(v) for v in row]) for row in records.rows)


def write_tsv(out: TextIO, records: Records) -> None:
    out.write(_tab_line(list(records.fields)))
    write_plain(out, records)


def _text_rows(records: Records) -> Iterator[tuple[Value, ...] | list[Value]]:
    """Rows the csv module can write as they are: it writes None as "" and numbers as text,
    so only lists (tuples) need joining."""
    if not records.rows:
        return iter(())
    lists = [i for i, value in enumerate(records.rows[0]) if isinstance(value, tuple)]
    if not lists:
        return iter(records.rows)
    return (_joined(row, lists) for row in records.rows)


def _joined(row: tuple[Value, ...], positions: list[int]) -> list[Value]:
    cells = list(row)
    for i in positions:
        cells[i] = _cell(cells[i])
    return cells


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
    """CSV for Swedish Excel: a UTF-8 byte-order mark, `;` between cells, no formulas."""
    import csv

    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(records.fields)
    writer.writerows([_neutralised(_cell(value)) for value in row] for row in records.rows)


def _json_objects(records: Records) -> list[dict[str, object]]:
    """One object per row, keys in field order, lists as arrays."""
    return [
        {field: _json_value(value) for field, value in zip(records.fields, row, strict=True)}
        for row in records.rows
    ]


def write_json(out: TextIO, records: Records) -> None:
    """An array of objects (one object for `show`), UTF-8, keys in field order."""
    import json

    objects = _json_objects(records)
    json.dump(objects[0] if records.single else objects, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(out: TextIO, records: Records) -> None:
    import json

    out.writelines(json.dumps(o, ensure_ascii=False) + "\n" for o in _json_objects(records))


def write_markdown(out: TextIO, records: Records) -> None:
    """A GitHub table; a `|` inside a value is escaped."""

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |\n"

    out.write(line(list(records.fields)))
    out.write(line(["---"] * len(records.fields)))
    out.writelines(line([visible(_cell(v)) for v in row]) for row in records.rows)


def _vcard_text(text: str) -> str:
    """RFC 6350 3.4: backslash, comma, semicolon and newline escaped in a text value."""
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _folded(line: str) -> str:
    """RFC 6350 3.2: a content line longer than 75 octets goes on in lines starting with a space."""
    parts, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > 75:
            parts.append(current)
            current = " "
        current += char
    parts.append(current)
    return "\r\n".join(parts) + "\r\n"


def write_vcard(out: TextIO, records: Records) -> None:
    """vCard 4.0 (RFC 6350), one card per contact, for a phone or mail client to import."""
    for contact in records.dicts():
        name = _cell(contact["name"])
        given, _, family = name.partition(" ")
        lines = [
            "BEGIN:VCARD",
            "VERSION:4.0",
            f"FN:{_vcard_text(name)}",
            f"N:{_vcard_text(family)};{_vcard_text(given)};;;",
            f"ORG:{_vcard_text(_cell(contact['organization']))}",
            f'TEL;VALUE=uri;TYPE="work,voice":tel:{_cell(contact["phone_e164"])}',
            f"EMAIL;TYPE=work:{_cell(contact['email'])}",
            "END:VCARD",
        ]
        out.write("".join(_folded(line) for line in lines))


Writer = Callable[[TextIO, Records], None]

WRITERS: dict[Format, Writer] = {
    Format.TABLE: write_table,
    Format.PLAIN: write_plain,
    Format.TSV: write_tsv,
    Format.CSV: write_csv,
    Format.JSON: write_json,
    Format.JSONL: write_jsonl,
    Format.MARKDOWN: write_markdown,
    Format.VCARD: write_vcard,
}


# --- Whole documents -------------------------------------------------------------------------


def write_json_document(out: TextIO, document: dict[str, Any]) -> None:
    import json

    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_toml_document(out: TextIO, document: dict[str, Any]) -> None:
    import tomli_w

    out.write(tomli_w.dumps(document))


DOCUMENT_WRITERS: dict[Format, Callable[[TextIO, dict[str, Any]], None]] = {
    Format.JSON: write_json_document,
    Format.TOML: write_toml_document,
}
