"""Hostile and unusual input that a careful attacker tries (issue 17): each case either gets a
clear, located refusal or works, and none crashes."""

import os
import resource
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from s3pilot_cli.errors import ExitCode
from tests.conftest import Cli, installed_command


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


# --- Items 8 and 9: an xlsx export that fails leaves nothing behind ----------------------------


def _export_xlsx(
    target: Path, temporary: Path, limit: int | None = None
) -> "subprocess.CompletedProcess[str]":
    """`s3pilot export --format xlsx -o TARGET` with $TMPDIR at `temporary`; files limited to
    `limit` bytes (`ulimit -f`) if given."""

    def limited() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [installed_command(), "export", "--format", "xlsx", "-o", str(target)],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(temporary)},
        preexec_fn=limited,
        check=False,
        timeout=60,
    )


def _failed_cleanly(
    done: "subprocess.CompletedProcess[str]", target: Path, temporary: Path
) -> None:
    assert done.returncode == ExitCode.FAILURE, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith(f"s3pilot: error: {target}: could not be written (")
    assert done.stderr.endswith("); it is unchanged\n")
    assert done.stderr.count("\n") == 1, done.stderr  # no "Exception ignored ... ZipFile"
    assert list(temporary.iterdir()) == []  # nothing of XlsxWriter's in $TMPDIR
    assert [p.name for p in target.parent.iterdir() if p.name != "fill"] == []  # no target


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs with 4 KiB left: too small for the bundled registry's workbook."""
    folder = tmp_path / "full"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs (needs root): {mounted.stderr.decode().strip()}")
    try:
        (folder / "fill").write_bytes(b"\0" * 60 * 1024)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_xlsx_on_a_full_disk(full_disk: Path, tmp_path: Path) -> None:
    """ENOSPC: one error line, the disk as it was, nothing in $TMPDIR."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    target = full_disk / "book.xlsx"
    _failed_cleanly(_export_xlsx(target, temporary), target, temporary)


def test_xlsx_past_the_file_size_limit(tmp_path: Path) -> None:
    """EFBIG, as under `ulimit -f 8`: the same, for any user."""
    temporary, folder = tmp_path / "tmp", tmp_path / "out"
    temporary.mkdir()
    folder.mkdir()
    target = folder / "book.xlsx"
    _failed_cleanly(_export_xlsx(target, temporary, limit=8 * 1024), target, temporary)


def test_xlsx_interrupted_leaves_no_temporary_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the workbook is being zipped: exit 130, and $TMPDIR as it was."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    calls = 0

    def interrupting(original: Any) -> Any:
        def method(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> Any:
            nonlocal calls
            calls += 1
            if calls == 3:  # some parts of the workbook are written, others not yet
                raise KeyboardInterrupt
            return original(self, *args, **kwargs)

        return method

    for name in ("write", "writestr"):  # a part from a file, a part from memory
        monkeypatch.setattr(zipfile.ZipFile, name, interrupting(getattr(zipfile.ZipFile, name)))
    target = tmp_path / "book.xlsx"
    cli("export", "--format", "xlsx", "-o", str(target), exit_code=ExitCode.INTERRUPTED)
    assert calls == 3
    assert list(temporary.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]
