"""Property tests: any valid registry survives export → load → export byte for byte, and
look-up and filtering on it raise nothing but the documented errors."""

import io
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from s3pilot_cli import lookup, registry
from s3pilot_cli.errors import S3PilotError
from s3pilot_cli.formats.objects import write_registry_json, write_toml
from s3pilot_cli.model import Registry
from tests.strategies import registries


def exported(write: object, loaded: Registry) -> str:
    out = io.StringIO()
    write(out, loaded)  # type: ignore[operator]
    return out.getvalue()


def load_text(text: str, suffix: str) -> Registry:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"registry{suffix}"
        path.write_text(text, encoding="utf-8")
        return registry.read(path)


@given(registries())
def test_toml_export_load_export_is_byte_for_byte(generated: Registry) -> None:
    first = exported(write_toml, generated)
    loaded = load_text(first, ".toml")
    assert loaded == generated
    assert exported(write_toml, loaded) == first


@given(registries())
def test_json_export_load_export_is_byte_for_byte(generated: Registry) -> None:
    first = exported(write_registry_json, generated)
    loaded = load_text(first, ".json")
    assert loaded == generated
    assert exported(write_registry_json, loaded) == first


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
