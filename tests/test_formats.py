"""The formats table: the format a file name chooses, what the table hands each writer, the
output contract's table of formats (docs/contract.md), and every writer writing anything
`validate` accepts."""

import inspect
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s3pilot_cli import formats, schema
from s3pilot_cli.errors import RegistryError
from s3pilot_cli.formats import FORMATS, Format
from s3pilot_cli.model import Registry
from s3pilot_cli.registry import read
from tests.conftest import Cli, problems
from tests.strategies import INVISIBLE, registries

# --- The formats table -----------------------------------------------------------------------


def test_the_file_name_chooses_both_formats() -> None:
    assert formats.EXTENSIONS[".zip"] is Format.DATAPACKAGE
    assert formats.EXTENSIONS[".geojson"] is Format.GEOJSON
    assert {Format.DATAPACKAGE, Format.GEOJSON} <= set(formats.EXPORT_FORMATS)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_each_row_loads_its_writers(fmt: Format) -> None:
    """A row's loaders import their modules and give a function (mypy checks its shape)."""
    spec = FORMATS[fmt]
    for writes in (spec.writer, *spec.options.values()):
        assert inspect.isfunction(writes.load()), fmt


def test_an_option_has_its_own_writer_write() -> None:
    csv = FORMATS[Format.CSV]
    assert formats.tools(Format.CSV, excel=True).writer is csv.options["excel"]
    assert formats.tools(Format.CSV, excel=False).writer is csv.writer


# --- The output contract's table (docs/contract.md) --------------------------------------------

CONTRACT = (Path(__file__).parent.parent / "docs" / "contract.md").read_text(encoding="utf-8")
WRITTEN_BY = {
    formats.FormatKind.VIEW: "record commands",
    formats.FormatKind.RECORDS: "record commands, `export`",
    formats.FormatKind.CONTACTS: "`contacts`",
    formats.FormatKind.REGISTRY: "`export`",
}


def test_the_contracts_formats_table_is_the_formats_table() -> None:
    """Format, who writes it, the `-o` names and binary, row for row as FORMATS has them."""
    table = CONTRACT.split("\n| format | written by |", 1)[1].split("\n\n", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` \|(.*)\|$", table, re.M)
    shown = [(fmt, *(cell.strip() for cell in rest.split("|")[:3])) for fmt, rest in rows]
    expected = []
    for fmt, spec in FORMATS.items():
        by = WRITTEN_BY[spec.kind] + (", `info`" if fmt in formats.INFO_FORMATS else "")
        names = " ".join(f"`{extension}`" for extension in spec.extensions)
        expected.append((str(fmt), by, names, "yes" if spec.binary else ""))
    assert shown == expected


# Any character, and often one of those that broke something once: lone surrogates (which only
# a JSON file can hold), format characters, separators, controls, non-Latin scripts, emoji.
_SPECIAL = (
    st.sampled_from(
        list("\ud800\udfff\udcff\ud83d\u202e\u2066\u200b\u2060\ufeff\u2028\u2029\x1b\x85;@{")
    )
    | INVISIBLE
)


_HOSTILE = st.builds(
    "{}{}{}".format, st.text(min_size=1, max_size=6), _SPECIAL, st.text(max_size=6)
) | st.text(st.characters() | _SPECIAL, max_size=12)


_PLACE = re.compile(
    r"(top level|\[program\]|(contact|region|cluster) #\d+( '.*?')?):( [a-z_]+(\[\d+\])?:)? "
)


_PATTERNED = {
    field.name
    for fields in (schema.PROGRAM, *schema.SECTIONS.values())
    for field in fields
    if field.pattern is not None or field.name in ("email_pattern", "region", "name")
}


def _text_fields(document: dict[str, Any]) -> list[tuple[str, int | None, str, int | None]]:
    """Each text in the document: its table, entry, key and list index."""
    places: list[tuple[str, int | None, str, int | None]] = []
    tables: list[tuple[str, int | None, dict[str, Any]]] = [("program", None, document["program"])]
    for section in ("contacts", "regions", "clusters"):
        tables += [(section, i, entry) for i, entry in enumerate(document[section])]
    for table, index, entry in tables:
        for key, value in entry.items():
            if isinstance(value, str):
                places.append((table, index, key, None))
            elif isinstance(value, list):
                places += [(table, index, key, n) for n in range(len(value))]
    return places


def _written(cli: Cli, registry: Path, folder: Path, cluster: str | None) -> None:
    """Every command in every format it writes, to stdout or a file: none may fail."""
    from s3pilot_cli.formats import CONTACT_FORMATS, EXPORT_FORMATS, FORMATS, RECORD_FORMATS
    from s3pilot_cli.outlines import load_outlines

    outlines = load_outlines().lan

    def run(*args: str) -> None:
        cli("--registry", str(registry), *args)

    for fmt in RECORD_FORMATS:
        run("list", "--format", fmt)
        run("regions", "--format", fmt)
        if cluster is not None:
            run("show", cluster, "--format", fmt)
    for fmt in CONTACT_FORMATS:
        run("contacts", "--format", fmt)
    for view in ("table", "plain", "json"):
        run("info", "--format", view)
    # The map, the GeoJSON and the web page draw Sweden's län: other länskoder exit 4, by design.
    swedish = all(region.lan_code in outlines for region in read(registry).regions)
    for fmt in EXPORT_FORMATS:
        if fmt in ("geojson", "html") and not swedish:
            continue
        extension = FORMATS[fmt].extensions[0] if FORMATS[fmt].extensions else ".json"
        run("export", "--format", fmt, "-o", str(folder / f"out-{fmt}{extension}"))
    if swedish:
        run("map", "-o", str(folder / "map.svg"))
    run("validate")
    run("diff", str(registry), str(registry), "--format", "json")


@given(registries(), st.data())
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_what_validate_accepts_every_writer_writes(
    cli: Cli, registry: Registry, data: st.DataObject
) -> None:
    """A random text (surrogates, format characters, any script) in a random field of a valid
    registry: either `validate` refuses it, every line located, or every command and format
    writes it."""
    import tempfile

    from s3pilot_cli.schema import to_document

    document = to_document(registry)
    places = _text_fields(document)
    # half the time a text that no pattern restricts, which more hostile values get through
    free = [place for place in places if place[2] not in _PATTERNED]
    table, index, key, item = data.draw(st.sampled_from(free) | st.sampled_from(places))
    entry = document[table] if index is None else document[table][index]
    text = data.draw(_HOSTILE)
    if item is None:
        entry[key] = text
    else:
        entry[key][item] = text
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.json"
        # ensure_ascii: a lone surrogate is written as its escape, as a hostile file has it
        path.write_text(json.dumps(document, ensure_ascii=True), encoding="utf-8")
        try:
            read(path)
        except RegistryError:
            for problem in problems(cli, path):
                assert problem.startswith(f"{path}: "), problem
                assert _PLACE.match(problem.removeprefix(f"{path}: ")), problem
            return
        clusters = document["clusters"]
        _written(cli, path, Path(folder), clusters[0]["id"] if clusters else None)
