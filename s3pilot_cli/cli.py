"""The `s3pilot` command: parse the options, call one function, hand the result to one writer.

Errors are raised anywhere as `S3PilotError`s and caught once, in `main`, which prints one line
to stderr and exits with the documented code (`errors.EXIT_CODES`).
"""

import gc
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError

from s3pilot_cli import lookup, records, schema
from s3pilot_cli import registry as registry_file
from s3pilot_cli.errors import EXIT_CODES, ExitCode, RegistryError, S3PilotError, UsageError
from s3pilot_cli.formats import DOCUMENT_WRITERS, WRITERS, Format, Writer, write_excel_csv
from s3pilot_cli.model import Registry
from s3pilot_cli.records import Records
from s3pilot_cli.text import fold, swedish_sort_key, visible

_EXIT_TABLE = "\n\n".join(f"{int(code)}  {meaning}" for code, meaning in EXIT_CODES.items())

app = typer.Typer(
    name="s3pilot",
    help=(
        "The 22 clusters of Tillväxtverket's S3-piloten, their regions and the programme's"
        " contacts.\n\nIn a terminal, commands print tables; in a pipe, tab-separated lines"
        " without a header. Choose another format with --format.\n\n"
        f"Exit codes:\n\n{_EXIT_TABLE}"
    ),
    epilog="Example: s3pilot list --region Värmland",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Sort(StrEnum):
    NAME = "name"
    REGION = "region"


# Which formats each command writes, and what it prints in a terminal and in a pipe.
_RECORD_FORMATS = (
    Format.TABLE,
    Format.PLAIN,
    Format.TSV,
    Format.CSV,
    Format.JSON,
    Format.JSONL,
    Format.MARKDOWN,
)
_EXPORT_FORMATS = (
    Format.CSV,
    Format.TSV,
    Format.JSON,
    Format.JSONL,
    Format.MARKDOWN,
    Format.TOML,
)
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


# --- Shared steps ----------------------------------------------------------------------------


def _registry_option(ctx: typer.Context) -> Path | None:
    root = ctx.find_root()
    value = root.params.get("registry") if root.params else None
    return Path(value) if value else None


def _load(ctx: typer.Context) -> Registry:
    return registry_file.load(registry_file.locate(_registry_option(ctx)).path)


def _format(chosen: Format | None, allowed: tuple[Format, ...], command: str) -> Format:
    """The format asked for, or a table in a terminal and plain lines in a pipe."""
    if chosen is None:
        return Format.TABLE if sys.stdout.isatty() else Format.PLAIN
    if chosen not in allowed:
        names = ", ".join(allowed)
        raise UsageError(f"'{command}' cannot write --format {chosen}; it writes {names}")
    return chosen


def _view(data: Records, fmt: Format, command: str) -> Records:
    """The columns a table or a pipe shows by default; data formats carry every field."""
    if fmt is Format.TABLE:
        return data.only(_TABLE_FIELDS[command])
    if fmt is Format.PLAIN:
        return data.only(_PLAIN_FIELDS[command])
    return data


def _emit(write: Any, data: Any, output: str | None = None) -> None:
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
        raise typer.Exit(ExitCode.OK) from None


def _say(message: str) -> None:
    """A message for the person at the terminal: always stderr, never mixed with the data."""
    sys.stderr.write(f"s3pilot: {visible(message)}\n")


# --- Completion ------------------------------------------------------------------------------


def _complete(ctx: typer.Context, incomplete: str, kind: str) -> list[str]:
    try:
        loaded = _load(ctx)
    except S3PilotError:
        return []
    if kind == "region":
        names = [region.name for region in loaded.regions]
    else:
        names = [cluster.id for cluster in loaded.clusters]
    start = fold(incomplete)
    return [name for name in names if fold(name).startswith(start)]


def _complete_region(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, "region")


def _complete_cluster(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, "cluster")


# --- Options shared by several commands ------------------------------------------------------

RegionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--region",
        "-r",
        help="Only this region: name, ISO code (SE-S), länskod (17) or county. Repeat for more.",
        autocompletion=_complete_region,
        show_default=False,
    ),
]


def _format_option(formats: tuple[Format, ...], default_help: str) -> Any:
    return typer.Option(
        "--format",
        "-f",
        help=f"Output format: {', '.join(formats)}. {default_help}",
        metavar="FORMAT",
        show_default=False,
        case_sensitive=False,
    )


_DEFAULT_VIEW = "Default: table in a terminal, plain in a pipe."


# --- Commands --------------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("s3pilot")
        except PackageNotFoundError:
            from s3pilot_cli import __version__ as number
        sys.stdout.write(f"s3pilot {number}\n")
        raise typer.Exit()


@app.callback()
def _root(
    registry: Annotated[
        str | None,
        typer.Option(
            "--registry",
            metavar="PATH",
            help="Registry file to use (else $S3PILOT_REGISTRY, your own copy, the bundled one).",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of an unexpected error.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """The options every command shares."""


@app.command("list", epilog="Example: s3pilot list --region Värmland --format csv")
def list_(
    ctx: typer.Context,
    region: RegionOption = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search",
            "-s",
            help="Only clusters whose name, other names, city or focus contain this text.",
            show_default=False,
        ),
    ] = None,
    sort: Annotated[
        Sort | None,
        typer.Option(
            help="Sort by name or region (Swedish order); default: the programme's order.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[Format | None, _format_option(_RECORD_FORMATS, _DEFAULT_VIEW)] = None,
    fields: Annotated[
        str | None,
        typer.Option(
            help=f"Comma-separated fields to print, of: {', '.join(records.CLUSTER_FIELDS)}.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """List the clusters, in the programme's order."""
    chosen = _format(fmt, _RECORD_FORMATS, "list")
    wanted = _fields(fields, records.CLUSTER_FIELDS)
    loaded = _load(ctx)
    clusters = _select(loaded, region)
    if search is not None:
        clusters = lookup.search(clusters, search)
    if sort is Sort.NAME:
        clusters = sorted(clusters, key=lambda c: swedish_sort_key(c.name))
    elif sort is Sort.REGION:
        clusters = sorted(clusters, key=lambda c: swedish_sort_key(loaded.region_of(c).name))
    data = records.clusters(loaded, clusters)
    data = data.only(wanted) if wanted else _view(data, chosen, "list")
    _emit(WRITERS[chosen], data)


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


def _select(loaded: Registry, regions: list[str] | None) -> list[Any]:
    """The clusters of these regions (all of them without any), in registry order."""
    if not regions:
        return list(loaded.clusters)
    codes = {region.code for region in lookup.find_regions(loaded, regions)}
    return [cluster for cluster in loaded.clusters if cluster.region in codes]


@app.command(epilog="Example: s3pilot regions --format csv")
def regions(
    ctx: typer.Context,
    fmt: Annotated[Format | None, _format_option(_RECORD_FORMATS, _DEFAULT_VIEW)] = None,
) -> None:
    """List Sweden's 21 län with their number of clusters."""
    chosen = _format(fmt, _RECORD_FORMATS, "regions")
    _emit(WRITERS[chosen], _view(records.regions(_load(ctx)), chosen, "regions"))


@app.command(epilog="Example: s3pilot show 'Paper Province'")
def show(
    ctx: typer.Context,
    cluster: Annotated[
        str,
        typer.Argument(
            help="Id, name, other name, or the start of one.",
            autocompletion=_complete_cluster,
            show_default=False,
        ),
    ],
    fmt: Annotated[
        Format | None,
        _format_option(_RECORD_FORMATS, "Table and plain show one field a line."),
    ] = None,
) -> None:
    """Show one cluster, with its region."""
    chosen = _format(fmt, _RECORD_FORMATS, "show")
    loaded = _load(ctx)
    found = lookup.find_cluster(loaded, cluster)
    data = records.clusters(loaded, [found])
    _emit(WRITERS[chosen], _one(data, chosen))


def _one(data: Records, fmt: Format) -> Records:
    """A single record: one field a line for people and pipes, one object in JSON."""
    if fmt in (Format.TABLE, Format.PLAIN):
        return data.transposed()
    return Records(data.fields, data.rows, single=True)


_CONTACT_FORMATS = (*_RECORD_FORMATS, Format.VCARD)


@app.command(epilog="Example: s3pilot contacts --format vcard > s3-piloten.vcf")
def contacts(
    ctx: typer.Context,
    fmt: Annotated[Format | None, _format_option(_CONTACT_FORMATS, _DEFAULT_VIEW)] = None,
) -> None:
    """The programme's contacts at Tillväxtverket: phone and e-mail."""
    chosen = _format(fmt, _CONTACT_FORMATS, "contacts")
    _emit(WRITERS[chosen], _view(records.contacts(_load(ctx)), chosen, "contacts"))


@app.command(epilog="Example: s3pilot export --format csv --excel -o clusters.csv")
def export(
    ctx: typer.Context,
    fmt: Annotated[
        Format,
        _format_option(
            _EXPORT_FORMATS,
            "Default: json. json and toml write the whole registry; the others a row a cluster.",
        ),
    ] = Format.JSON,
    region: RegionOption = None,
    excel: Annotated[
        bool,
        typer.Option(
            help="With csv: for spreadsheets (byte-order mark, ';', formulas neutralised)."
        ),
    ] = False,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE, atomically, instead of stdout ('-').",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Export the registry for other programs."""
    chosen = _format(fmt, _EXPORT_FORMATS, "export")
    if excel and chosen is not Format.CSV:
        raise UsageError(f"--excel goes with --format csv, not --format {chosen}")
    loaded = _load(ctx)
    clusters = _select(loaded, region)
    if chosen in DOCUMENT_WRITERS:
        document = schema.to_document(loaded)
        if region:
            document["clusters"] = [
                entry
                for entry in document["clusters"]
                if entry["region"] in {c.region for c in clusters}
            ]
        _emit(DOCUMENT_WRITERS[chosen], document, output)
        return
    writer: Writer = write_excel_csv if excel else WRITERS[chosen]
    _emit(writer, records.clusters(loaded, clusters), output)


@app.command(epilog="Example: s3pilot info")
def info(
    ctx: typer.Context,
    fmt: Annotated[
        Format | None,
        _format_option((Format.TABLE, Format.PLAIN, Format.JSON), "Default as for show."),
    ] = None,
) -> None:
    """The programme in brief, and which registry file is in use."""
    chosen = _format(fmt, (Format.TABLE, Format.PLAIN, Format.JSON), "info")
    source = registry_file.locate(_registry_option(ctx))
    program = registry_file.load(source.path).program
    data = Records(
        (
            "name",
            "agency",
            "applications",
            "selected",
            "offers",
            "source_url",
            "registry",
            "registry_reason",
        ),
        (
            (
                program.name,
                program.agency,
                program.applications,
                program.selected,
                program.offers,
                program.source_url,
                str(source.path),
                source.reason,
            ),
        ),
    )
    _emit(WRITERS[chosen], _one(data, chosen))


@app.command(epilog="Example: s3pilot validate ~/my-clusters.toml")
def validate(
    ctx: typer.Context,
    path: Annotated[
        str | None,
        typer.Argument(help="Registry file; default: the one in use.", show_default=False),
    ] = None,
) -> None:
    """Check a registry file: 'ok' with counts, or every problem with its place (exit 4)."""
    target = Path(path) if path else registry_file.locate(_registry_option(ctx)).path
    try:
        loaded = registry_file.load(target)
    except RegistryError as error:
        for problem in error.problems:
            _say(problem)
        count = len(error.problems)
        _say(f"{target}: {count} problem{'s' if count > 1 else ''}; the registry was not used")
        raise typer.Exit(ExitCode.BAD_REGISTRY) from None
    counts = (
        f"{len(loaded.clusters)} clusters, {len(loaded.regions)} regions,"
        f" {len(loaded.contacts)} contacts"
    )
    _emit(lambda out, text: out.write(text), f"ok\t{target}\t{counts}\n")


@app.command(
    epilog='Example: s3pilot init && $EDITOR "$(s3pilot info --format json | jq -r .registry)"'
)
def init(
    force: Annotated[
        bool, typer.Option("--force", help="Replace a registry that is there already.")
    ] = False,
) -> None:
    """Copy the bundled registry to your user data directory, where you can edit it."""
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
    _say(f"wrote {target}; s3pilot now uses it (see 's3pilot info')")


# --- Entry point -----------------------------------------------------------------------------


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"s3pilot: error: {visible(message)}\n")
    sys.exit(code)


def _utf8(stream: TextIO) -> None:
    """Data is UTF-8 whatever the locale says (LC_ALL=C, a Latin-1 terminal)."""
    if (stream.encoding or "").lower().replace("-", "") != "utf8":
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")


def main(argv: list[str] | None = None) -> NoReturn:
    """Run s3pilot; every way out goes through here with a documented exit code.

    The cyclic garbage collector is off while it runs: s3pilot makes no reference cycles
    worth collecting, reference counting frees the rest, and on a registry of 100 000
    clusters the collector's passes cost a third of s3pilot's own work (benchmarks/).
    """
    gc.disable()
    try:
        _run(sys.argv[1:] if argv is None else argv)
    finally:
        gc.enable()


def _run(args: list[str]) -> NoReturn:
    _utf8(sys.stdout)
    command = typer.main.get_command(app)
    try:
        code = command.main(args=args, prog_name="s3pilot", standalone_mode=False)
    except S3PilotError as error:
        _fail(error.message, error.exit_code)
    except NoArgsIsHelpError as error:
        # No command: the same help as --help (Typer's Rich help has printed it already).
        if help_text := error.format_message().strip():
            sys.stdout.write(help_text + "\n")
        sys.exit(ExitCode.OK)
    except ClickException as error:
        ctx = getattr(error, "ctx", None)
        path = ctx.command_path if ctx is not None else "s3pilot"
        hint = f" (see '{path} --help')" if error.exit_code == ExitCode.USAGE else ""
        _fail(error.format_message() + hint, error.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        _fail("interrupted; nothing was written", ExitCode.INTERRUPTED)
    except Exception as error:
        if "--debug" in args:
            raise
        _fail(
            f"unexpected {type(error).__name__}: {error}; rerun with --debug to see where,"
            " and report it",
            ExitCode.FAILURE,
        )
    sys.exit(code if isinstance(code, int) else ExitCode.OK)
