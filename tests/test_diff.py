"""`s3pilot diff`: two registries compared entry by entry, field by field.

Each edited registry is the small valid one (tests/registries/minimal.toml) with a few edits;
the expected changes are read off the edits themselves.
"""

import csv
import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from s3pilot_cli.errors import ExitCode
from tests.conftest import BUNDLED, Cli, generated_registry, installed_command

Write = Callable[..., Path]

# Compare moves to another city and gains an alias, Paper Province goes, a new cluster comes,
# Uppsala's regional body is renamed and the programme's date of the facts changes.
EDITS = [
    ('city = "Karlstad"', 'city = "Kristinehamn"'),
    ('focus = "IT and telecom"', 'focus = "IT and telecom"\naliases = ["Compare IT"]'),
    (
        '[[clusters]]\nid = "paper-province"\nname = "Paper Province"\nregion = "SE-S"\n'
        'aliases = ["The Paper Province"]\n',
        '[[clusters]]\nid = "uppsala-bio"\nname = "Uppsala BIO"\nregion = "SE-C"\n',
    ),
    ('body = "Region Uppsala"', 'body = "Region Uppsala län"'),
    ('email_pattern = "{first}.{last}@tillvaxtverket.se"\n', '&checked = "2026-11-28"\n'),
]

EXPECTED_PLAIN = [
    "changed\tprogram\tchecked\t\t2026-11-28",
    "changed\tregion:SE-C\tbody\tRegion Uppsala\tRegion Uppsala län",
    "removed\tcluster:paper-province\t\tPaper Province\t",
    "changed\tcluster:compare\tcity\tKarlstad\tKristinehamn",
    "changed\tcluster:compare\taliases\t\tCompare IT",
    "added\tcluster:uppsala-bio\t\t\tUppsala BIO",
]


def edited(text: str, edits: list[tuple[str, str]]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new.replace("&", old))
    return text


@pytest.fixture
def pair(registry_text: str, write_registry: Write) -> tuple[Path, Path]:
    return write_registry(registry_text, "old.toml"), write_registry(
        edited(registry_text, EDITS), "new.toml"
    )


def test_the_same_registry_is_no_difference(cli: Cli) -> None:
    run = cli("diff")
    assert (run.stdout, run.stderr) == ("", "")
    run = cli("diff", str(BUNDLED), str(BUNDLED), "--format", "json")
    assert (json.loads(run.stdout), run.stderr) == ([], "")
    run = cli("diff", str(BUNDLED), str(BUNDLED), "--format", "table")
    assert (run.stdout, run.stderr) == ("", "")
    assert cli("diff", "--format", "csv").stdout == "kind,key,field,old,new\r\n"


def test_every_change_a_line_in_a_pipe(cli: Cli, pair: tuple[Path, Path]) -> None:
    old, new = pair
    run = cli("diff", str(old), str(new), exit_code=ExitCode.FAILURE)
    assert run.stdout.splitlines() == EXPECTED_PLAIN
    assert run.stderr == ""


def test_json_keeps_the_values_types(cli: Cli, pair: tuple[Path, Path]) -> None:
    old, new = pair
    run = cli("diff", str(old), str(new), "--format", "json", exit_code=1)
    changes = json.loads(run.stdout)
    assert [list(change) for change in changes] == [["kind", "key", "field", "old", "new"]] * 6
    assert changes[2] == {
        "kind": "removed",
        "key": "cluster:paper-province",
        "field": None,
        "old": "Paper Province",
        "new": None,
    }
    assert changes[4]["old"] == []
    assert changes[4]["new"] == ["Compare IT"]


def test_a_list_in_a_later_row_is_joined_in_csv(cli: Cli, pair: tuple[Path, Path]) -> None:
    """old and new hold text in the first rows and a list in the fifth: joined, never a repr."""
    old, new = pair
    text = cli("diff", str(old), str(new), "--format", "csv", exit_code=1).stdout
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["kind", "key", "field", "old", "new"]
    assert ["\t".join(row) for row in rows[1:]] == EXPECTED_PLAIN


def test_numbers_stay_numbers(cli: Cli, registry_text: str, write_registry: Write) -> None:
    old = write_registry(registry_text, "old.toml")
    new = write_registry(edited(registry_text, [("applications = 40", "applications = 41")]))
    run = cli("diff", str(old), str(new), "-f", "json", exit_code=1)
    assert json.loads(run.stdout) == [
        {"kind": "changed", "key": "program", "field": "applications", "old": 40, "new": 41}
    ]


def test_the_table_in_a_terminal(cli: Cli, pair: tuple[Path, Path]) -> None:
    old, new = pair
    run = cli("diff", str(old), str(new), "-f", "table", exit_code=1, env={"COLUMNS": "100"})
    lines = [line.rstrip() for line in run.stdout.splitlines()]
    assert lines[0].split() == ["kind", "key", "registry", "field", "old", "new"]
    assert lines[4].split() == ["removed", "cluster:paper-province", "Paper", "Province"]
    assert lines[5].split() == ["changed", "cluster:compare", "city", "Karlstad", "Kristinehamn"]
    assert len(lines) == 2 + 6


def test_one_file_against_the_registry_in_use(cli: Cli, pair: tuple[Path, Path]) -> None:
    """`diff OLD` compares OLD with the registry in use, here the edited one."""
    old, new = pair
    run = cli("--registry", str(new), "diff", str(old), exit_code=1)
    assert run.stdout.splitlines() == EXPECTED_PLAIN


def test_no_file_compares_the_bundled_registry_with_your_copy(cli: Cli, home: Path) -> None:
    cli("init")
    copy = home / ".local" / "share" / "s3pilot" / "clusters.toml"
    cli("diff")  # a fresh copy is the bundled registry
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace('name = "Compare"', 'name = "Compare IT"'), encoding="utf-8")
    run = cli("diff", exit_code=1)
    assert run.stdout == "changed\tcluster:compare\tname\tCompare\tCompare IT\n"


def test_order_alone_is_no_difference_unless_asked(cli: Cli, write_registry: Write) -> None:
    """Compare, the 12th cluster, moved to the end; the first two offers swapped."""
    text = BUNDLED.read_text(encoding="utf-8")
    start = text.index("# 12. Compare")
    compare = text[start : text.index("\n\n", start) + 2]
    text = text.replace(compare, "") + "\n" + compare
    text = text.replace(
        '"utbildningar",\n    "nätverksträffar"', '"nätverksträffar",\n    "utbildningar"'
    )
    moved = write_registry(text)

    assert cli("diff", str(BUNDLED), str(moved)).stdout == ""
    run = cli("diff", str(BUNDLED), str(moved), "--order", exit_code=1)
    assert run.stdout.splitlines() == [
        "changed\tprogram\toffers\tutbildningar; nätverksträffar; internationella kontakter;"
        " finansiellt stöd för företagsutveckling\tnätverksträffar; utbildningar;"
        " internationella kontakter; finansiellt stöd för företagsutveckling",
        "moved\tcluster:compare\t\t12\t22",
    ]


def test_contacts_of_the_same_name_are_told_apart(
    cli: Cli, registry_text: str, write_registry: Write
) -> None:
    contact = '[[contacts]]\nname = "Ewa Andersson"\nphone = "08-681 94 51"\n'
    twice = edited(registry_text, [(contact, contact + "\n" + contact.replace("94 51", "00 00"))])
    old, new = write_registry(twice, "old.toml"), write_registry(registry_text, "new.toml")
    run = cli("diff", str(old), str(new), exit_code=1)
    assert run.stdout == "removed\tcontact:Ewa Andersson #2\t\tEwa Andersson\t\n"


# --- Exit codes: a difference is not an error -------------------------------------------------


def test_a_bad_registry_exits_4(cli: Cli, tmp_path: Path) -> None:
    run = cli("diff", str(tmp_path / "none.toml"), exit_code=ExitCode.BAD_REGISTRY)
    assert run.stdout == ""
    assert run.stderr == (
        f"s3pilot: error: {tmp_path / 'none.toml'}: no such registry file; check the path\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a", "b", "c"], "Got unexpected extra argument(s) (c) (see 's3pilot diff --help')"),
        (["--format", "vcard"], "Invalid value for '--format' / '-f': 'vcard' is not one of"
         " 'table', 'plain', 'tsv', 'csv', 'json', 'jsonl', 'markdown'. (see 's3pilot diff"
         " --help')"),
    ],
)  # fmt: skip
def test_usage_exits_2(cli: Cli, args: list[str], message: str) -> None:
    run = cli("diff", *args, exit_code=ExitCode.USAGE)
    assert (run.stdout, run.stderr) == ("", f"s3pilot: error: {message}\n")


def test_an_unexpected_failure_is_told_from_a_difference(
    cli: Cli, pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both exit 1; a difference has its changes on stdout and nothing on stderr, a failure
    the reverse."""
    old, new = pair
    different = cli("diff", str(old), str(new), exit_code=1)
    assert different.stdout
    assert different.stderr == ""

    from s3pilot_cli import diff

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(diff, "compare", broken)
    failed = cli("diff", str(old), str(new), exit_code=1)
    assert failed.stdout == ""
    assert failed.stderr.startswith("s3pilot: error: unexpected ZeroDivisionError")


@pytest.mark.slow
def test_a_script_tells_the_outcomes_apart(pair: tuple[Path, Path], tmp_path: Path) -> None:
    """The README's recipe, run by bash on the installed command."""
    old, new = pair
    script = """
        outcome() {
          "$S3PILOT" diff "$@" > /dev/null 2> "$ERR"; code=$?
          if [ $code -eq 0 ]; then echo same
          elif [ $code -eq 1 ] && [ ! -s "$ERR" ]; then echo different
          else echo "failed ($code)"; fi
        }
        outcome "$OLD" "$OLD"; outcome "$OLD" "$NEW"; outcome "$OLD" missing.toml
    """
    done = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={
            "S3PILOT": installed_command(),
            "ERR": str(tmp_path / "err"),
            "OLD": str(old),
            "NEW": str(new),
            "PATH": "/usr/bin:/bin",
        },
    )
    assert done.stdout.splitlines() == ["same", "different", "failed (4)"]


@pytest.mark.slow
def test_diff_exits_1_when_its_reader_stops_early(tmp_path: Path) -> None:
    """`s3pilot diff OLD NEW | head -c 10`: the pipe closes, the registries still differ."""
    new = tmp_path / "new.toml"
    new.write_text(generated_registry(3000), encoding="utf-8")
    done = subprocess.run(
        [
            "bash",
            "-c",
            f'{installed_command()} diff "$1" | head -c 10; exit "${{PIPESTATUS[0]}}"',
            "-",
            str(new),
        ],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert len(done.stdout) == 10
    assert done.stderr == b""
    assert done.returncode == ExitCode.FAILURE
