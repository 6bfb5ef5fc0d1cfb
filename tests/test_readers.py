"""The exports as the programs people read them with see them (issue 18): Datasette finds the
SQLite export's search on its own, and no empty string stands for "none"."""

import asyncio
import io
import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s3pilot_cli.textrules import find_control
from tests.conftest import MINIMAL, ROOT, Cli, in_terminal


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


# --- Markdown, rendered by a CommonMark library ------------------------------------------------


def _cells_as_rendered(markdown: str) -> list[list[str]]:
    """The text of each table cell as markdown-it-py (CommonMark, with GitHub's tables and
    strikethrough) renders it; anything but plain text in a cell fails."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    rows: list[list[str]] = []
    for token in parser.parse(markdown):
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            kinds = {child.type for child in token.children or ()}
            assert kinds <= {"text"}, f"{token.content!r} renders as {kinds}"
            rows[-1].append("".join(child.content for child in token.children or ()))
    return rows


NASTY = "*bold* [x](y) <b> `code` ~~gone~~ &amp; a\\b | c _u_ ![i](j) <https://x.se>"


def test_markdown_renders_every_value_as_its_text(cli: Cli, tmp_path: Path) -> None:
    registry = MINIMAL.read_text(encoding="utf-8").replace(
        'name = "Paper Province"', f"name = {json.dumps(NASTY)}", 1
    )
    path = tmp_path / "nasty.toml"
    path.write_text(registry, encoding="utf-8")
    text = cli("--registry", str(path), "export", "--format", "markdown").stdout
    rows = _cells_as_rendered(text)
    assert rows[0][:2] == ["id", "name"]
    assert NASTY in [row[1] for row in rows]
    records = json.loads(cli("--registry", str(path), "export", "--format", "json").stdout)
    assert [row[1] for row in rows[1:]] == [record["name"] for record in records]


# Markdown's own characters often, any other character (but controls and characters that draw
# nothing, which `visible` shows as escapes) now and then.
_MARKDOWNISH = st.one_of(
    st.sampled_from(list("\\`*_[]()<>&;#|~!:/. ab")),
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")).filter(
        lambda c: not find_control(c)
    ),
)


@given(st.lists(st.text(_MARKDOWNISH), min_size=1))
def test_markdown_keeps_any_text(values: list[str]) -> None:
    from s3pilot_cli.formats.delimited import write_markdown
    from s3pilot_cli.records import Records

    values = [value.strip() for value in values]  # a table cell's edges are not its text
    out = io.StringIO()
    write_markdown(out, Records(tuple(f"f{n}" for n in range(len(values))), (tuple(values),)))
    assert _cells_as_rendered(out.getvalue())[1] == values


# --- pandas reads codes as text, as the README's Python section shows ------------------------


def _readme_python_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Python\n")
    return text[start : text.index("\n## ", start + 1)]


def test_the_readme_reads_codes_as_text_with_pandas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    section = _readme_python_section()
    (console,) = re.findall(r"```console\n(.*?)```", section, re.DOTALL)
    (script,) = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    for line in console.splitlines():
        in_terminal(line.removeprefix("$ "), cwd=tmp_path)
    monkeypatch.chdir(tmp_path)
    names: dict[str, Any] = {}
    exec(script, names)  # noqa: S102 - the README's own example, with real pandas
    # Stockholm's länskod is 01 and the contacts' numbers +46… (shared/reference/regions.csv,
    # the programme page): kept as text, never 1 or 4686819451.
    assert names["clusters"]["lan_code"].tolist() == names["from_csv"]["lan_code"].tolist()
    assert "03" not in names["from_csv"]["lan_code"].tolist()  # Uppsala has no cluster
    assert names["from_csv"]["lan_code"].tolist()[:2] == ["12", "12"]  # Skåne's two first
    assert names["contacts"]["phone_e164"].tolist() == ["+4686819451", "+4686819132"]
    sheets = names["workbook"]
    assert sheets["Regions"]["lan_code"].tolist()[:2] == ["01", "03"]
    assert sheets["Contacts"]["phone_e164"].tolist() == ["+4686819451", "+4686819132"]


def test_without_being_told_pandas_guesses_numbers(tmp_path: Path) -> None:
    """Why the README says so: read without dtype, the codes lose their zero and their +."""
    import pandas

    in_terminal("s3pilot regions --format csv > regions.csv", cwd=tmp_path)
    assert pandas.read_csv(tmp_path / "regions.csv")["lan_code"].tolist()[:2] == [1, 3]
