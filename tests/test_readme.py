"""Every example in README.md runs as shown.

Each `$ command` in a ```console block runs in bash, in a real terminal (a pty) 100 columns
wide with NO_COLOR=1, in a temporary folder shared by the block, with the `s3pilot` under test
first on PATH (`uv run ` in front is dropped: uv would run this same environment). What it
prints, stdout and stderr as a person sees them, must be the lines that follow, trailing
spaces aside. ```sh blocks are not run here: .ci/run runs the quick start and the checks.
"""

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, in_terminal

pytestmark = pytest.mark.slow  # see pyproject.toml: the quick loop leaves this file out

BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)


def examples() -> list[tuple[int, list[tuple[str, str]]]]:
    """(block number, [(command, expected output)]) for every console block."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = []
    for number, match in enumerate(BLOCK.finditer(text)):
        pairs: list[tuple[str, list[str]]] = []
        for line in match.group(1).splitlines():
            if line.startswith("$ "):
                pairs.append((line[2:], []))
            else:
                pairs[-1][1].append(line)
        blocks.append((number, [(command, "\n".join(lines)) for command, lines in pairs]))
    return blocks


@pytest.mark.parametrize(("number", "pairs"), examples(), ids=lambda v: str(v)[:40])
def test_readme_example(
    number: int, pairs: list[tuple[str, str]], tmp_path: Path, home: Path
) -> None:
    for command, expected in pairs:
        shown = in_terminal(command.removeprefix("uv run "), env={"NO_COLOR": "1"}, cwd=tmp_path)
        expected_lines = "\n".join(line.rstrip() for line in expected.split("\n"))
        assert shown == expected_lines, f"README example: $ {command}"


def test_the_readme_has_examples_for_every_command() -> None:
    commands = " ".join(command for _, pairs in examples() for command, _ in pairs)
    for name in (
        *("list", "regions", "show", "contacts", "export", "info", "validate", "init"),
        *("diff", "schema", "check-links"),
    ):
        assert f"s3pilot {name}" in commands


ANY_BLOCK = re.compile(r"```(console|python|pycon)\n(.*?)```", re.DOTALL)


def test_the_readme_followed_top_to_bottom_in_one_home(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person follows the README from the top: every block, in order, in one home and one
    folder, each seeing what the blocks before it left behind (the copy `init` wrote, the
    files `export` wrote); every command still prints what the README shows."""
    import doctest

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ran = 0
    for kind, body in (match.groups() for match in ANY_BLOCK.finditer(text)):
        if kind == "console":
            pairs: list[tuple[str, list[str]]] = []
            for line in body.splitlines():
                if line.startswith("$ "):
                    pairs.append((line[2:], []))
                else:
                    pairs[-1][1].append(line.rstrip())
            for command, expected in pairs:
                shown = in_terminal(
                    command.removeprefix("uv run "), env={"NO_COLOR": "1"}, cwd=tmp_path
                )
                assert shown == "\n".join(expected), f"README, in order: $ {command}"
        elif kind == "python":
            exec(body, {})  # noqa: S102 - the README's own example
        else:
            test = doctest.DocTestParser().get_doctest(body, {}, "README", "README.md", 0)
            result = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS).run(test)
            assert result.failed == 0
        ran += 1
    assert ran == len(examples()) + 2  # every console block, the pycon and the python one
