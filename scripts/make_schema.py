"""The registry file's JSON Schema, generated from `schema.py`'s declarations, for editors.

Taplo (Even Better TOML) and tombi check and complete a TOML file that names a JSON Schema in a
`#:schema` line at its top; `s3pilot init` writes one beside your copy. Taplo's validator reads
drafts 4 to 7 and tombi's draft-07 and later, so the schema says draft-07 and uses only
keywords that mean the same from draft 4 on: type, properties, required, additionalProperties,
items, enum, not, minimum, maximum, minLength, maxLength, pattern, title, description. Patterns are
anchored (`^…$`), since a JSON Schema pattern may match anywhere in the value.

What a JSON Schema cannot say stays with `s3pilot validate`, which has the last word: unique
ids, codes and names, a cluster's region among the file's regions, the e-mail pattern's
placeholders.

The schema ships in the package as clusters.schema.json (`s3pilot schema` prints it,
`s3pilot init` copies it); a test holds it equal to `text()`. After a change to schema.py's
declarations, write it anew:

    uv run python scripts/make_schema.py > s3pilot_cli/clusters.schema.json
"""

import json
import sys
from typing import Any

from s3pilot_cli.schema import (
    EVENT,
    MAX_COUNT,
    MAX_TEXT,
    PROGRAM,
    REGION_SOURCES,
    SCHEMA_VERSION,
    SECTIONS,
    SEPARATOR,
    SOURCE,
    TOP_KEYS,
    YEARS,
    Field,
    FieldKind,
)
from s3pilot_cli.textrules import CONTROL_RANGES

_DRAFT = "http://json-schema.org/draft-07/schema#"
# What the calendar never has, of a date's shape, said apart so that an editor's message can
# show it; 29 February outside a leap year is left to `validate`.
_NO_SUCH_DAY = r"^0000-|-02-3[01]$|-(0[469]|11)-31$"


def _not_blank(refused: str = "") -> str:
    """No control character (nor one of `refused`), and at least one that is not white space:
    what `validate` calls empty."""
    never = CONTROL_RANGES + refused
    return rf"^[^{never}]*[^\s{never}][^{never}]*$"


def generate() -> dict[str, Any]:
    """The JSON Schema of a registry file, from the declarations in `schema.py`."""
    properties: dict[str, Any] = {
        "schema_version": {
            "description": f"The registry format's version; this s3pilot reads {SCHEMA_VERSION}.",
            "type": "integer",
            "enum": [SCHEMA_VERSION],
        },
        "program": _object("[program]", PROGRAM),
    }
    for key, fields in SECTIONS.items():
        properties[key] = {"type": "array", "items": _object(f"[[{key}]]", fields)}
    properties[REGION_SOURCES] = _sources(f"[[{REGION_SOURCES}]]")
    properties["clusters"]["items"]["properties"]["region"] = _region_codes()
    return {
        "$schema": _DRAFT,
        "title": f"s3pilot registry, schema version {SCHEMA_VERSION}",
        "description": (
            "A registry of S3-piloten's clusters for s3pilot. 's3pilot validate FILE' has the"
            " last word: it also checks that ids, codes and names are unique and that every"
            " cluster's region is in the file."
        ),
        "type": "object",
        "properties": properties,
        "required": [key for key in TOP_KEYS if key != REGION_SOURCES],
        "additionalProperties": False,
    }


def text() -> str:
    """The schema as the shipped file holds it."""
    return json.dumps(generate(), ensure_ascii=False, indent=2) + "\n"


def _object(title: str, fields: tuple[Field, ...]) -> dict[str, Any]:
    table: dict[str, Any] = {
        "title": title,
        "type": "object",
        "properties": {field.name: _property(field) for field in fields},
    }
    if required := [field.name for field in fields if field.required]:
        table["required"] = required  # draft 4 wants at least one name here
    table["additionalProperties"] = False
    return table


def _sources(title: str) -> dict[str, Any]:
    """An array of sources; which fields a source may name is `validate`'s to check."""
    return {"type": "array", "items": _object(title, SOURCE)}


def _property(field: Field) -> dict[str, Any]:
    if field.kind is FieldKind.SOURCES:
        return _sources(f"{field.name}: a page, the fields it supports, the day it was read")
    if field.kind is FieldKind.EVENTS:
        title = f"{field.name}: a date (YYYY, YYYY-MM or YYYY-MM-DD), what happened, its page"
        return {"type": "array", "items": _object(title, EVENT)}
    if field.kind is FieldKind.YEAR:
        first, last = YEARS
        return {"description": "A year.", "type": "integer", "minimum": first, "maximum": last}
    if field.kind is FieldKind.COUNT:
        return {"description": "A count.", "type": "integer", "minimum": 0, "maximum": MAX_COUNT}
    if field.kind is FieldKind.TEXTS:  # an item may not hold the text formats' list separator
        return {"type": "array", "items": _string(field, refused=SEPARATOR)}
    return _string(field)


def _region_codes() -> dict[str, Any]:
    """A cluster's region: one of the bundled registry's codes, which an editor completes; the
    description names each (`validate` also checks it against the file's own regions)."""
    from s3pilot_cli.registry import bundled_path, read

    regions = read(bundled_path()).regions
    return {
        "description": "The ISO 3166-2 code of the cluster's region (län): "
        + ", ".join(f"{region.code} {region.name}" for region in regions)
        + ".",
        "type": "string",
        "enum": [region.code for region in regions],
    }


def _string(field: Field, refused: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {}
    if field.expected:
        schema["description"] = field.expected[0].upper() + field.expected[1:] + "."
    schema |= {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}
    if field.kind is not FieldKind.TEXT and field.pattern:
        return schema | _date(field)
    schema["pattern"] = f"^(?:{field.pattern.pattern})$" if field.pattern else _not_blank(refused)
    return schema


def _date(field: Field) -> dict[str, Any]:
    """A date or a month in two short checks whose messages a person can read (the whole
    calendar as one pattern is 300 characters, which is what Taplo and tombi would show)."""
    assert field.pattern is not None
    shape = {"pattern": f"^{field.pattern.pattern}$"}
    if field.kind is FieldKind.MONTH:
        return shape | {"not": {"description": "no such month: the year 0000", "pattern": "^0000-"}}
    if field.kind is FieldKind.WHEN:  # a year, a month or a day, as precise as its page
        return {
            "description": "A year, a month or a day: 2015, 2021-07 or 2018-03-26.",
            **shape,
            "not": {
                "description": "no such day or year: as for a date, and the year 0000",
                "pattern": f"^0000|{_NO_SUCH_DAY}",
            },
        }
    return {
        "description": (
            "A real date, written YYYY-MM-DD: the date the facts were last checked, such as"
            " 2026-11-27."
        ),
        **shape,
        "not": {
            "description": (
                "no such day: 30 or 31 February, the 31st of April, June, September or"
                " November, or the year 0000"
            ),
            "pattern": _NO_SUCH_DAY,
        },
    }


if __name__ == "__main__":
    sys.stdout.write(text())
