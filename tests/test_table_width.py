"""Tables never hide a column nor cut a value silently, in a real terminal of any width.

Each command runs as the installed `s3pilot` in a pty whose size is set with TIOCSWINSZ (no
COLUMNS in the environment), 40, 60, 80 and 120 columns wide. The screen is read back and
compared with what the same command writes as JSON. It must show every chosen field: as a
column of the table, read column by column where the header line puts them, or as the
`field  value` lines of every record. In a table, every value must be there word for word,
wrapped only between words; a value that does not fit may be shortened only visibly, with "…".
In a record's lines, nothing is shortened, and a value people copy is whole on one line.
"""

import io
import json
import os
import re
import subprocess
from collections.abc import Callable, Mapping, Sequence
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s3pilot_cli.formats.table import write_table
from s3pilot_cli.records import Records
from s3pilot_cli.schema import KINDS
from tests.conftest import CLUSTER_FIELDS, Cli, in_pty, installed_command

WIDTHS = (40, 60, 80, 120)
ALL_FIELDS = (
    "id,name,region,region_code,lan_code,county,nuts3,region_body,city,website,focus,aliases"
)
# The command, and the fields its table shows (README: the table's columns, `--fields`).
CASES: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "contacts": (["contacts"], ("name", "phone", "email")),
    "list": (["list"], ("name", "region", "city", "focus")),
    "list-all-fields": (["list", "--fields", ALL_FIELDS], tuple(ALL_FIELDS.split(","))),
    "show-paper": (["show", "paper"], (*CLUSTER_FIELDS, "events")),
}
# Values people copy (README): never wrapped, never cut. `sources`, a list of URLs, wraps
# between them in a table, and is a URL a line in a record's lines.
WHOLE = {"id", "region_code", "lan_code", "nuts3", "phone", "email", "website", "sources"}
WHOLE |= {"kommun_code", "eccp_url"}
# Lists of prose, an item a paragraph in a record's lines.
PARAGRAPHS = {"events"}


def on_screen(args: Sequence[str], columns: int) -> list[str]:
    """What `s3pilot ARGS` shows in a terminal `columns` wide, line by line."""
    screen = in_pty([installed_command(), *args], columns=columns, env={"NO_COLOR": "1"})
    assert screen.returncode == 0, screen.shown
    return [line.rstrip() for line in screen.shown.split("\n") if line.strip()]


def text(value: object) -> str:
    """A JSON value as a table shows it: lists joined with '; ' (README), null as nothing."""
    if isinstance(value, list):
        return "; ".join(value)
    return "" if value is None else str(value)


def check_column(shown: list[str], expected: list[tuple[str, str]], where: str) -> None:
    """The words of a column on screen are the words of (field, value), in order: each one
    whole, or a start of it ending in "…"; a value people copy is never cut nor split."""
    tokens = iter(shown)
    for field, value in expected:
        for word in value.split():
            token = next(tokens, None)
            assert token is not None, f"{where}: {field} {value!r}: {word!r} is missing"
            if token == word:
                continue
            shortened = f"{where}: {field} {value!r}: {token!r} on screen is not {word!r}"
            assert field not in WHOLE, f"{shortened}: a value people copy is cut"
            assert token.endswith("…"), f"{shortened}, and has no '…'"
            assert word.startswith(token[:-1]), f"{shortened}, nor the start of it"
    assert next(tokens, None) is None, f"{where}: more on screen than in the data"


def check_screen(
    lines: list[str],
    fields: tuple[str, ...],
    records: Sequence[Mapping[str, object]],
    columns: int,
    where: str,
) -> bool:
    """Every field shown, every value honest; True if the screen is a table, False if the
    records' lines."""
    if len(lines) < 2 or set(lines[1].strip()) != {"─"}:
        check_lines(lines, fields, records, columns, where)
        return False
    assert all(len(line) <= columns for line in lines), f"{where}: a line is wider than the screen"
    header, _, *body = lines
    names = header.split()
    starts = [match.start() for match in re.finditer(r"\S+", header)]
    assert names == list(fields), f"{where}: the header shows {names}, not {list(fields)}"
    expected = [[(field, text(record[field])) for record in records] for field in fields]
    ends = [*starts[1:], columns + 1]
    for j, (start, end) in enumerate(zip(starts, ends, strict=True)):
        words = [word for line in body for word in line[start:end].split()]
        check_column(words, expected[j], f"{where}, column {names[j]}")
    return True


def copied(field: str, value: object) -> list[str]:
    """The values of a field people copy whole: the value, or each item of a list."""
    if field not in WHOLE or value in (None, ""):
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def check_lines(
    lines: list[str],
    fields: tuple[str, ...],
    records: Sequence[Mapping[str, object]],
    columns: int,
    where: str,
) -> None:
    """Records as `field  value` lines: every field's name and every word of its value, in
    order, none cut; each value people copy whole on one line of the screen; a line wider
    than the screen only where such a value, or a single word, is too wide for it."""
    expected: list[str] = []
    for record in records:
        for field in fields:
            value = record[field]
            expected.append(field)
            # a cluster's events: each a paragraph of its own words, no separator between
            items = value if field in PARAGRAPHS and isinstance(value, list) else None
            words = copied(field, value) or items or [text(value)]
            expected += [word for item in words for word in item.split()]
    shown = [word for line in lines for word in line.split()]
    assert shown == expected, f"{where}: the lines are not the records word for word"
    whole = [
        value for record in records for field in fields for value in copied(field, record[field])
    ]
    for value in whole:
        assert any(value in line for line in lines), f"{where}: {value!r} is split"
    for line in lines:
        alone = line.strip() in whole or len(line.split()) <= 2
        assert len(line) <= columns or alone, f"{where}: {line!r} is too wide"


@pytest.mark.slow
@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("case", list(CASES))
def test_every_column_and_every_value_honest(
    sh: Callable[..., subprocess.CompletedProcess[str]], case: str, columns: int
) -> None:
    args, fields = CASES[case]
    data = json.loads(sh(*args, "--format", "json").stdout)
    # A table names a kind as a reader does (schema.KINDS), JSON by its code.
    records = [
        {**record, "kind": KINDS[record["kind"]]} if record.get("kind") else record
        for record in (data if isinstance(data, list) else [data])
    ]
    check_screen(on_screen(args, columns), fields, records, columns, f"{case} at {columns}")


@pytest.mark.slow
@pytest.mark.parametrize(("case", "columns"), [("contacts", 80), ("list", 60), ("list", 80)])
def test_a_table_while_its_columns_fit(
    sh: Callable[..., subprocess.CompletedProcess[str]], case: str, columns: int
) -> None:
    """Blocks are the last resort: where every column keeps its header, it stays a table."""
    args, fields = CASES[case]
    records = json.loads(sh(*args, "--format", "json").stdout)
    assert check_screen(on_screen(args, columns), fields, records, columns, case)


@pytest.mark.slow
def test_an_address_is_never_cut_to_keep_a_table(
    sh: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    """At 60 columns the contacts' e-mail addresses do not fit beside the names and numbers:
    each contact's lines, where each address is whole, rather than a table of cut ones."""
    args, fields = CASES["contacts"]
    records = json.loads(sh(*args, "--format", "json").stdout)
    lines = on_screen(args, 60)
    assert not check_screen(lines, fields, records, 60, "contacts at 60")
    shown = [line.split()[1] for line in lines if line.split()[:1] == ["email"]]
    assert shown == [record["email"] for record in records]


@pytest.mark.slow
def test_an_address_too_long_for_the_line_stands_whole_under_its_label() -> None:
    """At 40 columns the longer address, cecilia.johansson@tillvaxtverket.se (35 letters,
    the page's pattern), cannot fit beside its field name: it stands on the next line whole
    (it was cut to 'cecilia.johansson@tillvaxtver…', then folded at the edge)."""
    lines = on_screen(["contacts"], 40)
    at = lines.index("  cecilia.johansson@tillvaxtverket.se")
    assert lines[at - 1] == "email", lines
    assert not any("…" in line for line in lines), lines


@pytest.mark.slow
def test_words_are_never_split() -> None:
    """The old layout showed 'TechTan' and 'k' at 40 columns; the whole word is there now."""
    lines = on_screen(["list"], 40)
    assert any(line.split()[1:] == ["TechTank"] for line in lines), lines


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöABC-.@0123456789", min_size=1, max_size=40)
_VALUE = st.lists(_WORD, max_size=8).map(" ".join)


@given(
    fields=st.lists(st.sampled_from(ALL_FIELDS.split(",")), min_size=1, max_size=12, unique=True),
    values=st.lists(st.lists(_VALUE, min_size=12, max_size=12), min_size=1, max_size=4),
    columns=st.integers(min_value=40, max_value=160),
)
def test_any_records_in_any_width_are_shown_honestly(
    fields: list[str], values: list[list[str]], columns: int
) -> None:
    """The same check on made-up records: whatever the values and the width, no column is
    lost, no line is too wide, and no value is cut without '…'."""
    records = Records(tuple(fields), tuple(tuple(row[: len(fields)]) for row in values))
    out = io.StringIO()
    with mock.patch.dict(os.environ, {"COLUMNS": str(columns), "NO_COLOR": "1"}):
        write_table(out, records)
    lines = [line.rstrip() for line in out.getvalue().split("\n") if line.strip()]
    check_screen(lines, tuple(fields), records.objects(), columns, f"{fields} at {columns}")


@pytest.mark.parametrize("columns", [40, 50, 60, 70, 80, 90, 100, 120, 140, 160])
def test_the_mark_of_english_words_is_never_broken(cli: Cli, columns: int) -> None:
    """ "(på engelska)" stays on one line, in a table's cells (`timeline`, `list --fields
    note`) and in a record's lines (`show`) alike; at these widths it fell across two."""
    env = {"COLUMNS": str(columns), "S3PILOT_LANG": "sv", "NO_COLOR": "1"}
    for args in (
        ["timeline"],
        ["list", "--fields", "id,note"],
        ["show", "mjardevi-science-park"],
    ):
        out = cli(*args, "--format", "table", env=env).stdout
        assert out.count("(på") == out.count("(på engelska)") > 0, (args, out)


@pytest.mark.parametrize("lang", ["en", "sv"])
@pytest.mark.parametrize("columns", [80, 90, 100, 120])
def test_a_row_of_list_is_one_row_however_its_cells_wrap(columns: int, lang: str) -> None:
    """A line whose first cell is empty is the row above's: the name, which starts a row, is
    never wrapped, so "Entreprenörsdrivet Företagsnav" is not a name and a row of nothing."""
    registry = json.loads(
        subprocess.run(
            [installed_command(), "list", "--format", "json", "--fields", "name"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    names = [cluster["name"] for cluster in registry]
    env = {**os.environ, "COLUMNS": str(columns), "S3PILOT_LANG": lang}
    shown = subprocess.run(
        [installed_command(), "list", "--format", "table"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    lines = shown.splitlines()[2:]  # after the header and its rule
    starts = [line[1:].split("  ")[0] for line in lines if line[:2].strip()]
    assert starts == names, shown
