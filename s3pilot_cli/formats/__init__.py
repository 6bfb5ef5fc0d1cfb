"""One writer per output format, chosen from one table.

Every writer takes a text stream and `Records` and writes the whole result; nothing here
decides what to print, only how. The writers live by family in the modules beside this one;
Rich, csv, json and tomli-w are imported inside the writers that use them, so a command pays
at start-up only for the format it prints.
"""

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path, PurePath
from typing import Any, TextIO

from s3pilot_cli.formats.delimited import (
    write_csv,
    write_markdown,
    write_plain,
    write_tsv,
)
from s3pilot_cli.formats.objects import (
    write_json,
    write_json_document,
    write_jsonl,
    write_toml_document,
)
from s3pilot_cli.formats.sqlite import write_sqlite
from s3pilot_cli.formats.table import write_table
from s3pilot_cli.formats.vcard import write_vcard
from s3pilot_cli.formats.xlsx import write_xlsx
from s3pilot_cli.model import Registry
from s3pilot_cli.records import Records


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
    REGISTRY_JSON = "registry-json"
    SQLITE = "sqlite"
    XLSX = "xlsx"
    SVG = "svg"  # the map's, written by svgmap.py


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

DOCUMENT_WRITERS: dict[Format, Callable[[TextIO, dict[str, Any]], None]] = {
    Format.REGISTRY_JSON: write_json_document,
    Format.TOML: write_toml_document,
}

# Files, not text: each writer builds a whole file at a path (a new one, beside the target).
BINARY_WRITERS: dict[Format, Callable[[Path, Registry], None]] = {
    Format.SQLITE: write_sqlite,
    Format.XLSX: write_xlsx,
}

# The format a file's name asks for when no --format is given (`export -o clusters.csv`).
EXTENSIONS: dict[str, Format] = {
    ".csv": Format.CSV,
    ".tsv": Format.TSV,
    ".json": Format.JSON,
    ".jsonl": Format.JSONL,
    ".md": Format.MARKDOWN,
    ".toml": Format.TOML,
    ".vcf": Format.VCARD,
    ".db": Format.SQLITE,
    ".sqlite": Format.SQLITE,
    ".sqlite3": Format.SQLITE,
    ".xlsx": Format.XLSX,
    ".svg": Format.SVG,
}


def format_of(name: str) -> Format | None:
    """The format `name`'s extension stands for, in any case; None if it stands for none."""
    return EXTENSIONS.get(PurePath(name).suffix.lower())
