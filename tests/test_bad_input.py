"""Every kind of broken input: one line on stderr with its place, a documented exit code,
nothing on stdout, no traceback, and nothing of the user's lost."""

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from s3pilot_cli.errors import ExitCode
from tests.conftest import BUNDLED, MINIMAL, Cli

Write = Callable[..., Path]


def fails(cli: Cli, *args: str, code: int) -> str:
    """Run s3pilot expecting failure; return its one line of stderr."""
    run = cli(*args, exit_code=code)
    assert run.stdout == ""
    assert run.stderr.startswith("s3pilot: error: ")
    assert run.stderr.endswith("\n")
    assert run.stderr.count("\n") == 1
    assert "Traceback" not in run.stderr
    assert "\x1b" not in run.stderr
    return run.stderr.removeprefix("s3pilot: error: ").removesuffix("\n")


def test_missing_file(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    message = fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY)
    assert message == f"{path}: no such registry file; check the path"


def test_a_directory(cli: Cli, tmp_path: Path) -> None:
    message = fails(cli, "--registry", str(tmp_path), "list", code=ExitCode.BAD_REGISTRY)
    assert message == f"{tmp_path}: is a directory; give the path of a registry .toml file"


def test_empty_file(cli: Cli, write_registry: Write) -> None:
    path = write_registry("  \n")
    assert fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY) == (
        f"{path}: is empty; start from the bundled registry ('s3pilot init', or"
        " 's3pilot export --format toml > FILE')"
    )


def test_latin1_bytes(cli: Cli, tmp_path: Path, registry_text: str) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(registry_text.encode("latin-1"))
    # The first byte that is not UTF-8 is the "ä" of "Tillväxtverket" on line 6.
    assert fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY) == (
        f"{path}:6: not UTF-8 (byte 0xe4); save the file with UTF-8 encoding"
    )


def test_a_byte_order_mark_is_accepted(cli: Cli, tmp_path: Path, registry_text: str) -> None:
    """Windows editors write one; the registry reads as if it were not there."""
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + registry_text.encode("utf-8"))
    assert cli("--registry", str(path), "list").stdout == "Compare\nPaper Province\n"


def test_toml_syntax_error_names_the_line(
    cli: Cli, write_registry: Write, registry_text: str
) -> None:
    path = write_registry(registry_text.replace('name = "Compare"', 'name = "Compare'))
    assert fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY) == (
        f"{path}:37:16: TOML syntax error: Illegal character '\\n'; fix that line"
    )


def test_a_syntax_error_in_a_large_file_names_the_line(cli: Cli, write_registry: Write) -> None:
    """An error far into a large file is placed as exactly as one near the top."""
    text = MINIMAL.read_text(encoding="utf-8") + "".join(
        f'[[clusters]]\nid = "c-{n}"\nname = "C {n}"\nregion = "SE-S"\n\n' for n in range(1000)
    )
    lines = text.split("\n")
    lines[2000] = 'focus = "unterminated'
    path = write_registry("\n".join(lines))
    assert path.stat().st_size > 32 * 1024
    message = fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY)
    assert message.startswith(f"{path}:2001:")
    assert "TOML syntax error" in message


def test_json_syntax_error_names_the_line(cli: Cli, write_registry: Write) -> None:
    path = write_registry('{\n  "schema_version": 1,\n  "program": }\n', name="r.json")
    assert fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY) == (
        f"{path}:3:14: JSON syntax error: Expecting value; fix that line"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "selected = 22",
            "selected = 22.0",
            "{path}:10: [program]: selected: must be an integer, not a float",
        ),
        (
            'city = "Karlstad"',
            'town = "Karlstad"',
            "{path}:39: cluster #1 'compare': town: unknown key; remove it, or use one of:"
            " id, name, region, city, kommun, kommun_code, website, focus, focus_sv, aliases,"
            " now_called, founded, founded_note, kind, label, note, s3_area, eccp_url, events,"
            " sources",
        ),
        (
            'id = "paper-province"',
            'id = "compare"',
            "{path}:44: cluster #2 'compare': id: 'compare' is used by cluster #1 'compare'"
            " already; make it unique",
        ),
        (
            'region = "SE-S"\ncity',
            'region = "SE-Q"\ncity',
            "{path}:38: cluster #1 'compare': region: 'SE-Q' is not the code of a region in"
            " this registry; use one such as SE-S (see 's3pilot regions')",
        ),
    ],
    ids=["wrong type", "unknown key", "duplicate id", "dangling region"],
)
def test_checked_problems_through_the_command(
    cli: Cli, write_registry: Write, registry_text: str, old: str, new: str, expected: str
) -> None:
    path = write_registry(registry_text.replace(old, new, 1))
    message = fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY)
    assert message == expected.replace("{path}", str(path))


@pytest.mark.parametrize(
    "pattern",
    ["{first.x}@a.se", "{first!r}@a.se", "{last[0]}@a.se", "{first:>9}@a.se", "{0}@a.se", "{@a.se"],
    ids=["attribute", "conversion", "index", "format spec", "position", "unmatched brace"],
)
@pytest.mark.parametrize("command", ["list", "contacts", "validate"])
def test_an_email_pattern_beyond_first_and_last_is_refused(
    cli: Cli, write_registry: Write, registry_text: str, pattern: str, command: str
) -> None:
    """Python's format language has more than the two fields; none of it may reach `format`."""
    old = 'email_pattern = "{first}.{last}@tillvaxtverket.se"'
    path = write_registry(registry_text.replace(old, f'email_pattern = "{pattern}"', 1))
    run = cli("--registry", str(path), command, exit_code=ExitCode.BAD_REGISTRY)
    assert run.stdout == ""
    message = (
        f"{path}:13: [program]: email_pattern: '{pattern}' may use only {{first}} and {{last}}"
    )
    assert run.stderr.splitlines()[0].endswith(f": {message}")


@pytest.mark.parametrize(
    "pattern",
    ["{{first}}.{last}@a.se", "{first} {last}@a.se", "{first}{last}", "{first}@{last}@a.se"],
    ids=["braces", "space", "no domain", "two @"],
)
def test_an_email_pattern_that_makes_no_address_is_refused(
    cli: Cli, write_registry: Write, registry_text: str, pattern: str
) -> None:
    """The addresses reach vCards and mailto links: each must be name@domain."""
    old = 'email_pattern = "{first}.{last}@tillvaxtverket.se"'
    path = write_registry(registry_text.replace(old, f'email_pattern = "{pattern}"', 1))
    run = cli("--registry", str(path), "contacts", exit_code=ExitCode.BAD_REGISTRY)
    assert run.stdout == ""
    assert run.stderr == (
        f"s3pilot: error: {path}:13: [program]: email_pattern: '{pattern}' does not make an"
        " e-mail address (name@domain.se); write one such as {first}.{last}@tillvaxtverket.se\n"
    )


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (
            "\\u001b[2J\\u001b[31mCompare",
            "'\\x1b[2J\\x1b[31mCompare' holds a control character (U+001B)",
        ),
        (
            "\\u001b]0;owned\\u0007Compare",
            "'\\x1b]0;owned\\x07Compare' holds a control character (U+001B)",
        ),
        ("Com\\u0000pare", "'Com\\x00pare' holds a control character (U+0000)"),
    ],
    ids=["ANSI", "OSC title", "NUL"],
)
def test_control_characters_are_refused_and_shown_escaped(
    cli: Cli, write_registry: Write, registry_text: str, raw: str, shown: str
) -> None:
    path = write_registry(registry_text.replace('"Compare"', f'"{raw}"'))
    message = fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY)
    assert message == (f"{path}:37: cluster #1 'compare': name: {shown}; remove it")


def test_a_raw_control_byte_is_a_syntax_error(
    cli: Cli, write_registry: Write, registry_text: str
) -> None:
    path = write_registry(registry_text.replace('"Compare"', '"\x1b[31mCompare"'))
    message = fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY)
    assert message.startswith(f"{path}:37:9: TOML syntax error: ")


def test_a_control_character_typed_as_an_argument_is_shown_escaped(cli: Cli) -> None:
    message = fails(cli, "show", "\x1b]0;owned\x07", code=ExitCode.NO_SUCH_CLUSTER)
    assert message == "no cluster matches '\\x1b]0;owned\\x07' ('s3pilot list' lists them)"


def test_a_very_long_value(cli: Cli, write_registry: Write, registry_text: str) -> None:
    path = write_registry(registry_text.replace('"Compare"', '"' + "C" * 100_000 + '"'))
    message = fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY)
    assert message == (
        f"{path}:37: cluster #1 'compare': name: is 100000 characters long; the limit is 1000"
    )


def test_deeply_nested_arrays(cli: Cli, write_registry: Write) -> None:
    path = write_registry("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY) == (
        f"{path}: tables or arrays nested too deeply to read; flatten the file"
    )


def test_deeply_nested_tables(cli: Cli, write_registry: Write, registry_text: str) -> None:
    """tomli refuses a key of more parts than Python's recursion limit (1 000) before reading on."""
    path = write_registry(registry_text + "\n[" + ".".join(["deep"] * 5000) + "]\nx = 1\n")
    assert fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY) == (
        f"{path}: tables or arrays nested too deeply to read; flatten the file"
    )


@pytest.mark.parametrize("name", ["clusters.toml", "clusters.json"])
def test_an_integer_of_more_digits_than_python_reads(
    cli: Cli, write_registry: Write, registry_text: str, name: str
) -> None:
    """Python refuses to turn more than 4300 decimal digits into an int (CVE-2020-10735)."""
    digits = "1" * 5000
    if name.endswith(".json"):
        text = cli(
            "--registry", str(write_registry(registry_text)), "export", "--format", "registry-json"
        ).stdout
        text = text.replace('"applications": 40', f'"applications": {digits}', 1)
    else:
        text = registry_text.replace("applications = 40", f"applications = {digits}", 1)
    line = text[: text.index(digits)].count("\n") + 1
    path = write_registry(text, name)
    assert fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY) == (
        f"{path}:{line}: an integer of more than 4300 digits, more than s3pilot can read;"
        " no count is that large: fix the number"
    )


def test_a_count_larger_than_sqlite_holds(
    cli: Cli, write_registry: Write, registry_text: str
) -> None:
    """Hexadecimal has no digit limit: a count that large would fail every writer of it."""
    for value in ("0x8000000000000000", "0x" + "f" * 5000):
        path = write_registry(registry_text.replace("applications = 40", f"applications = {value}"))
        assert fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY) == (
            f"{path}:9: [program]: applications: is larger than 9223372036854775807, the most a"
            " count may be; give a count"
        )
    path = write_registry(
        registry_text.replace("applications = 40", "applications = 0x7fffffffffffffff")
    )
    assert "applications\t9223372036854775807\n" in cli("--registry", str(path), "info").stdout


def test_a_50_mb_file_is_refused_at_once(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as file:
        file.truncate(50 * 2**20)
    assert fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY) == (
        f"{path}: larger than 32 MiB, too large for a registry; check that this is the right file"
    )


FORMULAS = ['=HYPERLINK("http://x")', "+46 8 123", "-2+3", "@SUM(A1)"]


def test_formula_payloads_are_neutralised_for_excel(
    cli: Cli, write_registry: Write, registry_text: str
) -> None:
    text = registry_text
    for old, payload in zip(
        ['"Karlstad"', '"IT and telecom"', '"The Paper Province"', '"Paper Province"'],
        FORMULAS,
        strict=True,
    ):
        text = text.replace(old, '"' + payload.replace('"', '\\"') + '"', 1)
    path = write_registry(text)
    excel = cli("--registry", str(path), "export", "--format", "csv", "--excel").stdout
    rows = list(csv.DictReader(io.StringIO(excel.removeprefix("\ufeff")), delimiter=";"))
    assert [rows[0]["city"], rows[0]["focus"], rows[1]["aliases"], rows[1]["name"]] == [
        "'" + payload for payload in FORMULAS
    ]
    # Plain csv keeps values as they are.
    plain = cli("--registry", str(path), "export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(plain)))
    assert [rows[0]["city"], rows[0]["focus"], rows[1]["aliases"], rows[1]["name"]] == FORMULAS


def test_unknown_format(cli: Cli) -> None:
    message = fails(cli, "export", "--format", "parquet", code=ExitCode.USAGE)
    assert message.startswith("Invalid value for '--format' / '-f': 'parquet' is not one of")


def test_contradicting_options(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    message = fails(cli, "export", "--excel", "-o", str(target), code=ExitCode.USAGE)
    assert message == "--excel goes with --format csv, not --format json"
    assert not target.exists()


def test_unknown_region_writes_no_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    message = fails(cli, "export", "-f", "csv", "-r", "Atlantis", "-o", str(target), code=2)
    assert message.startswith("unknown region 'Atlantis'")
    assert target.read_text(encoding="utf-8") == "old\n"


def test_the_minimal_and_bundled_registries_are_valid(cli: Cli) -> None:
    for path in (MINIMAL, BUNDLED):
        assert cli("validate", str(path)).stdout.startswith("ok\t")
