"""The least any registry CLI must do for `export --format sqlite`: parse the TOML with tomllib
and insert the regions, clusters and aliases with `sqlite3.executemany`, in one transaction
(no full-text index, view or validation). The benchmark's yardstick for s3pilot.

    python benchmarks/reference_sqlite.py big.toml out.db
"""

import sqlite3
import sys
import tomllib
from pathlib import Path

with open(sys.argv[1], "rb") as file:
    document = tomllib.load(file)
target = Path(sys.argv[2])
target.unlink(missing_ok=True)
connection = sqlite3.connect(target)
connection.executescript(
    """
    CREATE TABLE regions (code TEXT PRIMARY KEY, lan_code TEXT, name TEXT, county TEXT,
                          nuts3 TEXT, body TEXT);
    CREATE TABLE clusters (id TEXT PRIMARY KEY, name TEXT, region_code TEXT REFERENCES regions,
                           city TEXT, website TEXT, focus TEXT);
    CREATE TABLE cluster_aliases (cluster_id TEXT REFERENCES clusters, name TEXT);
    """
)
with connection:
    connection.executemany(
        "INSERT INTO regions VALUES (?, ?, ?, ?, ?, ?)",
        [
            (r["code"], r["lan_code"], r["name"], r["county"], r["nuts3"], r["body"])
            for r in document["regions"]
        ],
    )
    clusters = document["clusters"]
    connection.executemany(
        "INSERT INTO clusters VALUES (?, ?, ?, ?, ?, ?)",
        [
            (c["id"], c["name"], c["region"], c.get("city"), c.get("website"), c.get("focus"))
            for c in clusters
        ],
    )
    connection.executemany(
        "INSERT INTO cluster_aliases VALUES (?, ?)",
        [(c["id"], alias) for c in clusters for alias in c.get("aliases", ())],
    )
connection.close()
