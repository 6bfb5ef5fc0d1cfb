"""CHANGELOG.md as releases (Keep a Changelog): `## [Unreleased]` above dated releases, the
newest of which is the version `s3pilot --version` prints, and short bullets."""

import datetime
import re

from tests.conftest import ROOT, Cli

CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
RELEASE = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", re.MULTILINE)


def test_unreleased_comes_first_then_dated_releases_newest_first() -> None:
    headings = re.findall(r"^## .*$", CHANGELOG, re.MULTILINE)
    assert headings[0] == "## [Unreleased]"
    releases = RELEASE.findall(CHANGELOG)
    assert len(releases) == len(headings) - 1 >= 1, headings
    versions = [tuple(int(part) for part in version.split(".")) for version, _ in releases]
    dates = [datetime.date.fromisoformat(day) for _, day in releases]
    assert versions == sorted(versions, reverse=True)
    assert dates == sorted(dates, reverse=True)


def test_version_is_the_newest_release(cli: Cli) -> None:
    (newest, _) = RELEASE.findall(CHANGELOG)[0]
    assert cli("--version").stdout == f"s3pilot {newest}\n"


def test_a_bullet_is_at_most_two_lines() -> None:
    bullets = re.findall(r"^- .*(?:\n  .*)*", CHANGELOG, re.MULTILINE)
    assert bullets
    assert [b for b in bullets if b.count("\n") > 1] == []


def test_the_first_release_fixes_nothing() -> None:
    """ "Fixed" is for fixes to released behaviour, and before the first release there was none."""
    first = CHANGELOG[list(RELEASE.finditer(CHANGELOG))[-1].start() :]
    assert "### Fixed" not in first
