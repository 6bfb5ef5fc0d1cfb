"""The code's licence and the data's say the same wherever they are stated."""

import re
import tomllib

from s3pilot_cli.licences import DATA_LICENCE, DATA_STATEMENT
from tests.conftest import BUNDLED, ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


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
