"""Every output format in one table: its kind, its writer, its file extensions, whether binary.

`tools(fmt, **options)` checks a format's options and gives its writer, imported only then (so
a command pays at start-up for the format it prints alone); `Tools.write` hands it the data.
A new format is a row here and a module beside this one: commands and `-o` follow the table.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

from s3pilot_cli.errors import UsageError
from s3pilot_cli.i18n import _
from s3pilot_cli.model import Registry
from s3pilot_cli.output import Output, Refusal
from s3pilot_cli.records import Records, clusters


class Format(StrEnum):
    TABLE = "table"
    PLAIN = "plain"
    TSV = "tsv"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    MARKDOWN = "markdown"
    VCARD = "vcard"
    TOML = "toml"
    REGISTRY_JSON = "registry-json"
    SQLITE = "sqlite"
    XLSX = "xlsx"
    GEOJSON = "geojson"
    DATAPACKAGE = "datapackage"
    HTML = "html"


class Kind(Enum):
    VIEW = "records, for people (table) and pipes (plain); not for export"
    RECORDS = "records: every record command writes them, and export"
    CONTACTS = "the contacts' records alone"
    REGISTRY = "the whole registry (export alone): a text stream, or a path if binary"


@dataclass(frozen=True)
class Spec:
    kind: Kind
    module: str  # beside this one, imported when the format is written
    writer: str  # the function in it
    extensions: tuple[str, ...] = ()  # that ask for this format in `export -o NAME`
    binary: bool = False  # a file, never text for a terminal or a pipe
    options: tuple[str, ...] = ()  # keyword options of the writer (and of `export`)
    # What else of the command's the writer takes, by keyword: "keep", the regions --region
    # named (a map keeps those län); "origin", the registry's name for an error message.
    context: tuple[str, ...] = ()


FORMATS: dict[Format, Spec] = {
    Format.TABLE: Spec(Kind.VIEW, "table", "write_table"),
    Format.PLAIN: Spec(Kind.VIEW, "delimited", "write_plain"),
    Format.TSV: Spec(Kind.RECORDS, "delimited", "write_tsv", (".tsv",)),
    Format.CSV: Spec(Kind.RECORDS, "delimited", "write_csv", (".csv",), options=("excel",)),
    Format.JSON: Spec(Kind.RECORDS, "objects", "write_json", (".json",)),
    Format.JSONL: Spec(Kind.RECORDS, "objects", "write_jsonl", (".jsonl",)),
    Format.MARKDOWN: Spec(Kind.RECORDS, "delimited", "write_markdown", (".md",)),
    Format.VCARD: Spec(Kind.CONTACTS, "vcard", "write_vcard", (".vcf",)),
    Format.TOML: Spec(Kind.REGISTRY, "objects", "write_toml", (".toml",)),
    Format.REGISTRY_JSON: Spec(Kind.REGISTRY, "objects", "write_registry_json"),
    Format.SQLITE: Spec(
        Kind.REGISTRY, "sqlite", "write_sqlite", (".db", ".sqlite", ".sqlite3"), binary=True
    ),
    Format.XLSX: Spec(Kind.REGISTRY, "xlsx", "write_xlsx", (".xlsx",), binary=True),
    Format.GEOJSON: Spec(
        Kind.REGISTRY, "geojson", "write_geojson", (".geojson",), context=("keep", "origin")
    ),
    Format.DATAPACKAGE: Spec(
        Kind.REGISTRY, "datapackage", "write_datapackage", (".zip",), binary=True
    ),
    Format.HTML: Spec(
        Kind.REGISTRY,
        "html",
        "write_html",
        (".html", ".htm"),
        options=("downloads",),
        context=("keep", "origin"),
    ),
}


def _of(*kinds: Kind) -> tuple[Format, ...]:
    return tuple(fmt for fmt, spec in FORMATS.items() if spec.kind in kinds)


# Which formats each command writes.
RECORD_FORMATS = _of(Kind.VIEW, Kind.RECORDS)
CONTACT_FORMATS = _of(Kind.VIEW, Kind.RECORDS, Kind.CONTACTS)
EXPORT_FORMATS = _of(Kind.RECORDS, Kind.REGISTRY)
INFO_FORMATS = (Format.TABLE, Format.PLAIN, Format.JSON)

# The format a file's name asks for when no --format is given (`export -o clusters.csv`).
EXTENSIONS: dict[str, Format] = {
    extension: fmt for fmt, spec in FORMATS.items() for extension in spec.extensions
}


@dataclass(frozen=True)
class Tools:
    """One format's writer, with the options it was given."""

    format: Format
    spec: Spec
    options: dict[str, Any]

    def refusal(self) -> Refusal | None:
        """Where this format must not go: a binary one only into a file."""
        if not self.spec.binary:
            return None
        message = _(
            "--format {format} writes a file, not text for a terminal or a pipe; name the file"
            " with -o, e.g. -o s3pilot{extension}"
        ).format(format=self.format, extension=self.spec.extensions[0])
        return Refusal(message, pipe_too=True)

    def write(self, output: Output, data: Records | Registry, **context: Any) -> None:
        """Write `data` to `output`; a writer of records given a registry gets its clusters.
        Of `context` (see `Spec.context`), the writer gets what its spec names."""
        module = importlib.import_module(f"s3pilot_cli.formats.{self.spec.module}")
        writer: Callable[..., None] = getattr(module, self.spec.writer)
        if isinstance(data, Registry) and self.spec.kind is not Kind.REGISTRY:
            data = clusters(data, data.clusters)
        wanted = {name: context[name] for name in self.spec.context if name in context}
        given = {**self.options, **wanted}
        if self.spec.binary:
            with output.path() as built:
                writer(built, data, **given)
        else:
            output.write(lambda out: writer(out, data, **given))


def tools(fmt: Format, **options: Any) -> Tools:
    """`fmt`'s writer; an option given (true) that the format does not take is a usage error."""
    spec = FORMATS[fmt]
    for name, value in options.items():
        if value and name not in spec.options:
            takers = ", ".join(f for f, s in FORMATS.items() if name in s.options)
            raise UsageError(
                _("--{option} goes with --format {takers}, not --format {format}").format(
                    option=name, takers=takers, format=fmt
                )
            )
    return Tools(fmt, spec, {name: options[name] for name in spec.options if name in options})
