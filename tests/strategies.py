"""Hypothesis strategies: valid registries of any shape."""

import unicodedata

from hypothesis import strategies as st

from s3pilot_cli import invisible, schema
from s3pilot_cli.model import (
    Cluster,
    Contact,
    Event,
    Program,
    Region,
    Registry,
    Source,
)
from s3pilot_cli.rules import derived_email_problem
from s3pilot_cli.textrules import find_control, fold

# Any text a registry accepts: no control or format characters or lone surrogates (the
# registry's own rule), not blank.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30
).filter(lambda s: s.strip() and not find_control(s))
# Every character that draws nothing: general category Cf (from the standard library's own
# Unicode data) and Default_Ignorable_Code_Point (from the generated table, which holds the
# Cf characters of a newer Unicode too): what a registry refuses, fold drops, writers escape.
_DRAWING_NOTHING = sorted(
    {chr(code) for code in range(0x110000) if unicodedata.category(chr(code)) == "Cf"}
    | {chr(code) for first, last in invisible.RANGES for code in range(first, last + 1)}
)
INVISIBLE = st.sampled_from(_DRAWING_NOTHING)
SLUG = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
OPTIONAL = st.none() | TEXT
# A contact's name: words with Latin letters, which an e-mail address can be made of, and any
# other characters among them, which it drops (the registry refuses what it cannot drop).
NAME = (
    st.lists(
        st.tuples(
            st.from_regex(r"[A-ZÅÄÖÉ][a-zåäöéüß']{0,8}(-[A-Z][a-z]{1,8})?", fullmatch=True),
            st.text(
                st.characters(min_codepoint=0x80, blacklist_categories=("Cc", "Cf", "Cs", "Z"))
            ),
        ).map("".join),
        min_size=2,
        max_size=3,
    )
    .map(" ".join)
    .filter(lambda name: derived_email_problem(name, "{first}.{last}@x.se") is None)
    .filter(lambda name: not find_control(name))  # unassigned characters that draw nothing
)
# A Swedish number as published: trunk 0, an area code of one to three digits, the rest.
PHONE = st.from_regex(r"0[1-9][0-9]{0,2}-[0-9]{3} [0-9]{2} [0-9]{2}", fullmatch=True)
# A list's items: the text formats join them with "; ", so a registry refuses ";" in one, and
# one item twice.
TEXTS = st.lists(TEXT.filter(lambda s: ";" not in s), max_size=3, unique_by=fold).map(tuple)
# A source of a cluster: a page, one to three of a cluster's fields, a day.
SOURCES = st.lists(
    st.builds(
        Source,
        url=SLUG.map(lambda s: f"https://{s}.se/"),
        fields=st.lists(
            st.sampled_from(
                [f.name for f in schema.CLUSTER if f.name not in ("sources", "events")]
            ),
            min_size=1,
            max_size=3,
            unique=True,
        ).map(tuple),
        read=st.dates().map(lambda d: d.isoformat()),
        caveat=st.none() | TEXT,
    ),
    max_size=2,
).map(tuple)
# A cluster's events: a year or a day, a phrase (in Swedish too, or not), a page.
PHRASE = TEXT.filter(lambda s: ";" not in s)
EVENTS = st.lists(
    st.builds(
        Event,
        date=st.integers(*schema.YEARS).map(str) | st.dates().map(lambda d: d.isoformat()),
        event=PHRASE,
        url=SLUG.map(lambda s: f"https://{s}.se/"),
        event_sv=st.none() | PHRASE,
        sets=st.none() | st.sampled_from(schema.SETTABLE),
        caveat=st.none() | TEXT,
    ),
    max_size=2,
).map(tuple)


@st.composite
def registries(draw: st.DrawFn) -> Registry:
    program = Program(
        name=draw(TEXT),
        agency=draw(TEXT),
        summary=draw(TEXT),
        summary_en=draw(TEXT),
        applications=draw(st.integers(0, 10_000)),
        selected=draw(st.integers(0, 10_000)),
        offers=draw(TEXTS),
        source_url="https://" + draw(SLUG) + ".se/",
        email_pattern="{first}.{last}@" + draw(SLUG) + ".se",
    )
    contacts = tuple(
        Contact(name, phone)
        for name, phone in draw(
            st.lists(
                st.tuples(NAME, PHONE),
                max_size=3,
            )
        )
    )
    codes = draw(
        st.lists(
            st.from_regex(r"SE-[A-Z]{1,2}", fullmatch=True), min_size=1, max_size=6, unique=True
        )
    )
    lan_codes = draw(
        st.lists(
            st.from_regex(r"[0-9]{2}", fullmatch=True),
            min_size=len(codes),
            max_size=len(codes),
            unique=True,
        )
    )
    names = draw(st.lists(TEXT, min_size=len(codes), max_size=len(codes), unique_by=fold))
    regions = tuple(
        Region(
            code=code,
            lan_code=lan,
            name=name,
            county=draw(TEXT),
            nuts3="SE" + draw(st.from_regex(r"[0-9]{3}", fullmatch=True)),
            body=draw(TEXT),
            aliases=draw(TEXTS),
        )
        for code, lan, name in zip(codes, lan_codes, names, strict=True)
    )
    ids = draw(st.lists(SLUG, max_size=8, unique=True))
    cluster_names = draw(st.lists(TEXT, min_size=len(ids), max_size=len(ids), unique_by=fold))

    def others(ident: str) -> st.SearchStrategy[str]:
        """Any text but the folded ids and names of every cluster but `ident` (validate
        refuses an alias or current name that is another cluster's id or name)."""
        taken = {
            fold(key)
            for other, name in zip(ids, cluster_names, strict=True)
            if other != ident
            for key in (other, name)
        }
        return TEXT.filter(lambda text: fold(text) not in taken)

    clusters = tuple(
        Cluster(
            id=ident,
            name=name,
            region=draw(st.sampled_from(codes)),
            city=draw(OPTIONAL),
            website=draw(st.none() | SLUG.map(lambda s: f"https://{s}.se")),
            focus=draw(OPTIONAL),
            aliases=draw(
                st.lists(
                    others(ident).filter(lambda s: ";" not in s), max_size=3, unique_by=fold
                ).map(tuple)
            ),
            now_called=draw(st.none() | others(ident)),
            founded=draw(st.none() | st.integers(*schema.YEARS)),
            kind=draw(st.none() | st.sampled_from(list(schema.KINDS))),
            label=draw(
                st.none()
                | st.tuples(
                    st.sampled_from(schema.LABEL_LEVELS), st.integers(*schema.label_years())
                ).map(lambda level_year: f"{level_year[0]} {level_year[1]}")
            ),
            note=draw(OPTIONAL),
            events=draw(EVENTS),
            sources=draw(SOURCES),
        )
        for ident, name in zip(ids, cluster_names, strict=True)
    )
    return Registry(program, contacts, regions, clusters)
