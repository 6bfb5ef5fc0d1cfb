"""Hostile and unusual input that a careful attacker tries (issue 17): each case either gets a
clear, located refusal or works, and none crashes."""

import os
from pathlib import Path

from s3pilot_cli.errors import ExitCode
from tests.conftest import Cli


def _error(cli: Cli, *args: str, code: int) -> str:
    """Run s3pilot expecting failure; its one line of stderr, without the prefix."""
    run = cli(*args, exit_code=code)
    assert run.stdout == ""
    assert run.stderr.startswith("s3pilot: error: ")
    assert run.stderr.count("\n") == 1, run.stderr
    return run.stderr.removeprefix("s3pilot: error: ").removesuffix("\n")


# --- Item 19: the registry's path -----------------------------------------------------------


def test_a_file_where_a_folder_should_be(cli: Cli, tmp_path: Path) -> None:
    """ENOTDIR: `notes.txt/clusters.toml` names the file that is in the way."""
    (tmp_path / "notes.txt").write_text("not a folder\n", encoding="utf-8")
    path = tmp_path / "notes.txt" / "sub" / "clusters.toml"
    message = _error(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY)
    assert message == (
        f"{path}: {tmp_path / 'notes.txt'} is a file, not a folder;"
        " give the path of a registry .toml file"
    )


def test_a_symbolic_link_that_loops(cli: Cli, tmp_path: Path) -> None:
    """ELOOP: a link to itself is not a matter of permissions."""
    path = tmp_path / "clusters.toml"
    os.symlink(path.name, path)
    message = _error(cli, "--registry", str(path), "list", code=ExitCode.BAD_REGISTRY)
    assert message.startswith(f"{path}: cannot be read (")
    assert message.endswith(
        "; a symbolic link on the way loops back; fix the link or give the file itself"
    )
    assert "permission" not in message
