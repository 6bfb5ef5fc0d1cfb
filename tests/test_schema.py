"""The two checks of schema.py agree: the fast column check never passes what the
entry-by-entry diagnosis would refuse, and the field tables match the dataclasses."""

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s3pilot_cli import schema
from s3pilot_cli.errors import RegistryError
from s3pilot_cli.model import Cluster, Contact, Program, Region, Registry
from tests.strategies import registries


@pytest.mark.parametrize(
    ("fields", "model"),
    [
        (schema._PROGRAM, Program),
        (schema._CONTACT, Contact),
        (schema._REGION, Region),
        (schema._CLUSTER, Cluster),
    ],
)
def test_field_tables_follow_the_dataclasses(fields: tuple[Any, ...], model: type) -> None:
    assert [f.name for f in fields] == [f.name for f in dataclasses.fields(model)]


BAD_VALUES = [
    "",
    "   ",
    3,
    -1,
    True,
    1.5,
    [],
    ["x", 2],
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


def diagnosed(document: dict[str, Any]) -> list[str]:
    diagnosis = schema._Diagnosis(Path("r.toml"), "")
    diagnosis.run(document)
    return diagnosis.problems


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_the_column_check_is_never_more_lenient(document: dict[str, Any]) -> None:
    if schema._valid_columns(document) is not None:
        assert diagnosed(document) == []


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_check_raises_exactly_when_the_diagnosis_finds_problems(document: dict[str, Any]) -> None:
    problems = diagnosed(document)
    if problems:
        with pytest.raises(RegistryError) as raised:
            schema.check(document, Path("r.toml"), "")
        assert list(raised.value.problems) == problems
    else:
        assert isinstance(schema.check(document, Path("r.toml"), ""), Registry)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(registries())
def test_a_valid_document_passes_both_ways(generated: Registry) -> None:
    document = schema.to_document(generated)
    assert schema._valid_columns(document) is not None
    assert diagnosed(document) == []
    assert schema.check(document, Path("r.toml"), "") == generated
