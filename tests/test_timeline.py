"""`s3pilot timeline`: every dated event of the registry in date order, and the events where
people and programs meet them: `show`, the records' `last_seen`, SQLite, the workbook."""

import json
import re
import sqlite3
import tomllib
from contextlib import closing
from pathlib import Path

import pytest

import s3pilot_cli
from s3pilot_cli.errors import ExitCode
from tests.conftest import BUNDLED, Cli

# From the registry file itself, not from s3pilot's reading of it.
TOML = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
OWNED = [("program", e) for e in TOML["program"]["events"]]
OWNED += [(c["id"], e) for c in TOML["clusters"] for e in c.get("events", [])]
# The board of Clusters of Sweden as the page of 26 May 2023 lists it, the eight.
BOARD_2023 = {
    *("mobile-heights", "jarnvagsklustret", "smart-textiles", "techtank", "bron-innovation"),
    *("automation-region", "agro-vast", "paper-province"),
}


def timeline(cli: Cli, *args: str) -> list[dict[str, str]]:
    records: list[dict[str, str]] = json.loads(cli("timeline", *args, "--format", "json").stdout)
    return records


def test_json_is_every_event_in_date_order_with_four_keys(cli: Cli) -> None:
    records = timeline(cli)
    assert all(list(record) == ["date", "cluster", "event", "url"] for record in records)
    assert len(records) == len(OWNED) >= 30
    dates = [record["date"] for record in records]
    assert dates == sorted(dates)
    assert all(re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", date) for date in dates)
    assert all(record["url"].startswith(("http://", "https://")) for record in records)
    expected = sorted(((e["date"], owner, e["event"], e["url"]) for owner, e in OWNED))
    assert sorted(tuple(record.values()) for record in records) == expected


def test_the_call_and_the_clusters_after_the_programme(cli: Cli) -> None:
    records = timeline(cli)
    (call,) = [r for r in records if r["date"] == "2018-03-26"]
    assert call["cluster"] == "program"
    assert "2018-03-26" in call["url"]  # the call page, whose address carries the date
    later = {r["cluster"] for r in records if r["date"] >= "2022" and r["cluster"] != "program"}
    assert len(later) >= 8
    board = {
        r["cluster"]
        for r in records
        if r["date"] == "2023-05-26" and "Clusters of Sweden" in r["event"]
    }
    assert board == BOARD_2023


def test_cluster_and_region_choose_the_events(cli: Cli) -> None:
    techtank = timeline(cli, "--cluster", "TechTank")
    assert {r["cluster"] for r in techtank} == {"techtank"}
    years = {r["date"][:4] for r in techtank}
    assert {"2015", "2021"} <= years
    two = timeline(cli, "--cluster", "techtank,georange")
    assert {r["cluster"] for r in two} == {"techtank", "georange"}
    varmland = timeline(cli, "--region", "Värmland")
    assert {r["cluster"] for r in varmland} == {"compare", "paper-province"}
    assert timeline(cli, "--region", "Värmland", "--cluster", "techtank") == []


def test_an_unknown_cluster_is_exit_3(cli: Cli) -> None:
    run = cli("timeline", "--cluster", "zzz", exit_code=ExitCode.NO_SUCH_CLUSTER)
    assert run.stdout == ""
    assert run.stderr.startswith("s3pilot: error: ")


def test_a_pipe_gets_date_owner_event_and_page(cli: Cli) -> None:
    lines = cli("timeline", "--cluster", "fiber-optic-valley").stdout.splitlines()
    assert (
        "2017-01-01\tfiber-optic-valley\tits operations are transferred to RISE Acreo"
        "\thttps://www.acreo.se/media/news/smart-arena-for-innovation"
    ) in lines


def test_a_swedish_table_gives_the_swedish_words(cli: Cli) -> None:
    env = {"S3PILOT_LANG": "sv", "COLUMNS": "300"}
    shown = cli("timeline", "--cluster", "techtank", "--format", "table", env=env).stdout
    assert "blir medlem i Sobona" in shown
    english = cli(
        "timeline", "--cluster", "techtank", "--format", "table", env={**env, "S3PILOT_LANG": "en"}
    )
    assert "joins Sobona" in english.stdout


def test_show_lists_the_events_under_the_facts(cli: Cli) -> None:
    lines = cli("show", "techtank", "--format", "plain").stdout.splitlines()
    fields = [line.split("\t")[0] for line in lines]
    assert fields[-1] == "events"
    events = lines[-1].split("\t")[1]
    assert "2015-03 established as a cluster initiative" in events
    assert "2021-07 becomes a regional company" in events
    shown = json.loads(cli("show", "paper-province", "--format", "json").stdout)
    years = {line[:4] for line in shown["events"]}
    assert {"1999", "2003"} <= years  # both, the sources disagreeing
    assert any(line.startswith("1999-03-01 ") for line in shown["events"])


def test_last_seen_is_the_latest_event(cli: Cli) -> None:
    records = {r["id"]: r for r in json.loads(cli("list", "--format", "json").stdout)}
    for cluster in TOML["clusters"]:
        dates = [event["date"] for event in cluster.get("events", [])]
        assert records[cluster["id"]]["last_seen"] == (max(dates) if dates else None)
    assert sum(1 for r in records.values() if r["last_seen"]) >= 15
    assert records["paper-province"]["last_seen"] == "2024-03-07"


def test_sqlite_has_the_events_with_a_foreign_key(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "s3pilot.db"
    cli("export", "-o", str(target))
    with closing(sqlite3.connect(target)) as db:
        db.execute("PRAGMA foreign_keys = ON")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        keys = db.execute("PRAGMA foreign_key_list(events)").fetchall()
        assert [(k[2], k[3], k[4]) for k in keys] == [("clusters", "cluster_id", "id")]
        assert db.execute("SELECT count(*) FROM events").fetchone() == (len(OWNED),)
        programme = db.execute("SELECT count(*) FROM events WHERE cluster_id IS NULL").fetchone()
        assert programme == (len(TOML["program"]["events"]),)
        joined = db.execute(
            "SELECT e.date, e.event_sv FROM events AS e JOIN clusters AS c ON c.id = e.cluster_id"
            " WHERE c.name = 'TechTank' AND e.date = '2021-09'"
        ).fetchall()
        assert joined == [("2021-09", "blir medlem i Sobona")]
        seen = db.execute("SELECT last_seen FROM clusters WHERE id = 'techtank'").fetchone()
        assert seen == ("2023-06-02",)


def test_the_workbook_has_an_events_sheet(cli: Cli, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="the workbook is read with openpyxl")
    target = tmp_path / "s3pilot.xlsx"
    cli("export", "-o", str(target))
    rows = list(openpyxl.load_workbook(target)["Events"].iter_rows(values_only=True))
    assert rows[0] == (
        *("position", "cluster_id", "date", "event", "event_sv", "url", "sets", "caveat"),
    )
    assert len(rows) - 1 == len(OWNED)
    first = TOML["program"]["events"][0]
    assert rows[1][:6] == (1, None, first["date"], first["event"], first["event_sv"], first["url"])
    assert rows[1][7] == first["caveat"]  # the call's date rests on its page's address


def test_the_python_api_gives_the_same_records(cli: Cli) -> None:
    assert s3pilot_cli.timeline_records(BUNDLED) == timeline(cli)


def test_diff_reports_a_changed_event(cli: Cli, tmp_path: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    old = '{ date = "2021-09", event = "joins Sobona'
    assert text.count(old) == 1
    changed = tmp_path / "changed.toml"
    changed.write_text(text.replace(old, old.replace("2021-09", "2021-10")), encoding="utf-8")
    run = cli("diff", str(BUNDLED), str(changed), "--format", "json", exit_code=1)
    (record,) = json.loads(run.stdout)
    assert (record["kind"], record["key"], record["field"]) == (
        "changed",
        "cluster:techtank",
        "events",
    )
    assert set(record["old"]) - set(record["new"]) == {
        "2021-09 joins Sobona, the employers' organisation — https://sobona.se/medlemmar-och-"
        "branscher/vara-medlemmar/roster-fran-medlemmar/techtank (sv: blir medlem i Sobona)"
    }


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_a_narrow_table_keeps_dates_and_ids_whole(cli: Cli, lang: str) -> None:
    env = {"COLUMNS": "40", "S3PILOT_LANG": lang, "NO_COLOR": "1"}
    shown = cli("timeline", "--region", "Jämtland,Blekinge", "--format", "table", env=env).stdout
    words = shown.split()
    assert "entreprenorsdrivet-foretagsnav" in words
    assert "2023-06-02" in words
    assert not any(word.startswith(("entreprenors", "techt")) and "…" in word for word in words)


@pytest.mark.slow  # every width from 40 to 200: the quick loop keeps one
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_event_is_read_whole_at_every_width(cli: Cli, lang: str) -> None:
    """At any width from 40 to 200, a table whose event column leaves a few words a line, or
    else each event's lines: never a phrase cut with "…" ("associa…"), nor a word a line."""
    phrases = [r["event"] for r in timeline(cli, "--format", "json")]  # English, every format
    for columns in range(40, 201, 3):
        env = {"S3PILOT_LANG": lang, "COLUMNS": str(columns)}
        lines = cli("timeline", "--format", "table", env=env).stdout.splitlines()
        where = f"{lang} at {columns}"
        assert not any("…" in line for line in lines), where
        assert all(len(line.rstrip()) <= columns for line in lines), where
        if len(lines) > 1 and set(lines[1].strip()) == {"─"}:  # a table: its event column
            start = max(lines[0].rstrip().rfind(" "), 0) + 1
            assert columns - start >= 24, f"{where}: the event column is {columns - start} wide"
        else:  # the records' lines: date, cluster and event, each a label and its value
            labels = [line.split()[0] for line in lines if line and not line.startswith(" ")]
            assert len(labels) == 3 * len(phrases), where
    english = {"S3PILOT_LANG": "en", "COLUMNS": "40"}
    shown = " ".join(cli("timeline", "--format", "table", env=english).stdout.split())
    assert all(" ".join(phrase.split()) in shown for phrase in phrases)


def test_a_swedish_view_marks_the_events_it_has_in_english_alone(cli: Cli) -> None:
    """As a note the registry holds in English alone is marked "(på engelska)" in a Swedish
    view, so is an event without a Swedish form; one with its Swedish words is not marked.
    (Every data format keeps the registry's words: the first test of this file.)"""
    english_only = [(o, e) for o, e in OWNED if not e.get("event_sv")]
    swedish = [(o, e) for o, e in OWNED if e.get("event_sv")]
    assert english_only  # the registry has both kinds
    assert swedish
    env = {"S3PILOT_LANG": "sv", "COLUMNS": "400"}
    table = " ".join(cli("timeline", "--format", "table", env=env).stdout.split())
    for _, event in english_only:
        assert f"{' '.join(event['event'].split())} (på engelska)" in table, event
    for _, event in swedish:
        said = " ".join(event["event_sv"].split())
        assert said in table, event
        assert f"{said} (på engelska)" not in table, event
    owner, event = next((o, e) for o, e in english_only if o != "program")
    shown = cli("show", owner, "--format", "table", env=env).stdout
    assert f"{event['date']} {event['event']} (på engelska) —" in " ".join(shown.split())
