"""The Typer app: every command, option and help text, the shell completion, and `run`.

Each command is a function named `<command>_command` (`check-links`: `check_links_command`)
that parses its options and calls its namesake in `commands.py` (`list_` and `map_` there,
which would otherwise hide Python's own).
`cli.main` hands over every command line `cli/fastpath.py` does not take; `run` turns Typer's
(Click's) own errors into s3pilot's, which `cli.main` turns into exit codes.
"""

import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from s3pilot_cli import commands
from s3pilot_cli.cli.typer_private import (
    ClickException,
    HelpContext,
    NarrowHelpContext,
    NoArgsIsHelpError,
    in_own_words,
    plain_help,
    speak_own_words,
)
from s3pilot_cli.commands import Sort
from s3pilot_cli.errors import EXIT_CODES, ExitCode, S3PilotError, StdoutError, UsageError
from s3pilot_cli.formats import (
    CONTACT_FORMATS,
    EXPORT_FORMATS,
    INFO_FORMATS,
    RECORD_FORMATS,
    Format,
)
from s3pilot_cli.i18n import Language, _
from s3pilot_cli.model import Registry
from s3pilot_cli.records import CLUSTER_FIELDS
from s3pilot_cli.textrules import fold

# One code a line: Typer's Rich help keeps the line breaks inside a paragraph. The help is in
# the user's language (i18n.py): this module is imported once a process, after it is chosen.
_EXIT_TABLE = "\n".join(f"{int(code):>3}  {_(meaning)}" for code, meaning in EXIT_CODES.items())


def _example(command: str) -> str:
    return _("Example: {command}").format(command=command)


app = typer.Typer(
    name="s3pilot",
    help=_(
        "The 22 clusters of Tillväxtverket's S3-piloten, their regions and the programme's"
        " contacts.\n\nIn a terminal, commands print tables; in a pipe, tab-separated lines"
        " without a header. Choose another format with --format.\n\nExit codes:\n{table}"
    ).format(table=_EXIT_TABLE),
    epilog=_example("s3pilot list --region Värmland"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _registry_path(ctx: typer.Context) -> str | None:
    """--registry, given after the command or before it (after wins), seen from any command."""
    value = ctx.params.get("registry") or ctx.find_root().params.get("registry")
    return str(value) if value is not None else None


def _together(*lists: Sequence[str] | None) -> list[str] | None:
    """The values of an option and of the arguments that mean the same, options first."""
    values = [value for values in lists for value in values or ()]
    return values or None


# --- Completion ------------------------------------------------------------------------------


def _complete(ctx: typer.Context, incomplete: str, kind: str) -> list[str]:
    try:
        loaded = commands.registry_in_use(_registry_path(ctx))
    except S3PilotError:
        return []
    if kind == "region":
        names = _place_names(loaded, fold(incomplete))
    else:
        names = _completed_clusters(loaded, incomplete)
    return [_as_typed(name) for name in names]


def _place_names(loaded: Registry, start: str) -> list[str]:
    """The län first, then the kommuner and landskap, whose folded names begin with `start`."""
    from s3pilot_cli.places import packaged_places

    known = packaged_places()
    every = [region.name for region in loaded.regions]
    every += [kommun.name for kommun in known.kommuner]
    every += [landskap.name for landskap in known.landskap]
    return [name for name in dict.fromkeys(every) if fold(name).startswith(start)]


def _completed_clusters(loaded: Registry, incomplete: str) -> list[str]:
    """Each cluster's id, or its name where that is what is being typed (`show Paper`)."""
    start = fold(incomplete)
    names = []
    for cluster in loaded.clusters:
        fits = [n for n in (cluster.id, cluster.name) if n.startswith(incomplete)]
        fits = fits or [n for n in (cluster.id, cluster.name) if fold(n).startswith(start)]
        names += fits[:1]
    return names


def _as_typed(value: str) -> str:
    """`value` as the shell must see it on the command line.

    zsh and fish quote a completion themselves; bash puts it on the line as it is, so a space
    in it (Västra Götaland) would make two arguments: it gets a backslash, unless the word
    being completed opened a quote, which bash then closes. The shell is the one Typer's
    completion script names in $_S3PILOT_COMPLETE (complete_bash, complete_zsh, ...).
    """
    if os.environ.get("_S3PILOT_COMPLETE") != "complete_bash" or _in_quotes():
        return value
    import re

    return re.sub(r"([^\w@%+=:,./-])", r"\\\1", value)


def _in_quotes() -> bool:
    """Whether the word bash completes opened a quote it has not closed (`'Västr`)."""
    import shlex

    try:
        shlex.split(os.environ.get("COMP_WORDS", ""))
    except ValueError:
        return True
    return False


def _complete_region(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, "region")


def _complete_cluster(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, "cluster")


# --- Options shared by several commands ------------------------------------------------------


def _not_empty(value: str | None) -> str | None:
    if value == "":
        from s3pilot_cli.registry import EMPTY_PATH

        raise typer.BadParameter(_(EMPTY_PATH))
    return value


# The global options, taken before the command or after it.
RegistryOption = Annotated[
    str | None,
    typer.Option(
        "--registry",
        metavar=_("PATH"),
        help=_("Registry file to use (else $S3PILOT_REGISTRY, your own copy, the bundled one)."),
        callback=_not_empty,
        show_default=False,
    ),
]
DebugOption = Annotated[
    bool, typer.Option("--debug", help=_("Show the traceback of an unexpected error."))
]

RegionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--region",
        "-r",
        metavar=_("REGION"),
        help=_(
            "Only this region: name, ISO code (SE-S), länskod (17), county, kommun or landskap."
            " Repeat, or separate with commas, for more."
        ),
        autocompletion=_complete_region,
        show_default=False,
    ),
]


OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar=_("FILE"),
        help=_(
            "Write to FILE instead of stdout ('-'): a file atomically, through a link to the"
            " file it names, a pipe or device in place."
        ),
        show_default=False,
    ),
]


def _format_option(formats: tuple[Format, ...], default_help: str) -> Any:
    """--format, offering only the formats this command writes."""
    return typer.Option(
        "--format",
        "-f",
        help=_("Output format: {formats}. {default}").format(
            formats=", ".join(formats), default=default_help
        ),
        metavar=_("FORMAT"),
        case_sensitive=False,
        show_default=False,
    )


def _choice(name: str, formats: tuple[Format, ...]) -> type[StrEnum]:
    """The formats a command writes as an Enum of their own, which Typer offers as choices
    (public API, 0.28 and 0.29 alike); `_as_format` turns a member back into the `Format`."""
    return StrEnum(name, {fmt.name: fmt.value for fmt in formats})  # type: ignore[return-value]


if TYPE_CHECKING:  # to mypy, each is the Format its members stand for
    RecordFormat = Format
    ContactFormat = Format
    ExportFormat = Format
    InfoFormat = Format
else:
    RecordFormat = _choice("RecordFormat", RECORD_FORMATS)
    ContactFormat = _choice("ContactFormat", CONTACT_FORMATS)
    ExportFormat = _choice("ExportFormat", EXPORT_FORMATS)
    InfoFormat = _choice("InfoFormat", INFO_FORMATS)


def _as_format(chosen: StrEnum | None) -> Format | None:
    return None if chosen is None else Format(chosen.value)


_DEFAULT_VIEW = _("Default: table in a terminal, plain in a pipe.")


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
    registry: RegistryOption = None,
    debug: DebugOption = False,  # for the help: main takes --debug out of every command line
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=_("Print the version.")),
    ] = False,
) -> None:
    """The options every command shares."""


@app.command(
    "list",
    help=_("List the clusters, in the programme's order."),
    epilog=_example("s3pilot list Värmland Dalarna --format csv"),
)
def list_command(
    ctx: typer.Context,
    regions: Annotated[
        list[str] | None,
        typer.Argument(
            metavar=_("[REGION]..."),
            help=_("The same as --region: s3pilot list Värmland Dalarna."),
            autocompletion=_complete_region,
            show_default=False,
        ),
    ] = None,
    region: RegionOption = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search",
            "-s",
            metavar=_("TEXT"),
            help=_("Only clusters whose name, other names, city or focus contain this text."),
            show_default=False,
        ),
    ] = None,
    sort: Annotated[
        Sort | None,
        typer.Option(
            help=_("Sort by name or region (Swedish order); default: the programme's order."),
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[RecordFormat | None, _format_option(RECORD_FORMATS, _DEFAULT_VIEW)] = None,
    fields: Annotated[
        list[str] | None,
        typer.Option(
            metavar=_("FIELDS"),
            help=_(
                "Fields to print, of: {fields}. Repeat, or separate with commas, for more."
            ).format(fields=", ".join(CLUSTER_FIELDS)),
            show_default=False,
        ),
    ] = None,
    registry: RegistryOption = None,
) -> None:
    commands.list_(
        registry_path=_registry_path(ctx),
        region=_together(region, regions),
        search=search,
        sort=sort,
        fmt=_as_format(fmt),
        fields=fields,
    )


@app.command(
    "regions",
    help=_("List Sweden's 21 län with their number of clusters."),
    epilog=_example("s3pilot regions --format csv"),
)
def regions_command(
    ctx: typer.Context,
    fmt: Annotated[RecordFormat | None, _format_option(RECORD_FORMATS, _DEFAULT_VIEW)] = None,
    registry: RegistryOption = None,
) -> None:
    commands.regions(registry_path=_registry_path(ctx), fmt=_as_format(fmt))


@app.command(
    "show",
    help=_("Show one cluster, with its region."),
    epilog=_example("s3pilot show 'Paper Province'"),
)
def show_command(
    ctx: typer.Context,
    cluster: Annotated[
        list[str],
        typer.Argument(
            metavar=_("CLUSTER..."),  # Typer writes a required one in { } in the usage line
            help=_(
                "Id, name, other name, or the start of one; the words of a name need no"
                " quotes: s3pilot show Paper Province."
            ),
            autocompletion=_complete_cluster,
            show_default=False,
        ),
    ],
    fmt: Annotated[
        RecordFormat | None,
        _format_option(RECORD_FORMATS, _("Table and plain show one field a line.")),
    ] = None,
    registry: RegistryOption = None,
) -> None:
    commands.show(registry_path=_registry_path(ctx), cluster=cluster, fmt=_as_format(fmt))


@app.command(
    "timeline",
    help=_(
        "Every dated event of the registry, oldest first: date, cluster (or 'program'), event"
        " and the page that says so."
    ),
    epilog=_example("s3pilot timeline --cluster techtank"),
)
def timeline_command(
    ctx: typer.Context,
    region: RegionOption = None,
    cluster: Annotated[
        list[str] | None,
        typer.Option(
            "--cluster",
            "-c",
            metavar=_("CLUSTER"),
            help=_(
                "Only this cluster's events: id, name or other name. Repeat, or separate with"
                " commas, for more."
            ),
            autocompletion=_complete_cluster,
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[RecordFormat | None, _format_option(RECORD_FORMATS, _DEFAULT_VIEW)] = None,
    registry: RegistryOption = None,
) -> None:
    commands.timeline(
        registry_path=_registry_path(ctx), region=region, cluster=cluster, fmt=_as_format(fmt)
    )


@app.command(
    "contacts",
    help=_("The programme's contacts at Tillväxtverket: phone and e-mail."),
    epilog=_example("s3pilot contacts -o s3-piloten.vcf"),
)
def contacts_command(
    ctx: typer.Context,
    fmt: Annotated[
        ContactFormat | None,
        _format_option(
            CONTACT_FORMATS,
            _DEFAULT_VIEW + " " + _("With -o: from its extension (.vcf: vcard), else plain."),
        ),
    ] = None,
    output: OutputOption = None,
    registry: RegistryOption = None,
) -> None:
    commands.contacts(registry_path=_registry_path(ctx), fmt=_as_format(fmt), output=output)


@app.command(
    "export",
    help=_("Export the registry for other programs."),
    epilog=_example("s3pilot export --format csv --excel -o clusters.csv"),
)
def export_command(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat | None,
        _format_option(
            EXPORT_FORMATS,
            _(
                "Default: from -o's extension, else json. toml and registry-json write the whole"
                " registry; sqlite, xlsx and datapackage a file named with -o; geojson the län;"
                " html a web page; the others a record a cluster."
            ),
        ),
    ] = None,
    region: RegionOption = None,
    excel: Annotated[
        bool,
        typer.Option(
            help=_("With csv: for spreadsheets (byte-order mark, ';', formulas neutralised).")
        ),
    ] = False,
    downloads: Annotated[
        bool,
        typer.Option(
            help=_(
                "With html: link the other exports, published beside the page as s3pilot.csv,"
                " s3pilot.xlsx and so on (README, 'A web page')."
            )
        ),
    ] = False,
    output: OutputOption = None,
    registry: RegistryOption = None,
) -> None:
    commands.export(
        registry_path=_registry_path(ctx),
        fmt=_as_format(fmt),
        region=region,
        excel=excel,
        downloads=downloads,
        output=output,
    )


@app.command(
    "info",
    help=_("The programme in brief, and which registry file is in use."),
    epilog=_example("s3pilot info"),
)
def info_command(
    ctx: typer.Context,
    fmt: Annotated[
        InfoFormat | None, _format_option(INFO_FORMATS, _("Default as for show."))
    ] = None,
    registry: RegistryOption = None,
) -> None:
    commands.info(registry_path=_registry_path(ctx), fmt=_as_format(fmt))


@app.command(
    "validate",
    help=_("Check a registry file: 'ok' with counts, or every problem with its place (exit 4)."),
    epilog=_example("s3pilot validate ~/my-clusters.toml"),
)
def validate_command(
    ctx: typer.Context,
    path: Annotated[
        str | None,
        typer.Argument(
            metavar=_("[PATH]"),
            help=_("Registry file; default: the one in use."),
            show_default=False,
            callback=_not_empty,
        ),
    ] = None,
    registry: RegistryOption = None,
) -> None:
    commands.validate(registry_path=_registry_path(ctx), path=path)


@app.command(
    "init",
    help=_("Copy the bundled registry to your user data directory, where you can edit it."),
    epilog=_example("s3pilot init && s3pilot info"),
)
def init_command(
    force: Annotated[
        bool, typer.Option("--force", help=_("Replace a registry that is there already."))
    ] = False,
) -> None:
    commands.init(force=force)


# --- A registry over time: what changed, and the schema editors check it with ----------------


@app.command(
    "diff",
    # One line a paragraph: Typer's Rich help keeps every line break of a docstring.
    help=_(
        "What changed from OLD to NEW: exit 0 when nothing did, 1 when something did.\n\n"
        "With no file, the bundled registry against the one in use; with one, that file"
        " against the one in use."
    ),
    epilog=_example("s3pilot diff old-clusters.toml clusters.toml --format plain"),
)
def diff_command(
    ctx: typer.Context,
    old: Annotated[
        str | None,
        typer.Argument(
            metavar=_("[OLD]"),
            help=_("Registry file; default: the bundled one."),
            show_default=False,
            callback=_not_empty,
        ),
    ] = None,
    new: Annotated[
        str | None,
        typer.Argument(
            metavar=_("[NEW]"),
            help=_("Registry file; default: the one in use."),
            show_default=False,
            callback=_not_empty,
        ),
    ] = None,
    order: Annotated[
        bool,
        typer.Option(
            "--order", help=_("Report entries that moved, and lists in another order, too.")
        ),
    ] = False,
    fmt: Annotated[RecordFormat | None, _format_option(RECORD_FORMATS, _DEFAULT_VIEW)] = None,
    registry: RegistryOption = None,
) -> None:
    commands.diff(
        registry_path=_registry_path(ctx), old=old, new=new, order=order, fmt=_as_format(fmt)
    )


@app.command(
    "check-links",
    help=_(
        "Check every website and source URL of the registry: exit 0 when all are alive, 1 if "
        "not.\n\nEach link's status and final address, and its result: ok, moved (a redirect), dead"
        " (4xx, 5xx), timeout, error, or blocked (a redirect from a public address into a private"
        " network, not followed). Needs the network; asks each address once, with one GET."
    ),
    epilog=_example("s3pilot check-links --format csv > links.csv"),
)
def check_links_command(
    ctx: typer.Context,
    fmt: Annotated[
        RecordFormat | None,
        _format_option(
            RECORD_FORMATS,
            _DEFAULT_VIEW
            + " "
            + _("The table shows where each link ended; the others every field."),
        ),
    ] = None,
    timeout: Annotated[
        str | None,  # as typed: commands.py reads the number, and repeats the text it refuses
        typer.Option(
            metavar=_("SECONDS"),
            help=_(
                "Seconds each link may take in all, from the name look-up to the reply's"
                " headers, redirects included; at most 3600; default: 10."
            ),
            show_default=False,
        ),
    ] = None,
    per_host: Annotated[
        str | None,  # as typed: commands.py reads the number, and repeats the text it refuses
        typer.Option(
            "--per-host",
            metavar="N",
            help=_("At most N requests at once to any one host; default: 2."),
            show_default=False,
        ),
    ] = None,
    registry: RegistryOption = None,
) -> None:
    commands.check_links(
        registry_path=_registry_path(ctx),
        fmt=_as_format(fmt),
        timeout=timeout,
        per_host=per_host,
    )


@app.command(
    "schema",
    help=_("Print the registry file's JSON Schema, for an editor (Taplo, tombi) to check it with."),
    epilog=_example("s3pilot schema > clusters.schema.json"),
)
def schema_command() -> None:
    commands.schema()


@app.command(
    "map",
    help=_("An SVG map of Sweden's 21 län, shaded by their number of clusters, with the names."),
    epilog=_example("s3pilot map --region Värmland -o karta.svg"),
)
def map_command(
    ctx: typer.Context,
    region: Annotated[
        list[str] | None,
        typer.Option(
            "--region",
            "-r",
            metavar=_("REGION"),
            help=_(
                "Outline this region on the map: name, ISO code, länskod, county, kommun or"
                " landskap. Repeat, or separate with commas, for more."
            ),
            autocompletion=_complete_region,
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            metavar=_("TEXT"),
            help=_("The map's title; default: the programme and its number of clusters."),
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            help=_("The map's language: sv or en; default: the language of your environment."),
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    registry: RegistryOption = None,
) -> None:
    commands.map_(
        registry_path=_registry_path(ctx), region=region, title=title, output=output, lang=lang
    )


# Typer's Rich help is a panel of table columns that Rich narrows together in a narrow
# terminal, cutting option names short ("--regis…"). Below this width the help is Click's
# plain layout instead: each name whole on the left, its help beside or under it.
_RICH_HELP_COLUMNS = 70
_RICH_MARKUP = app.rich_markup_mode


def _plain_layout(command: Any, columns: int) -> None:
    """Click's layout, told what Typer's Rich one does without telling: a paragraph's line
    breaks are kept (Click keeps them after a `\\b` line), each line wrapped under its own
    text (the exit-code table's meanings under theirs); an example stays on one line, to copy;
    each command's first paragraph is whole in the list of commands."""
    for each in (command, *getattr(command, "commands", {}).values()):
        if each.help:
            paragraphs = each.help.split("\n\n")
            each.short_help = paragraphs[0]
            each.help = "\n\n".join(
                f"\b\n{_hanging(p, columns - 2)}" if "\n" in p else p for p in paragraphs
            )
        if each.epilog:
            each.epilog = f"\b\n{each.epilog}"


def _hanging(paragraph: str, width: int) -> str:
    """Each line of `paragraph` wrapped to `width`, its next lines under its text after the
    first word (`130  interrupted …`: under `interrupted`)."""
    import re
    import textwrap

    lines = []
    for line in paragraph.split("\n"):
        lead = re.match(r"\s*\S+\s+", line)
        indent = " " * (lead.end() if lead else 0)
        lines += textwrap.wrap(line, width, subsequent_indent=indent, break_long_words=False)
    return "\n".join(lines)


def _completion_help() -> dict[str, str]:
    """Typer's completion options' help, in the user's language (the language of the run)."""
    return {
        "install_completion": _("Install completion for the current shell."),
        "show_completion": _(
            "Show completion for the current shell, to copy it or customize the installation."
        ),
    }


def _for_this_terminal() -> tuple[Any, dict[str, Any]]:
    """The app as Click's command, its help laid out for the terminal's width, and what its
    context must know: the width, and whether to leave colour out (`unstyled`)."""
    import shutil

    from s3pilot_cli.formats.table import unstyled

    columns = shutil.get_terminal_size().columns  # as Rich and Click measure it: $COLUMNS first
    extra: dict[str, Any] = {"terminal_width": columns}
    if unstyled():
        plain_help()
        extra["color"] = False  # Click's own echo (--install-completion's green line) too
    narrow = columns < _RICH_HELP_COLUMNS
    app.rich_markup_mode = None if narrow else _RICH_MARKUP
    command = typer.main.get_command(app)
    speak_own_words(command, NarrowHelpContext if narrow else HelpContext)
    texts = _completion_help()
    for parameter in command.params:
        if parameter.name in texts:
            parameter.help = texts[parameter.name]  # type: ignore[attr-defined]
    if narrow:
        _plain_layout(command, columns)
    return command, extra


def run(args: list[str]) -> int:
    """Run the Typer app on `args`: the exit code of help, --version and completion.

    Everything else raises: Click's usage errors become s3pilot's, and the rest (a closed
    pipe, Ctrl-C) goes on up to `cli.main`, which decides every exit code.
    """
    command, extra = _for_this_terminal()
    if "_S3PILOT_COMPLETE" in os.environ:  # a TAB press: Typer's completion answers and exits
        try:
            command.main(args=args, prog_name="s3pilot")
        except SystemExit as done:
            return done.code if isinstance(done.code, int) else ExitCode.FAILURE

    def parse_and_run() -> None:
        with command.make_context("s3pilot", list(args), **extra) as ctx:
            command.invoke(ctx)

    try:
        StdoutError.guard(parse_and_run)  # help, written by Typer and Rich, may meet a full disk
    except typer.Exit as done:  # --help, --version
        return done.exit_code
    except NoArgsIsHelpError:
        return ExitCode.OK  # no command: Typer's Rich help has printed the same help as --help
    except ClickException as error:
        where = getattr(error, "ctx", None)
        if where is not None:
            path = where.command_path
        else:  # an option without its value is reported without a context: find the command
            named = next((arg for arg in args if arg in getattr(command, "commands", {})), None)
            path = f"s3pilot {named}" if named else "s3pilot"
        # typer 0.29 coerces through pydantic, whose "Value error, " prefix says nothing more.
        message = in_own_words(error).replace(": Value error, ", ": ")
        # Parsing raises only usage errors (exit 2): the commands' own errors are s3pilot's.
        said = _("{message} (see '{path} --help')").format(message=message, path=path)
        raise UsageError(said) from None
    return ExitCode.OK
