"""SQLite: the registry as related tables, for sqlite3, Datasette and DuckDB.

`program` (one row), `program_offers`, `contacts`, `regions`, `region_aliases` and
`region_s3_areas` (each region's smart specialisation areas), `clusters`, `cluster_aliases`,
`sources` (each cluster's pages) and `events` (the programme's and the clusters', dated);
foreign keys declared, and indexed; `clusters_fts`, a full-text index over each cluster's
name, aliases, city and focus (in English and Swedish); and the view `cluster_records`, one
row a cluster with its region's columns: the fields, names and values of `export --format
csv`.

`clusters_fts` follows sqlite-utils' convention, an FTS5 table with `content="clusters"`, which
Datasette finds on its own and offers as the search box of `clusters` (no metadata needed); so
`clusters` carries its aliases as one column too, the text the index reads them from. Its
tokenizer drops diacritics, so "linkoping" finds Linköping. "None" is NULL in every column of
every table and view, never an empty string.

The standard library's sqlite3 does all of it: a few CREATE statements and `executemany` are
the whole job, and a library (sqlite-utils) would cost start-up and a dependency for nothing
this needs. sqlite3 is imported inside the writer.
"""

from pathlib import Path
from typing import TYPE_CHECKING

from s3pilot_cli import records
from s3pilot_cli.licences import DATA_STATEMENT
from s3pilot_cli.model import Registry
from s3pilot_cli.records import aliases, contacts
from s3pilot_cli.textrules import LIST_SEPARATOR

if TYPE_CHECKING:
    import sqlite3

# Every table has a `name` column, which Datasette picks as the label of a row that a foreign
# key points at; the tables are created in this order, so that every key points backwards.
SCHEMA = """
CREATE TABLE program (
    name TEXT NOT NULL,
    agency TEXT NOT NULL,
    summary TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    applications INTEGER NOT NULL,
    selected INTEGER NOT NULL,
    source_url TEXT NOT NULL,
    email_pattern TEXT NOT NULL,
    checked TEXT,  -- the date of the data, YYYY-MM-DD; NULL where the registry does not say
    -- The programme's course (NULL where the registry does not say): the day the call opened,
    -- the month of the kick-off (YYYY-MM), the years it ran, and the later page's URL and
    -- what it says of the number selected and the years.
    call_opened TEXT,
    kickoff TEXT,
    first_year INTEGER,
    last_year INTEGER,
    later_url TEXT,
    later_selected TEXT,
    later_period TEXT,
    -- What it was for (the source's Swedish words, and in English), what its second step
    -- gave a cluster at most (SEK, years; the share the cluster paid itself, in per cent),
    -- its clusters' member organisations together (about), and the official list's order.
    purpose TEXT,
    purpose_en TEXT,
    support_sek INTEGER,
    support_years INTEGER,
    cofinancing_pct INTEGER,
    members_about INTEGER,
    list_order TEXT,
    license TEXT NOT NULL  -- the data's licence (licences.DATA_STATEMENT)
);
CREATE TABLE program_offers (
    position INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE contacts (  -- the fields of `contacts --format csv`
    name TEXT NOT NULL,
    organization TEXT NOT NULL,
    phone TEXT NOT NULL,
    phone_e164 TEXT NOT NULL,
    email TEXT NOT NULL
);
CREATE TABLE regions (
    code TEXT NOT NULL PRIMARY KEY,
    lan_code TEXT NOT NULL,
    name TEXT NOT NULL,
    county TEXT NOT NULL,
    nuts3 TEXT NOT NULL,
    body TEXT NOT NULL,
    wikidata TEXT,  -- the län's Wikidata item: Q104231
    -- Its smart specialisation strategy: name or period, areas (joined by '{separator}'; one a
    -- row in region_s3_areas), the page that gives them and the licence that page states.
    s3_strategy TEXT,
    s3_areas TEXT,
    s3_url TEXT,
    s3_licence TEXT
);
CREATE TABLE region_aliases (
    region_code TEXT NOT NULL REFERENCES regions (code),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (region_code, position)
);
CREATE TABLE region_s3_areas (
    region_code TEXT NOT NULL REFERENCES regions (code),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (region_code, position)
);
CREATE TABLE clusters (
    id TEXT NOT NULL PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,  -- the programme's order, from 1
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    city TEXT,
    website TEXT,
    focus TEXT,
    aliases TEXT,  -- joined by '{separator}', for search; one a row in cluster_aliases
    now_called TEXT,
    founded INTEGER,  -- the year
    founded_note TEXT,
    kind TEXT,
    label TEXT,  -- level and year: "Gold 2018"
    focus_sv TEXT,
    note TEXT,  -- what a reader should know to read the entry right
    kommun TEXT,  -- the kommun its city is in, and SCB's code of it
    kommun_code TEXT,
    s3_area TEXT,  -- one of its region's s3_areas, where a source links them
    eccp_url TEXT,
    last_seen TEXT,  -- its latest event's date: YYYY, YYYY-MM or YYYY-MM-DD
    note_sv TEXT  -- the note in Swedish
);
CREATE INDEX clusters_region_code ON clusters (region_code);
CREATE TABLE cluster_aliases (
    cluster_id TEXT NOT NULL REFERENCES clusters (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (cluster_id, position)
);
-- Each cluster's sources: the page, the fields it supports (joined with "{separator}"), the
-- day it was read (YYYY-MM-DD).
CREATE TABLE sources (
    cluster_id TEXT NOT NULL REFERENCES clusters (id),
    position INTEGER NOT NULL,
    url TEXT NOT NULL,
    fields TEXT NOT NULL,
    read TEXT NOT NULL,
    caveat TEXT,  -- why the page is weak support for those fields, where it is
    PRIMARY KEY (cluster_id, position)
);
-- Every event, in the registry's order: the programme's (cluster_id NULL), then each
-- cluster's. The date is as precise as its page (YYYY, YYYY-MM or YYYY-MM-DD), so text order
-- is date order; `sets` names the field of its entry it dates.
CREATE TABLE events (
    position INTEGER NOT NULL PRIMARY KEY,
    cluster_id TEXT REFERENCES clusters (id),
    date TEXT NOT NULL,
    event TEXT NOT NULL,
    event_sv TEXT,
    url TEXT NOT NULL,
    sets TEXT,
    caveat TEXT
);
CREATE INDEX events_cluster_id ON events (cluster_id);
-- Its rowid is the cluster's rowid (and position): `clusters.rowid IN (SELECT rowid ...)`.
-- Its columns are read from `clusters` (content="clusters"): Datasette's sign of a search.
CREATE VIRTUAL TABLE clusters_fts USING fts5 (
    id UNINDEXED, name, aliases, city, focus, focus_sv,
    content="clusters", content_rowid="rowid",
    tokenize = 'unicode61 remove_diacritics 2'
);
-- The fields and values of `export --format csv` (records.CLUSTER_FIELDS; a test holds it).
CREATE VIEW cluster_records AS
SELECT
    c.id,
    c.name,
    r.name AS region,
    r.code AS region_code,
    r.lan_code,
    r.county,
    r.nuts3,
    r.body AS region_body,
    c.city,
    c.website,
    c.focus,
    c.aliases,
    c.now_called,
    c.founded,
    c.founded_note,
    c.kind,
    c.label,
    (
        SELECT group_concat(s.url, '{separator}')
        FROM (SELECT url FROM sources WHERE cluster_id = c.id ORDER BY position) AS s
    ) AS sources,
    c.focus_sv,
    c.note,
    c.kommun,
    c.kommun_code,
    c.s3_area,
    c.eccp_url,
    c.last_seen,
    c.note_sv
FROM clusters AS c JOIN regions AS r ON r.code = c.region_code
ORDER BY c.position;
""".replace("{separator}", LIST_SEPARATOR)


def write_sqlite(path: Path, registry: Registry) -> None:
    """Build the database at `path`, a new (or empty) file that nobody reads yet.

    The file is a temporary one beside the target, renamed over it once it is whole, so it
    needs no journal and no syncing while it is built; the caller syncs it before the rename.
    """
    import sqlite3

    try:
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute("PRAGMA foreign_keys = ON")  # every insert is checked
            connection.executescript(SCHEMA)
            connection.execute("BEGIN")
            _insert_all(connection, registry)
            connection.execute("COMMIT")
        finally:
            connection.close()
    except sqlite3.OperationalError as error:  # a full disk, a file that cannot be written
        raise OSError(f"SQLite: {error}") from error


def _insert_all(connection: "sqlite3.Connection", registry: Registry) -> None:
    """Insert the registry's rows into the tables of `SCHEMA`."""
    program = registry.program
    connection.execute(
        "INSERT INTO program VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?, ?)",
        (
            program.name,
            program.agency,
            program.summary,
            program.summary_en,
            program.applications,
            program.selected,
            program.source_url,
            program.email_pattern,
            program.checked,
            program.call_opened,
            program.kickoff,
            program.first_year,
            program.last_year,
            program.later_url,
            program.later_selected,
            program.later_period,
            program.purpose,
            program.purpose_en,
            program.support_sek,
            program.support_years,
            program.cofinancing_pct,
            program.members_about,
            program.list_order,
            DATA_STATEMENT,
        ),
    )
    connection.executemany(
        "INSERT INTO program_offers VALUES (?, ?)", enumerate(program.offers, start=1)
    )
    connection.executemany("INSERT INTO contacts VALUES (?, ?, ?, ?, ?)", contacts(registry).rows)
    connection.executemany(
        "INSERT INTO regions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                *(r.code, r.lan_code, r.name, r.county, r.nuts3, r.body, r.wikidata),
                *(r.s3_strategy, _joined(r.s3_areas), r.s3_url, r.s3_licence),
            )
            for r in registry.regions
        ],
    )
    connection.executemany(
        "INSERT INTO region_s3_areas VALUES (?, ?, ?)",
        aliases("region_code", ((r.code, r.s3_areas) for r in registry.regions)).rows,
    )
    connection.executemany(
        "INSERT INTO region_aliases VALUES (?, ?, ?)",
        aliases("region_code", ((r.code, r.aliases) for r in registry.regions)).rows,
    )
    clusters = registry.clusters
    connection.executemany(
        "INSERT INTO clusters (rowid, id, position, name, region_code, city, website, focus,"
        " aliases, now_called, founded, founded_note, kind, label, focus_sv, note, s3_area,"
        " eccp_url, kommun, kommun_code, last_seen, note_sv)"
        " VALUES (?1, ?2, ?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
        " ?17, ?18, ?19, ?20, ?21)",
        [
            (
                *(n, c.id, c.name, c.region, c.city, c.website, c.focus, _joined(c.aliases)),
                *(c.now_called, c.founded, c.founded_note, c.kind, c.label, c.focus_sv),
                *(c.note, c.s3_area, c.eccp_url, c.kommun, c.kommun_code, c.last_seen, c.note_sv),
            )
            for n, c in enumerate(clusters, start=1)
        ],
    )
    connection.executemany(
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?)",
        [
            (c.id, n, source.url, LIST_SEPARATOR.join(source.fields), source.read, source.caveat)
            for c in clusters
            for n, source in enumerate(c.sources, start=1)
        ],
    )
    connection.executemany(
        "INSERT INTO cluster_aliases VALUES (?, ?, ?)",
        aliases("cluster_id", ((c.id, c.aliases) for c in clusters)).rows,
    )
    connection.executemany(
        "INSERT INTO clusters_fts (rowid, id, name, aliases, city, focus, focus_sv)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (n, c.id, c.name, _joined(c.aliases), c.city, c.focus, c.focus_sv)
            for n, c in enumerate(clusters, start=1)
        ],
    )
    connection.executemany(
        "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",  # records.EVENT_FIELDS
        records.events(registry).rows,
    )


def _joined(names: tuple[str, ...]) -> str | None:
    """A list as one text column: NULL, not '', for none."""
    return LIST_SEPARATOR.join(names) or None
