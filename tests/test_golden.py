"""Tables and Markdown, whole, at a fixed width, against the files in tests/golden/.

Each golden file was read line by line against the programme page and the reference facts
when it was written; after a deliberate change to the output, check the new one the same way.
"""

from pathlib import Path

import pytest

from tests.conftest import Cli

GOLDEN = Path(__file__).parent / "golden"

CASES = {
    "list.txt": ["list", "--format", "table"],
    "list-varmland-dalarna.txt": ["list", "-r", "Värmland", "-r", "Dalarna", "--format", "table"],
    "regions.txt": ["regions", "--format", "table"],
    "show-paper-province.txt": ["show", "paper-province", "--format", "table"],
    "contacts.txt": ["contacts", "--format", "table"],
    "list.md": ["list", "--format", "markdown", "--fields", "name,region,city,website"],
    "regions.md": ["regions", "--format", "markdown"],
}


@pytest.mark.parametrize("name", list(CASES))
def test_output_matches_its_golden_file(cli: Cli, name: str) -> None:
    run = cli(*CASES[name], env={"COLUMNS": "100", "TERM": "xterm-256color"})
    assert run.stdout == (GOLDEN / name).read_text(encoding="utf-8")
