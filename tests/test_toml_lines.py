"""Where a TOML text says something: each item of an array at its own line, whatever its
strings and comments hold; None where the line cannot be told, never a wrong one."""

import tomllib

from s3pilot_cli.toml_lines import TomlLines

TEXT = """schema_version = 1
region_sources = [  # a comment with [ and , in it
  "a, b ] c",
  { url = "x", fields = ["a", "b"] }, 3,
  '''
multi ] line,
''',
  [1, [2, 3]],
]
program = { name = "x" }

[program2]
name = "y"

[[clusters]]
id = "a"

[[clusters]]
id = "b"
aliases = ["c", "d"]
"""


def test_the_text_is_toml() -> None:
    assert len(tomllib.loads(TEXT)["region_sources"]) == 5


def test_each_item_of_an_array_is_at_its_own_line() -> None:
    lines = TomlLines(TEXT)
    assert [lines.item("region_sources", n) for n in range(1, 7)] == [3, 4, 4, 5, 8, None]
    # an entry of an array of tables written inline is its item's line
    assert lines.line("region_sources", 1, "url") == 4


def test_what_is_not_an_array_has_no_items() -> None:
    lines = TomlLines(TEXT)
    assert lines.item("program", 1) is None
    assert lines.item("schema_version", 1) is None
    assert lines.item("nosuch", 1) is None


def test_tables_entries_and_keys() -> None:
    lines = TomlLines(TEXT)
    assert lines.line("program2") == 12
    assert lines.line("program2", None, "name") == 13
    assert lines.line("clusters", 1, "aliases[2]") == 20
    assert lines.line("clusters", 1, "id") == 19
    assert lines.line("", None, "schema_version") == 1
    assert lines.line("", None, "nosuch") is None
    assert lines.line("clusters", 5) is None
