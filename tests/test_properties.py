"""Property tests: any valid registry survives export → load → export byte for byte, and
look-up and filtering on it raise nothing but the documented errors."""

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s3pilot_cli import lookup, registry, schema
from s3pilot_cli.errors import S3PilotError
from s3pilot_cli.formats import write_json_document, write_toml_document
from s3pilot_cli.model import Cluster, Contact, Program, Region, Registry
from s3pilot_cli.text import fold

# Any text a registry accepts: no control characters or lone surrogates, not blank.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30
).filter(lambda s: s.strip())
SLUG = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
OPTIONAL = st.none() | TEXT
TEXTS = st.lists(TEXT, max_size=3).map(tuple)


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
                st.tuples(
                    TEXT, st.from_regex(r"0[0-9]{1,3}-[0-9]{3} [0-9]{2} [0-9]{2}", fullmatch=True)
                ),
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
    clusters = tuple(
        Cluster(
            id=ident,
            name=name,
            region=draw(st.sampled_from(codes)),
            city=draw(OPTIONAL),
            website=draw(st.none() | SLUG.map(lambda s: f"https://{s}.se")),
            focus=draw(OPTIONAL),
            aliases=draw(TEXTS),
        )
        for ident, name in zip(ids, cluster_names, strict=True)
    )
    return Registry(program, contacts, regions, clusters)


def exported(write: object, loaded: Registry) -> str:
    out = io.StringIO()
    write(out, schema.to_document(loaded))  # type: ignore[operator]
    return out.getvalue()


def load_text(text: str, suffix: str) -> Registry:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"registry{suffix}"
        path.write_text(text, encoding="utf-8")
        return registry.load(path)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(registries())
def test_toml_export_load_export_is_byte_for_byte(generated: Registry) -> None:
    first = exported(write_toml_document, generated)
    loaded = load_text(first, ".toml")
    assert loaded == generated
    assert exported(write_toml_document, loaded) == first


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(registries())
def test_json_export_load_export_is_byte_for_byte(generated: Registry) -> None:
    first = exported(write_json_document, generated)
    loaded = load_text(first, ".json")
    assert loaded == generated
    assert exported(write_json_document, loaded) == first


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(registries(), st.text(), st.text())
def test_lookup_and_filtering_raise_only_documented_errors(
    generated: Registry, region_query: str, cluster_query: str
) -> None:
    for attempt in (
        lambda: lookup.find_regions(generated, [region_query]),
        lambda: lookup.find_cluster(generated, cluster_query),
        lambda: lookup.search(generated.clusters, cluster_query),
    ):
        try:
            attempt()
        except S3PilotError as error:
            assert error.exit_code in (2, 3)  # noqa: PT017
