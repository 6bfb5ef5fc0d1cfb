"""The exports as the programs people read them with see them (issue 18): Datasette finds the
SQLite export's search on its own, and no empty string stands for "none"."""

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from tests.conftest import MINIMAL, Cli


def _datasette_get(database: Path, path: str) -> Any:
    """What Datasette serves at `path` for `database`, with no metadata and no plugins."""
    from datasette.app import Datasette

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
