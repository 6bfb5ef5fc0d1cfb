"""validate.py on generated documents: a valid one becomes its registry, a broken one is
refused with the broken entry and field named, and the field tables match the dataclasses.
The exact messages, with their lines, are in test_validate.py."""

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from s3pilot_cli import schema, validate
from s3pilot_cli.errors import RegistryError
from s3pilot_cli.model import Cluster, Contact, Program, Region, Registry
from tests.strategies import registries

FIELDS = {
    "program": schema.PROGRAM,
    "contacts": schema.CONTACT,
    "regions": schema.REGION,
    "clusters": schema.CLUSTER,
}


@pytest.mark.parametrize(
    ("fields", "model"),
    [
        (schema.PROGRAM, Program),
        (schema.CONTACT, Contact),
        (schema.REGION, Region),
        (schema.CLUSTER, Cluster),
    ],
)
def test_field_tables_follow_the_dataclasses(fields: tuple[Any, ...], model: type) -> None:
    assert [f.name for f in fields] == [f.name for f in dataclasses.fields(model)]


@pytest.mark.parametrize("section", ["contacts", "regions", "clusters"])
def test_each_entry_is_labelled_by_a_required_string(section: str) -> None:
    """The first field names the entry in messages ("cluster #2 'compare'"), so it must be there."""
    label = FIELDS[section][0]
    assert (label.kind, label.required) == (schema.FieldKind.TEXT, True)


class _Unread(str):
    """A file's text that fails the test if anyone splits it into lines."""

    __slots__ = ()

    def split(self, *args: Any, **kwargs: Any) -> list[str]:
        raise AssertionError("the lines of a valid registry were looked up")


@given(registries())
def test_a_valid_document_is_its_registry_and_its_lines_are_never_read(
    generated: Registry,
) -> None:
    document = schema.to_document(generated)
    assert validate.check(document, Path("r.toml"), _Unread("")) == generated


# Values no field of the kind accepts, whatever its pattern.
BROKEN = {
    schema.FieldKind.TEXT: ["", "   ", 3, True, 1.5, [], {"a": "b"}, "a\x1bb", "x" * 1001],
    schema.FieldKind.TEXTS: ["x", 3, {}, ["x", 2], [""], ["ok", "a\x07"], ["a; b"], ["a;b", "c"]],
    schema.FieldKind.DATE: ["", 3, "2026-02-30", "0000-03-26", "2026-1-27", "20261127"],
    schema.FieldKind.MONTH: ["", 3, "0000-08", "2018-13", "2018-8", "2018-08-01"],
    schema.FieldKind.COUNT: ["3", -1, True, 1.5, []],
    schema.FieldKind.YEAR: ["2018", 18, 20180, True, 1.5],
    schema.FieldKind.SOURCES: [
        "https://x.se",
        3,
        [3],
        [{}],
        [{"url": "ftp://x.se/", "fields": ["name"], "read": "2026-11-30"}],
        [{"url": "https://x.se/", "fields": ["colour"], "read": "2026-11-30"}],
        [{"url": "https://x.se/", "fields": [], "read": "2026-11-30"}],
        [{"url": "https://x.se/", "fields": ["name"], "read": "2026-02-30"}],
        [{"url": "https://x.se/", "fields": ["name"], "read": "2026-11-30", "page": 2}],
        [{"url": "https://x.se/", "fields": ["name"], "read": "2026-11-30", "caveat": ""}],
    ],
    schema.FieldKind.EVENTS: [
        "2021",
        3,
        [3],
        [{}],
        [{"date": "2021-13", "event": "x", "url": "https://x.se/"}],
        [{"date": "21", "event": "x", "url": "https://x.se/"}],
        [{"date": "2021-02-30", "event": "x", "url": "https://x.se/"}],
        [{"date": "2021", "event": "", "url": "https://x.se/"}],
        [{"date": "2021", "event": "x", "url": "x.se"}],
        [{"date": "2021", "event": "x", "url": "https://x.se/", "sets": "colour"}],
        [{"date": "2021", "event": "x", "url": "https://x.se/", "page": 2}],
        [{"date": "2021", "event": "x"}],
    ],
}
MISSING = object()


@given(registries(), st.data())
def test_one_broken_value_is_reported_first_at_its_entry_and_field(
    generated: Registry, data: st.DataObject
) -> None:
    document = schema.to_document(generated)
    section = data.draw(st.sampled_from(list(FIELDS)))
    if section == "program":
        entry, place = document["program"], "[program]"
    else:
        assume(document[section])
        index = data.draw(st.integers(0, len(document[section]) - 1))
        entry, place = document[section][index], f"{section[:-1]} #{index + 1}"
    field = data.draw(st.sampled_from(FIELDS[section]))
    value = data.draw(st.sampled_from([*BROKEN[field.kind], *[MISSING] * field.required]))
    if value is MISSING:
        entry.pop(field.name, None)
    else:
        entry[field.name] = value

    with pytest.raises(RegistryError) as raised:
        validate.check(document, Path("r.toml"), "")
    first = raised.value.problems[0]
    assert first.startswith((f"r.toml: {place}:", f"r.toml: {place} '"))
    assert f": {field.name}: " in first or f": {field.name}[" in first


BAD_VALUES = [
    "",
    "   ",
    3,
    -1,
    True,
    1.5,
    [],
    ["x", 2],
    ["a; b"],
    "a\x1bb",
    "x" * 1001,
    "Not A Slug",
    "SE-ZZZ",
    "ftp://example.se",
    "{first}.{nope}",
    None,
]


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document with one to three values broken, removed, duplicated or added."""
    document = schema.to_document(draw(registries()))
    for _ in range(draw(st.integers(1, 3))):
        section = draw(st.sampled_from(["program", "contacts", "regions", "clusters"]))
        if section == "program":
            entry = document["program"]
        elif document[section]:
            entry = draw(st.sampled_from(document[section]))
        else:
            continue
        key = draw(st.sampled_from([*entry, "unknown_key"]))
        how = draw(st.sampled_from(["bad", "delete", "copy"]))
        if how == "delete":
            entry.pop(key, None)
        elif how == "copy" and section != "program" and len(document[section]) > 1:
            other = draw(st.sampled_from(document[section]))
            if key in other:
                entry[key] = other[key]
        else:
            value = draw(st.sampled_from(BAD_VALUES))
            if value is None:
                entry.pop(key, None)
            else:
                entry[key] = value
    return document


PLACES = ("top level: ", "[program]: ", "contact #", "region #", "cluster #")


@given(mutated())
def test_any_document_is_a_registry_or_a_list_of_placed_problems(
    document: dict[str, Any],
) -> None:
    problems: tuple[str, ...] = ()
    try:
        checked = validate.check(document, Path("r.toml"), "")
    except RegistryError as error:
        problems = error.problems
        assert problems
    else:
        assert validate.check(schema.to_document(checked), Path("r.toml"), "") == checked
    for problem in problems:
        assert problem.removeprefix("r.toml: ").startswith(PLACES), problem
