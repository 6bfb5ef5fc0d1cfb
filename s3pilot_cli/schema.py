"""The registry file's shape: its tables and fields, declared once, and the way back out.

The declarations below serve three readers: `validate.py`'s one pass over a parsed document,
`jsonschema_doc.py`'s JSON Schema for editors, and `to_document`, the registry back in the
file's own shape, keys in the declared order.
"""

import re
from collections.abc import Callable
from enum import Enum
from typing import Any, NamedTuple

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
# A real calendar date, 0001-01-01 to 9999-12-31 (YYYY-MM-DD): 29 February only in leap years.
_DATE = re.compile(
    r"(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]"
    r"[0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    r"|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29"
)
_AN_ADDRESS = "an http:// or https:// address"


class Kind(Enum):
    TEXT = "a string"
    TEXTS = "an array of strings"
    COUNT = "an integer"


class Field(NamedTuple):
    name: str
    kind: Kind = Kind.TEXT
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
    Field("applications", Kind.COUNT),
    Field("selected", Kind.COUNT),
    Field("offers", Kind.TEXTS),
    Field("source_url", pattern=_URL, expected=_AN_ADDRESS),
    Field("email_pattern"),
    Field("checked", required=False, pattern=_DATE, expected="a real date like 2026-11-27"),
)
CONTACT = (
    Field("name"),
    Field("phone", pattern=_PHONE, expected="a phone number (digits, spaces, hyphens, + first)"),
)
REGION = (
    Field("code", pattern=_CODE, expected="an ISO code like SE-S", unique=str),
    Field("lan_code", pattern=_LAN_CODE, expected="two digits", unique=str),
    Field("name", unique=fold),
    Field("county"),
    Field("nuts3", pattern=_NUTS3, expected="a code like SE311"),
    Field("body"),
    Field("aliases", Kind.TEXTS, required=False),
)
CLUSTER = (
    Field(
        "id",
        pattern=_ID,
        expected="a lower-case ASCII slug like paper-province",
        unique=str,
    ),
    Field("name", unique=fold),
    Field("region"),
    Field("city", required=False),
    Field("website", required=False, pattern=_URL, expected=_AN_ADDRESS),
    Field("focus", required=False),
    Field("focus_sv", required=False),  # the focus in Swedish, from a Swedish source
    Field("aliases", Kind.TEXTS, required=False),
)
SECTIONS = {"contacts": CONTACT, "regions": REGION, "clusters": CLUSTER}
MODELS: dict[str, Callable[..., Any]] = {
    "contacts": Contact,
    "regions": Region,
    "clusters": Cluster,
}
TOP_KEYS = ("schema_version", "program", *SECTIONS)


def to_document(registry: Registry) -> Document:
    """The registry in the file's own shape: what `export --format toml|registry-json` writes."""
    return {
        "schema_version": SCHEMA_VERSION,
        "program": _entry(registry.program, PROGRAM),
        "contacts": [_entry(contact, CONTACT) for contact in registry.contacts],
        "regions": [_entry(region, REGION) for region in registry.regions],
        "clusters": [_entry(cluster, CLUSTER) for cluster in registry.clusters],
    }


def _entry(item: object, fields: tuple[Field, ...]) -> dict[str, Any]:
    """The fields with a value, in the declared order; tuples become arrays."""
    entry = {}
    for field in fields:
        value = getattr(item, field.name)
        if field.kind is Kind.TEXTS:
            if value or field.required:
                entry[field.name] = list(value)
        elif value is not None:
            entry[field.name] = value
    return entry
