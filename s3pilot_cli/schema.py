"""The registry file's shape: its tables and fields, declared once, and the way back out.

The declarations below serve three readers: `validate.py`'s one pass over a parsed document,
`scripts/make_schema.py`'s JSON Schema for editors, and `to_document`, the registry back in the
file's own shape, keys in the declared order.
"""

import re
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any, NamedTuple

from s3pilot_cli.i18n import N_
from s3pilot_cli.model import Cluster, Contact, Region, Registry
from s3pilot_cli.textrules import LIST_SEPARATOR, fold

SCHEMA_VERSION = 1
MAX_TEXT = 1000
# The largest integer SQLite (and so `export --format sqlite`) stores: 2**63 - 1.
MAX_COUNT = 2**63 - 1
# What a list item may not hold: the text formats join a list's items with "; ".
SEPARATOR = LIST_SEPARATOR.strip()

Document = dict[str, Any]

_CODE = re.compile(r"SE-[A-Z]{1,2}")
_LAN_CODE = re.compile(r"[0-9]{2}")
_NUTS3 = re.compile(r"SE[0-9]{3}")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PHONE = re.compile(r"\+?[0-9][0-9 \-]*[0-9]")
# A host (and port) after the scheme, never a user name or password (`http://user:pw@host/`):
# a public registry has no place for them, and urllib would take them for the host's name.
_URL = re.compile(r"https?://[^\s/?#@]+(?:[/?#]\S*)?")
# A date (YYYY-MM-DD) and a month (YYYY-MM), as written; whether the day or month is one of the
# calendar's (not 2026-02-30, not the year 0000) is `date.fromisoformat`'s to say (`no_such_day`).
_DATE = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])")
_MONTH = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])")
_AN_ADDRESS = N_("an http:// or https:// address (without a user name or password)")
_A_DATE = N_("a real date like 2026-11-27")
# The years a `founded`, `first_year` or `last_year` may be: a four-digit year.
YEARS = (1000, 9999)
# An event's date, as precise as its page: a year, a month of one, or a day; a real one, as
# `no_such_day` says.
_WHEN = re.compile(r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?")
EVENT_DATE = _WHEN  # for the data package's `last_seen`
_A_WHEN = N_("a year, a month or a day: 2015, 2021-07 or 2018-03-26")
_WIKIDATA = re.compile(r"Q[1-9][0-9]*")
_KOMMUN_CODE = re.compile(r"[0-9]{4}")
# What an event says: `show` gives a cluster's events as a list, which the text formats join
# with "; ".
_PHRASE = re.compile(f"[^{SEPARATOR}]+")
_A_PHRASE = N_("a phrase without ';', which the text formats put between events")
# The fields an event may date (`sets`): a cluster's, and the programme's course.
SETTABLE: tuple[str, ...] = ("founded", "kind", "label", "now_called")
SETTABLE += ("call_opened", "kickoff", "first_year", "last_year")
_SETTABLE = re.compile("|".join(SETTABLE))

# What kind of organisation a cluster is, as `kind` names it. A Swedish table shows the Swedish
# term a source uses (the catalogue's context `kind`; docs/registry.md).
# Each code with what a reader calls it (the catalogue's context `kind` translates that).
KINDS = {
    "economic-association": "economic association",
    "non-profit-association": "non-profit association",
    "limited-company": "limited company",
    "foundation": "foundation",
    "university-or-science-park": "part of a university or a science park",
    "project": "project",
}
_KIND = re.compile("|".join(map(re.escape, KINDS)))
# A cluster management label of the European Secretariat for Cluster Analysis (ESCA): the level
# and the year it was given, since a label without its year is not a fact. A Swedish table
# names the level in Swedish (the catalogue's context `label`).
LABEL_LEVELS = ("Bronze", "Silver", "Gold")
# The labels began with the European Cluster Excellence Initiative of 2009
# (https://cluster-analysis.org): a label's year is 2009 or later (and not yet to come).
FIRST_LABEL_YEAR = 2009
_LABEL = re.compile(rf"(?:{'|'.join(LABEL_LEVELS)}) (?:2009|20[1-9][0-9])")


class FieldKind(Enum):
    # Hashed as objects are, in C: `validate` looks a kind up in a set or a dict for every
    # value of a registry, and Enum's own hash is a Python call (benchmarks/bench.py).
    __hash__ = object.__hash__

    TEXT = "a string"
    DATE = "a date, YYYY-MM-DD"
    MONTH = "a month, YYYY-MM"
    WHEN = "a year, a month or a day: YYYY, YYYY-MM or YYYY-MM-DD"
    TEXTS = "an array of strings"
    COUNT = "an integer"
    YEAR = "a year"
    SOURCES = "an array of sources"
    EVENTS = "an array of events"


class Field(NamedTuple):
    name: str
    kind: FieldKind = FieldKind.TEXT
    required: bool = True
    pattern: re.Pattern[str] | None = None
    expected: str = ""  # what `pattern` asks for, in words
    unique: Callable[[str], str] | None = None  # values must differ under this key


# In the order of the dataclasses' fields (a test holds them together) and of the file.
PROGRAM = (
    Field("name"),
    Field("agency"),
    Field("summary"),
    Field("summary_en"),
    Field("applications", FieldKind.COUNT),
    Field("selected", FieldKind.COUNT),
    Field("offers", FieldKind.TEXTS),
    Field("source_url", pattern=_URL, expected=_AN_ADDRESS),
    Field("email_pattern"),
    Field("checked", FieldKind.DATE, required=False, pattern=_DATE, expected=_A_DATE),
    # The programme's course (docs/registry.md), each field with its sources.
    Field("call_opened", FieldKind.DATE, required=False, pattern=_DATE, expected=_A_DATE),
    Field(
        "kickoff",
        FieldKind.MONTH,
        required=False,
        pattern=_MONTH,
        expected=N_("a month like 2018-08"),
    ),
    Field("first_year", FieldKind.YEAR, required=False),
    Field("last_year", FieldKind.YEAR, required=False),
    # The later, past-tense page, and what it says where it differs from `source_url`'s page.
    Field("later_url", required=False, pattern=_URL, expected=_AN_ADDRESS),
    Field("later_selected", required=False),
    Field("later_period", required=False),
    # What the programme was for, and what its second step gave a cluster.
    Field("purpose", required=False),
    Field("purpose_en", required=False),
    Field("support_sek", FieldKind.COUNT, required=False),
    Field("support_years", FieldKind.COUNT, required=False),
    Field("cofinancing_pct", FieldKind.COUNT, required=False),
    Field("members_about", FieldKind.COUNT, required=False),
    Field("list_order", required=False),
    Field("events", FieldKind.EVENTS, required=False),
    Field("sources", FieldKind.SOURCES, required=False),
)
CONTACT = (
    Field("name"),
    Field(
        "phone", pattern=_PHONE, expected=N_("a phone number (digits, spaces, hyphens, + first)")
    ),
)
REGION = (
    Field("code", pattern=_CODE, expected=N_("an ISO code like SE-S"), unique=str),
    Field("lan_code", pattern=_LAN_CODE, expected=N_("two digits"), unique=str),
    Field("name", unique=fold),
    Field("county"),
    Field("nuts3", pattern=_NUTS3, expected=N_("a code like SE311")),
    Field("body"),
    Field("aliases", FieldKind.TEXTS, required=False),
    Field("wikidata", required=False, pattern=_WIKIDATA, expected=N_("an item like Q104231")),
    Field("s3_strategy", required=False),
    Field("s3_areas", FieldKind.TEXTS, required=False),
    Field("s3_url", required=False, pattern=_URL, expected=_AN_ADDRESS),
    Field("s3_licence", required=False),
)
CLUSTER = (
    Field(
        "id",
        pattern=_ID,
        expected=N_("a lower-case ASCII slug like paper-province"),
        unique=str,
    ),
    Field("name", unique=fold),
    Field("region"),
    Field("city", required=False),
    # the kommun the city is in, and SCB's code of it (the bundled file's from places.json)
    Field("kommun", required=False),
    Field("kommun_code", required=False, pattern=_KOMMUN_CODE, expected=N_("four digits")),
    Field("website", required=False, pattern=_URL, expected=_AN_ADDRESS),
    Field("focus", required=False),
    Field("focus_sv", required=False),  # the focus in Swedish, from a Swedish source
    Field("aliases", FieldKind.TEXTS, required=False),
    Field("now_called", required=False),
    Field("founded", FieldKind.YEAR, required=False),
    Field("founded_note", required=False),
    Field(
        "kind",
        required=False,
        pattern=_KIND,
        expected=f"one of {', '.join(KINDS)}",
    ),
    Field(
        "label",
        required=False,
        pattern=_LABEL,
        expected=f"a level ({', '.join(LABEL_LEVELS)}) and a year from 2009 on, like Bronze 2018",
    ),
    Field("note", required=False),  # for a person: what to know to read the entry right
    Field("note_sv", required=False),  # the note in Swedish, the registry's own words too
    Field("s3_area", required=False),  # one of its region's s3_areas
    Field("eccp_url", required=False, pattern=_URL, expected=_AN_ADDRESS),
    Field("events", FieldKind.EVENTS, required=False),
    Field("sources", FieldKind.SOURCES, required=False),
)
# One source of facts: the page, the fields of its entry that it supports, the day it was read,
# and, where the page is weak support for them, why.
SOURCE = (
    Field("url", pattern=_URL, expected=_AN_ADDRESS),
    Field("fields", FieldKind.TEXTS),
    Field("read", FieldKind.DATE, pattern=_DATE, expected=_A_DATE),
    Field("caveat", required=False),
)
# One event: its date, what happened (in Swedish too, where a page gives it), its page; the
# field of its entry it dates, and why the page is weak support, where either applies.
EVENT = (
    Field("date", FieldKind.WHEN, pattern=_WHEN, expected=_A_WHEN),
    Field("event", pattern=_PHRASE, expected=_A_PHRASE),
    Field("url", pattern=_URL, expected=_AN_ADDRESS),
    Field("event_sv", required=False, pattern=_PHRASE, expected=_A_PHRASE),
    Field("sets", required=False, pattern=_SETTABLE, expected=f"one of {', '.join(SETTABLE)}"),
    Field("caveat", required=False),
)
SECTIONS = {"contacts": CONTACT, "regions": REGION, "clusters": CLUSTER}
MODELS: dict[str, Callable[..., Any]] = {
    "contacts": Contact,
    "regions": Region,
    "clusters": Cluster,
}
# The sources of the region table's facts: one list for all regions, the fields named REGION's.
REGION_SOURCES = "region_sources"
TOP_KEYS = ("schema_version", "program", *SECTIONS, REGION_SOURCES)
# The fields a source may name, per table that carries sources.
SOURCED = {
    "program": PROGRAM,
    "clusters": CLUSTER,
    REGION_SOURCES: REGION,
}


def no_such_day(kind: FieldKind, value: str) -> bool:
    """Whether `value`, a date, month or year (`WHEN`) of the right shape, is none of the
    calendar's: 2026-02-30, 2025-02-29, 0000-08, 0000."""
    try:  # a month as its first day, a year as its first month's
        date.fromisoformat(value + "-01" * ((len("YYYY-MM-DD") - len(value)) // len("-01")))
    except ValueError:
        return True
    return False


def label_years() -> tuple[int, int]:
    """The years a label may carry: from the first labels to this year."""
    return FIRST_LABEL_YEAR, date.today().year


def to_document(registry: Registry) -> Document:
    """The registry in the file's own shape: what `export --format toml|registry-json` writes."""
    return {
        "schema_version": SCHEMA_VERSION,
        "program": _entry(registry.program, PROGRAM),
        "contacts": [_entry(contact, CONTACT) for contact in registry.contacts],
        "regions": [_entry(region, REGION) for region in registry.regions],
        "clusters": [_entry(cluster, CLUSTER) for cluster in registry.clusters],
    } | (
        {REGION_SOURCES: [_entry(s, SOURCE) for s in registry.region_sources]}
        if registry.region_sources
        else {}
    )


_NESTED = {FieldKind.SOURCES: SOURCE, FieldKind.EVENTS: EVENT}


def _entry(item: object, fields: tuple[Field, ...]) -> dict[str, Any]:
    """The fields with a value, in the declared order; tuples become arrays."""
    entry = {}
    for field in fields:
        value = getattr(item, field.name)
        if field.kind in _NESTED:
            if value:
                entry[field.name] = [_entry(item, _NESTED[field.kind]) for item in value]
        elif field.kind is FieldKind.TEXTS:
            if value or field.required:
                entry[field.name] = list(value)
        elif value is not None:
            entry[field.name] = value
    return entry
