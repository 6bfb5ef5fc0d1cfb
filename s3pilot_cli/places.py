"""The places people name besides the län: Sweden's 290 kommuner and 25 landskap.

Read from `places.json` beside this file (made once by scripts/make_places.py, which names
the sources and licences, from SCB's open data and, for some landskap, Wikipedia), and only
when a region query needs it: `packaged_places` reads it once per process.

A kommun lies in exactly one län: the first two digits of its code are the länskod. A
landskap (province) is older than the län and does not follow their borders; `lan` is the
län it is taken to mean (the file's `rule`), `parts` every län its source names.
"""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

# Beside this file, as outlines.py finds outlines.json: importlib.resources would import
# zipfile and tempfile for a file that is never in a zip (tests/test_wheel.py reads it from
# an installed wheel).
PLACES_PATH = Path(__file__).parent / "places.json"


@dataclass(frozen=True, slots=True)
class Kommun:
    code: str  # SCB's four digits
    name: str

    @property
    def lan_code(self) -> str:
        return self.code[:2]


@dataclass(frozen=True, slots=True)
class Landskap:
    name: str
    lan_codes: tuple[str, ...]  # the län `--region` takes it to mean
    parts: tuple[str, ...]  # every län its source names as holding a part of it
    source: str


@dataclass(frozen=True, slots=True)
class Places:
    kommuner: tuple[Kommun, ...]
    landskap: tuple[Landskap, ...]


@functools.cache
def packaged_places() -> Places:
    """The packaged kommuner and landskap."""
    document = json.loads(PLACES_PATH.read_text(encoding="utf-8"))
    return Places(
        tuple(Kommun(code, name) for code, name in document["kommuner"].items()),
        tuple(
            Landskap(name, tuple(row["lan"]), tuple(row["parts"]), row["source"])
            for name, row in document["landskap"].items()
        ),
    )
