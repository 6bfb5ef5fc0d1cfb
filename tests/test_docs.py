"""The manual tells the truth about the code: its links lead somewhere, and its tables (fields,
the data package, exit codes, the API, the modules; the formats: tests/test_formats.py) are the
code's own.

Every table here is read from the Markdown and compared with what the code does or declares;
none is copied into this file. The examples themselves run in tests/test_readme.py.
"""

import ast
import json
import re
import zipfile
from pathlib import Path

import pytest

import s3pilot_cli
from s3pilot_cli.diff import DIFF_FIELDS
from s3pilot_cli.errors import EXIT_CODES
from s3pilot_cli.links import LINK_FIELDS
from tests.conftest import ROOT, Cli, in_pty, installed_command

DOCS = ROOT / "docs"
DOCUMENTS = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def text_of(document: Path) -> str:
    """The document without its code blocks, where brackets are code, not links."""
    return FENCE.sub("", document.read_text(encoding="utf-8"))


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as -."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(document: Path) -> set[str]:
    headings = re.findall(r"^#{1,6} (.+)$", text_of(document), re.MULTILINE)
    return {slug(heading) for heading in headings}


def links(document: Path) -> list[str]:
    return [
        target
        for target in LINK.findall(text_of(document))
        if not target.startswith(("http://", "https://", "mailto:"))
    ]


def table(text: str, first_header: str) -> list[list[str]]:
    """The rows of the Markdown table whose first header cell is `first_header`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def names(cell: str) -> list[str]:
    """The `code` names of a cell, in order."""
    return re.findall(r"`([^`]+)`", cell)


# --- Links ------------------------------------------------------------------------------------


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_link_leads_to_a_file_and_a_heading_that_exist(document: Path) -> None:
    broken = []
    for target in links(document):
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        if not linked.exists() or (
            anchor and (linked.suffix != ".md" or anchor not in anchors(linked))
        ):
            broken.append(target)
    assert broken == []


def test_the_readme_leads_into_the_manual() -> None:
    """At least four pages straight from the README, and every page by following links."""

    def pages_linked_from(document: Path) -> set[Path]:
        return {
            (document.parent / target.partition("#")[0]).resolve()
            for target in links(document)
            if target.partition("#")[0].endswith(".md")
        }

    direct = {
        page for page in pages_linked_from(ROOT / "README.md") if page.parent == DOCS.resolve()
    }
    assert len(direct) >= 4
    reached, todo = set(direct), list(direct)
    while todo:
        for page in pages_linked_from(todo.pop()) - reached:
            if page.parent == DOCS.resolve():
                reached.add(page)
                todo.append(page)
    assert reached == {path.resolve() for path in DOCS.glob("*.md")}


def test_every_long_page_has_a_table_of_contents() -> None:
    for page in DOCS.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        if len(text.splitlines()) > 80:
            head = text.split("\n## ", 1)[0]
            contents = [target for target in LINK.findall(head) if target.startswith("#")]
            assert len(contents) >= 3, f"{page.name} has no table of contents"


def test_the_readme_is_the_first_five_minutes() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    assert len(text.split()) / 200 <= 8  # minutes at 200 words a minute, code included


def test_the_readme_names_what_the_install_brings() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    needed = {re.split(r"[<>=\[ ;]", spec)[0].lower() for spec in project["dependencies"]}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    said = re.search(r"with what it needs \(([^)]*)\)", readme)
    assert said, "the README's install says what it brings"
    assert {name.strip().lower() for name in said.group(1).split(",")} == needed


# --- The output contract ----------------------------------------------------------------------

CONTRACT = (DOCS / "contract.md").read_text(encoding="utf-8")


def test_the_field_table_is_what_the_commands_write(cli: Cli, tmp_path: Path) -> None:
    shown = {records: names(fields) for records, fields in table(CONTRACT, "records")}

    def keys(*args: str) -> list[str]:
        written = json.loads(cli(*args, "--format", "json").stdout)
        return list((written[0] if isinstance(written, list) else written).keys())

    assert shown == {
        "clusters (`list`, `show`, `export`)": keys("export"),
        "regions (`regions`)": keys("regions"),
        "contacts (`contacts`)": keys("contacts"),
        "`timeline`": keys("timeline"),
        "`info`": keys("info"),
        "`diff`": list(DIFF_FIELDS),
        "`check-links`": list(LINK_FIELDS),
    }
    assert keys("list") == keys("export")
    assert keys("show", "compare") == [*keys("export"), "events"]  # the contract: show adds events
    # diff's records, as a script reads them: the header of its csv
    before, after = tmp_path / "before.toml", tmp_path / "after.toml"
    cli("export", "--format", "toml", "-o", str(before))
    text = before.read_text(encoding="utf-8")
    after.write_text(text.replace('city = "Karlstad"', 'city = "Kil"', 1), encoding="utf-8")
    changed = cli("diff", str(before), str(after), "--format", "csv", exit_code=1).stdout
    assert changed.splitlines()[0].split(",") == shown["`diff`"]


def test_the_data_package_table_is_the_package(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "s3pilot.zip"
    cli("export", "-o", str(target))
    with zipfile.ZipFile(target) as archive:
        package = json.loads(archive.read("datapackage.json"))
        headers = {
            resource["name"]: archive.read(resource["path"]).decode().splitlines()[0].split(",")
            for resource in package["resources"]
        }
    written = [
        (
            resource["name"],
            [field["name"] for field in resource["schema"]["fields"]],
            resource["schema"].get("primaryKey", []),
        )
        for resource in package["resources"]
    ]
    shown = [
        (names(name)[0], names(columns), names(key))
        for name, columns, key in table(CONTRACT, "resource")
    ]
    assert shown == written
    assert "sources" in headers
    for name, columns, _ in shown:
        assert headers[name] == columns
    described = CONTRACT.split("`datapackage` writes a zip of `datapackage.json`")[1]
    described = described.split("and one CSV file")[0]
    assert names(described)[1:] == list(package)  # after the profile's value


@pytest.mark.parametrize("document", ["README.md", "docs/contract.md"])
def test_the_exit_code_tables_are_the_exit_codes(document: str) -> None:
    rows = table((ROOT / document).read_text(encoding="utf-8"), "code")
    assert [int(code) for code, _ in rows] == [int(code) for code in EXIT_CODES]
    for (_, meaning), said in zip(rows, EXIT_CODES.values(), strict=True):
        assert meaning.startswith(said), (meaning, said)


# --- Python, the modules, the help ------------------------------------------------------------


def test_the_api_table_is_the_packages_all() -> None:
    rows = table((DOCS / "python.md").read_text(encoding="utf-8"), "name")
    shown = [name for cell, _ in rows for name in names(cell)]
    assert sorted(shown) == sorted(s3pilot_cli.__all__)


def _module(path: Path) -> str:
    """A module as the table names it: `formats` for formats/__init__.py, `s3pilot_cli` for
    the package's own __init__.py."""
    parts = path.relative_to(ROOT / "s3pilot_cli").with_suffix("").parts
    name = ".".join(parts).removesuffix("__init__").rstrip(".")
    return name or "s3pilot_cli"


def imports() -> dict[str, set[str]]:
    """Each module of the package: the package's modules it imports, at any level."""
    modules = {_module(path): path for path in (ROOT / "s3pilot_cli").rglob("*.py")}
    found: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                targets += [f"{node.module}.{alias.name}" for alias in node.names]
        used = set()
        for target in targets:
            if target.partition(".")[0] != "s3pilot_cli":
                continue
            inner = target.removeprefix("s3pilot_cli").removeprefix(".")
            while inner and inner not in modules:  # a name in a module: the module
                inner = inner.rpartition(".")[0]
            used.add(inner or "s3pilot_cli")
        found[name] = used - {name}
    return found


def test_the_module_table_is_the_packages_modules_and_imports() -> None:
    rows = table((DOCS / "development.md").read_text(encoding="utf-8"), "module")
    shown = {}
    for path, _, used in rows:
        (file,) = names(path)
        shown[_module(ROOT / "s3pilot_cli" / file)] = set(names(used))
    assert shown == imports()


@pytest.mark.slow  # a real terminal
@pytest.mark.parametrize(
    ("lang", "says"), [("C.UTF-8", "The manual: docs/"), ("sv_SE.UTF-8", "mappen docs/")]
)
def test_the_help_ends_with_where_the_manual_is(lang: str, says: str, home: Path) -> None:
    screen = in_pty([installed_command(), "--help"], env={"LANG": lang, "NO_COLOR": "1"})
    last = [line.strip() for line in screen.shown.splitlines() if line.strip()][-1]
    assert says in last
    assert "docs/commands.md" in last
    assert (ROOT / "docs" / "commands.md").is_file()


def test_the_functions_one_command_passes_through_exist() -> None:
    import importlib

    page = (DOCS / "development.md").read_text(encoding="utf-8")
    section = page.split("## One command, start to end")[1].split("\n## ")[0]
    named = [
        name
        for name in names(section)
        if re.fullmatch(r"[a-z_.]+\.[a-z_]+", name) and not name.endswith(".py")
    ]
    assert len(named) >= 8
    for name in named:
        module, _, attribute = name.rpartition(".")
        found = importlib.import_module(f"s3pilot_cli.{module}")
        assert hasattr(found, attribute), f"docs/development.md names {name}, which is gone"
