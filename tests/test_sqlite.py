"""`export --format sqlite`, read back with SQLite itself: tables, keys, full-text search, and
a view equal to the csv export."""

import asyncio
import csv
import io
import json
import os
import sqlite3
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from s3pilot_cli import records
from s3pilot_cli.formats.delimited import write_csv
from s3pilot_cli.formats.sqlite import write_sqlite
from s3pilot_cli.model import Registry
from tests.conftest import MINIMAL, ROOT, Cli, interop
from tests.strategies import registries


def export(cli: Cli, target: Path, *args: str, registry: Path | None = None) -> sqlite3.Connection:
    given = ["--registry", str(registry)] if registry else []
    cli(*given, "export", "--format", "sqlite", "-o", str(target), *args)
    return sqlite3.connect(target)


@pytest.fixture
def db(cli: Cli, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    with closing(export(cli, tmp_path / "s3pilot.db")) as connection:
        yield connection


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def as_text(rows: list[tuple[object, ...]]) -> list[list[str]]:
    """Rows as the csv export writes them: NULL empty, numbers as digits."""
    return [["" if value is None else str(value) for value in row] for row in rows]


def test_full_text_search_finds_triple_steelix(db: sqlite3.Connection) -> None:
    # The registry gives Triple Steelix (Dalarna) the focus "steel".
    found = db.execute("SELECT id, name FROM clusters_fts WHERE clusters_fts MATCH 'steel'")
    assert found.fetchall() == [("triple-steelix", "Triple Steelix")]


def test_full_text_search_covers_aliases_and_city_without_diacritics(
    db: sqlite3.Connection,
) -> None:
    def names(query: str) -> list[str]:
        sql = "SELECT name FROM clusters_fts WHERE clusters_fts MATCH ? ORDER BY rowid"
        return [name for (name,) in db.execute(sql, (query,))]

    # Both clusters of Linköping, as in the README's `list --search linkoping`.
    assert names("linkoping") == ["Mjärdevi science park", "Aerospace Cluster"]
    # "The Paper Province" is only an alias; "IoT World" is Mjärdevi's.
    assert names('aliases:"iot world"') == ["Mjärdevi science park"]
    assert names("name:province") == ["Paper Province"]


def test_foreign_keys_are_declared_valid_and_indexed(db: sqlite3.Connection) -> None:
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    declared = {
        (table, column, parent, key)
        for table in ("clusters", "cluster_aliases", "region_aliases")
        for (_, _, parent, column, key, *_) in db.execute(f"PRAGMA foreign_key_list({table})")
    }
    assert declared == {
        ("clusters", "region_code", "regions", "code"),
        ("cluster_aliases", "cluster_id", "clusters", "id"),
        ("region_aliases", "region_code", "regions", "code"),
    }
    for table, column, _, _ in declared:
        leading = {
            db.execute(f"PRAGMA index_info({index})").fetchone()[2]
            for (_, index, *_) in db.execute(f"PRAGMA index_list({table})")
        }
        assert column in leading, f"no index starts with {table}.{column}"


def test_tables_declare_their_types_and_keys(db: sqlite3.Connection) -> None:
    def columns(table: str) -> list[tuple[str, str, int, int]]:
        return [
            (name, kind, notnull, pk)
            for (_, name, kind, notnull, _, pk) in db.execute(f"PRAGMA table_info({table})")
        ]

    assert columns("regions") == [
        ("code", "TEXT", 1, 1),
        ("lan_code", "TEXT", 1, 0),
        ("name", "TEXT", 1, 0),
        ("county", "TEXT", 1, 0),
        ("nuts3", "TEXT", 1, 0),
        ("body", "TEXT", 1, 0),
        ("wikidata", "TEXT", 0, 0),
        ("s3_strategy", "TEXT", 0, 0),
        ("s3_areas", "TEXT", 0, 0),
        ("s3_url", "TEXT", 0, 0),
        ("s3_licence", "TEXT", 0, 0),
    ]
    assert columns("clusters") == [
        ("id", "TEXT", 1, 1),
        ("position", "INTEGER", 1, 0),
        ("name", "TEXT", 1, 0),
        ("region_code", "TEXT", 1, 0),
        ("city", "TEXT", 0, 0),
        ("website", "TEXT", 0, 0),
        ("focus", "TEXT", 0, 0),
        ("aliases", "TEXT", 0, 0),
        ("now_called", "TEXT", 0, 0),
        ("founded", "INTEGER", 0, 0),
        ("founded_note", "TEXT", 0, 0),
        ("kind", "TEXT", 0, 0),
        ("label", "TEXT", 0, 0),
        ("focus_sv", "TEXT", 0, 0),
        ("note", "TEXT", 0, 0),
        ("kommun", "TEXT", 0, 0),
        ("kommun_code", "TEXT", 0, 0),
        ("s3_area", "TEXT", 0, 0),
        ("eccp_url", "TEXT", 0, 0),
        ("last_seen", "TEXT", 0, 0),
        ("note_sv", "TEXT", 0, 0),
    ]
    assert columns("sources") == [
        ("cluster_id", "TEXT", 1, 1),
        ("position", "INTEGER", 1, 2),
        ("url", "TEXT", 1, 0),
        ("fields", "TEXT", 1, 0),
        ("read", "TEXT", 1, 0),
        ("caveat", "TEXT", 0, 0),
    ]
    assert columns("events") == [
        ("position", "INTEGER", 1, 1),
        ("cluster_id", "TEXT", 0, 0),
        ("date", "TEXT", 1, 0),
        ("event", "TEXT", 1, 0),
        ("event_sv", "TEXT", 0, 0),
        ("url", "TEXT", 1, 0),
        ("sets", "TEXT", 0, 0),
        ("caveat", "TEXT", 0, 0),
    ]
    assert [column[:2] for column in columns("program")][4:6] == [
        ("applications", "INTEGER"),
        ("selected", "INTEGER"),
    ]
    # A länskod is text: Stockholm's "01" keeps its zero.
    assert db.execute("SELECT lan_code FROM regions WHERE code = 'SE-AB'").fetchone() == ("01",)


def test_the_view_is_the_csv_export(cli: Cli, db: sqlite3.Connection) -> None:
    expected = csv_rows(cli("export", "--format", "csv").stdout)
    view = db.execute("SELECT * FROM cluster_records")
    header = [description[0] for description in view.description]
    assert [header, *as_text(view.fetchall())] == expected
    assert len(expected) == 23


def test_the_other_tables_are_the_other_commands(cli: Cli, db: sqlite3.Connection) -> None:
    contacts = csv_rows(cli("contacts", "--format", "csv").stdout)
    table = db.execute("SELECT * FROM contacts")
    assert [[d[0] for d in table.description], *as_text(table.fetchall())] == contacts

    regions = json.loads(cli("regions", "--format", "json").stdout)
    assert db.execute(
        "SELECT code, lan_code, name, county, nuts3, body FROM regions"
    ).fetchall() == [
        (r["code"], r["lan_code"], r["name"], r["county"], r["nuts3"], r["body"]) for r in regions
    ]
    aliases = db.execute(
        "SELECT region_code, name FROM region_aliases ORDER BY region_code, position"
    ).fetchall()
    assert aliases == sorted((r["code"], alias) for r in regions for alias in r["aliases"])

    clusters = json.loads(cli("list", "--format", "json").stdout)
    aliases = db.execute(
        "SELECT cluster_id, a.name FROM cluster_aliases AS a"
        " JOIN clusters AS c ON c.id = cluster_id ORDER BY c.position, a.position"
    ).fetchall()
    assert aliases == [(c["id"], alias) for c in clusters for alias in c["aliases"]]


def test_the_program_row_carries_its_source_and_date(cli: Cli, db: sqlite3.Connection) -> None:
    program = json.loads(cli("export", "--format", "registry-json").stdout)["program"]
    row = db.execute("SELECT name, source_url, checked FROM program").fetchall()
    assert row == [(program["name"], program["source_url"], program["checked"])]
    offers = db.execute("SELECT name FROM program_offers ORDER BY position").fetchall()
    assert [offer for (offer,) in offers] == program["offers"]


def test_a_registry_without_a_date_or_optional_fields(cli: Cli, tmp_path: Path) -> None:
    with closing(export(cli, tmp_path / "mine.db", registry=MINIMAL)) as db:
        assert db.execute("SELECT checked FROM program").fetchall() == [(None,)]
        # Paper Province has no city or website in minimal.toml: NULL, not "".
        assert db.execute(
            "SELECT city, website, aliases FROM cluster_records WHERE id = 'paper-province'"
        ).fetchall() == [(None, None, "The Paper Province")]
        # Compare has no aliases: NULL, as for every "none" (the csv export's empty cell).
        assert db.execute(
            "SELECT aliases FROM cluster_records WHERE id = 'compare'"
        ).fetchall() == [(None,)]


def test_region_keeps_every_region_and_only_those_clusters(cli: Cli, tmp_path: Path) -> None:
    with closing(export(cli, tmp_path / "d.db", "--region", "Dalarna")) as db:
        assert db.execute("SELECT id FROM clusters").fetchall() == [
            ("triple-steelix",),
            ("visit-dalarna",),
        ]
        assert db.execute("SELECT count(*) FROM regions").fetchone() == (21,)
        assert db.execute("SELECT count(*) FROM clusters_fts").fetchone() == (2,)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_re_exporting_replaces_the_database_whole(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "s3pilot.db"
    with closing(sqlite3.connect(target)) as old:
        old.execute("CREATE TABLE notes (text TEXT)")
        old.execute("INSERT INTO notes VALUES ('mine')")
        old.commit()
    export(cli, target).close()
    with closing(export(cli, target, "--region", "Värmland")) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        assert "notes" not in tables
        assert db.execute("SELECT count(*) FROM clusters").fetchone() == (2,)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s3pilot.db"]


@pytest.mark.parametrize("output", [[], ["-o", "-"]])
def test_no_file_named_is_a_usage_error(cli: Cli, output: list[str]) -> None:
    run = cli("export", "--format", "sqlite", *output, exit_code=2)
    assert run.stdout == ""
    assert run.stderr == (
        "s3pilot: error: --format sqlite writes a file, not text for a terminal or a pipe;"
        " name the file with -o, e.g. -o s3pilot.db\n"
    )


@pytest.mark.parametrize(
    ("error", "exit_code"),
    [(OSError(28, "No space left on device"), 1), (KeyboardInterrupt(), 130)],
)
def test_a_failure_leaves_the_old_file_and_no_temporary_one(
    cli: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
    exit_code: int,
) -> None:
    target = tmp_path / "s3pilot.db"
    target.write_bytes(b"the old file")

    def midway(path: Path, registry: Registry) -> None:
        write_sqlite(path, registry)
        raise error

    monkeypatch.setattr("s3pilot_cli.formats.sqlite.write_sqlite", midway)
    run = cli("export", "--format", "sqlite", "-o", str(target), exit_code=exit_code)
    if exit_code == 1:
        assert run.stderr == (
            f"s3pilot: error: {target}: could not be written (No space left on device);"
            " it is unchanged\n"
        )
    assert target.read_bytes() == b"the old file"
    assert [p.name for p in tmp_path.iterdir()] == ["s3pilot.db"]


@given(registries())
def test_any_registry_round_trips_through_the_view(registry: Registry) -> None:
    text = io.StringIO()
    write_csv(text, records.clusters(registry, registry.clusters))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.db"
        write_sqlite(path, registry)
        with closing(sqlite3.connect(path)) as db:
            view = db.execute("SELECT * FROM cluster_records")
            header = [d[0] for d in view.description]
            assert [header, *as_text(view.fetchall())] == csv_rows(text.getvalue())
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_the_datasette_metadata_fits_the_database(db: sqlite3.Connection) -> None:
    """datasette/metadata.json (titles and descriptions) names only tables and columns the
    export has; the search box needs none of it (Datasette's own test of it is below)."""
    metadata = json.loads((ROOT / "datasette" / "metadata.json").read_text(encoding="utf-8"))
    tables = metadata["databases"]["s3pilot"]["tables"]
    existing = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert set(tables) <= existing
    for table, settings_ in tables.items():
        columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        for key in ("label_column", "sort"):
            if key in settings_:
                assert settings_[key] in columns, f"{table}: {key}"
    assert metadata["source_url"] == db.execute("SELECT source_url FROM program").fetchone()[0]


def test_a_named_pipe_gets_the_database_and_stays_a_pipe(cli: Cli, tmp_path: Path) -> None:
    """The -o rules: a pipe is written in place (the database is built beside it first)."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    cli("export", "--format", "sqlite", "-o", str(fifo))
    reader.join(timeout=30)
    copy = tmp_path / "copy.db"
    copy.write_bytes(received[0])
    with closing(sqlite3.connect(copy)) as db:
        assert db.execute("SELECT count(*) FROM clusters").fetchone() == (22,)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db", "fifo"]


def test_the_same_registry_gives_the_same_bytes_whatever_the_clock(
    cli: Cli, tmp_path: Path
) -> None:
    """Two exports in different seconds are the same file: SQLite's header and pages hold
    no time, and the writer puts none in."""
    import time

    first, second = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    cli("export", "--format", "sqlite", "-o", str(first))
    time.sleep(1.01 - time.time() % 1)  # into the clock's next second
    cli("export", "--format", "sqlite", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()


def _datasette_get(database: Path, path: str) -> Any:
    """What Datasette serves at `path` for `database`, with no metadata and no plugins."""
    Datasette = interop("datasette.app").Datasette

    async def get() -> Any:
        app = Datasette([str(database)])
        response = await app.client.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    return asyncio.run(get())


def test_datasette_finds_the_search_with_no_help(cli: Cli, tmp_path: Path) -> None:
    # Any file name (the old metadata.json applied to s3pilot.db alone), and no metadata.
    target = tmp_path / "kluster.db"
    cli("export", "--format", "sqlite", "-o", str(target))
    # The registry gives Triple Steelix (Dalarna) the focus "steel".
    found = _datasette_get(target, "/kluster/clusters.json?_search=steel&_shape=array")
    assert [row["name"] for row in found] == ["Triple Steelix"]
    # Folded: Linköping's two clusters from "linkoping", as `list --search linkoping`.
    found = _datasette_get(target, "/kluster/clusters.json?_search=linkoping&_shape=array")
    assert sorted(row["name"] for row in found) == ["Aerospace Cluster", "Mjärdevi science park"]
    # An alias alone: "IoT World" is only Mjärdevi's other name.
    found = _datasette_get(target, "/kluster/clusters.json?_search=iot+world&_shape=array")
    assert [row["name"] for row in found] == ["Mjärdevi science park"]


def test_datasette_shows_the_licence_the_metadata_names(cli: Cli, tmp_path: Path) -> None:
    from s3pilot_cli.licences import DATA_LICENCE

    Datasette = interop("datasette.app").Datasette
    metadata = json.loads((ROOT / "datasette" / "metadata.json").read_text(encoding="utf-8"))
    assert (metadata["license"], metadata["license_url"]) == (
        DATA_LICENCE.title,
        DATA_LICENCE.path,
    )
    target = tmp_path / "s3pilot.db"
    cli("export", "-o", str(target))

    async def page() -> str:
        app = Datasette([str(target)], metadata=metadata)
        response = await app.client.get("/s3pilot/clusters")
        assert response.status_code == 200, response.text
        return str(response.text)

    html = asyncio.run(page())
    assert f'href="{DATA_LICENCE.path}"' in html
    assert DATA_LICENCE.title in html


def test_the_full_text_index_reads_its_columns_from_clusters(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "s.db"
    cli("export", "--format", "sqlite", "-o", str(target))
    with closing(sqlite3.connect(target)) as db:
        # FTS5's own check that the index matches its content table.
        db.execute("INSERT INTO clusters_fts (clusters_fts) VALUES ('integrity-check')")
        found = db.execute("SELECT id, name FROM clusters_fts WHERE clusters_fts MATCH 'steel'")
        assert found.fetchall() == [("triple-steelix", "Triple Steelix")]


def _empty_strings(db: sqlite3.Connection) -> list[str]:
    """Every `table.column` of every table and view that holds ''."""
    found = []
    objects = db.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
        " AND name NOT LIKE 'clusters_fts%' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for (name,) in objects:
        for column in (row[1] for row in db.execute(f'PRAGMA table_info("{name}")')):
            query = f'SELECT count(*) FROM "{name}" WHERE "{column}" = \'\''  # noqa: S608
            if db.execute(query).fetchone()[0]:
                found.append(f"{name}.{column}")
    return found


def test_none_is_null_in_every_table_and_view(cli: Cli, tmp_path: Path) -> None:
    for registry in (None, MINIMAL):
        target = tmp_path / f"{'minimal' if registry else 'bundled'}.db"
        given = ["--registry", str(registry)] if registry else []
        cli(*given, "export", "--format", "sqlite", "-o", str(target))
        with closing(sqlite3.connect(target)) as db:
            assert _empty_strings(db) == []
            # Compare has no other name, in the bundled registry and in minimal.toml.
            for table in ("clusters", "cluster_records"):
                query = f"SELECT aliases FROM {table} WHERE id = 'compare'"  # noqa: S608
                assert db.execute(query).fetchall() == [(None,)]
