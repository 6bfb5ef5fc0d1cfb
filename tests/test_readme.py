"""Every example in README.md and in the manual (docs/*.md) runs as shown.

Each file is followed from the top, as a person would: every block in order, in one home and
one folder, each seeing what the blocks before it left behind (the copy `init` wrote, the
files `export` wrote). Each `$ command` of a ```console block runs in bash, in a real terminal
(a pty) 100 columns wide with NO_COLOR=1, with the `s3pilot` under test first on PATH
(`uv run ` in front is dropped: uv would run this same environment). What it prints, stdout
and stderr as a person sees them, must be the lines that follow, trailing spaces aside.
```pycon blocks run as doctests and ```python blocks are executed. ```sh and ```sql blocks are
not run here: .ci/run runs the quick start and the checks.
"""

import doctest
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, in_terminal

pytestmark = pytest.mark.slow  # see pyproject.toml: the quick loop leaves this file out

# The README first, then the manual's pages.
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```(console|python|pycon)\n(.*?)^```", re.DOTALL | re.MULTILINE)


def blocks(document: Path) -> list[tuple[str, str]]:
    """(kind, body) of every block that runs, in the order of the file."""
    return [
        (match.group(1), match.group(2))
        for match in BLOCK.finditer(document.read_text(encoding="utf-8"))
    ]


def console_pairs(body: str) -> list[tuple[str, str]]:
    """(command, expected output) for every `$ ` line of a console block."""
    pairs: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        else:
            pairs[-1][1].append(line.rstrip())
    return [(command, "\n".join(lines)) for command, lines in pairs]


# Pages that show no command: the choices taken, with their reasons.
WITHOUT_EXAMPLES = {"decisions.md"}


def test_every_page_of_the_manual_has_examples() -> None:
    assert len(DOCUMENTS) >= 8  # the README and at least seven pages
    without = {path.name for path in DOCUMENTS if not blocks(path)}
    assert without == WITHOUT_EXAMPLES


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_followed_top_to_bottom_in_one_home(
    document: Path, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    name = document.relative_to(ROOT).as_posix()
    ran = 0
    for kind, body in blocks(document):
        if kind == "console":
            for command, expected in console_pairs(body):
                shown = in_terminal(
                    command.removeprefix("uv run "), env={"NO_COLOR": "1"}, cwd=tmp_path
                )
                assert shown == expected, f"{name}, in order: $ {command}"
        elif kind == "python":
            exec(body, {})  # noqa: S102 - the document's own example
        else:
            test = doctest.DocTestParser().get_doctest(body, {}, name, name, 0)
            result = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS).run(test)
            assert (result.failed, result.attempted > 0) == (0, True), name
        ran += 1
    assert ran == len(blocks(document)) > 0 or document.name in WITHOUT_EXAMPLES


def test_every_command_has_an_example_in_the_manual() -> None:
    commands = " ".join(
        command
        for kind, body in blocks(ROOT / "docs" / "commands.md")
        if kind == "console"
        for command, _ in console_pairs(body)
    )
    import typer.core
    import typer.main

    from s3pilot_cli.cli.app import app

    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    names = sorted(group.commands)
    assert len(names) >= 12
    for name in names:
        assert f"s3pilot {name}" in commands, f"docs/commands.md has no example of {name}"


def test_the_readme_shows_each_task() -> None:
    """The README's first five minutes: one example of each thing people do."""
    shown = " ".join(
        command
        for kind, body in blocks(ROOT / "README.md")
        if kind == "console"
        for command, _ in console_pairs(body)
    )
    for task in (
        "s3pilot list --region",
        "s3pilot show",
        "s3pilot contacts",
        "export -o clusters.csv",
        "export -o s3pilot.xlsx",
        "export -o s3pilot.db",
        "s3pilot map",
        "s3pilot timeline",
        "export -o kluster.html",
        "LANG=sv_SE.UTF-8 s3pilot",
    ):
        assert task in shown, task
