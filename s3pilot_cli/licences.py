"""Under what terms s3pilot's data may be reused: the one statement every export carries.

The code is MIT (LICENSE, pyproject.toml). The registry's data, the compilation of the
programme's facts, the län and the clusters' details, is offered under CC0 1.0. The facts
come from public pages, and the län outlines beside them are SCB's open data, CC0 itself, so
one waiver covers every file s3pilot writes. An attribution requirement (CC BY) would bind
only the compilation, and would follow every reuser into every merge with other data, for
little gain. Credit is asked for, not required. The outlines carry their own source and
licence (`outlines.json`, `outlines_wgs84.json`, written by scripts/make_outlines.py).

The data package, the GeoJSON, the workbook's properties, the SQLite `program` table and the
map's footer take their wording from here (and the data package and the GeoJSON their first
source, the programme's page); data/clusters.toml's header and README.md ("Open
data") say the same in prose, and tests/test_licences.py holds them to it.
"""

from dataclasses import dataclass

from s3pilot_cli.i18n import N_
from s3pilot_cli.model import Program


@dataclass(frozen=True, slots=True)
class Licence:
    """A licence as the Data Package standard describes one: SPDX id, web page, title."""

    name: str
    path: str
    title: str

    def described(self) -> dict[str, str]:
        """The licence as a Data Package's `licenses` item (and GeoJSON's `license` member)."""
        return {"name": self.name, "path": self.path, "title": self.title}


DATA_LICENCE = Licence(
    name="CC0-1.0",
    path="https://creativecommons.org/publicdomain/zero/1.0/",
    title="CC0 1.0 Universal",
)

# One line, for the map's footer, a workbook property or a table cell; the sources are named
# beside it in each of those (the programme's page, the outlines' credit). The files carry it
# in English; a Swedish map translates `STATEMENT` and fills it in alike.
STATEMENT = N_("Data: {licence} ({address}), compiled by s3pilot; please name the sources")
DATA_STATEMENT = STATEMENT.format(licence=DATA_LICENCE.name, address=DATA_LICENCE.path)


def programme_source(program: Program) -> dict[str, str]:
    """The programme's page as a Data Package `sources` item (and GeoJSON's): the first source
    the open-data files name."""
    return {"title": f"{program.agency}: {program.name}", "path": program.source_url}
