"""The registry as one web page: `export --format html` (or `-o NAME.html`), by `write_html`.

The page is one file that anyone can put on a web server or send: its style (`html.css`), its
script (`html.js`) and the map (`svgmap.render`, the `map` command's own drawing) are inside
it, and it asks for nothing else. A Content-Security-Policy says so to the browser: no request
leaves the page, and only the page's own script runs (by its hash).

Without JavaScript the page is whole: the programme, the map with a table of each län's
count as its text alternative, a table of the clusters, each cluster's facts and sources in a
section a link can point at (`#paper-province`), the contacts, and the date, the sources and
the licence of the data. With it, a search box filters the table as `list --search` does (the
same `fold`, as data: `textrules.fold_rule`), and each column heading sorts.

Everything from the registry is escaped; a character no HTML document may hold becomes U+FFFD.
Only http:// and https:// addresses become links. The page's words are in the language s3pilot
speaks (`lang="sv"` in a Swedish environment); the data's own words are the data's.
"""

import base64
import hashlib
import json
import re
from collections.abc import Callable, Collection, Iterable
from functools import cache
from html import escape
from importlib import resources
from typing import TextIO

from s3pilot_cli import records, schema
from s3pilot_cli.formats import EXPORT_FORMATS, FORMATS, Context, Format
from s3pilot_cli.i18n import Catalogue, catalogue, language
from s3pilot_cli.licences import DATA_LICENCE
from s3pilot_cli.lookup import searched
from s3pilot_cli.model import Cluster, Event, Program, Region, Registry, Source
from s3pilot_cli.textrules import fold_rule

# Characters that make an HTML document non-conforming even as character references: controls
# other than white space, lone surrogates and noncharacters (WHATWG HTML, "input stream").
_NOT_HTML = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane | end) for plane in range(0, 0x110000, 0x10000) for end in (0xFFFE, 0xFFFF))
    + "]"
)
# Every field a source may name: the catalogue holds a label for each (context `field`).
_CITED_FIELDS = tuple(
    dict.fromkeys(
        field.name for fields in (schema.PROGRAM, *schema.SECTIONS.values()) for field in fields
    )
)
# The words of a field's name that a reader of English would write otherwise.
_FIELD_WORDS = {"url": "page", "eccp": "ECCP", "s3": "S3", "sv": "in Swedish", "en": "in English"}
# With --downloads, the page links the other exports by these names, beside it (README,
# "A web page"): each export format with a file extension, by its first one.
DOWNLOAD_STEM = "s3pilot"


def text(value: object) -> str:
    """`value` as HTML text or a double-quoted attribute value: nothing in it is markup."""
    return escape(_NOT_HTML.sub("\ufffd", str(value)), quote=True)


def _filled(message: str, **markup: str) -> str:
    """The translated `message` as HTML, each `{name}` in it the HTML `markup` gives."""
    html = text(message)
    for name, value in markup.items():
        html = html.replace(f"{{{name}}}", value)
    return html


def _is_web_address(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def link(url: str, label: str | None = None) -> str:
    """A link to `url`, shown as `label` (the address itself by default); text alone where
    the address is not a web page's."""
    shown = text(url if label is None else label)
    return f'<a href="{text(url)}">{shown}</a>' if _is_web_address(url) else shown


def _host(url: str) -> str:
    """`https://www.paperprovince.com/` → `paperprovince.com`: a website as a table shows it."""
    rest = url.partition("://")[2] or url
    return rest.removeprefix("www.").rstrip("/")


def _site(url: str) -> str:
    """`https://www.rapidus.se/2013/…` → `rapidus.se`: the site an event's page is on."""
    return _host(url).partition("/")[0]


def _hash(code: str) -> str:
    """The CSP source that lets exactly this inline script or style run."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _json_for_script(value: object) -> str:
    """JSON inside a <script> element: no `<`, `>` or `&` that could end it early."""
    dumped = json.dumps(value, separators=(",", ":"))  # ASCII: no text run out of NFC
    return dumped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _fold_rule_json() -> str:
    """`fold_rule` for the page's script, worked out once (it reads 131 072 code points)."""
    return _json_for_script(fold_rule())


class _Page:
    """The words of one page, in its language."""

    def __init__(self, registry: Registry, lang: str) -> None:
        self.registry = registry
        self.lang = lang
        self.t: Catalogue = catalogue(lang)

    def words(self, field: str) -> str:
        """What a table calls `field`; in English, where that is the field's own name, its
        words (`eccp_url`: ECCP page)."""
        said = self.t.pgettext("field", field)
        if said != field:
            return said
        return " ".join(_FIELD_WORDS.get(word, word) for word in field.split("_"))

    def label(self, field: str) -> str:
        """`field`'s name as a heading or a term: capitalised."""
        said = self.words(field)
        return said[:1].upper() + said[1:]

    def inline_label(self, field: str) -> str:
        """`field`'s name inside a sentence: lower case, unless it is an abbreviation."""
        said = self.words(field)
        return said if said[1:2].isupper() else said[:1].lower() + said[1:]

    def source(self, source: Source) -> str:
        """`<a>URL</a> (city, focus; read 2026-11-30)`: a source as a list item holds it."""
        fields = ", ".join(self.inline_label(field) for field in source.fields)
        said = [fields, self.t.gettext("read {date}").format(date=source.read)]
        if source.caveat:
            said.append(self.t.gettext("weak support: {caveat}").format(caveat=source.caveat))
        return f"{link(source.url)} ({text('; '.join(said))})"

    def sources(self, sources: Iterable[Source]) -> str:
        items = "".join(f"<li>{self.source(source)}</li>" for source in sources)
        return f'<ol class="sources">{items}</ol>' if items else ""


def _period(program: Program, lang: str) -> str:
    """`2018-2021`, with an en dash in Swedish (Myndigheternas skrivregler), as the map has it."""
    if program.period is None:
        return ""
    return program.period.replace("-", "\u2013") if lang == "sv" else program.period


def _header(page: _Page, keep: Collection[Region] | None) -> str:
    t = page.t
    registry = page.registry
    program = registry.program
    count = len(registry.clusters)
    title = t.ngettext("{program}: {count} cluster", "{program}: {count} clusters", count).format(
        program=program.name, count=count
    )
    summary = program.summary if page.lang == "sv" else program.summary_en
    period = _period(program, page.lang)
    run_by = (
        t.gettext("A programme of {agency}, {period}.").format(agency=program.agency, period=period)
        if period
        else t.gettext("A programme of {agency}.").format(agency=program.agency)
    )
    parts = [f"<h1>{text(title)}</h1>", f'<p class="lead">{text(summary)} {text(run_by)}</p>']
    if keep:
        names = ", ".join(region.name for region in keep)
        only = t.gettext("The clusters of: {regions}.").format(regions=names)
        parts.append(f"<p>{text(only)}</p>")
    if program.checked:
        checked = t.gettext("Facts checked against their sources on {date}.").format(
            date=program.checked
        )
        parts.append(f'<p class="muted">{text(checked)} {_licence_sentence(t)}</p>')
    return f"<header>{''.join(parts)}</header>"


def _licence_sentence(t: Catalogue) -> str:
    licence = link(DATA_LICENCE.path, DATA_LICENCE.title)
    return _filled(t.gettext("Data under {licence}."), licence=licence)


def _map(page: _Page, keep: Collection[Region] | None, origin: str) -> str:
    from s3pilot_cli import svgmap
    from s3pilot_cli.outlines import load_outlines

    t = page.t
    registry = page.registry
    svg = svgmap.render(
        registry,
        load_outlines(),
        highlight=tuple(keep or ()),
        origin=origin,
        lang=page.lang,
    )
    # The map's own ids (title, sources, lan-01, …) in a namespace of their own: a cluster's id
    # (a slug, never with `_`) is the anchor of its section on this page.
    svg = re.sub(r'(?<=\s)id="', 'id="map_', svg).strip()
    # XML's escaping lets through characters that HTML refuses (C1 controls, noncharacters)
    svg = _NOT_HTML.sub("\ufffd", svg)
    svg = svg.replace('role="img"', 'role="img" aria-describedby="map-counts-caption"', 1)
    rows = "".join(
        f'<tr><th scope="row">{text(region.name)}</th>'
        f'<td class="number">{len(registry.clusters_in(region.code))}</td></tr>'
        for region in registry.regions
    )
    caption = t.gettext("Clusters in each län, as on the map")
    heading = t.gettext("Map")
    return (
        '<section aria-labelledby="map-heading"><h2 id="map-heading">'
        f"{text(heading)}</h2>"
        f'<div class="map-and-counts"><figure class="map">{svg}</figure>'
        f'<table class="counts"><caption id="map-counts-caption">{text(caption)}</caption>'
        f'<thead><tr><th scope="col">{text(page.label("region"))}</th>'
        f'<th scope="col" class="number">{text(page.label("clusters"))}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div></section>"
    )


_TABLE_FIELDS = ("name", "region", "city", "focus", "website")


def _clusters_table(page: _Page) -> str:
    t = page.t
    registry = page.registry
    heads = "".join(
        f'<th scope="col" data-field="{field}">{text(page.label(field))}</th>'
        for field in _TABLE_FIELDS
    )

    def cell(field: str, content: str) -> str:
        # its column's name, which a narrow screen shows before it
        return f'<td class="{field}" data-label="{text(page.label(field))}">{content}</td>'

    rows = []
    for cluster in registry.clusters:
        region = registry.region_of(cluster)
        website = link(cluster.website, _host(cluster.website)) if cluster.website else ""
        rows.append(
            f'<tr data-search="{text(chr(10).join(searched(cluster)))}">'
            f'<th scope="row"><a href="#{text(cluster.id)}">{text(cluster.name)}</a></th>'
            f"{cell('region', text(region.name))}"
            f"{cell('city', text(cluster.city or ''))}"
            f"{cell('focus', text(cluster.focus_in(page.lang) or ''))}"
            f"{cell('website', website)}</tr>"
        )
    heading = t.gettext("Clusters")
    search_label = t.gettext("Search the names, places and focus")
    caption = t.gettext("The clusters, in the programme page's order")
    hint = t.gettext("A column heading sorts the table by that column.")
    return (
        '<section aria-labelledby="clusters-heading">'
        f'<h2 id="clusters-heading">{text(heading)}</h2>'
        '<div class="search" id="search" hidden>'
        f'<label for="search-box">{text(search_label)}</label>'
        '<input id="search-box" type="search" autocomplete="off" spellcheck="false">'
        '<p id="search-count" role="status"></p>'
        f'<p class="muted">{text(hint)}</p></div>'
        '<table id="clusters-table" class="clusters">'
        f"<caption>{text(caption)}</caption>"
        f"<thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _facts(page: _Page, cluster: Cluster) -> list[tuple[str, str]]:
    """The cluster's facts as (term, description) pairs, each description HTML; the fields the
    registry leaves out are left out."""
    region = page.registry.region_of(cluster)
    kommun = cluster.kommun
    if kommun and cluster.kommun_code:
        kommun = f"{kommun} ({cluster.kommun_code})"
    founded = None if cluster.founded is None else str(cluster.founded)
    founded_html = founded and text(founded)
    if founded and cluster.founded_note:
        founded_html = f"{text(founded)} ({_said(page, cluster.founded_note)})"
    facts = [
        ("region", _maybe(text, f"{region.name} ({region.county})")),
        ("city", _maybe(text, cluster.city)),
        ("kommun", _maybe(text, kommun)),
        ("focus", _maybe(text, cluster.focus_in(page.lang))),
        ("website", _maybe(link, cluster.website)),
        ("eccp_url", _maybe(link, cluster.eccp_url)),
        ("aliases", _maybe(text, "; ".join(cluster.aliases))),
        ("now_called", _maybe(text, cluster.now_called)),
        ("founded", founded_html),
        ("kind", _maybe(text, records.kind_in(cluster.kind, page.t))),
        ("label", _maybe(text, records.label_in(cluster.label, page.t))),
        ("s3_area", _maybe(text, cluster.s3_area)),
    ]
    return [(field, html) for field, html in facts if html]


def _said(page: _Page, words: str, swedish: str | None = None) -> str:
    """The registry's `words` as HTML for the page's reader, by the rule of every view for
    people (`records.in_language`): English in a Swedish page marked so, and `lang="en"`."""
    said, english = records.in_language(words, page.lang, swedish)
    if not english:
        return text(said or "")
    english_words = f'<span lang="en">{text(said)}</span>'
    return text(records.english_mark(page.t)).format(text=english_words)


def _maybe(make: Callable[[str], str], value: str | None) -> str | None:
    """`make(value)`, the HTML of a field the registry gives; None for one it leaves out."""
    return make(value) if value else None


def _events(page: _Page, events: Iterable[Event]) -> str:
    """The events as a list, oldest first, each with its date, its phrase and its page."""
    items = []
    for event in sorted(events, key=lambda event: event.date):
        caveat = ""
        if event.caveat:
            weak = page.t.gettext("weak support: {caveat}").format(caveat=event.caveat)
            caveat = f" ({text(weak)})"
        items.append(
            f'<li><time datetime="{text(event.date)}">{text(event.date)}</time> '
            f"{_said(page, event.event, event.event_sv)} "
            f"({link(event.url, _site(event.url))}){caveat}"
            "</li>"
        )
    return f'<ol class="events">{"".join(items)}</ol>' if items else ""


def _details(page: _Page) -> str:
    articles = []
    for cluster in page.registry.clusters:
        facts = "".join(
            f"<dt>{text(page.label(field))}</dt><dd>{value}</dd>"
            for field, value in _facts(page, cluster)
        )
        note = ""
        if cluster.note:
            label = text(page.label("note"))
            said = _said(page, cluster.note, cluster.note_sv)
            note = f'<p class="note"><strong>{label}:</strong> {said}</p>'
        events = ""
        if cluster.events:
            events = f"<h4>{text(page.label('events'))}</h4>{_events(page, cluster.events)}"
        sources = ""
        if cluster.sources:
            sources = f"<h4>{text(page.label('sources'))}</h4>{page.sources(cluster.sources)}"
        articles.append(
            f'<article id="{text(cluster.id)}" class="cluster">'
            f"<h3>{text(cluster.name)}</h3>{note}<dl>{facts}</dl>"
            f"{events}{sources}</article>"
        )
    heading = page.t.gettext("Each cluster")
    return (
        '<section aria-labelledby="details-heading">'
        f'<h2 id="details-heading">{text(heading)}</h2>{"".join(articles)}</section>'
    )


def _contacts(page: _Page) -> str:
    registry = page.registry
    if not registry.contacts:
        return ""
    items = []
    for contact in registry.contacts:
        email = registry.email(contact)
        items.append(
            f"<li>{text(contact.name)}, {text(registry.program.agency)}: "
            f'<a href="tel:{text(contact.phone_e164)}">{text(contact.phone)}</a>, '
            f'<a href="mailto:{text(email)}">{text(email)}</a></li>'
        )
    heading = page.t.gettext("Contacts at {agency}").format(agency=registry.program.agency)
    return (
        '<section aria-labelledby="contacts-heading">'
        f'<h2 id="contacts-heading">{text(heading)}</h2><ul>{"".join(items)}</ul></section>'
    )


def _about(page: _Page) -> str:
    t = page.t
    registry = page.registry
    program = registry.program
    heading = t.gettext("About the data")
    parts = [f'<h2 id="about-heading">{text(heading)}</h2>']
    if program.checked:
        checked = t.gettext("The facts were last checked against their sources on {date}.")
        parts.append(f"<p>{text(checked.format(date=program.checked))}</p>")
    programme = t.gettext("The programme's page: {page}")
    parts.append(f"<p>{_filled(programme, page=link(program.source_url))}</p>")
    purpose = program.purpose if page.lang == "sv" else program.purpose_en
    if purpose:
        said = t.gettext("What the programme was for: {purpose}").format(purpose=purpose)
        parts.append(f"<p>{text(said)}</p>")
    if program.events:
        heading = t.gettext("The programme's course")
        parts.append(f"<h3>{text(heading)}</h3>{_events(page, program.events)}")
    if program.sources:
        heading = t.gettext("Sources of the programme's facts")
        parts.append(f"<h3>{text(heading)}</h3>")
        parts.append(page.sources(program.sources))
    if registry.region_sources:
        heading = t.gettext("Sources of the län")
        parts.append(f"<h3>{text(heading)}</h3>")
        parts.append(page.sources(registry.region_sources))
    every = t.gettext(
        "Each cluster's facts come from the pages named under it, read on the day given."
    )
    parts.append(f"<p>{text(every)}</p>")
    licence = t.gettext(
        "The data is under {licence}: anyone may reuse it, for any purpose, without asking;"
        " please name the sources."
    )
    parts.append(f"<p>{_filled(licence, licence=link(DATA_LICENCE.path, DATA_LICENCE.title))}</p>")
    made = t.gettext("Made with s3pilot: {command}")
    command = "<code>s3pilot export --format html</code>"
    parts.append(f'<p class="muted">{_filled(made, command=command)}</p>')
    return f'<section aria-labelledby="about-heading">{"".join(parts)}</section>'


def download_names() -> list[tuple[str, str]]:
    """(format, file name) of each export the page links with --downloads."""
    return [
        (fmt.value, f"{DOWNLOAD_STEM}{FORMATS[fmt].extensions[0]}")
        for fmt in EXPORT_FORMATS
        if FORMATS[fmt].extensions and fmt is not Format.HTML
    ]


def _downloads(page: _Page) -> str:
    t = page.t
    items = "".join(
        f'<li><a href="{text(name)}">{text(name)}</a> ({text(fmt)})</li>'
        for fmt, name in download_names()
    )
    said = t.gettext("The same data for other programs, beside this page:")
    heading = t.gettext("Downloads")
    return (
        '<section aria-labelledby="downloads-heading">'
        f'<h2 id="downloads-heading">{text(heading)}</h2>'
        f'<p>{text(said)}</p><ul class="downloads">{items}</ul></section>'
    )


def render(
    registry: Registry,
    keep: Collection[Region] | None = None,
    *,
    origin: str = "the registry",
    downloads: bool = False,
    lang: str = "en",
) -> str:
    """The page as text, its words in `lang` (`en` or `sv`).

    `registry` holds the clusters to show (those of `--region`, if it was given), and `keep`
    the regions --region named; `origin` names the registry in an error message; `downloads`
    links the other exports by their conventional names (`download_names`).
    """
    page = _Page(registry, lang)
    t = page.t
    style = _asset("html.css")
    script = _asset("html.js")
    words = {
        "shown": t.gettext("Showing {shown} of {total} clusters"),
        "sort": t.gettext("sort by this column"),
    }
    config = f'{{"fold":{_fold_rule_json()},"words":{_json_for_script(words)}}}'
    # Only the page's own style and script, by their hashes: nothing injected would run.
    policy = (
        f"default-src 'none'; style-src {_hash(style)}; script-src {_hash(script)};"
        " base-uri 'none'; form-action 'none'"
    )
    title = text(t.gettext("{program}: the clusters").format(program=registry.program.name))
    skip = t.gettext("Skip to the clusters")
    body = "".join(
        (
            f'<a class="skip" href="#clusters-table">{text(skip)}</a>',
            _header(page, keep),
            "<main>",
            _map(page, keep, origin),
            _clusters_table(page),
            _details(page),
            _contacts(page),
            _downloads(page) if downloads else "",
            _about(page),
            "</main>",
        )
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{text(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="generator" content="s3pilot">\n'
        f"<title>{title}</title>\n<style>{style}</style>\n</head>\n<body>\n{body}\n"
        f'<script type="application/json" id="s3pilot-config">{config}</script>\n'
        f"<script>{script}</script>\n</body>\n</html>\n"
    )


def write_html(
    out: TextIO, registry: Registry, context: Context, *, downloads: bool = False
) -> None:
    """The export's writer: `render` to `out`, in the language s3pilot speaks; `context.keep`
    is the regions --region named."""
    page = render(
        registry, context.keep, origin=context.origin, downloads=downloads, lang=language()
    )
    out.write(page)
