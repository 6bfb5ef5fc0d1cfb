"""Events as data: the registry's dated events agree with the undated fields a reader asks
for first (`founded`, `kind`, `label`, the programme's course), each names its page, and a
broken one is reported at its place."""

import tomllib
from pathlib import Path
from typing import Any

import pytest

from s3pilot_cli import registry
from s3pilot_cli.errors import RegistryError
from s3pilot_cli.schema import KINDS, LABEL_LEVELS
from tests.conftest import BUNDLED

TOML = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
CLUSTERS = TOML["clusters"]
# What an event's English words say of a kind: the words a test can look for.
KIND_WORDS = {
    "economic-association": ("economic association",),
    "non-profit-association": ("non-profit association",),
    "limited-company": ("company",),
    "foundation": ("foundation",),
    "university-or-science-park": ("university", "science park"),
    "project": ("project",),
}


def setting(entry: dict[str, Any], field: str) -> list[dict[str, str]]:
    """The entry's events that date `field`, oldest first."""
    return sorted(
        (e for e in entry.get("events", []) if e.get("sets") == field), key=lambda e: e["date"]
    )


def test_the_words_cover_every_kind() -> None:
    assert set(KIND_WORDS) == set(KINDS)


@pytest.mark.parametrize("cluster", CLUSTERS, ids=lambda c: c["id"])
def test_founded_is_the_year_of_an_event_that_dates_it(cluster: dict[str, Any]) -> None:
    events = setting(cluster, "founded")
    if events:  # where sources disagree, each has its event; `founded` is one of them
        assert cluster.get("founded") in {int(e["date"][:4]) for e in events}


@pytest.mark.parametrize("cluster", CLUSTERS, ids=lambda c: c["id"])
def test_kind_is_what_its_latest_event_says(cluster: dict[str, Any]) -> None:
    events = setting(cluster, "kind")
    if events:
        words = KIND_WORDS[cluster["kind"]]
        assert any(word in events[-1]["event"].lower() for word in words), events[-1]


@pytest.mark.parametrize("cluster", CLUSTERS, ids=lambda c: c["id"])
def test_label_is_the_latest_level_since_its_first_year(cluster: dict[str, Any]) -> None:
    events = setting(cluster, "label")
    if not events:
        return
    level, year = cluster["label"].split()
    latest = [lv for lv in LABEL_LEVELS if lv.lower() in events[-1]["event"].lower()]
    assert latest == [level]
    first = next(e for e in events if level.lower() in e["event"].lower())
    assert first["date"][:4] == year


@pytest.mark.parametrize("cluster", CLUSTERS, ids=lambda c: c["id"])
def test_now_called_is_the_name_of_its_latest_renaming(cluster: dict[str, Any]) -> None:
    events = setting(cluster, "now_called")
    if events:
        assert cluster["now_called"] in events[-1]["event"]


def test_the_programmes_course_is_its_events() -> None:
    program = TOML["program"]
    assert [e["date"] for e in setting(program, "call_opened")] == [program["call_opened"]]
    assert [e["date"] for e in setting(program, "kickoff")] == [program["kickoff"]]
    assert [e["date"][:4] for e in setting(program, "first_year")] == [str(program["first_year"])]
    assert [e["date"][:4] for e in setting(program, "last_year")] == [str(program["last_year"])]


def test_paper_provinces_disagreeing_sources_both_stay() -> None:
    (paper,) = [c for c in CLUSTERS if c["id"] == "paper-province"]
    founding = {(e["date"], e["url"]) for e in paper["events"] if e["date"][:4] in ("1999", "2003")}
    assert ("1999-03-01", "https://www.clustercollaboration.eu/node/595") in founding
    assert ("2003", "https://dev.paperprovince.com/om-oss/historik/") in founding


def test_a_programme_wide_source_says_so() -> None:
    """The programme's page says every cluster was certified at Bronze level; where a cluster
    is given that event, its words say the source is programme-wide."""
    url = TOML["program"]["later_url"]
    given = [e for c in CLUSTERS for e in c.get("events", []) if e["url"] == url]
    assert given
    assert all("programme-wide" in e["event"] for e in given)


def test_the_weak_call_date_is_said_plainly() -> None:
    (call,) = setting(TOML["program"], "call_opened")
    assert "address" in call["caveat"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            '{ date = "2015-03",',
            '{ date = "2015-3",',
            "cluster #3 'techtank': events[1].date: '2015-3' is not a year, a month or a day:"
            " 2015, 2021-07 or 2018-03-26",
        ),
        (
            '{ date = "2015-03",',
            '{ when = "2015-03",',
            "cluster #3 'techtank': events[1].when: unknown key; use one of: date, event, url,"
            " event_sv, sets, caveat",
        ),
        (
            's3_area = "Materialbearbetning"',
            's3_area = "Stål"',
            "cluster #3 'techtank': s3_area: 'Stål' is not one of the s3_areas of SE-K; use one"
            " of: 'ICT', 'Digitalisering', 'Materialbearbetning'",
        ),
        (
            'event = "joins Sobona, the employers\' organisation"',
            'event = "joins Sobona; an employers\' organisation"',
            "cluster #3 'techtank': events[7].event: 'joins Sobona; an employers' organisation'"
            " is not a phrase without ';', which the text formats put between events",
        ),
    ],
    ids=["month of one digit", "unknown key", "area of no strategy", "separator"],
)
def test_a_broken_event_or_link_is_reported_with_its_place(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "clusters.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(RegistryError) as raised:
        registry.read(path)
    line = text[: text.index(old)].count("\n") + 1  # an event's, or the field's own
    assert raised.value.problems[0] == f"{path}:{line}: {expected}"
