"""`export --format html`: the page parsed as a browser parses it (html5lib, strict: any parse
error fails), held to the registry file itself, escaped against a hostile registry, and with
nothing in it that asks for a resource. tests/test_html_browser.py runs it in Chromium."""

import base64
import dataclasses
import hashlib
import itertools
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import INTEROP

pytest.importorskip("html5lib", reason=f"html5lib {INTEROP}")

from html import escape

import html5lib

from s3pilot_cli import registry as registry_file
from s3pilot_cli.errors import ExitCode
from s3pilot_cli.formats import EXPORT_FORMATS, FORMATS, Format
from s3pilot_cli.formats.html import download_names, render
from s3pilot_cli.model import Cluster, Contact, Registry, Source
from s3pilot_cli.textrules import fold, fold_rule
from tests.bad_registries import CASES
from tests.conftest import BUNDLED, Cli

# From the registry file itself, not from s3pilot's reading of it.
TOML = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
NAMES = [cluster["name"] for cluster in TOML["clusters"]]
WEB_ADDRESSES = {
    *(cluster["website"] for cluster in TOML["clusters"] if "website" in cluster),
    *(source["url"] for cluster in TOML["clusters"] for source in cluster.get("sources", ())),
    *(source["url"] for source in TOML["program"]["sources"]),
    TOML["program"]["source_url"],
}
XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
# The page carries its own words and the data; the limit for the bundled registry.
MOST_BYTES = 400_000


def parse(page: str) -> ET.Element:
    """The page's tree as a browser builds it; html5lib's strict mode raises on any parse error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    tree: ET.Element = parser.parse(page)
    return tree


def every(tree: ET.Element, tag: str) -> list[ET.Element]:
    return list(tree.iter(f"{XHTML}{tag}"))


def words(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def by_id(tree: ET.Element, ident: str) -> ET.Element:
    found = [element for element in tree.iter() if element.get("id") == ident]
    assert len(found) == 1, f"{len(found)} elements with id {ident!r}"
    return found[0]


@pytest.fixture(scope="module")
def page() -> str:
    return render(registry_file.read(BUNDLED))


def test_stdout_and_the_file_are_the_same_page(cli: Cli, tmp_path: Path) -> None:
    shown = cli("export", "--format", "html").stdout
    cli("export", "-o", str(tmp_path / "kluster.html"))
    cli("export", "-o", str(tmp_path / "kluster.htm"))
    assert (tmp_path / "kluster.html").read_text(encoding="utf-8") == shown
    assert (tmp_path / "kluster.htm").read_text(encoding="utf-8") == shown
    assert shown.startswith("<!DOCTYPE html>\n")
    assert len(shown.encode("utf-8")) < MOST_BYTES


def test_the_page_holds_every_cluster_link_and_the_map(page: str) -> None:
    tree = parse(page)
    assert tree.get("lang") == "en"
    table = by_id(tree, "clusters-table")
    rows = [row for body in every(table, "tbody") for row in every(body, "tr")]
    assert [words(row[0]) for row in rows] == NAMES
    headings = [words(th) for th in every(every(table, "thead")[0], "th")]
    assert headings == ["Name", "Region", "City", "Focus", "Website"]
    assert all(th.get("scope") == "col" for th in every(every(table, "thead")[0], "th"))
    links = {a.get("href") for a in every(tree, "a")}
    assert links >= WEB_ADDRESSES
    # each cluster's section is the target of its row's link
    for cluster in TOML["clusters"]:
        assert by_id(tree, cluster["id"]).tag == f"{XHTML}article"
        assert f"#{cluster['id']}" in links
    maps = list(tree.iter(f"{SVG}svg"))
    assert len(maps) == 1
    assert maps[0].get("role") == "img"
    assert words(next(maps[0].iter(f"{SVG}title"))) == "S3-piloten: 22 clusters in 16 of 21 län"


def test_the_search_box_is_labelled_and_the_headings_in_order(page: str) -> None:
    tree = parse(page)
    box = by_id(tree, "search-box")
    labels = [label for label in every(tree, "label") if label.get("for") == "search-box"]
    assert box.get("type") == "search"
    assert [words(label) for label in labels] == ["Search the names, places and focus"]
    levels = [int(e.tag[-1]) for e in tree.iter() if re.fullmatch(f"{XHTML}h[1-6]", str(e.tag))]
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_each_lans_count_is_the_maps_text_alternative(page: str) -> None:
    tree = parse(page)
    counts = by_id(tree, "map-counts-caption")
    table = next(t for t in every(tree, "table") if counts in list(t))
    shown = {words(row[0]): int(words(row[1])) for row in every(every(table, "tbody")[0], "tr")}
    expected = {
        region["name"]: sum(1 for c in TOML["clusters"] if c["region"] == region["code"])
        for region in TOML["regions"]
    }
    assert shown == expected
    assert next(tree.iter(f"{SVG}svg")).get("aria-describedby") == "map-counts-caption"


def _events_shown(element: ET.Element) -> list[tuple[str, str, str]]:
    """(datetime, phrase, page) of each event in the lists under `element`."""
    shown = []
    for events in (ol for ol in every(element, "ol") if ol.get("class") == "events"):
        for item in every(events, "li"):
            time = every(item, "time")[0]
            (source,) = every(item, "a")
            phrase = words(item).removeprefix(words(time)).partition(f" ({words(source)})")[0]
            shown.append((time.get("datetime") or "", phrase.strip(), source.get("href") or ""))
    return shown


@pytest.mark.parametrize("lang", ["C.UTF-8", "sv_SE.UTF-8"])
def test_each_clusters_events_note_and_current_name(cli: Cli, lang: str) -> None:
    """Every event of the registry file, oldest first, with its date, its phrase in the
    page's language and its page as a link; the notes, the current names and the weak
    sources said as the file says them."""
    tree = parse(cli("export", "--format", "html", env={"LANG": lang}).stdout)
    swedish = lang.startswith("sv")

    def marked(english: str, sv: str | None = None) -> str:  # English in Swedish marked so
        return (sv or f"{english} (på engelska)") if swedish else english

    for cluster in TOML["clusters"]:
        article = by_id(tree, cluster["id"])
        expected = [
            (e["date"], marked(e["event"], e.get("event_sv")), e["url"])
            for e in sorted(cluster.get("events", []), key=lambda e: e["date"])
        ]
        assert _events_shown(article) == expected, cluster["id"]
        notes = [p for p in every(article, "p") if p.get("class") == "note"]
        assert [words(p).partition(": ")[2] for p in notes] == (
            [marked(cluster["note"], cluster.get("note_sv"))] if "note" in cluster else []
        )
        facts = dict(zip(map(words, every(article, "dt")), every(article, "dd"), strict=True))
        current = facts.get("Heter nu" if swedish else "Now called")
        assert (words(current) if current is not None else None) == cluster.get("now_called")
        weak = [s for s in cluster.get("sources", []) if "caveat" in s]
        said = "svagt stöd" if swedish else "weak support"
        items = [
            words(li)
            for ol in every(article, "ol")
            if ol.get("class") == "sources"
            for li in every(ol, "li")
        ]
        assert [i for i in items if said in i] == [
            i for i in items if any(s["url"] in i and s["caveat"] in i for s in weak)
        ]
        assert len([i for i in items if said in i]) == len(weak)


def test_the_programmes_course_is_on_the_page(page: str) -> None:
    tree = parse(page)
    expected = [
        (e["date"], e["event"], e["url"])
        for e in sorted(TOML["program"]["events"], key=lambda e: e["date"])
    ]
    about = by_id(tree, "about-heading")
    section = next(s for s in every(tree, "section") if about in list(s))
    assert _events_shown(section) == expected
    assert TOML["program"]["purpose_en"] in words(section)


def test_the_contacts_call_and_write_from_the_page(page: str) -> None:
    tree = parse(page)
    hrefs = [a.get("href") for a in every(tree, "a")]
    # the programme page's numbers and its address pattern, fornamn.efternamn@tillvaxtverket.se
    assert "tel:+4686819451" in hrefs
    assert "tel:+4686819132" in hrefs
    assert "mailto:ewa.andersson@tillvaxtverket.se" in hrefs
    assert "mailto:cecilia.johansson@tillvaxtverket.se" in hrefs


def test_the_date_sources_and_licence_are_on_the_page(page: str) -> None:
    tree = parse(page)
    text = words(tree)
    assert f"checked against their sources on {TOML['program']['checked']}" in text
    licence = [a for a in every(tree, "a") if a.get("href") == schema_licence()]
    assert licence
    assert all(words(a) == "CC0 1.0 Universal" for a in licence)


def schema_licence() -> str:
    return "https://creativecommons.org/publicdomain/zero/1.0/"


def test_nothing_on_the_page_asks_for_a_resource(page: str) -> None:
    """No element that loads something, no style that does; the policy forbids any request and
    lets run only the page's own script and style, by their hashes."""
    tree = parse(page)
    for element in tree.iter():
        assert element.tag not in {f"{XHTML}{t}" for t in ("img", "link", "iframe", "object")}
        for name in ("src", "srcset", "poster", "data", "action"):
            assert element.get(name) is None, (element.tag, name)
        assert not any(str(v).startswith("javascript:") for v in element.attrib.values())
    assert "url(" not in page
    assert "@import" not in page
    policy = next(m for m in every(tree, "meta") if m.get("http-equiv")).get("content") or ""
    assert "default-src 'none'" in policy
    scripts = [s for s in every(tree, "script") if s.get("type") is None]
    styles = every(tree, "style")
    assert len(scripts) == len(styles) == 1
    for kind, element in (("script-src", scripts[0]), ("style-src", styles[0])):
        digest = hashlib.sha256((element.text or "").encode("utf-8")).digest()
        assert f"{kind} 'sha256-{base64.b64encode(digest).decode()}'" in policy


def test_a_swedish_environment_gets_a_swedish_page(cli: Cli) -> None:
    shown = cli("export", "--format", "html", env={"LANG": "sv_SE.UTF-8"}).stdout
    tree = parse(shown)
    assert tree.get("lang") == "sv"
    paper = by_id(tree, "paper-province")
    facts = dict(zip(map(words, every(paper, "dt")), map(words, every(paper, "dd")), strict=True))
    assert facts["Inriktning"] == "skogsbaserad bioekonomi"
    assert facts["Märkning"] == "Guld 2018"  # the registry's "Gold 2018", as a Swedish table says
    assert words(by_id(tree, "clusters-heading")) == "Kluster"
    assert "Sök bland namn, orter och inriktningar" in words(tree)


def test_region_limits_the_page(cli: Cli) -> None:
    shown = cli("export", "--format", "html", "--region", "Värmland").stdout
    tree = parse(shown)
    table = by_id(tree, "clusters-table")
    names = [words(row[0]) for row in every(every(table, "tbody")[0], "tr")]
    assert names == ["Compare", "Paper Province"]
    assert [e.get("id") for e in every(tree, "article")] == ["compare", "paper-province"]
    marked = [p for p in tree.iter(f"{SVG}path") if p.get("data-highlight") == "true"]
    assert [p.get("data-region") for p in marked] == ["SE-S"]


def test_downloads_link_the_other_exports_by_their_names(cli: Cli) -> None:
    shown = cli("export", "--format", "html", "--downloads").stdout
    hrefs = {a.get("href") for a in every(parse(shown), "a")}
    names = dict(download_names())
    assert names["csv"] == "s3pilot.csv"
    assert names["xlsx"] == "s3pilot.xlsx"
    assert "html" not in names
    assert set(names.values()) <= hrefs
    written = [fmt for fmt in EXPORT_FORMATS if FORMATS[fmt].extensions and fmt is not Format.HTML]
    assert list(names) == [fmt.value for fmt in written]
    assert "s3pilot.csv" not in {a.get("href") for a in every(parse(render_bundled()), "a")}


def render_bundled() -> str:
    return render(registry_file.read(BUNDLED))


def test_downloads_goes_with_html_alone(cli: Cli) -> None:
    run = cli("export", "--format", "csv", "--downloads", exit_code=ExitCode.USAGE)
    assert "--downloads goes with --format html, not --format csv" in run.stderr


def test_a_swedish_page_marks_english_notes_and_events_as_the_views_do() -> None:
    """The rule of every view for people: what the registry has only in English is marked so,
    and in HTML is `lang="en"` too; what it has in Swedish is shown in Swedish."""
    loaded = registry_file.read(BUNDLED)
    page = render(loaded, lang="sv")
    mjardevi = next(c for c in loaded.clusters if c.id == "mjardevi-science-park")
    note = escape(mjardevi.note or "", quote=True)
    assert f'<span lang="en">{note}</span> (på engelska)' in page
    english = next(e for c in loaded.clusters for e in c.events if not e.event_sv)
    phrase = escape(english.event, quote=True)
    assert f'<span lang="en">{phrase}</span> (på engelska)' in page
    swedish = next(e for c in loaded.clusters for e in c.events if e.event_sv)
    assert escape(swedish.event_sv or "", quote=True) in page
    assert "(in English)" not in render(loaded)


def test_the_page_names_a_kind_as_a_reader_does() -> None:
    loaded = registry_file.read(BUNDLED)
    assert "part of a university or a science park" in render(loaded)
    assert "del av ett universitet eller en forskningspark" in render(loaded, lang="sv")


def test_the_fold_rule_reads_every_code_point_that_matters() -> None:
    """The page's search repeats `fold` from `fold_rule`, which reads only the first planes."""
    assert fold_rule() == fold_rule(0x110000)


# --- A hostile registry: nothing from the data becomes markup ---------------------------------

# Every text that tests/bad_registries.py writes into a registry, and what an attacker adds:
# markup, an attribute's end, a script's end, an entity, a URL that runs script.
HOSTILE = [
    *(replacement for _rule, _old, replacement, _expected in CASES if replacement),
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(2)</script>",
    "' onmouseover='alert(3)",
    "&amp; &lt;b&gt; &#x3c;",
    "<!-- -->]]><![CDATA[",
    "\u202eevil\u2066\x85\ud800\ufffe\U0010ffff",
]
HOSTILE_URLS = [
    'https://example.com/"><script>alert(1)</script>',
    "javascript:alert(1)",
    "https://example.com/?a=1&b=<2>",
]


def _hostile_registry(text: str, url: str) -> Registry:
    loaded = registry_file.read(BUNDLED)
    cluster = dataclasses.replace(
        loaded.clusters[0],
        name=text,
        city=text,
        focus=text,
        aliases=(text,),
        now_called=text,
        founded_note=text,
        label=text,
        kind=text,
        website=url,
        sources=(Source(url, (text,), text),),
    )
    program = dataclasses.replace(loaded.program, name=text, summary_en=text, source_url=url)
    contact = Contact(text, "08-681 94 51")
    other = Cluster(id="second", name=text + "2", region=loaded.regions[0].code)
    return dataclasses.replace(
        loaded, program=program, contacts=(contact,), clusters=(cluster, other)
    )


@pytest.mark.parametrize(
    ("text", "url"),
    [(text, HOSTILE_URLS[i % len(HOSTILE_URLS)]) for i, text in enumerate(HOSTILE)],
    ids=range(len(HOSTILE)),
)
def test_hostile_text_stays_text(text: str, url: str) -> None:
    hostile = _hostile_registry(text, url)
    page = render(hostile)
    tree = parse(page)  # strict: a control character would be a parse error
    tags = {str(element.tag).rpartition("}")[2] for element in tree.iter()}
    assert not tags & {"img", "iframe", "object", "embed"}
    assert len(every(tree, "script")) == 2  # the page's data and its script, no other
    for element in tree.iter():
        assert not any(name.startswith("on") for name in element.attrib), element.attrib
    hrefs = [a.get("href") or "" for a in every(tree, "a")]
    assert not any(href.startswith("javascript:") for href in hrefs)
    if url.startswith("https://"):
        assert url in hrefs  # the same address, escaped for the attribute and read back
    article = by_id(tree, hostile.clusters[0].id)
    assert words(every(article, "h3")[0]) == " ".join(_as_html(text).split())
    row = next(iter(every(every(by_id(tree, "clusters-table"), "tbody")[0], "tr")))
    assert row.get("data-search", "").split("\n")[0] == _as_html(fold(text))


def _as_html(text: str) -> str:
    """`text` with each character no HTML document may hold as U+FFFD."""
    for bad in ("\x1b", "\x00", "\x85", "\ud800", "\ufffe", "\U0010ffff"):
        text = text.replace(bad, "\ufffd")
    return text
