"""`s3pilot check-links` through the CLI, against a local HTTP server the tests start.

Nothing here leaves 127.0.0.1 (the engine's own cases are in tests/test_links.py): the server
runs in a thread on a port the system picks, and the registry's three URLs (the programme's
`source_url` and two clusters' `website`) point at it.
"""

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from s3pilot_cli import links
from tests.conftest import Cli, Server, in_pty, installed_command

TIMEOUT = "0.3"  # seconds: /slow answers later than this


@pytest.fixture
def registry_at(
    server: Server, registry_text: str, write_registry: Callable[[str], Path]
) -> Callable[[str, str, str], str]:
    """A registry whose programme page and two clusters' websites are these server paths."""

    def make(program: str, compare: str, paper: str) -> str:
        text = registry_text.replace(
            'source_url = "https://tillvaxtverket.se/klusterprogram.html"',
            f'source_url = "{server.base}{program}"',
        )
        text = text.replace('website = "https://compare.se"', f'website = "{server.base}{compare}"')
        text = text.replace(
            'aliases = ["The Paper Province"]',
            f'aliases = ["The Paper Province"]\nwebsite = "{server.base}{paper}"',
        )
        return str(write_registry(text))

    return make


def test_every_link_alive_exits_0_with_a_line_a_link(
    cli: Cli, server: Server, registry_at: Callable[[str, str, str], str]
) -> None:
    path = registry_at("/ok", "/ok", "/perm")
    run = cli("--registry", path, "check-links", "--timeout", TIMEOUT)
    base = server.base
    assert run.stdout.splitlines() == [
        f"program\tsource_url\t{base}/ok\t200\t{base}/ok\tok\t",
        f"compare\twebsite\t{base}/ok\t200\t{base}/ok\tok\t",
        f"paper-province\twebsite\t{base}/perm\t200\t{base}/ok\tmoved\tpermanent",
    ]
    assert run.stderr == ""  # no progress bar in a pipe
    assert all(agent.startswith("s3pilot/") for agent in server.seen.agents())


def test_a_dead_or_slow_link_exits_1_with_the_records_and_no_message(
    cli: Cli, server: Server, registry_at: Callable[[str, str, str], str]
) -> None:
    path = registry_at("/500", "/404", "/slow")
    run = cli(
        "check-links", "--registry", path, "--timeout", TIMEOUT, "--format", "json", exit_code=1
    )
    assert run.stderr == ""
    found = json.loads(run.stdout)
    assert [list(record) for record in found] == [
        ["owner", "field", "url", "status", "final_url", "result", "reason"]
    ] * 3  # the contract, as the README gives it
    assert [(r["owner"], r["status"], r["result"], r["reason"]) for r in found] == [
        ("program", 500, "dead", "Internal Server Error"),
        ("compare", 404, "dead", "Not Found"),
        ("paper-province", None, "timeout", found[2]["reason"]),
    ]
    assert found[2]["reason"]


def test_per_host_limits_the_requests_at_once(
    cli: Cli, server: Server, registry_at: Callable[[str, str, str], str]
) -> None:
    path = registry_at("/hold/0.2/a", "/hold/0.2/b", "/hold/0.2/c")
    cli("--registry", path, "check-links", "--per-host", "1", "--format", "csv")
    assert server.seen.most_in_progress == 1
    assert len(server.seen.agents()) == 3


@pytest.mark.slow
def test_a_terminal_sees_a_table_and_a_progress_bar(
    server: Server, registry_at: Callable[[str, str, str], str]
) -> None:
    path = registry_at("/ok", "/404", "/perm")
    screen = in_pty([installed_command(), "--registry", path, "check-links"], columns=120)
    assert screen.returncode == 1
    assert "checking links" in screen.shown  # the bar, drawn on stderr
    assert "Not Found" in screen.shown
    assert "moved" in screen.shown


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        *(
            (
                "--timeout",
                value,
                f"--timeout {shown}: give a number of seconds greater than 0 and at most 3600",
            )
            for value, shown in [
                ("0", "0"),
                ("-1", "-1"),
                ("nan", "nan"),
                ("3600.5", "3600.5"),
                ("1e10", "1e10"),  # as typed, not Python's 10000000000.0
                ("1e300", "1e300"),
                ("inf", "inf"),
                ("abc", "abc"),  # not a number: the same message, not Click's English
                ("1,5", "1,5"),
            ]
        ),
        *(
            ("--per-host", value, f"--per-host {value}: give a whole number, 1 or more")
            for value in ["0", "-2", "abc", "1.5"]  # not Click's "'abc' is not a valid int."
        ),
    ],
)
def test_a_limit_that_allows_nothing_is_a_usage_error(
    cli: Cli, option: str, value: str, message: str
) -> None:
    run = cli("check-links", option, value, exit_code=2)
    assert run.stderr == f"s3pilot: error: {message}\n"
    assert run.stdout == ""


def test_the_help_gives_the_engine_s_defaults(cli: Cli) -> None:
    shown = " ".join(cli("check-links", "--help", env={"COLUMNS": "200"}).stdout.split())
    assert f"default: {links.TIMEOUT:g}." in shown
    assert f"at most {links.MAX_TIMEOUT:g};" in shown
    assert f"default: {links.PER_HOST}." in shown


@pytest.mark.slow
def test_a_dead_link_exits_1_when_the_reader_stops_early(
    server: Server, registry_at: Callable[[str, str, str], str]
) -> None:
    """`s3pilot check-links | …` where the reader has gone before the records come (as `head`
    goes once it has its lines): the exit status still says a link is dead, as `diff`'s does."""
    path = registry_at("/404", "/hold/0.3/a", "/ok")
    done = subprocess.run(
        [
            "bash",
            "-c",
            f'{installed_command()} --registry "$1" check-links --timeout 2'
            ' | { exec 0<&-; sleep 1; }; exit "${PIPESTATUS[0]}"',
            "-",
            path,
        ],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.stderr == b""
    assert done.returncode == 1


@pytest.mark.slow
def test_a_terminal_sees_a_summary_at_the_end(
    server: Server, registry_at: Callable[[str, str, str], str]
) -> None:
    path = registry_at("/ok", "/404", "/perm")
    screen = in_pty(
        [installed_command(), "--registry", path, "check-links", "--format", "csv"], columns=120
    )
    assert screen.shown.splitlines()[-1] == (
        "s3pilot: 3 links checked: 1 ok, 1 moved, 1 dead, 0 without a usable reply"
    )


@pytest.mark.slow
def test_the_table_tells_the_registry_s_field_from_a_table_s_own(
    server: Server, registry_at: Callable[[str, str, str], str]
) -> None:
    """At 120 columns a table, at 40 a record's lines a link: neither labels the record's own
    `field` key as bare "field", a word a table uses for its own fields; it names the
    registry's field."""
    path = registry_at("/ok", "/404", "/perm")
    for columns in (120, 40):
        shown = in_pty(
            [installed_command(), "--registry", path, "check-links"],
            columns=columns,
            env={"NO_COLOR": "1"},
            stderr_to_screen=False,
        ).shown
        assert shown.count("registry field") == (1 if columns == 120 else 3), shown
        assert not any(line.split()[:1] == ["field"] for line in shown.splitlines()), shown


def test_a_swedish_table_says_each_result_and_reason_in_swedish(
    cli: Cli, registry_at: Callable[[str, str, str], str]
) -> None:
    """What a person reads in a Swedish table is Swedish; the records stay English."""
    path = registry_at("/perm", "/404", "/slow")
    args = ("--registry", path, "check-links", "--timeout", TIMEOUT, "--format")
    swedish = {"S3PILOT_LANG": "sv", "COLUMNS": "200"}
    shown = cli(*args, "table", env=swedish, exit_code=1).stdout
    words = " ".join(shown.split())
    assert "programmet source_url flyttad 200 permanent" in words, shown
    assert "död" in words
    assert "Not Found" in words  # HTTP's own phrase stays as it is
    assert "tidsgräns" in words
    assert "inget svar inom 0,3 s" in words
    for english in ("moved", "dead", "timeout", "no reply"):
        assert english not in words, english
    plain = cli(*args, "plain", env=swedish, exit_code=1).stdout
    assert {line.split("\t")[5] for line in plain.splitlines()} == {"moved", "dead", "timeout"}
    assert plain.startswith("program\t")
    assert "no reply within 0.3 s" in plain


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        ("DNS: no answer within 2 s", "namnuppslagningen gav inget svar inom 2 s"),
        (
            "DNS: Name or service not known",
            "namnuppslagningen misslyckades: Name or service not known",
        ),
        ("no final reply within 2.5 s", "inget slutligt svar inom 2,5 s"),
        ("more than 10 redirects", "fler än 10 omdirigeringar"),
        ("Network is unreachable", "Network is unreachable"),  # the system's words, as they are
    ],
)
def test_a_reason_reads_as_swedish_in_a_swedish_table(reason: str, said: str) -> None:
    found = links.records(
        [links.LinkResult("a", "website", "u", None, "u", links.Result.ERROR, reason)]
    )
    assert links.in_words(found, "sv").rows[0][-1] == said
    assert links.in_words(found, "sv").rows[0][-2] == "fel"
    assert links.in_words(found, "en") == found
