"""The Typer app: every command, option and help text, and the shell completion.

Each command parses its options and calls the function of the same name in `commands.py`;
nothing else happens here. `entry.main` hands over every invocation `shortcut.py` does not
take itself; `run` turns Typer's (Click's) own errors into s3pilot's.
"""

import sys
from typing import Annotated, Any

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError

from s3pilot_cli import commands
from s3pilot_cli.commands import (
    CONTACT_FORMATS,
    EXPORT_FORMATS,
    INFO_FORMATS,
    RECORD_FORMATS,
    Sort,
)
from s3pilot_cli.errors import EXIT_CODES, ExitCode, S3PilotError, UsageError
from s3pilot_cli.formats import Format
from s3pilot_cli.records import CLUSTER_FIELDS
from s3pilot_cli.text import fold

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


def _registry_path(ctx: typer.Context) -> str | None:
    """The global --registry option, seen from any command."""
    value = ctx.find_root().params.get("registry")
    return str(value) if value else None


# --- Completion ------------------------------------------------------------------------------


def _complete(ctx: typer.Context, incomplete: str, kind: str) -> list[str]:
    try:
        loaded = commands.load(_registry_path(ctx))
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
    fmt: Annotated[Format | None, _format_option(RECORD_FORMATS, _DEFAULT_VIEW)] = None,
    fields: Annotated[
        str | None,
        typer.Option(
            help=f"Comma-separated fields to print, of: {', '.join(CLUSTER_FIELDS)}.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """List the clusters, in the programme's order."""
    commands.list_clusters(
        registry_path=_registry_path(ctx),
        region=region,
        search=search,
        sort=sort,
        fmt=fmt,
        fields=fields,
    )


@app.command(epilog="Example: s3pilot regions --format csv")
def regions(
    ctx: typer.Context,
    fmt: Annotated[Format | None, _format_option(RECORD_FORMATS, _DEFAULT_VIEW)] = None,
) -> None:
    """List Sweden's 21 län with their number of clusters."""
    commands.list_regions(registry_path=_registry_path(ctx), fmt=fmt)


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
        _format_option(RECORD_FORMATS, "Table and plain show one field a line."),
    ] = None,
) -> None:
    """Show one cluster, with its region."""
    commands.show(registry_path=_registry_path(ctx), cluster=cluster, fmt=fmt)


@app.command(epilog="Example: s3pilot contacts --format vcard > s3-piloten.vcf")
def contacts(
    ctx: typer.Context,
    fmt: Annotated[Format | None, _format_option(CONTACT_FORMATS, _DEFAULT_VIEW)] = None,
) -> None:
    """The programme's contacts at Tillväxtverket: phone and e-mail."""
    commands.contacts(registry_path=_registry_path(ctx), fmt=fmt)


@app.command(epilog="Example: s3pilot export --format csv --excel -o clusters.csv")
def export(
    ctx: typer.Context,
    fmt: Annotated[
        Format | None,
        _format_option(
            EXPORT_FORMATS,
            "Default: from -o's extension, else json. toml and registry-json write the whole"
            " registry; the others a record a cluster.",
        ),
    ] = None,
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
    commands.export(
        registry_path=_registry_path(ctx), fmt=fmt, region=region, excel=excel, output=output
    )


@app.command(epilog="Example: s3pilot info")
def info(
    ctx: typer.Context,
    fmt: Annotated[Format | None, _format_option(INFO_FORMATS, "Default as for show.")] = None,
) -> None:
    """The programme in brief, and which registry file is in use."""
    commands.info(registry_path=_registry_path(ctx), fmt=fmt)


@app.command(epilog="Example: s3pilot validate ~/my-clusters.toml")
def validate(
    ctx: typer.Context,
    path: Annotated[
        str | None,
        typer.Argument(help="Registry file; default: the one in use.", show_default=False),
    ] = None,
) -> None:
    """Check a registry file: 'ok' with counts, or every problem with its place (exit 4)."""
    commands.validate(registry_path=_registry_path(ctx), path=path)


@app.command(epilog="Example: s3pilot init && s3pilot info")
def init(
    force: Annotated[
        bool, typer.Option("--force", help="Replace a registry that is there already.")
    ] = False,
) -> None:
    """Copy the bundled registry to your user data directory, where you can edit it."""
    commands.init(force=force)


def run(args: list[str]) -> int:
    """Run the Typer app on `args`; Click's usage errors become s3pilot's."""
    command = typer.main.get_command(app)
    try:
        code = command.main(args=args, prog_name="s3pilot", standalone_mode=False)
    except NoArgsIsHelpError as error:
        # No command: the same help as --help (Typer's Rich help has printed it already).
        if help_text := error.format_message().strip():
            sys.stdout.write(help_text + "\n")
        return ExitCode.OK
    except ClickException as error:
        ctx = getattr(error, "ctx", None)
        path = ctx.command_path if ctx is not None else "s3pilot"
        if error.exit_code == ExitCode.USAGE:
            raise UsageError(f"{error.format_message()} (see '{path} --help')") from None
        raise S3PilotError(error.format_message()) from None
    return code if isinstance(code, int) else ExitCode.OK
