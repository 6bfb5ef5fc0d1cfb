"""The least any registry CLI must do for `export --format csv`: parse the TOML with tomllib
and write the same rows with the csv module. The benchmark's yardstick for s3pilot.

    python benchmarks/reference_export.py big.toml > clusters.csv
"""

import csv
import sys
import tomllib

FIELDS = (
    "id",
    "name",
    "region",
    "region_code",
    "lan_code",
    "county",
    "nuts3",
    "region_body",
    "city",
    "website",
    "focus",
    "aliases",
)

with open(sys.argv[1], "rb") as file:
    document = tomllib.load(file)
regions = {region["code"]: region for region in document["regions"]}
writer = csv.writer(sys.stdout)
writer.writerow(FIELDS)
for cluster in document["clusters"]:
    region = regions[cluster["region"]]
    writer.writerow(
        (
            cluster["id"],
            cluster["name"],
            region["name"],
            region["code"],
            region["lan_code"],
            region["county"],
            region["nuts3"],
            region["body"],
            cluster.get("city", ""),
            cluster.get("website", ""),
            cluster.get("focus", ""),
            "; ".join(cluster.get("aliases", ())),
        )
    )
