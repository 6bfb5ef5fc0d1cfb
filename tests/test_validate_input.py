"""Every kind of broken registry input: one line on stderr with its place, a documented exit
code, nothing on stdout, no traceback, and nothing of the user's lost. The file itself
(missing, a folder, unreadable, too large, badly encoded, an export), its syntax, the
characters a registry refuses, and file names that are not plain text."""

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from s3pilot_cli.errors import ExitCode
from tests.conftest import MINIMAL, Cli, fails, installed_command, problems

Write = Callable[..., Path]


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
            " now_called, founded, founded_note, kind, label, note, note_sv, s3_area, eccp_url,"
            " events, sources",
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
    """A key of more parts than Python's recursion limit (1 000): tomli from 2.4.1 stops
    reading it, older releases (the floor allows 2.2) read it, and validate refuses its key."""
    path = write_registry(registry_text + "\n[" + ".".join(["deep"] * 5000) + "]\nx = 1\n")
    assert fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY) in (
        f"{path}: tables or arrays nested too deeply to read; flatten the file",
        f"{path}: top level: deep: unknown key; remove it, or use one of: schema_version,"
        " program, contacts, regions, clusters, region_sources",
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


def test_a_file_where_a_folder_should_be(cli: Cli, tmp_path: Path) -> None:
    """ENOTDIR: `notes.txt/clusters.toml` names the file that is in the way."""
    (tmp_path / "notes.txt").write_text("not a folder\n", encoding="utf-8")
    path = tmp_path / "notes.txt" / "sub" / "clusters.toml"
    message = fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY)
    assert message == (
        f"{path}: {tmp_path / 'notes.txt'} is a file, not a folder;"
        " give the path of a registry .toml file"
    )


def test_a_symbolic_link_that_loops(cli: Cli, tmp_path: Path) -> None:
    """ELOOP: a link to itself is not a matter of permissions."""
    path = tmp_path / "clusters.toml"
    os.symlink(path.name, path)
    message = fails(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY)
    assert message.startswith(f"{path}: cannot be read (")
    assert message.endswith(
        "; a symbolic link on the way loops back; fix the link or give the file itself"
    )
    assert "permission" not in message


def _as_json(registry_text: str, tmp_path: Path, edit: Callable[[dict], None]) -> Path:  # type: ignore[type-arg]
    import tomllib

    document = tomllib.loads(registry_text)
    edit(document)
    path = tmp_path / "clusters.json"
    # ensure_ascii: a lone surrogate is written as the escape `\ud800`, as a hostile file has it
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_lone_surrogate_in_a_json_registry_is_refused_with_its_place(
    cli: Cli, registry_text: str, tmp_path: Path
) -> None:
    path = _as_json(registry_text, tmp_path, lambda d: d["clusters"][0].update(name="Bad\ud800"))
    assert problems(cli, path) == [
        f"{path}: cluster #1 'compare': name: 'Bad\\ud800' holds a lone surrogate (U+D800);"
        " remove it"
    ]
    # and no command leaves part of its output on stdout
    for command in (["list", "--format", "json"], ["show", "compare"]):
        run = cli("--registry", str(path), *command, exit_code=ExitCode.BAD_REGISTRY)
        assert run.stdout == ""


@pytest.mark.parametrize(
    ("character", "kind"),
    [
        ("\u202e", "an invisible format character (U+202E)"),
        ("\u2067", "an invisible format character (U+2067)"),
        ("\u200b", "an invisible format character (U+200B)"),
        ("\u2060", "an invisible format character (U+2060)"),
        ("\ufeff", "an invisible format character (U+FEFF)"),
        # every character that draws nothing (Cf and Default_Ignorable_Code_Point), not a list
        ("\u00ad", "an invisible format character (U+00AD)"),
        ("\u200d", "an invisible format character (U+200D)"),
        ("\u034f", "an invisible format character (U+034F)"),
        ("\ufe0f", "an invisible format character (U+FE0F)"),
        ("\u0600", "an invisible format character (U+0600)"),
        ("\U000e0041", "an invisible format character (U+E0041)"),
        ("\U000e0100", "an invisible format character (U+E0100)"),
        ("\u2028", "a line or paragraph separator (U+2028)"),
        ("\u2029", "a line or paragraph separator (U+2029)"),
    ],
)
def test_invisible_characters_are_refused_where_they_are(
    cli: Cli, write_registry: Write, registry_text: str, character: str, kind: str
) -> None:
    code = ord(character)
    escaped = f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    shown = f"\\x{code:02x}" if code <= 0xFF else escaped  # as messages escape it
    text = registry_text.replace('"Compare"', f'"Comp{escaped}are"').replace(
        '"https://compare.se"', f'"https://x.se/{escaped}gnp.exe"'
    )
    path = write_registry(text)
    assert problems(cli, path) == [
        f"{path}:37: cluster #1 'compare': name: 'Comp{shown}are' holds {kind}; remove it",
        f"{path}:40: cluster #1 'compare': website: 'https://x.se/{shown}gnp.exe'"
        f" holds {kind}; remove it",
    ]


def test_a_zero_width_space_cannot_make_a_second_name_unique(
    cli: Cli, write_registry: Write, registry_text: str
) -> None:
    path = write_registry(registry_text.replace('"Paper Province"', '"Com\\u200bpare"', 1))
    assert problems(cli, path) == [
        f"{path}:45: cluster #2 'paper-province': name: 'Com\\u200bpare' holds an invisible"
        " format character (U+200B); remove it"
    ]


# --- A name that shadows another cluster's id or name ----------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key", "value"),
    [
        (
            'aliases = ["The Paper Province"]',
            'aliases = ["PP", "COMPARE"]',
            "aliases[1]",
            "COMPARE",
        ),
        (
            'aliases = ["The Paper Province"]',
            'aliases = ["The Paper Province"]\nnow_called = "compare"',
            "now_called",
            "compare",
        ),
    ],
)
def test_an_alias_or_current_name_may_not_be_another_cluster_s_id_or_name(
    cli: Cli, write_registry: Write, registry_text: str, old: str, new: str, key: str, value: str
) -> None:
    path = write_registry(registry_text.replace(old, new))
    last = new.rsplit("\n", maxsplit=1)[-1]
    line = registry_text.replace(old, new).split("\n").index(last) + 1
    assert problems(cli, path) == [
        f"{path}:{line}: cluster #2 'paper-province': {key}: '{value}' is the id or name of"
        " cluster 'compare'; give each cluster names of its own"
    ]


def test_an_alias_may_repeat_its_own_cluster_s_id(
    cli: Cli, write_registry: Write, registry_text: str
) -> None:
    path = write_registry(
        registry_text.replace('aliases = ["The Paper Province"]', 'aliases = ["paper province"]')
    )
    cli("validate", str(path))


def test_an_alias_twice_in_one_cluster_is_refused(
    cli: Cli, write_registry: Write, registry_text: str
) -> None:
    text = registry_text.replace(
        'aliases = ["The Paper Province"]',
        'aliases = ["The Paper Province", "PP", "the paper-province"]',
    )
    path = write_registry(text)
    assert problems(cli, path) == [
        f"{path}:47: cluster #2 'paper-province': aliases[3]: 'the paper-province' is item 1"
        " already; remove one of them"
    ]


def test_a_comment_after_a_table_header_does_not_shift_the_lines(
    cli: Cli, write_registry: Write, registry_text: str
) -> None:
    text = registry_text.replace("[[clusters]]\n", "[[clusters]]  # a note\n").replace(
        '"IT and telecom"', "1"
    )
    path = write_registry(text.replace('aliases = ["The Paper Province"]', "aliases = 2"))
    assert problems(cli, path) == [
        f"{path}:41: cluster #1 'compare': focus: must be a string, not an integer",
        f"{path}:47: cluster #2 'paper-province': aliases: must be an array of strings, not an"
        " integer",
    ]


def test_contacts_as_inline_tables_are_located(cli: Cli, tmp_path: Path) -> None:
    """The layout `export --format toml` writes: `contacts = [` and an inline table a line."""
    exported = cli("export", "--format", "toml").stdout
    assert '\n    { name = "Cecilia Johansson", phone = "08-681 91 32" },\n' in exported
    path = tmp_path / "exported.toml"
    path.write_text(exported.replace('"08-681 91 32"', '"08-123"'), encoding="utf-8")
    line = exported.split("\n").index('    { name = "Cecilia Johansson", phone = "08-681 91 32" },')
    (problem,) = problems(cli, path)
    assert problem.startswith(f"{path}:{line + 1}: contact #2 'Cecilia Johansson': phone: ")


def test_a_huge_unknown_key_is_quoted_short(
    cli: Cli, write_registry: Write, registry_text: str
) -> None:
    key = "k" * 100_000
    path = write_registry(registry_text.replace("[program]\n", f"[program]\n{key} = 1\n"))
    (problem,) = problems(cli, path)
    assert problem.startswith(f"{path}:5: [program]: {'k' * 59}…: unknown key; remove it")
    # the key shortened; the list of the keys [program] takes is the rest
    assert len(problem) < 600 + len(str(path))


_C_LOCALE = {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}


def _run_bytes(
    *args: str | bytes, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [installed_command(), *args],
        capture_output=True,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=60,
    )


def test_a_file_name_with_an_escape_sequence_never_reaches_the_terminal_raw(
    cli: Cli, tmp_path: Path, registry_text: str
) -> None:
    path = tmp_path / "evil\x1b]0;PWNED\x07.toml"
    path.write_text(registry_text, encoding="utf-8")
    shown = str(tmp_path / "evil\\x1b]0;PWNED\\x07.toml")
    assert cli("validate", str(path)).stdout == f"ok\t{shown}\t2 clusters, 2 regions, 1 contacts\n"
    plain = cli("--registry", str(path), "info", "--format", "plain").stdout
    assert f"\nregistry\t{shown}\n" in plain
    # data stays data in a machine format: JSON escapes the control characters its own way
    info = json.loads(cli("--registry", str(path), "info", "--format", "json").stdout)
    assert info["registry"] == str(path)
    broken = tmp_path / "broken\x1b[2J.toml"
    broken.write_text("schema_version = 1\n", encoding="utf-8")
    for run in (
        cli("validate", str(broken), exit_code=ExitCode.BAD_REGISTRY),
        cli("--registry", str(broken), "info", "--format", "plain", exit_code=4),
    ):
        assert "\x1b" not in run.stdout + run.stderr
        assert "broken\\x1b[2J.toml" in run.stderr


def test_an_undecodable_file_name_survives_every_message_in_the_c_locale(
    tmp_path: Path, registry_text: str
) -> None:
    path = os.fsencode(tmp_path) + b"/bad\xff.toml"
    Path(os.fsdecode(path)).write_text(registry_text, encoding="utf-8")
    shown = os.fsencode(tmp_path) + b"/bad\\xff.toml"
    done = _run_bytes("validate", path, env=_C_LOCALE)
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout == b"ok\t" + shown + b"\t2 clusters, 2 regions, 1 contacts\n"
    done = _run_bytes("--registry", path, "info", "--format", "json", env=_C_LOCALE)
    assert (done.returncode, done.stderr) == (0, b"")
    assert json.loads(done.stdout)["registry"] == os.fsdecode(shown)
    missing = os.fsencode(tmp_path) + b"/gone\xff.toml"
    done = _run_bytes("validate", missing, env=_C_LOCALE)
    assert done.returncode == ExitCode.BAD_REGISTRY
    assert done.stderr.startswith(b"s3pilot: error: " + os.fsencode(tmp_path) + b"/gone\\xff")
    done = _run_bytes("export", "-o", os.fsencode(tmp_path) + b"/out\xff.csv", env=_C_LOCALE)
    assert (done.returncode, done.stderr) == (0, b"")
    assert (
        Path(os.fsdecode(os.fsencode(tmp_path) + b"/out\xff.csv")).read_bytes().startswith(b"id,")
    )


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        (["export", "--format", "sqlite", "-o", "{file}"], "an SQLite database"),
        (
            ["export", "--format", "xlsx", "-o", "{file}"],
            "a zip file: an xlsx workbook or a data package",
        ),
        (["export", "--format", "csv", "-o", "{file}"], "records in csv"),
        (["export", "--format", "csv", "--excel", "-o", "{file}"], "records in csv for Excel"),
        (["export", "--format", "tsv", "-o", "{file}"], "records in tsv"),
        (["export", "--format", "markdown", "-o", "{file}"], "records in Markdown"),
        (["export", "--format", "json", "-o", "{file}"], "JSON records"),
        (["export", "--format", "jsonl", "-o", "{file}"], "JSON lines"),
        (["contacts", "--format", "csv"], "records in csv"),
        (["regions", "--format", "csv"], "records in csv"),
        (["contacts", "--format", "vcard"], "vCard contacts"),
        (["export", "--format", "geojson", "-o", "{file}"], "GeoJSON"),
        (["map"], "an SVG map"),
    ],
)
def test_registry_at_an_export_is_told_so(
    cli: Cli, tmp_path: Path, command: list[str], kind: str
) -> None:
    target = tmp_path / "export.out"
    run = cli(*(arg.replace("{file}", str(target)) for arg in command))
    if "-o" not in command:
        target.write_text(run.stdout, encoding="utf-8")
    failed = cli("--registry", str(target), "list", exit_code=ExitCode.BAD_REGISTRY)
    assert failed.stderr == (
        f"s3pilot: error: {target}: this is an export ({kind}), not a registry; --registry"
        " reads toml or registry-json ('s3pilot export --format toml -o clusters.toml'"
        " writes one)\n"
    )


def test_the_registry_exports_still_read(cli: Cli, tmp_path: Path) -> None:
    for fmt in ("toml", "registry-json"):
        target = tmp_path / f"mine.{fmt}"
        cli("export", "--format", fmt, "-o", str(target))
        assert cli("--registry", str(target), "validate").stdout.startswith("ok\t")
