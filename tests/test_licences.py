"""The code's licence and the data's say the same wherever they are stated."""

import io
import re
import sqlite3
import tomllib
import xml.etree.ElementTree as ET
from contextlib import closing
from pathlib import Path

import openpyxl
import pytest

from s3pilot_cli.licences import DATA_LICENCE, DATA_STATEMENT
from tests.conftest import BUNDLED, MINIMAL, ROOT, Cli, interop

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SVG = "{http://www.w3.org/2000/svg}"


def test_the_licence_file_is_mit_as_pyproject_says() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 the s3pilot authors\n")
    assert "Permission is hereby granted, free of charge" in text
    assert PYPROJECT["project"]["license"] == "MIT"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]


def header(text: str) -> str:
    """The comment lines at the top of a registry file, without their `# `."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.removeprefix("#").strip())
    return " ".join(lines)


def test_the_registry_file_names_the_data_licence_in_its_header() -> None:
    said = header(BUNDLED.read_text(encoding="utf-8"))
    assert f"{DATA_LICENCE.title} ({DATA_LICENCE.name}, {DATA_LICENCE.path})" in said
    assert "Statistics Sweden" in said
    assert "MIT" in said


def test_the_readme_says_the_same() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"\n## Open data\n(.*?)\n## ", readme, re.DOTALL)
    assert match, "README.md has no 'Open data' section"
    section = match.group(1)
    assert f"[CC0 1.0]({DATA_LICENCE.path})" in section
    assert "MIT" in section
    assert "Statistics Sweden" in section


def test_the_one_line_statement_names_the_licence_and_fits_the_maps_footer() -> None:
    assert DATA_STATEMENT.startswith(f"Data: CC0-1.0 ({DATA_LICENCE.path})")
    assert "\n" not in DATA_STATEMENT
    # The map is 769 pixels wide; its footer's 11-pixel text is about 6 pixels a character.
    assert len(DATA_STATEMENT) <= 120


def test_the_statement_names_the_licence() -> None:
    assert DATA_LICENCE.name in DATA_STATEMENT
    assert DATA_LICENCE.path in DATA_STATEMENT


def test_the_workbook_carries_the_licence(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "s3pilot.xlsx"
    cli("export", "-o", str(target))
    workbook = openpyxl.load_workbook(target)
    custom = {p.name: p.value for p in workbook.custom_doc_props.props}
    assert custom["License"] == DATA_STATEMENT


def test_the_database_carries_the_licence(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "s3pilot.db"
    cli("export", "-o", str(target))
    with closing(sqlite3.connect(target)) as db:
        assert db.execute("SELECT license FROM program").fetchall() == [(DATA_STATEMENT,)]


@pytest.mark.slow
@pytest.mark.parametrize("registry", [BUNDLED, MINIMAL], ids=["bundled", "minimal"])
def test_the_map_footer_ends_with_the_licence_drawn_whole(cli: Cli, registry: Path) -> None:
    np = interop("numpy")
    resvg_py = interop("resvg_py")
    Image = interop("PIL").Image
    svg = cli("--registry", str(registry), "map").stdout
    root = ET.fromstring(svg)  # noqa: S314 (s3pilot's own output, in a test)
    sources = root.find(f"{SVG}g[@id='sources']")
    assert sources is not None
    last = list(sources)[-1]
    assert last.text == DATA_STATEMENT
    png = bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=1))
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    width = int(root.attrib["width"])
    assert pixels.shape[1] == width
    # The statement's row of text: ink in it, and none within 12 px of the right edge.
    baseline = int(float(last.attrib["y"]))
    band = pixels[baseline - 11 : baseline + 3]
    ink = band.max(axis=2) < 200
    assert ink[:, : width // 2].any(), "the statement is drawn"
    assert not ink[:, width - 12 :].any(), "the statement reaches the right edge"
