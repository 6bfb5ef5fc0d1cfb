"""What each command does, as plain functions: find the data, pick the records, call a writer.

Nothing here knows how the options were parsed: `cli.py` (Typer) and `shortcut.py` (the
common invocations, without loading Typer) both call these with the same keyword arguments.
"""

import os
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

from s3pilot_cli import records
from s3pilot_cli import registry as registry_file
from s3pilot_cli.errors import ExitCode, RegistryError, S3PilotError, UsageError
from s3pilot_cli.formats import DOCUMENT_WRITERS, EXTENSIONS, WRITERS, Format, Writer, format_of
from s3pilot_cli.formats.text import write_excel_csv
from s3pilot_cli.model import Cluster, Registry
from s3pilot_cli.records import Records
from s3pilot_cli.text import swedish_sort_key, visible


class Sort(StrEnum):
    NAME = "name"
    REGION = "region"


# Which formats each command writes.
RECORD_FORMATS = (
    Format.TABLE,
    Format.PLAIN,
    Format.TSV,
    Format.CSV,
    Format.JSON,
    Format.JSONL,
    Format.MARKDOWN,
)
CONTACT_FORMATS = (*RECORD_FORMATS, Format.VCARD)
EXPORT_FORMATS = (
    Format.CSV,
    Format.TSV,
    Format.JSON,
    Format.JSONL,
    Format.MARKDOWN,
    Format.TOML,
    Format.REGISTRY_JSON,
)
INFO_FORMATS = (Format.TABLE, Format.PLAIN, Format.JSON)

# The columns a table, and a pipe, show by default; data formats carry every field.
_TABLE_FIELDS = {
    "list": ("name", "region", "city", "focus"),
    "regions": ("code", "lan_code", "name", "county", "clusters"),
    "contacts": ("name", "phone", "email"),
}
_PLAIN_FIELDS = {
    "list": ("name",),
    "regions": ("name", "clusters"),
    "contacts": ("name", "phone", "email"),
}
_INFO_FIELDS = (
    "name",
    "agency",
    "applications",
    "selected",
    "offers",
    "source_url",
    "registry",
    "registry_reason",
)


# --- Shared steps ----------------------------------------------------------------------------


def load(registry_path: str | None) -> Registry:
    """The registry in use: `--registry`, else `$S3PILOT_REGISTRY`, your own copy, the bundled."""
    return registry_file.load(registry_file.locate(_path(registry_path)).path)


def _path(option: str | None) -> Path | None:
    return Path(option) if option else None


def _format(chosen: Format | None, allowed: tuple[Format, ...], command: str) -> Format:
    """The format asked for, or a table in a terminal and plain lines in a pipe."""
    if chosen is None:
        return Format.TABLE if sys.stdout.isatty() else Format.PLAIN
    if chosen not in allowed:
        names = ", ".join(allowed)
        raise UsageError(f"'{command}' cannot write --format {chosen}; it writes {names}")
    return chosen


def _view(data: Records, fmt: Format, command: str) -> Records:
    if fmt is Format.TABLE:
        return data.only(_TABLE_FIELDS[command])
    if fmt is Format.PLAIN:
        return data.only(_PLAIN_FIELDS[command])
    return data


def _one(data: Records, fmt: Format) -> Records:
    """A single record: one field a line for people and pipes, one object in JSON."""
    if fmt in (Format.TABLE, Format.PLAIN):
        return data.transposed()
    return Records(data.fields, data.rows, single=True)


def _fields(value: str | None, known: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return ()
    wanted = tuple(name.strip() for name in value.split(",") if name.strip())
    unknown = [name for name in wanted if name not in known]
    if unknown or not wanted:
        raise UsageError(
            f"--fields: unknown field {visible(', '.join(unknown) or repr(value))};"
            f" choose from {', '.join(known)}"
        )
    return wanted


def _select(loaded: Registry, regions: Sequence[str] | None) -> list[Cluster]:
    """The clusters of these regions (all of them without any), in registry order."""
    if not regions:
        return list(loaded.clusters)
    from s3pilot_cli.lookup import find_regions

    codes = {region.code for region in find_regions(loaded, regions)}
    return [cluster for cluster in loaded.clusters if cluster.region in codes]


def _emit(write: Callable[[Any, Any], object], data: Any, output: str | None = None) -> None:
    """Hand the data to a writer, on stdout or atomically into a file.

    A reader that stops early (`| head`) is no error: the rest of the output is dropped and
    s3pilot exits 0 without a word.
    """
    if output not in (None, "-"):
        from s3pilot_cli.atomic import atomic_writer

        with atomic_writer(Path(output)) as file:
            write(file, data)
        return
    try:
        write(sys.stdout, data)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(ExitCode.OK) from None


def say(message: str) -> None:
    """A message for the person at the terminal: always stderr, never mixed with the data."""
    sys.stderr.write(f"s3pilot: {visible(message)}\n")


# --- The commands ----------------------------------------------------------------------------


def list_clusters(
    *,
    registry_path: str | None = None,
    region: Sequence[str] | None = None,
    search: str | None = None,
    sort: Sort | None = None,
    fmt: Format | None = None,
    fields: str | None = None,
) -> None:
    chosen = _format(fmt, RECORD_FORMATS, "list")
    wanted = _fields(fields, records.CLUSTER_FIELDS)
    loaded = load(registry_path)
    clusters = _select(loaded, region)
    if search is not None:
        from s3pilot_cli.lookup import search as matching

        clusters = matching(clusters, search)
    if sort is Sort.NAME:
        clusters.sort(key=lambda c: swedish_sort_key(c.name))
    elif sort is Sort.REGION:
        clusters.sort(key=lambda c: swedish_sort_key(loaded.region_of(c).name))
    data = records.clusters(loaded, clusters)
    data = data.only(wanted) if wanted else _view(data, chosen, "list")
    _emit(WRITERS[chosen], data)


def list_regions(*, registry_path: str | None = None, fmt: Format | None = None) -> None:
    chosen = _format(fmt, RECORD_FORMATS, "regions")
    _emit(WRITERS[chosen], _view(records.regions(load(registry_path)), chosen, "regions"))


def show(*, registry_path: str | None = None, cluster: str, fmt: Format | None = None) -> None:
    from s3pilot_cli.lookup import find_cluster

    chosen = _format(fmt, RECORD_FORMATS, "show")
    loaded = load(registry_path)
    data = records.clusters(loaded, [find_cluster(loaded, cluster)])
    _emit(WRITERS[chosen], _one(data, chosen))


def contacts(*, registry_path: str | None = None, fmt: Format | None = None) -> None:
    chosen = _format(fmt, CONTACT_FORMATS, "contacts")
    _emit(WRITERS[chosen], _view(records.contacts(load(registry_path)), chosen, "contacts"))


def export(
    *,
    registry_path: str | None = None,
    fmt: Format | None = None,
    region: Sequence[str] | None = None,
    excel: bool = False,
    output: str | None = None,
) -> None:
    file = None if output in (None, "-") else output
    if fmt is None:
        fmt = Format.JSON if file is None else _format_of_file(file)
    chosen = _format(fmt, EXPORT_FORMATS, "export")
    if excel and chosen is not Format.CSV:
        raise UsageError(f"--excel goes with --format csv, not --format {chosen}")
    source = registry_file.locate(_path(registry_path))
    if file is not None:
        _refuse_the_registry(file, source.path)
    loaded = registry_file.load(source.path)
    clusters = _select(loaded, region)
    if chosen in DOCUMENT_WRITERS:
        from s3pilot_cli.schema import to_document

        document = to_document(loaded)
        if region:
            codes = {cluster.region for cluster in clusters}
            document["clusters"] = [c for c in document["clusters"] if c["region"] in codes]
        _emit(DOCUMENT_WRITERS[chosen], document, output)
        return
    writer: Writer = write_excel_csv if excel else WRITERS[chosen]
    _emit(writer, records.clusters(loaded, clusters), output)


def _format_of_file(output: str) -> Format:
    """The format `-o`'s file name asks for by its extension, if export writes it."""
    fmt = format_of(output)
    if fmt in EXPORT_FORMATS:
        return fmt
    names = ", ".join(EXPORT_FORMATS)
    extensions = " ".join(ext for ext, f in EXTENSIONS.items() if f in EXPORT_FORMATS)
    if fmt is None:
        said = "cannot tell the format from the name"
    else:
        said = f"the name asks for {fmt}, which 'export' does not write"
        if fmt in CONTACT_FORMATS:
            said += f" ('s3pilot contacts --format {fmt}' does)"
    raise UsageError(
        f"-o {visible(output)}: {said}; give --format ({names}) or a name ending in {extensions}"
    )


def _refuse_the_registry(output: str, registry: Path) -> None:
    """Never write over the registry being read: an error in the export would lose it."""
    try:
        same = os.path.samefile(output, registry)
    except OSError:
        return  # nothing there yet, or not reachable: not the registry
    if same:
        raise UsageError(
            f"-o {visible(output)} is the registry being read ({visible(str(registry))});"
            " write to another file, then move that over the registry"
        )


def info(*, registry_path: str | None = None, fmt: Format | None = None) -> None:
    chosen = _format(fmt, INFO_FORMATS, "info")
    source = registry_file.locate(_path(registry_path))
    program = registry_file.load(source.path).program
    row = (
        program.name,
        program.agency,
        program.applications,
        program.selected,
        program.offers,
        program.source_url,
        str(source.path),
        source.reason,
    )
    _emit(WRITERS[chosen], _one(Records(_INFO_FIELDS, (row,)), chosen))


def validate(*, registry_path: str | None = None, path: str | None = None) -> None:
    """'ok' and the counts on stdout, or every problem on stderr and exit 4."""
    target = Path(path) if path else registry_file.locate(_path(registry_path)).path
    try:
        loaded = registry_file.load(target)
    except RegistryError as error:
        for problem in error.problems:
            say(problem)
        count = len(error.problems)
        say(f"{target}: {count} problem{'s' if count > 1 else ''}; the registry was not used")
        raise SystemExit(ExitCode.BAD_REGISTRY) from None
    counts = (
        f"{len(loaded.clusters)} clusters, {len(loaded.regions)} regions,"
        f" {len(loaded.contacts)} contacts"
    )
    _emit(lambda out, text: out.write(text), f"ok\t{target}\t{counts}\n")


def init(*, force: bool = False) -> None:
    """Copy the bundled registry to the user data directory, never over one without force."""
    from s3pilot_cli.atomic import atomic_writer

    target = registry_file.user_path()
    if target.exists() and not force:
        raise S3PilotError(
            f"{target} exists already and was left as it is; edit it, or run"
            " 's3pilot init --force' to replace it with the bundled registry"
        )
    text = registry_file.bundled_path().read_text(encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_writer(target) as file:
        file.write(text)
    say(f"wrote {target}; s3pilot now uses it (see 's3pilot info')")
