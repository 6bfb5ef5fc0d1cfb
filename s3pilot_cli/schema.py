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
_URL = re.compile(r"https?://[^\s/]+\S*")
# A date (YYYY-MM-DD) and a month (YYYY-MM), as written; whether the day or month is one of the
# calendar's (not 2026-02-30, not the year 0000) is `date.fromisoformat`'s to say (`no_such_day`).
_DATE = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])")
_MONTH = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])")
_AN_ADDRESS = N_("an http:// or https:// address")
_A_DATE = N_("a real date like 2026-11-27")
# The years a `founded`, `first_year` or `last_year` may be: a four-digit year.
YEARS = (1000, 9999)

# What kind of organisation a cluster is, as `kind` names it. A Swedish table shows the Swedish
# term a source uses (the catalogue's context `kind`; README, "The registry file").
KINDS = (
    "economic-association",
    "non-profit-association",
    "limited-company",
    "foundation",
    "university-or-science-park",
    "project",
)
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
    TEXT = "a string"
    DATE = "a date, YYYY-MM-DD"
    MONTH = "a month, YYYY-MM"
    TEXTS = "an array of strings"
    COUNT = "an integer"
    YEAR = "a year"
    SOURCES = "an array of sources"


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
    # The programme's course (README, "The programme's course"), each field with its sources.
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
    Field("sources", FieldKind.SOURCES, required=False),
)
# One source of facts: the page, the fields of its entry that it supports, the day it was read.
SOURCE = (
    Field("url", pattern=_URL, expected=_AN_ADDRESS),
    Field("fields", FieldKind.TEXTS),
    Field("read", FieldKind.DATE, pattern=_DATE, expected=_A_DATE),
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
    """Whether `value`, a date or month of the right shape, is none of the calendar's:
    2026-02-30, 2025-02-29, 0000-08."""
    try:
        date.fromisoformat(value if kind is FieldKind.DATE else f"{value}-01")
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


def _entry(item: object, fields: tuple[Field, ...]) -> dict[str, Any]:
    """The fields with a value, in the declared order; tuples become arrays."""
    entry = {}
    for field in fields:
        value = getattr(item, field.name)
        if field.kind is FieldKind.SOURCES:
            if value:
                entry[field.name] = [_entry(source, SOURCE) for source in value]
        elif field.kind is FieldKind.TEXTS:
            if value or field.required:
                entry[field.name] = list(value)
        elif value is not None:
            entry[field.name] = value
    return entry
