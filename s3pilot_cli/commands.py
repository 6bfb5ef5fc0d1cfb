"""What each command does, as plain functions: find the data, pick the records, call a writer.

Nothing here knows how the options were parsed: `cli/app.py` (Typer) and `cli/fastpath.py` (the
common invocations, without loading Typer) both call these with the same keyword arguments.
"""

import dataclasses
import gc
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

from s3pilot_cli import formats, records, registry
from s3pilot_cli.errors import (
    Different,
    LinksNotAlive,
    RegistryError,
    RegistryProblems,
    S3PilotError,
    UnreadableRegistry,
    UsageError,
)
from s3pilot_cli.formats import MAP_EXTENSION, Context, Format
from s3pilot_cli.i18n import THOUSANDS_MARK, Language, _, language
from s3pilot_cli.model import Cluster, Region, Registry
from s3pilot_cli.output import Output, Refusal
from s3pilot_cli.records import Records, Value
from s3pilot_cli.textrules import (
    grouped,
    path_text,
    quoted,
    swedish_sort_key,
    visible,
    year_range,
)


class Sort(StrEnum):
    NAME = "name"
    REGION = "region"


def _map_refusal() -> Refusal:
    return Refusal(
        _(
            "map writes SVG, not text for a terminal; give a file with -o (s3pilot map -o"
            " map.svg), or redirect it (s3pilot map > map.svg)"
        )
    )


# The columns a table, and a pipe, show by default; data formats carry every field.
_TABLE_FIELDS = {
    "list": ("name", "region", "city", "focus"),
    "regions": ("code", "lan_code", "name", "county", "clusters"),
    "contacts": ("name", "phone", "email"),
    # where each link ended and why; `url` is the registry's own, in every other format
    "check-links": ("owner", "field", "result", "status", "reason", "final_url"),
    "timeline": ("date", "cluster", "event"),  # the page's address is in every other format
}
_PLAIN_FIELDS = {
    "list": ("name",),
    "regions": ("name", "clusters"),
    "contacts": ("name", "phone", "email"),
    "timeline": ("date", "cluster", "event", "url"),
}
_INFO_FIELDS: tuple[str, ...] = ("name", "agency", "applications", "selected", "offers")
_INFO_FIELDS += ("source_url", "registry", "registry_reason", "checked")
# The programme's course (docs/registry.md): empty where the registry is silent.
_INFO_FIELDS += ("call_opened", "kickoff", "period", "later_url", "later_selected", "later_period")
# The programme's summary: the registry's (Swedish) in data; a table's in the reader's language.
_INFO_FIELDS += ("summary",)
# What it was for, and what its second step gave a cluster; its clusters' members together.
_INFO_FIELDS += ("purpose", "support_sek", "support_years", "cofinancing_pct")
_INFO_FIELDS += ("members_about", "list_order")


# --- Shared steps ----------------------------------------------------------------------------


def registry_in_use(registry_path: str | None) -> Registry:
    """The registry in use: `--registry`, else `$S3PILOT_REGISTRY`, your own copy, the bundled."""
    return _read(registry.locate(registry_path))


def _read(file: Path | registry.RegistryFile) -> Registry:
    """The registry in `file`, read with the cyclic garbage collector paused: parsing and
    checking a file build a container for every table, list and entry, and no cycle among
    them, so the collector would walk them over and over and free nothing. What is left, the
    registry, lives until the command ends: frozen, the collector leaves it alone after too."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return registry.read(file)
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _chosen(chosen: Format | None) -> Format:
    """The format asked for (both parsers offer each command only its own), or else a table
    in a terminal and plain lines in a pipe."""
    if chosen is None:
        return Format.TABLE if sys.stdout.isatty() else Format.PLAIN
    return chosen


def _data_language(fmt: Format) -> str:
    """The language of the data's words in `fmt`: a table is for people, in theirs; every other
    format is the same in every language."""
    return language() if fmt is Format.TABLE else "en"


def _view(data: Records, fmt: Format, command: str) -> Records:
    views = {Format.TABLE: _TABLE_FIELDS, Format.PLAIN: _PLAIN_FIELDS}
    return data.only(views[fmt][command]) if fmt in views else data


def _one(data: Records, fmt: Format) -> Records:
    """A single record: one field a line for people and pipes, one object in JSON."""
    if fmt in (Format.TABLE, Format.PLAIN):
        return data.transposed()
    return Records(data.fields, data.rows, single=True)


def _split(values: Sequence[str]) -> list[str]:
    """An option's values, each of which may hold several separated by commas."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _fields(values: Sequence[str] | None, known: tuple[str, ...]) -> tuple[str, ...]:
    if not values:
        return ()
    wanted = tuple(_split(values))
    unknown = [name for name in wanted if name not in known]
    if unknown or not wanted:
        raise UsageError(
            _("--fields: unknown field {names}; choose from {known}").format(
                names=", ".join(map(quoted, unknown or [",".join(values)])), known=", ".join(known)
            )
        )
    return wanted


def _regions(loaded: Registry, values: Sequence[str], command: str) -> list[Region]:
    """The regions --region names; each value may name several, separated by commas
    (`Värmland,Dalarna`). A person at a terminal hears which län a landskap was taken to mean;
    anyone, on stderr, where the cluster of a kommun named, or of a kommun in a län named, is
    listed under another län (`command` says how to see it)."""
    from s3pilot_cli.lookup import find_regions, listed_elsewhere

    tell = say if sys.stderr.isatty() else None
    queries = _split(values) or list(values)
    found = find_regions(loaded, queries, tell)
    for cluster, listed in listed_elsewhere(loaded, queries, found):
        say(
            _(
                "{cluster} ({kommun}) is listed under {lan} by the programme;"
                " 's3pilot {command} --region {lan}' shows it"
            ).format(cluster=cluster.name, kommun=cluster.kommun, lan=listed.name, command=command)
        )
    return found


def _select(loaded: Registry, regions: Sequence[str] | None, command: str) -> list[Cluster]:
    """The clusters of these regions (all of them without any), in registry order."""
    if not regions:
        return list(loaded.clusters)
    return _clusters_in(loaded, _regions(loaded, regions, command))


def _clusters_in(loaded: Registry, kept: Sequence[Region]) -> list[Cluster]:
    """The clusters of the `kept` regions, in registry order."""
    codes = {region.code for region in kept}
    return [cluster for cluster in loaded.clusters if cluster.region in codes]


def _print(fmt: Format, data: Records) -> None:
    """The records on stdout, in `fmt`."""
    formats.tools(fmt).write(Output(None), data)


def say(message: str) -> None:
    """A message for the person at the terminal: always stderr, never mixed with the data."""
    sys.stderr.write(f"s3pilot: {visible(message)}\n")


# --- The commands ----------------------------------------------------------------------------


def list_(
    *,
    registry_path: str | None = None,
    region: Sequence[str] | None = None,
    search: str | None = None,
    sort: Sort | None = None,
    fmt: Format | None = None,
    fields: Sequence[str] | None = None,
) -> None:
    chosen = _chosen(fmt)
    wanted = _fields(fields, records.CLUSTER_FIELDS)
    loaded = registry_in_use(registry_path)
    clusters = _select(loaded, region, "list")
    if search is not None:
        from s3pilot_cli.lookup import search as matching

        clusters = matching(clusters, search)
    if sort is Sort.NAME:
        clusters.sort(key=lambda c: swedish_sort_key(c.name))
    elif sort is Sort.REGION:
        clusters.sort(key=lambda c: swedish_sort_key(loaded.region_of(c).name))
    people = chosen is Format.TABLE
    data = records.clusters(loaded, clusters, lang=_data_language(chosen), people=people)
    data = data.only(wanted) if wanted else _view(data, chosen, "list")
    if clusters or chosen is not Format.TABLE:  # a table of nothing is a bare header
        _print(chosen, data)
    if not clusters and sys.stderr.isatty():  # a person hears why; a pipe reads an empty
        _say_none_matched(region, search)  # result as it is


def _say_none_matched(region: Sequence[str] | None, search: str | None) -> None:
    """Why nothing was listed, and what to try: the hint is about what was asked."""
    if search is None:
        said = _("no cluster in {regions}; 's3pilot regions' shows how many each län has")
    elif not region:
        said = _(
            "no cluster's name, other names, city or focus contains {text}; try a shorter"
            " part of a word, or 's3pilot list' for them all"
        )
    else:
        said = _(
            "no cluster in {regions} has {text} in its name, other names, city or focus;"
            " try without --region to search them all"
        )
    say(said.format(regions=", ".join(region or ()), text=quoted(search or "")))


def regions(*, registry_path: str | None = None, fmt: Format | None = None) -> None:
    chosen = _chosen(fmt)
    _print(chosen, _view(records.regions(registry_in_use(registry_path)), chosen, "regions"))


def show(
    *, registry_path: str | None = None, cluster: str | Sequence[str], fmt: Format | None = None
) -> None:
    """One cluster; its name may come as several words (`show Paper Province`), one name."""
    from s3pilot_cli.lookup import find_cluster

    chosen = _chosen(fmt)
    loaded = registry_in_use(registry_path)
    query = cluster if isinstance(cluster, str) else " ".join(cluster)
    found = find_cluster(loaded, query)
    lang = _data_language(chosen)
    people = chosen is Format.TABLE
    data = records.clusters(loaded, [found], lang=lang, people=people)
    data = records.with_events(data, found, lang=lang)
    _print(chosen, _one(data, chosen))


def timeline(
    *,
    registry_path: str | None = None,
    region: Sequence[str] | None = None,
    cluster: Sequence[str] | None = None,
    fmt: Format | None = None,
) -> None:
    """Every event of the registry in date order; the clusters' of `region` and `cluster`
    alone (the programme's own then left out) where either is given."""
    chosen = _chosen(fmt)
    loaded = registry_in_use(registry_path)
    selected = _clusters_named(loaded, region, cluster) if region or cluster else None
    owned = records.owned_events(loaded, selected)
    data = records.timeline(owned, lang=_data_language(chosen))
    _print(chosen, _view(data, chosen, "timeline"))
    if not data.rows and sys.stderr.isatty():
        say(_("no event matched; 's3pilot timeline' lists them all"))


def _clusters_named(
    loaded: Registry, region: Sequence[str] | None, cluster: Sequence[str] | None
) -> list[Cluster]:
    """The clusters `--cluster` names, or those of `--region`, or those of both (the named
    clusters that are in those regions), in the order named or the registry's."""
    from s3pilot_cli.lookup import find_cluster

    in_regions = _select(loaded, region, "timeline") if region else None
    if not cluster:
        return in_regions or []
    named = list(dict.fromkeys(find_cluster(loaded, name) for name in _split(cluster)))
    return named if in_regions is None else [c for c in named if c in in_regions]


def contacts(
    *, registry_path: str | None = None, fmt: Format | None = None, output: str | None = None
) -> None:
    """The contacts in `fmt`, to `output` (written atomically) or stdout; without a format,
    `-o`'s extension chooses one (`-o kontakter.vcf`)."""
    if fmt is None and output not in (None, "", "-"):
        fmt = formats.for_file(output, "contacts")
    chosen = _chosen(fmt)
    file = registry.locate(registry_path)
    target = Output.to(output, reading=file.path)
    data = _view(records.contacts(_read(file)), chosen, "contacts")
    formats.tools(chosen).write(target, data)


def export(
    *,
    registry_path: str | None = None,
    fmt: Format | None = None,
    region: Sequence[str] | None = None,
    excel: bool = False,
    downloads: bool = False,
    output: str | None = None,
) -> None:
    """The registry's clusters (of `region`), or all of it, in `fmt`, to `output` or stdout."""
    if fmt is None:
        fmt = formats.for_file(output, "export", excel=excel)
    tools = formats.tools(_chosen(fmt), excel=excel, downloads=downloads)
    file = registry.locate(registry_path)
    target = Output.to(output, reading=file.path, refusal=tools.refusal())
    loaded = _read(file)
    keep = tuple(_regions(loaded, region, "export")) if region else None
    if keep is not None:
        loaded = dataclasses.replace(loaded, clusters=tuple(_clusters_in(loaded, keep)))
    tools.write(target, loaded, Context(keep, origin=str(file.path)))


def info(*, registry_path: str | None = None, fmt: Format | None = None) -> None:
    """The programme and the registry in use; for a broken one, which file it is and why."""
    chosen = _chosen(fmt)
    file = registry.locate(registry_path)
    path = path_text(file.path)
    reason = _(file.reason) if chosen is Format.TABLE else file.reason  # for people, translated
    try:
        program = _read(file).program
    except RegistryError as error:
        where = Records(("registry", "registry_reason"), ((path, reason),))
        _print(chosen, _one(where, chosen))
        problems = list(error.problems)
        problems[0] = _("the registry in use is invalid: {problem}").format(problem=problems[0])
        raise RegistryError(problems, str(file.path)) from None
    row = (
        program.name,
        program.agency,
        program.applications,
        program.selected,
        program.offers,
        program.source_url,
        path,
        reason,
        program.checked,
        program.call_opened,
        program.kickoff,
        program.period,
        program.later_url,
        program.later_selected,
        program.later_period,
        program.summary_en
        if _data_language(chosen) == "en" and chosen is Format.TABLE
        else program.summary,
        program.purpose_en
        if _data_language(chosen) == "en" and chosen is Format.TABLE and program.purpose_en
        else program.purpose,
        program.support_sek,
        program.support_years,
        program.cofinancing_pct,
        program.members_about,
        program.list_order,
    )
    shown = _for_people(row, Language(_data_language(chosen))) if chosen is Format.TABLE else row
    _print(chosen, _one(Records(_INFO_FIELDS, (shown,)), chosen))


def _for_people(row: tuple[Value, ...], lang: Language) -> tuple[Value, ...]:
    """`info`'s values as a person reads them: numbers with the language's mark between
    thousands (600,000; 600 000), a range of years with an en dash (U+2013). Every data
    format writes them as the registry has them."""
    periods = {_INFO_FIELDS.index("period"), _INFO_FIELDS.index("later_period")}
    return tuple(
        grouped(value, THOUSANDS_MARK[lang])
        if isinstance(value, int) and not isinstance(value, bool)
        else year_range(value)
        if i in periods and isinstance(value, str)
        else value
        for i, value in enumerate(row)
    )


def validate(*, registry_path: str | None = None, path: str | None = None) -> None:
    """'ok' and the counts on stdout, or `RegistryProblems` listing every problem (exit 4)."""
    file = registry.locate(registry_path if path is None else path)  # "" is refused
    target = file.path
    try:
        loaded = _read(file)
    except UnreadableRegistry:
        raise  # one problem, and no content checked: the ordinary one-line error
    except RegistryError as error:
        raise RegistryProblems(list(error.problems), str(target)) from None
    counts = (
        f"{len(loaded.clusters)} clusters, {len(loaded.regions)} regions,"
        f" {len(loaded.contacts)} contacts"
    )
    Output(None).write(lambda out: out.write(f"ok\t{visible(str(target))}\t{counts}\n"))


def init(*, force: bool = False) -> None:
    """Copy the bundled registry, with its JSON Schema, to the user data directory."""
    target = registry.write_user_copy(force=force)
    say(
        _("wrote {target} and {schema} beside it, for your editor; {after}").format(
            target=target, schema=registry.SCHEMA_FILE_NAME, after=registry.after_init()
        )
    )


def diff(
    *,
    registry_path: str | None = None,
    old: str | None = None,
    new: str | None = None,
    order: bool = False,
    fmt: Format | None = None,
) -> None:
    """What changed from OLD (default: the bundled registry) to NEW (default: the one in use).

    Exit 1 (`Different`) when anything did, with the changes on stdout and nothing on stderr.
    """
    from s3pilot_cli.diff import compare, in_words

    chosen = _chosen(fmt)
    # An empty OLD or NEW is refused (exit 2), as `--registry ""` is.
    old_path = registry.bundled_path() if old is None else registry.locate(old)
    new_path = registry.locate(registry_path if new is None else new)
    changes = compare(_read(old_path), _read(new_path), order=order)
    if not changes.rows and chosen is Format.TABLE:
        return  # as diff(1): no change, no output; data formats still write their empty form
    if chosen is Format.TABLE:
        changes = in_words(changes, _data_language(chosen))
    _print_found(chosen, changes, Different() if changes.rows else None)


def _seconds(given: str | float, largest: float) -> float:
    """--timeout's seconds, from the text as typed, which a refusal repeats as it was typed."""
    try:
        seconds = float(given)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds <= largest:
        raise UsageError(
            _(
                "--timeout {timeout}: give a number of seconds greater than 0 and at most"
                " {largest:g}"
            ).format(timeout=visible(str(given)), largest=largest)
        )
    return seconds


def _at_once(given: str | int) -> int:
    """--per-host's number, from the text as typed, which a refusal repeats as it was typed."""
    try:
        count = int(given)
    except ValueError:
        count = 0
    if count < 1:
        raise UsageError(
            _("--per-host {count}: give a whole number, 1 or more").format(
                count=visible(str(given))
            )
        )
    return count


def check_links(
    *,
    registry_path: str | None = None,
    fmt: Format | None = None,
    timeout: str | float | None = None,
    per_host: str | int | None = None,
) -> None:
    """Ask every URL of the registry in use, and print what each gave: a record a link.

    Exit 1 (`LinksNotAlive`) when any link is not alive, with the records on stdout and
    nothing on stderr. In a terminal, a progress bar on stderr while the links are asked,
    and a line that sums them up at the end.
    """
    from s3pilot_cli import links

    seconds = None if timeout is None else _seconds(timeout, links.MAX_TIMEOUT)
    at_once = None if per_host is None else _at_once(per_host)
    chosen = _chosen(fmt)
    items = links.registry_links(registry_in_use(registry_path))
    wait = links.TIMEOUT if seconds is None else seconds
    limit = links.PER_HOST if at_once is None else at_once
    from s3pilot_cli.formats.table import unstyled

    person = sys.stderr.isatty()
    if person and not unstyled():  # a bar is escape sequences: none asked for
        from s3pilot_cli import links_terminal

        results = links_terminal.check(items, timeout=wait, per_host=limit)
    else:
        results = links.check(items, timeout=wait, per_host=limit)
    found = links.records(results)
    shown = found
    if chosen is Format.TABLE:
        shown = links.in_words(_view(found, chosen, "check-links"), _data_language(chosen))
    try:
        _print_found(chosen, shown, LinksNotAlive() if links.exit_code(results) else None)
    finally:
        if person:
            say(links.summary(results))


def _print_found(chosen: Format, records: Records, found: S3PilotError | None) -> None:
    """Print `records`, then end with `found` (a silent exit 1: `diff`'s differences, dead
    links) if there is one; also when the reader stopped early (`| head`), so that the exit
    status keeps its meaning whatever happened to stdout."""
    try:
        _print(chosen, records)
    except BrokenPipeError as gone:
        if found is None:
            raise
        raise found from gone
    if found is not None:
        raise found


def schema() -> None:
    """The registry file's JSON Schema, as shipped with s3pilot."""
    text = registry.schema_path().read_text(encoding="utf-8")
    Output(None).write(lambda out: out.write(text))


def map_(
    *,
    registry_path: str | None = None,
    region: Sequence[str] | None = None,
    title: str | None = None,
    output: str | None = None,
    lang: str | None = None,
) -> None:
    """An SVG map of the län shaded by their clusters, to `output` or to a pipe, its words in
    `lang` (default: the language s3pilot speaks in this environment)."""
    file = registry.locate(registry_path)
    target = Output.to(output, reading=file.path, refusal=_map_refusal())
    if target.suffix not in ("", MAP_EXTENSION):
        raise UsageError(
            _(
                "-o {output}: map writes SVG only; name the file with .svg (-o map.svg) and"
                " convert it if you need another format"
            ).format(output=visible(str(output)))
        )
    from s3pilot_cli import svgmap
    from s3pilot_cli.outlines import load_outlines

    loaded = _read(file)
    highlight = tuple(_regions(loaded, region, "map")) if region else ()
    svg = svgmap.render(
        loaded,
        load_outlines(),
        title=title,
        highlight=highlight,
        origin=str(file.path),
        lang=lang or language(),
    )
    target.write(lambda out: out.write(svg))
