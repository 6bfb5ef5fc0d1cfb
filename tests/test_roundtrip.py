"""Round trips: any valid registry survives export → load → export byte for byte."""

import io
import tempfile
from pathlib import Path

from hypothesis import given

from s3pilot_cli import registry
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
