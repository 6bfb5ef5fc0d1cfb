"""Every output format in one table: its kind, its writer, its file extensions, whether binary.

Each row names its writer by a loader: a function that imports the writer's module and returns
the writer, typed, so that a command pays at start-up for the format it prints alone, and mypy
checks every writer against the shape its row promises. `tools(fmt, **options)` checks a
format's options and gives its `Tools`; `Tools.write` hands the writer the data. `for_file`
tells the format from `-o`'s name. A new format is a row here, its loader, and a module beside
this one: the commands, their help and `-o` follow the table.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from pathlib import Path
from typing import TextIO

from s3pilot_cli.errors import UsageError
from s3pilot_cli.i18n import _
from s3pilot_cli.model import Region, Registry
from s3pilot_cli.output import Output, Refusal, extension_of
from s3pilot_cli.records import Records, clusters
from s3pilot_cli.textrules import visible


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


class FormatKind(Enum):
    VIEW = "records, for people (table) and pipes (plain); not for export"
    RECORDS = "records: every record command writes them, and export"
    CONTACTS = "the contacts' records alone"
    REGISTRY = "the whole registry (export alone): a text stream, or a path if binary"


@dataclass(frozen=True, slots=True)
class Context:
    """What a registry writer knows of the command besides the registry it writes."""

    keep: tuple[Region, ...] | None = None  # the regions --region named (GeoJSON keeps their län)
    origin: str = "the registry"  # the registry's name, for an error message


RecordsWriter = Callable[[TextIO, Records], None]
RegistryWriter = Callable[[TextIO, Registry, Context], None]
FileWriter = Callable[[Path, Registry, Context], None]


@dataclass(frozen=True, slots=True)
class WritesRecords:
    """Records as text; given a registry, it writes its clusters' records."""

    load: Callable[[], RecordsWriter]

    def write(self, output: Output, data: Records | Registry, _context: Context) -> None:
        writer = self.load()
        records = clusters(data, data.clusters) if isinstance(data, Registry) else data
        output.write(lambda out: writer(out, records))


@dataclass(frozen=True, slots=True)
class WritesRegistry:
    """The whole registry as text."""

    load: Callable[[], RegistryWriter]

    def write(self, output: Output, data: Records | Registry, context: Context) -> None:
        assert isinstance(data, Registry), "a registry format is given the registry"
        writer = self.load()
        output.write(lambda out: writer(out, data, context))


@dataclass(frozen=True, slots=True)
class WritesFile:
    """The whole registry as a binary file, built at a path that is renamed over the target."""

    load: Callable[[], FileWriter]

    def write(self, output: Output, data: Records | Registry, context: Context) -> None:
        assert isinstance(data, Registry), "a registry format is given the registry"
        writer = self.load()
        with output.path() as built:
            writer(built, data, context)


Writes = WritesRecords | WritesRegistry | WritesFile


# --- The loaders: each imports its writer's module only when the format is written -----------


def _table() -> RecordsWriter:
    from s3pilot_cli.formats.table import write_table

    return write_table


def _plain() -> RecordsWriter:
    from s3pilot_cli.formats.delimited import write_plain

    return write_plain


def _tsv() -> RecordsWriter:
    from s3pilot_cli.formats.delimited import write_tsv

    return write_tsv


def _csv() -> RecordsWriter:
    from s3pilot_cli.formats.delimited import write_csv

    return write_csv


def _excel_csv() -> RecordsWriter:
    from s3pilot_cli.formats.delimited import write_excel_csv

    return write_excel_csv


def _json() -> RecordsWriter:
    from s3pilot_cli.formats.objects import write_json

    return write_json


def _jsonl() -> RecordsWriter:
    from s3pilot_cli.formats.objects import write_jsonl

    return write_jsonl


def _markdown() -> RecordsWriter:
    from s3pilot_cli.formats.delimited import write_markdown

    return write_markdown


def _vcard() -> RecordsWriter:
    from s3pilot_cli.formats.vcard import write_vcard

    return write_vcard


def _toml() -> RegistryWriter:
    from s3pilot_cli.formats.objects import write_toml

    return lambda out, registry, _context: write_toml(out, registry)


def _registry_json() -> RegistryWriter:
    from s3pilot_cli.formats.objects import write_registry_json

    return lambda out, registry, _context: write_registry_json(out, registry)


def _sqlite() -> FileWriter:
    from s3pilot_cli.formats.sqlite import write_sqlite

    return lambda path, registry, _context: write_sqlite(path, registry)


def _xlsx() -> FileWriter:
    from s3pilot_cli.formats.xlsx import write_xlsx

    return lambda path, registry, _context: write_xlsx(path, registry)


def _geojson() -> RegistryWriter:
    from s3pilot_cli.formats.geojson import write_geojson

    return write_geojson


def _datapackage() -> FileWriter:
    from s3pilot_cli.formats.datapackage import write_datapackage

    return lambda path, registry, _context: write_datapackage(path, registry)


def _html() -> RegistryWriter:
    from s3pilot_cli.formats.html import write_html

    return write_html


def _html_with_downloads() -> RegistryWriter:
    from s3pilot_cli.formats.html import write_html

    return lambda out, registry, context: write_html(out, registry, context, downloads=True)


# --- The table -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Spec:
    kind: FormatKind
    writer: Writes
    extensions: tuple[str, ...] = ()  # that ask for this format in `export -o NAME`
    # Options of `export` the format takes: each one, given, has its own writer write instead.
    options: Mapping[str, Writes] = field(default_factory=dict)

    @property
    def binary(self) -> bool:
        """A file, never text for a terminal or a pipe."""
        return isinstance(self.writer, WritesFile)


FORMATS: dict[Format, Spec] = {
    Format.TABLE: Spec(FormatKind.VIEW, WritesRecords(_table)),
    Format.PLAIN: Spec(FormatKind.VIEW, WritesRecords(_plain)),
    Format.TSV: Spec(FormatKind.RECORDS, WritesRecords(_tsv), (".tsv",)),
    Format.CSV: Spec(
        FormatKind.RECORDS,
        WritesRecords(_csv),
        (".csv",),
        options={"excel": WritesRecords(_excel_csv)},
    ),
    Format.JSON: Spec(FormatKind.RECORDS, WritesRecords(_json), (".json",)),
    Format.JSONL: Spec(FormatKind.RECORDS, WritesRecords(_jsonl), (".jsonl",)),
    Format.MARKDOWN: Spec(FormatKind.RECORDS, WritesRecords(_markdown), (".md",)),
    Format.VCARD: Spec(FormatKind.CONTACTS, WritesRecords(_vcard), (".vcf",)),
    Format.TOML: Spec(FormatKind.REGISTRY, WritesRegistry(_toml), (".toml",)),
    Format.REGISTRY_JSON: Spec(FormatKind.REGISTRY, WritesRegistry(_registry_json)),
    Format.SQLITE: Spec(FormatKind.REGISTRY, WritesFile(_sqlite), (".db", ".sqlite", ".sqlite3")),
    Format.XLSX: Spec(FormatKind.REGISTRY, WritesFile(_xlsx), (".xlsx",)),
    Format.GEOJSON: Spec(FormatKind.REGISTRY, WritesRegistry(_geojson), (".geojson",)),
    Format.DATAPACKAGE: Spec(FormatKind.REGISTRY, WritesFile(_datapackage), (".zip",)),
    Format.HTML: Spec(
        FormatKind.REGISTRY,
        WritesRegistry(_html),
        (".html", ".htm"),
        options={"downloads": WritesRegistry(_html_with_downloads)},
    ),
}


def _of(*kinds: FormatKind) -> tuple[Format, ...]:
    return tuple(fmt for fmt, spec in FORMATS.items() if spec.kind in kinds)


# Which formats each command writes.
RECORD_FORMATS = _of(FormatKind.VIEW, FormatKind.RECORDS)
CONTACT_FORMATS = _of(FormatKind.VIEW, FormatKind.RECORDS, FormatKind.CONTACTS)
EXPORT_FORMATS = _of(FormatKind.RECORDS, FormatKind.REGISTRY)
INFO_FORMATS = (Format.TABLE, Format.PLAIN, Format.JSON)

# The format a file's name asks for when no --format is given (`export -o clusters.csv`).
EXTENSIONS: dict[str, Format] = {
    extension: fmt for fmt, spec in FORMATS.items() for extension in spec.extensions
}

# The map is no format of this table: one picture, drawn by `map`, to stdout or a .svg file.
MAP_EXTENSION = ".svg"


@dataclass(frozen=True, slots=True)
class Tools:
    """One format's writer, the one its options chose."""

    format: Format
    spec: Spec
    writer: Writes

    def refusal(self) -> Refusal | None:
        """Where this format must not go: a binary one only into a file."""
        if not self.spec.binary:
            return None
        message = _(
            "--format {format} writes a file, not text for a terminal or a pipe; name the file"
            " with -o, e.g. -o s3pilot{extension}"
        ).format(format=self.format, extension=self.spec.extensions[0])
        return Refusal(message, pipe_too=True)

    def write(self, output: Output, data: Records | Registry, context: Context = Context()) -> None:
        """Write `data` to `output`; a writer of records given a registry gets its clusters."""
        self.writer.write(output, data, context)


def tools(fmt: Format, **options: bool) -> Tools:
    """`fmt`'s writer; an option given (true) that the format does not take is a usage error."""
    spec = FORMATS[fmt]
    writer = spec.writer
    for name, given in options.items():
        if not given:
            continue
        if name not in spec.options:
            takers = ", ".join(f for f, s in FORMATS.items() if name in s.options)
            raise UsageError(
                _("--{option} goes with --format {takers}, not --format {format}").format(
                    option=name, takers=takers, format=fmt
                )
            )
        writer = spec.options[name]
    return Tools(fmt, spec, writer)


# The formats `-o NAME` may ask for by its extension, for each command that takes -o and a
# format; and, for a NAME without an extension, what the command writes to stdout in a pipe.
_FILE_FORMATS = {"export": EXPORT_FORMATS, "contacts": CONTACT_FORMATS}
_UNNAMED = {"export": Format.JSON, "contacts": Format.PLAIN}


def for_file(output: str | None, command: str, *, excel: bool = False) -> Format:
    """The format `-o`'s file name asks for by its extension, if `command` (export, contacts)
    writes it; for stdout and for a name without an extension (/dev/stdout, a pipe, `>(…)`),
    csv with `--excel` (the one format it goes with), else what the command writes to a pipe."""
    if output is None or output in ("", "-") or not (extension := extension_of(output)):
        return Format.CSV if excel else _UNNAMED[command]
    writes = _FILE_FORMATS[command]
    fmt = EXTENSIONS.get(extension)
    if fmt in writes:
        return fmt
    names = ", ".join(writes)
    extensions = " ".join(ext for ext, f in EXTENSIONS.items() if f in writes)
    raise UsageError(
        _("-o {output}: {said}; give --format ({names}) or a name ending in {extensions}").format(
            output=visible(output),
            said=_why_not(command, fmt, extension),
            names=names,
            extensions=extensions,
        )
    )


def _why_not(command: str, fmt: Format | None, extension: str) -> str:
    """Why `command` does not write the format a file's `extension` asks for, and who does."""
    other = next((name for name, its in _FILE_FORMATS.items() if fmt in its), None)
    if fmt is None and extension == MAP_EXTENSION:
        return _(
            "the name asks for svg, which '{command}' does not write ('s3pilot map' does)"
        ).format(command=command)
    if fmt is None:
        return _("cannot tell the format from the name")
    if other is not None:
        return _(
            "the name asks for {format}, which '{command}' does not write"
            " ('s3pilot {other} --format {format}' does)"
        ).format(format=fmt, command=command, other=other)
    return _("the name asks for {format}, which '{command}' does not write").format(
        format=fmt, command=command
    )
