"""One record for people (`show`, `info`, and `contacts` where its table does not fit): lines
of `label  value` that a person copies from.

Every address and path the record holds (as its JSON gives it) is whole on one line of what
the terminal is sent, at every width and in both languages, and nothing is cut with "…".
"""

import json
import re
from collections.abc import Iterator

import pytest

from tests.conftest import Cli, in_pty, installed_command

WIDTHS = (40, 60, 80, 100, 160)
LANGUAGES = ("en", "sv")
# What a person copies: a web address, an e-mail address, a file's path.
COPIED = re.compile(r"(https?://\S+|[^\s@]+@[^\s@]+\.\w+|/\S+)")


def copied(value: object) -> Iterator[str]:
    """Every address and path in a JSON value, at any depth."""
    if isinstance(value, dict):
        for item in value.values():
            yield from copied(item)
    elif isinstance(value, list):
        for item in value:
            yield from copied(item)
    elif isinstance(value, str) and COPIED.fullmatch(value):
        yield value


def check(cli: Cli, args: list[str], columns: int, lang: str) -> int:
    """How many addresses and paths the record holds; each is whole on a line of its view."""
    data = json.loads(cli(*args, "--format", "json").stdout)
    env = {"COLUMNS": str(columns), "S3PILOT_LANG": lang}
    lines = cli(*args, "--format", "table", env=env).stdout.split("\n")
    where = f"{' '.join(args)} at {columns} in {lang}"
    wanted = list(copied(data))
    for value in wanted:
        assert any(value in line for line in lines), f"{where}: {value} is not whole on a line"
    assert not any("…" in line for line in lines), f"{where}: cut"
    return len(wanted)


def cluster_ids(cli: Cli) -> list[str]:
    return [str(record["id"]) for record in json.loads(cli("list", "--format", "json").stdout)]


@pytest.mark.slow  # every width from 40 to 200: the quick loop keeps one
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("columns", WIDTHS)
def test_every_cluster_shows_its_addresses_whole(cli: Cli, columns: int, lang: str) -> None:
    found = sum(check(cli, ["show", cluster], columns, lang) for cluster in cluster_ids(cli))
    assert found > 22, "the clusters' websites and sources were not found in their JSON"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("command", ["info", "contacts"])
def test_info_and_contacts_show_their_addresses_whole(
    cli: Cli, command: str, columns: int, lang: str
) -> None:
    assert check(cli, [command], columns, lang) >= 2


@pytest.mark.parametrize("columns", [*range(40, 200, 7), 200])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_nothing_is_cut_at_any_width(cli: Cli, columns: int, lang: str) -> None:
    """Any width from 40 to 200: no value of info or show is shortened."""
    for args in (["info"], ["show", "mobile-heights"], ["show", "paper"]):
        env = {"COLUMNS": str(columns), "S3PILOT_LANG": lang}
        assert "…" not in cli(*args, "--format", "table", env=env).stdout


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("columns", [40, 44])
def test_only_an_address_is_wider_than_the_terminal(cli: Cli, columns: int, lang: str) -> None:
    """A line wider than the screen is one the terminal breaks where it must, in the middle of
    a word: only an address or path, copied whole, may be one. A cluster's kind in Swedish
    ("del av ett universitet eller en forskningspark") is words, wrapped between them."""
    env = {"COLUMNS": str(columns), "S3PILOT_LANG": lang}
    for cluster in cluster_ids(cli):
        for line in cli("show", cluster, "--format", "table", env=env).stdout.splitlines():
            assert len(line) <= columns or COPIED.fullmatch(line.strip()), (cluster, line)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("columns", [40, 44])
def test_a_long_word_goes_under_its_label_rather_than_past_the_edge(
    cli: Cli, columns: int, lang: str
) -> None:
    """Prose whose longest word does not fit beside the labels goes on the lines under its
    label, where it does: Swedish `info` at 40 columns ended its summary with a
    "specialiseringsstrategier." that the terminal broke in two."""
    env = {"COLUMNS": str(columns), "S3PILOT_LANG": lang}
    for line in cli("info", "--format", "table", env=env).stdout.splitlines():
        assert len(line) <= columns or COPIED.fullmatch(line.strip()), line


@pytest.mark.slow
def test_a_long_address_stands_alone_from_the_left_edge_in_a_real_terminal() -> None:
    """In a pty 60 columns wide, a URL wider than the screen is a line of its own, from the
    left edge: the terminal wraps it, and copies it as one line. One that fits under its label
    is indented; one that fits beside it stays there."""
    screen = in_pty([installed_command(), "info"], columns=60, env={"NO_COLOR": "1"})
    lines = screen.shown.split("\n")
    later = "https://tillvaxtverket.se/amnesomraden/regional-kapacitet/smart-specialisering"
    later += "/klusterprogram---s3-piloten.html"
    assert lines[lines.index(later) - 1] == "later_url", lines
    assert any(re.fullmatch(r"registry +/\S+/clusters\.toml", line) for line in lines), lines


def test_swedish_labels_too_long_for_the_column_stand_above_their_value(cli: Cli) -> None:
    """At 40 columns "Utvalda enligt senare sida" leaves no room beside it: its value goes on
    the next line, under the other values, and is whole (it was "Utlysningen öppnade
    2018-03-…" and "Kontrollerad 2026-11-…")."""
    env = {"COLUMNS": "40", "S3PILOT_LANG": "sv"}
    lines = cli("info", "--format", "table", env=env).stdout.split("\n")
    at = lines.index("Utvalda enligt senare sida")
    assert lines[at + 1].strip() == "ett 20-tal"
    assert any(line.split() == ["Kontrollerad", "2026-11-27"] for line in lines), lines
    assert "2018-03-26" in lines[lines.index("Utlysningen öppnade") + 1]


@pytest.mark.parametrize("columns", [40, 80, 100, 160])
@pytest.mark.parametrize("cluster", ["paper-province", "mobile-heights"])
def test_the_sources_are_a_url_a_line(cli: Cli, cluster: str, columns: int) -> None:
    """A list of addresses is an address a line, under its label where one does not fit
    beside it, with no separator to copy along: the lines after `sources` are the URLs."""
    urls = json.loads(cli("show", cluster, "--format", "json").stdout)["sources"]
    env = {"COLUMNS": str(columns), "NO_COLOR": "1"}
    lines = cli("show", cluster, "--format", "table", env=env).stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == ["sources"])
    # up to the next field's label (a long URL may stand at the left edge too)
    end = next(i for i, line in enumerate(lines) if line.split()[:1] == ["focus_sv"])
    shown = [lines[start].removeprefix("sources").strip(), *lines[start + 1 : end]]
    assert [line.strip() for line in shown if line.strip()] == urls


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_event_is_a_paragraph_with_its_page_whole(cli: Cli, columns: int, lang: str) -> None:
    """A cluster's events under their label: an event a paragraph, its words in order, the
    page's address whole on the paragraph's last line, alone: copied with nothing to trim,
    and the phrase never read on into it."""
    events = json.loads(cli("show", "techtank", "--format", "json").stdout)["events"]
    env = {"COLUMNS": str(columns), "S3PILOT_LANG": lang, "NO_COLOR": "1"}
    lines = cli("show", "techtank", "--format", "table", env=env).stdout.splitlines()
    start = next(
        i for i, line in enumerate(lines) if line.split()[:1] in (["events"], ["Händelser"])
    )
    paragraphs: list[list[str]] = []
    for line in lines[start + 1 :]:
        if line.startswith("    "):  # a further line of the event above
            paragraphs[-1].append(line.strip())
        elif line.startswith("  "):
            paragraphs.append([line.strip()])
        else:
            break
    assert len(paragraphs) == len(events)
    urls = [event.rpartition(" — ")[2] for event in events]
    for paragraph, url in zip(paragraphs, urls, strict=True):
        assert any(url in line for line in paragraph), (url, paragraph)
        assert " ".join(paragraph).endswith(url)
        assert paragraph[-1] == url, paragraph
        assert paragraph[-2].endswith(" —"), paragraph
        # the prose fits the width; only a line that ends in the address may be wider
        assert all(len(line) + 4 <= columns or line.endswith(url) for line in paragraph)
