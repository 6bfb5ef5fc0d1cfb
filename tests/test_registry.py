"""The registry in use: which file is used (option, environment, your own copy), `init`, and
writes that never leave a torn file."""

import errno
import json
import os
import subprocess
import time
from pathlib import Path

import platformdirs
import pytest

from s3pilot_cli import output as atomic
from s3pilot_cli import registry
from s3pilot_cli.errors import ExitCode
from tests.conftest import (
    BUNDLED,
    Cli,
    installed_command,
)

# What `init` puts before the bundled registry: editors find the JSON Schema beside the copy.
SCHEMA_LINE = b"#:schema ./clusters.schema.json\n\n"


def user_file(home: Path) -> Path:
    return home / ".local" / "share" / "s3pilot" / "clusters.toml"


# --- Which registry --------------------------------------------------------------------------


@pytest.mark.parametrize("xdg", [None, "/srv/data", "relative/data", ""])
def test_the_user_path_is_platformdirs_own(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None
) -> None:
    if xdg is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
    expected = platformdirs.user_data_path("s3pilot", appauthor=False) / "clusters.toml"
    assert registry.user_path() == expected


def test_init_copies_the_bundled_registry(cli: Cli, home: Path) -> None:
    run = cli("init")
    target = user_file(home)
    assert run.stdout == ""
    assert run.stderr == (
        f"s3pilot: wrote {target} and clusters.schema.json beside it, for your editor;"
        " s3pilot now uses it (see 's3pilot info')\n"
    )
    assert target.read_bytes() == SCHEMA_LINE + BUNDLED.read_bytes()
    info = json.loads(cli("info", "--format", "json").stdout)
    assert info["registry"] == str(target)
    assert info["registry_reason"].startswith("your own copy in the user data directory")


def test_the_edited_copy_is_used_and_init_leaves_it_alone(cli: Cli, home: Path) -> None:
    cli("init")
    target = user_file(home)
    edited = target.read_text(encoding="utf-8").replace('name = "Compare"', 'name = "Compare IT"')
    target.write_text(edited, encoding="utf-8")
    assert cli("list", "-r", "Värmland").stdout == "Compare IT\nPaper Province\n"

    run = cli("init", exit_code=ExitCode.FAILURE)
    assert run.stdout == ""
    assert run.stderr == (
        f"s3pilot: error: {target} exists already and was left as it is; edit it, or run"
        " 's3pilot init --force' to replace it with the bundled registry\n"
    )
    assert target.read_text(encoding="utf-8") == edited

    cli("init", "--force")
    assert target.read_bytes() == SCHEMA_LINE + BUNDLED.read_bytes()


def test_the_order_option_then_environment_then_own_copy(
    cli: Cli, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("init")
    by_env = tmp_path / "env.toml"
    by_env.write_bytes(BUNDLED.read_bytes())
    by_option = tmp_path / "option.toml"
    by_option.write_bytes(BUNDLED.read_bytes())

    def used(*args: str) -> tuple[str, str]:
        data = json.loads(cli(*args, "info", "--format", "json").stdout)
        return data["registry"], data["registry_reason"]

    monkeypatch.setenv("S3PILOT_REGISTRY", str(by_env))
    assert used() == (str(by_env), "named by $S3PILOT_REGISTRY")
    assert used("--registry", str(by_option)) == (str(by_option), "given with --registry")
    monkeypatch.delenv("S3PILOT_REGISTRY")
    assert used()[0] == str(user_file(home))


@pytest.mark.parametrize("command", ["list", "export", "validate", "diff", "map"])
def test_a_missing_file_says_how_it_was_chosen_and_what_to_do(
    cli: Cli, home: Path, tmp_path: Path, command: str
) -> None:
    """`s3pilot init` would not help where $S3PILOT_REGISTRY or a typed path names the file."""
    missing = tmp_path / "nosuch.toml"
    cli("init")  # the user's own copy is there, and loses to both
    by_env = cli(command, env={"S3PILOT_REGISTRY": str(missing)}, exit_code=4)
    assert by_env.stdout == ""
    assert by_env.stderr == (
        f"s3pilot: error: {missing} (named by $S3PILOT_REGISTRY): no such registry file;"
        " check the path, or unset S3PILOT_REGISTRY\n"
    )
    typed = [command, str(missing)] if command in ("validate", "diff") else [command]
    by_option = cli("--registry", str(missing), *typed, exit_code=4)
    assert by_option.stdout == ""
    assert by_option.stderr == f"s3pilot: error: {missing}: no such registry file; check the path\n"


def test_validate_of_a_file_it_cannot_read_is_one_error(cli: Cli, tmp_path: Path) -> None:
    """Not 'N problems; the registry was not used': there was nothing to check."""
    run = cli("validate", str(tmp_path), exit_code=4)
    assert run.stderr == (
        f"s3pilot: error: {tmp_path}: is a directory; give the path of a registry .toml file\n"
    )


def test_init_says_that_the_variable_still_wins(cli: Cli, home: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_bytes(BUNDLED.read_bytes())
    env = {"S3PILOT_REGISTRY": str(other)}
    run = cli("init", env=env)
    assert run.stderr == (
        f"s3pilot: wrote {user_file(home)} and clusters.schema.json beside it, for your editor;"
        " but $S3PILOT_REGISTRY is set, and wins over it until you unset it\n"
    )
    assert json.loads(cli("info", "--format", "json", env=env).stdout)["registry"] == str(other)


def test_a_bad_own_copy_is_reported_not_skipped(cli: Cli, home: Path) -> None:
    cli("init")
    user_file(home).write_text("schema_version = 1\n[program\n", encoding="utf-8")
    run = cli("list", exit_code=ExitCode.BAD_REGISTRY)
    assert run.stderr.startswith(f"s3pilot: error: {user_file(home)}:2:")


# --- Atomic writes ---------------------------------------------------------------------------


def test_export_replaces_a_file_keeping_its_permissions(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    cli("export", "-o", str(target))
    # The 22 clusters of the programme page, one record each.
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 22
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_a_new_file_gets_the_umask_permissions(cli: Cli, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        cli("export", "-o", str(tmp_path / "new.json"))
    finally:
        os.umask(old)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "missing/out.csv",
            "{tmp}/missing/out.csv: the folder {tmp}/missing does not exist; create it first",
        ),
        ("folder", "{tmp}/folder: is a directory; give the name of a file to write"),
        ("file/out.csv", "{tmp}/file/out.csv: {tmp}/file is not a folder; choose another place"),
    ],
)
def test_places_that_cannot_be_written(cli: Cli, tmp_path: Path, target: str, message: str) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("a file\n", encoding="utf-8")
    run = cli("export", "-f", "csv", "-o", str(tmp_path / target), exit_code=ExitCode.FAILURE)
    assert run.stdout == ""
    assert run.stderr == f"s3pilot: error: {message.replace('{tmp}', str(tmp_path))}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "folder"]
    assert (tmp_path / "file").read_text(encoding="utf-8") == "a file\n"


def _unwritable_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """A folder that refuses new files to whoever runs the tests: `-o` and the message.

    Read-only permissions stop an ordinary user; root passes them, so for root the folder is
    removed while it is the working folder, which refuses new files to everyone.
    """
    folder.mkdir()
    folder.chmod(0o555)
    monkeypatch.chdir(folder)
    try:
        os.close(os.open("probe", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except PermissionError:
        return "out.csv", "out.csv: cannot write in . (Permission denied); choose another place"
    os.unlink("probe")
    folder.chmod(0o755)
    folder.rmdir()
    return "out.csv", "out.csv: cannot write in . (No such file or directory); choose another place"


def test_a_folder_that_refuses_new_files(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output, message = _unwritable_folder(tmp_path / "shut", monkeypatch)
    run = cli("export", "-o", output, exit_code=ExitCode.FAILURE)
    assert run.stderr == f"s3pilot: error: {message}\n"
    # Nothing was left behind: the folder is empty, or gone.
    assert [p.name for p in tmp_path.rglob("*")] in ([], ["shut"])


def _fail_midway(message: str, error: BaseException) -> object:
    def write(out: object, data: object, **options: object) -> None:
        out.write(message)  # type: ignore[attr-defined]
        raise error

    return write


@pytest.mark.parametrize(
    ("error", "code", "stderr"),
    [
        (
            OSError(errno.ENOSPC, "No space left on device"),
            ExitCode.FAILURE,
            "s3pilot: error: {target}: could not be written (No space left on device);"
            " it is unchanged\n",
        ),
        # Ctrl-C is quiet, as the shell has shown ^C already.
        (KeyboardInterrupt(), ExitCode.INTERRUPTED, ""),
    ],
    ids=["disk full", "ctrl-c"],
)
def test_a_failure_midway_leaves_the_old_file_whole(
    cli: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
    code: int,
    stderr: str,
) -> None:
    target = tmp_path / "clusters.csv"
    target.write_text("the old, complete file\n", encoding="utf-8")
    monkeypatch.setattr("s3pilot_cli.formats.delimited.write_csv", _fail_midway("id,na", error))
    run = cli("export", "-f", "csv", "-o", str(target), exit_code=code)
    assert run.stderr == stderr.replace("{target}", str(target))
    assert target.read_text(encoding="utf-8") == "the old, complete file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["clusters.csv"]


def test_the_fsync_happens_before_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync")
        real_fsync(fd)

    def replace(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> None:
        events.append("replace")
        real_replace(source, destination)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    with atomic.atomic_writer(tmp_path / "f.txt") as file:
        file.write("x")
    assert events[:2] == ["fsync", "replace"]
    assert (tmp_path / "f.txt").read_text(encoding="utf-8") == "x"


@pytest.mark.slow
def test_six_writers_and_a_reader_never_see_a_torn_file(tmp_path: Path) -> None:
    """Six exports of different sizes race to one file; every read is a whole, valid one.

    The file is there before the writers start, and the reader keeps reading until they have
    all finished and it has read at least a few times each round, so it never depends on
    which process the machine runs first.
    """
    target = tmp_path / "shared.json"
    regions = ["Värmland", "Dalarna", "Skåne", "Uppsala", "Norrbotten", "Västmanland"]
    expected_counts = {2, 0, 1}
    command = installed_command()

    def export(region: str) -> list[str]:
        return [command, "export", "-f", "registry-json", "-r", region, "-o", str(target)]

    subprocess.run(export("Uppsala"), check=True)
    deadline = time.monotonic() + 60
    for _round in range(3):
        writers = [subprocess.Popen(export(region), stderr=subprocess.PIPE) for region in regions]
        reads = 0
        while reads < 20 or any(w.poll() is None for w in writers):
            assert time.monotonic() < deadline, "the writers did not finish within a minute"
            document = json.loads(target.read_text(encoding="utf-8"))
            assert len(document["clusters"]) in expected_counts
            assert len(document["regions"]) == 21
            reads += 1
        for writer in writers:
            assert writer.wait(timeout=60) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["shared.json"]


def test_init_takes_debug_after_the_command(cli: Cli, home: Path) -> None:
    cli("init", "--debug")
    assert (home / ".local" / "share" / "s3pilot" / "clusters.toml").is_file()


def test_init_where_the_data_folder_cannot_be(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder below a regular file cannot be made, not even by root.
    (tmp_path / "afile").write_text("a file, not a folder\n", encoding="utf-8")
    data = tmp_path / "afile" / "x"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    run = cli("init", exit_code=ExitCode.FAILURE)
    assert run.stderr == (
        f"s3pilot: error: cannot create {data / 's3pilot'} (Not a directory); set XDG_DATA_HOME"
        " to a folder you can write to, or keep a copy anywhere and name it with --registry or"
        " $S3PILOT_REGISTRY ('s3pilot export --format toml -o FILE')\n"
    )
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "a file, not a folder\n"


def test_init_without_a_home_folder(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "nonexistent"
    monkeypatch.setenv("HOME", str(gone))
    monkeypatch.delenv("XDG_DATA_HOME")
    run = cli("init", exit_code=ExitCode.FAILURE)
    assert run.stderr == (
        f"s3pilot: error: cannot create {gone / '.local' / 'share' / 's3pilot'}: your home"
        f" folder {gone} does not exist; set HOME to your home folder, or XDG_DATA_HOME to a"
        " folder where s3pilot may keep its data\n"
    )
    assert not gone.exists()
