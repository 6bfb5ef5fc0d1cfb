"""Where `-o` writes: files replaced atomically, devices and pipes written in place, links
followed, the registry in use never overwritten; the format a file name asks for; and one JSON
shape for cluster records.

The tests that aim at /dev run with a guard: anything renamed over a path outside the test's
own folder fails the test instead of replacing a device (as s3pilot once did when run as root).
"""

import csv
import io
import json
import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from s3pilot_cli import output as atomic
from s3pilot_cli import schema
from s3pilot_cli.errors import ExitCode, WriteError
from tests.conftest import (
    BUNDLED,
    CLUSTER_FIELDS,
    PAPER_PROVINCE,
    Cli,
    generated_registry,
    installed_command,
)

EXPORT_FORMATS = (
    "tsv, csv, json, jsonl, markdown, toml, registry-json, sqlite, xlsx, geojson, datapackage, html"
)
EXPORT_EXTENSIONS = (
    ".tsv .csv .json .jsonl .md .toml .db .sqlite .sqlite3 .xlsx .geojson .zip .html .htm"
)


# --- Guards ----------------------------------------------------------------------------------


def _device(path: str) -> tuple[bool, int] | tuple[bool, str]:
    if os.path.islink(path):
        return True, os.readlink(path)
    st = os.stat(path)
    return stat.S_ISCHR(st.st_mode), st.st_rdev


@pytest.fixture(autouse=True)
def devices_stay_devices() -> Iterator[None]:
    """After every test, /dev/null and /dev/full are still the devices, /dev/stdout the link."""
    paths = ("/dev/null", "/dev/full", "/dev/stdout")
    before = {path: _device(path) for path in paths}
    yield
    assert {path: _device(path) for path in paths} == before


# A rename may only replace an entry of the test's own folder. The same source guards s3pilot
# in-process and in a process of its own (GUARDED: argv[1] is the folder, the rest s3pilot's
# command line). The folder checked is the one whose entry a rename replaces: the
# destination itself is not followed, for /dev/stdout may lead back into the test's folder.
GUARD = """
import os

def guarded(real, allowed):
    allowed = os.path.realpath(allowed) + os.sep

    def move(source, destination):
        folder = os.path.realpath(os.path.dirname(os.path.abspath(destination)))
        if not (folder + os.sep).startswith(allowed):
            raise AssertionError(f"s3pilot tried to rename over {destination}")
        real(source, destination)

    return move
"""
_namespace: dict[str, Callable[..., Callable[..., None]]] = {}
exec(GUARD, _namespace)  # noqa: S102 (our own source, one copy for both processes)
guarded = _namespace["guarded"]

GUARDED = (
    GUARD
    + """
import sys
os.replace = guarded(os.replace, sys.argv[1])
os.rename = guarded(os.rename, sys.argv[1])
from s3pilot_cli.cli import main
main(sys.argv[2:])
"""
)


_REAL_REPLACE, _REAL_RENAME = os.replace, os.rename


@pytest.fixture(autouse=True)
def renames_only_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "replace", guarded(os.replace, tmp_path))
    monkeypatch.setattr(os, "rename", guarded(os.rename, tmp_path))


def test_the_guard_refuses_renames_outside_the_folder(tmp_path: Path) -> None:
    done: list[object] = []
    move = guarded(lambda source, destination: done.append(destination), tmp_path)
    (tmp_path / "stdout").symlink_to("/dev/stdout")
    move("new", tmp_path / "stdout")
    for outside in ("/dev/stdout", "/dev/null", tmp_path / ".." / "x", "/proc/self/fd/1"):
        with pytest.raises(AssertionError, match="s3pilot tried to rename over"):
            move("new", outside)
    assert done == [tmp_path / "stdout"]


def guarded_command(tmp_path: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", GUARDED, str(tmp_path), *args]


def csv_export(cli: Cli, *args: str) -> str:
    return cli("export", "--format", "csv", *args).stdout


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- Pipes, devices and sockets are written in place -----------------------------------------


def _read_in_thread(fifo: Path, limit: int = -1) -> tuple[threading.Thread, list[bytes]]:
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as pipe:
            got.append(pipe.read(limit))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader, got


def test_a_named_pipe_gets_the_data_and_stays_a_pipe(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "clusters.csv"
    os.mkfifo(fifo)
    reader, got = _read_in_thread(fifo)
    run = cli("export", "-o", str(fifo))  # the name asks for csv
    reader.join(timeout=30)
    assert (run.stdout, run.stderr) == ("", "")
    assert got == [csv_export(cli).encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert listing(tmp_path) == ["clusters.csv"]


def test_a_pipe_whose_reader_stops_early_ends_quietly(cli: Cli, tmp_path: Path) -> None:
    """Larger than a pipe's buffer, so the write really fails with EPIPE."""
    big = tmp_path / "big.toml"
    big.write_text(generated_registry(3000), encoding="utf-8")
    fifo = tmp_path / "head"
    os.mkfifo(fifo)
    reader, got = _read_in_thread(fifo, limit=10)
    run = cli("--registry", str(big), "export", "-f", "csv", "-o", str(fifo))
    reader.join(timeout=30)
    assert (run.stdout, run.stderr) == ("", "")
    assert got == [b"id,name,re"]


def test_dev_null_is_written_not_replaced(cli: Cli) -> None:
    run = cli("export", "--format", "csv", "-o", "/dev/null")
    assert (run.stdout, run.stderr) == ("", "")


def test_a_full_device_is_an_error_not_a_replacement(cli: Cli) -> None:
    run = cli("export", "--format", "csv", "-o", "/dev/full", exit_code=ExitCode.FAILURE)
    assert (
        run.stderr == "s3pilot: error: /dev/full: could not be written (No space left on device)\n"
    )


def test_dev_stdout_in_a_pipe(cli: Cli, tmp_path: Path) -> None:
    done = subprocess.run(
        guarded_command(tmp_path, "export", "-f", "csv", "-o", "/dev/stdout"),
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.decode() == csv_export(cli)


def test_dev_stdout_appended_by_the_shell_keeps_what_was_there(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_bytes(b"kept\n")
    with open(log, "ab") as appending:
        done = subprocess.run(
            guarded_command(tmp_path, "export", "-f", "csv", "-r", "SE-S", "-o", "/dev/stdout"),
            stdout=appending,
            stderr=subprocess.PIPE,
            check=False,
            timeout=60,
        )
    assert (done.returncode, done.stderr) == (0, b"")
    assert log.read_bytes().decode() == "kept\n" + csv_export(cli, "-r", "SE-S")


def test_dev_fd_of_a_pipe(cli: Cli, tmp_path: Path) -> None:
    """What process substitution, `-o >(…)`, hands over: /dev/fd/N of an inherited pipe."""
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        guarded_command(tmp_path, "export", "-f", "csv", "-o", f"/dev/fd/{write_end}"),
        pass_fds=(write_end,),
        stderr=subprocess.PIPE,
    )
    os.close(write_end)
    with open(read_end, "rb") as pipe:
        got = pipe.read()
    assert process.wait(timeout=60) == 0
    assert process.stderr is not None
    assert process.stderr.read() == b""
    assert got.decode() == csv_export(cli)


@pytest.mark.slow
def test_process_substitution_in_bash(cli: Cli, tmp_path: Path) -> None:
    script = '"$PYTHON" -c "$GUARDED" "$PWD" export -f csv -o >(wc -l > count); wait $!'
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env={**os.environ, "PYTHON": sys.executable, "GUARDED": GUARDED},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")
    # A header and the 22 clusters of the programme page.
    assert (tmp_path / "count").read_text().strip() == "23"


def test_a_socket_is_written_in_place(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    got: list[bytes] = []

    def serve() -> None:
        connection, _ = server.accept()
        with connection:
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
            got.append(b"".join(chunks))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    cli("export", "-f", "csv", "-o", str(path))
    thread.join(timeout=30)
    server.close()
    assert got == [csv_export(cli).encode()]
    assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_a_block_device_is_refused(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Making a block device needs root; the test shows s3pilot a stand-in instead."""
    disk = tmp_path / "sdz"
    disk.write_text("a disk\n", encoding="utf-8")
    real_stat = os.stat

    def stat_of(path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> os.stat_result:
        result = real_stat(path, *args, **kwargs)
        if os.fspath(path) == str(disk):
            return os.stat_result((stat.S_IFBLK | 0o660, *tuple(result)[1:]))
        return result

    monkeypatch.setattr(os, "stat", stat_of)
    run = cli("export", "-f", "csv", "-o", str(disk), exit_code=ExitCode.FAILURE)
    assert run.stderr == (
        f"s3pilot: error: {disk}: is a block device; s3pilot writes files, pipes, sockets and"
        " character devices\n"
    )
    assert disk.read_bytes().decode() == "a disk\n"


# --- Links are followed; the file at their end is replaced -----------------------------------


def test_a_symlink_is_followed_and_stays(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    real = tmp_path / "data" / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to("data/real.csv")
    cli("export", "-o", str(link))
    assert os.readlink(link) == "data/real.csv"
    assert real.read_bytes().decode() == csv_export(cli)
    assert real.stat().st_mode & 0o777 == 0o640
    assert listing(tmp_path / "data") == ["real.csv"]


def test_a_chain_of_links_is_followed_to_its_end(cli: Cli, tmp_path: Path) -> None:
    real = tmp_path / "real.tsv"
    real.write_text("old\n", encoding="utf-8")
    (tmp_path / "one.tsv").symlink_to(real)
    (tmp_path / "two.tsv").symlink_to("one.tsv")
    cli("export", "-o", str(tmp_path / "two.tsv"))
    assert real.read_bytes().decode() == cli("export", "-f", "tsv").stdout
    assert (os.readlink(tmp_path / "two.tsv"), os.readlink(tmp_path / "one.tsv")) == (
        "one.tsv",
        str(real),
    )


def test_a_dangling_link_gets_its_file(cli: Cli, tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to("made.csv")
    cli("export", "-o", str(link))
    assert (tmp_path / "made.csv").read_bytes().decode() == csv_export(cli)
    assert link.is_symlink()
    assert listing(tmp_path) == ["link.csv", "made.csv"]


@pytest.mark.parametrize(
    ("links", "message"),
    [
        (
            {"link.csv": "missing/out.csv"},
            "{tmp}/link.csv (a link to {tmp}/missing/out.csv): the folder {tmp}/missing does not"
            " exist; create it first",
        ),
        (
            {"link.csv": "loop.csv", "loop.csv": "link.csv"},
            "{tmp}/link.csv: too many levels of symbolic links; point it at a file",
        ),
    ],
    ids=["dangling into no folder", "loop"],
)
def test_links_that_lead_nowhere(
    cli: Cli, tmp_path: Path, links: dict[str, str], message: str
) -> None:
    for name, target in links.items():
        (tmp_path / name).symlink_to(target)
    run = cli("export", "-f", "csv", "-o", str(tmp_path / "link.csv"), exit_code=1)
    assert run.stderr == f"s3pilot: error: {message.replace('{tmp}', str(tmp_path))}\n"
    assert listing(tmp_path) == sorted(links)


def test_the_owner_of_a_replaced_file_is_kept(cli: Cli, tmp_path: Path) -> None:
    """Root replacing a user's file leaves it theirs (others can only give it to themselves)."""
    target = tmp_path / "theirs.csv"
    target.write_text("old\n", encoding="utf-8")
    if os.geteuid() == 0:
        os.chown(target, 65534, 65534)
    before = target.stat()
    cli("export", "-o", str(target))
    after = target.stat()
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)
    assert after.st_ino != before.st_ino  # replaced, not rewritten


# --- The registry being read is never overwritten --------------------------------------------


@pytest.mark.parametrize(
    ("registry", "output"),
    [
        ("reg.toml", "reg.toml"),
        ("reg.toml", "link.toml"),
        ("link.toml", "reg.toml"),
        ("reg.toml", "hard.toml"),
    ],
)
def test_the_registry_in_use_is_refused_as_output(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, registry: str, output: str
) -> None:
    reg = tmp_path / "reg.toml"
    reg.write_bytes(BUNDLED.read_bytes())
    (tmp_path / "link.toml").symlink_to("reg.toml")
    os.link(reg, tmp_path / "hard.toml")
    monkeypatch.chdir(tmp_path)
    run = cli("--registry", registry, "export", "--format", "toml", "-o", output, exit_code=2)
    assert run.stderr == (
        f"s3pilot: error: -o {output} is the registry being read ({registry}); write to"
        " another file, then move that over the registry\n"
    )
    assert reg.read_bytes() == BUNDLED.read_bytes()
    assert listing(tmp_path) == ["hard.toml", "link.toml", "reg.toml"]


def test_the_registry_named_by_the_environment_is_refused_too(cli: Cli, tmp_path: Path) -> None:
    reg = tmp_path / "reg.toml"
    reg.write_bytes(BUNDLED.read_bytes())
    run = cli("export", "-o", str(reg), env={"S3PILOT_REGISTRY": str(reg)}, exit_code=2)
    assert run.stderr.startswith(f"s3pilot: error: -o {reg} is the registry being read")
    assert reg.read_bytes() == BUNDLED.read_bytes()


def test_the_bundled_registry_is_refused(cli: Cli) -> None:
    before = BUNDLED.read_bytes()
    run = cli("export", "-f", "csv", "-o", str(BUNDLED), exit_code=2)
    assert run.stderr.startswith(f"s3pilot: error: -o {BUNDLED} is the registry being read")
    assert BUNDLED.read_bytes() == before


def test_a_copy_of_the_registry_is_no_registry_in_use(cli: Cli, tmp_path: Path) -> None:
    copy = tmp_path / "copy.toml"
    copy.write_text("old\n", encoding="utf-8")
    cli("export", "-o", str(copy))
    assert copy.read_bytes().decode() == cli("export", "-f", "toml").stdout


# --- atomic_path: for writers that need a file name ------------------------------------------


def test_atomic_path_replaces_the_target_keeping_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.db"
    target.write_bytes(b"old")
    target.chmod(0o600)
    with atomic.atomic_path(target) as building:
        assert building.parent == tmp_path
        assert building.read_bytes() == b""
        building.write_bytes(b"\x00new\xff")
        assert target.read_bytes() == b"old"
    assert target.read_bytes() == b"\x00new\xff"
    assert target.stat().st_mode & 0o777 == 0o600
    assert listing(tmp_path) == ["out.db"]


def test_atomic_path_follows_a_link(tmp_path: Path) -> None:
    (tmp_path / "link.db").symlink_to("real.db")
    with atomic.atomic_path(tmp_path / "link.db") as building:
        building.write_bytes(b"bytes")
    assert (tmp_path / "real.db").read_bytes() == b"bytes"
    assert (tmp_path / "link.db").is_symlink()


def test_atomic_path_leaves_nothing_when_the_writer_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.db"
    target.write_bytes(b"old")

    def fail_midway() -> None:
        with atomic.atomic_path(target) as building:
            building.write_bytes(b"half")
            raise RuntimeError("the writer failed")

    with pytest.raises(RuntimeError, match="the writer failed"):
        fail_midway()
    assert target.read_bytes() == b"old"
    assert listing(tmp_path) == ["out.db"]


def test_atomic_path_copies_into_a_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "out.db"
    os.mkfifo(fifo)
    reader, got = _read_in_thread(fifo)
    payload = bytes(range(256)) * 1000  # more than a pipe holds at once
    with atomic.atomic_path(fifo) as building:
        assert building.parent != tmp_path
        building.write_bytes(payload)
    reader.join(timeout=30)
    assert got == [payload]
    assert not building.exists()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_atomic_path_into_dev_null_and_dev_full(tmp_path: Path) -> None:
    with atomic.atomic_path(Path("/dev/null")) as building:
        building.write_bytes(b"gone")
    assert not building.exists()
    with pytest.raises(WriteError) as error, atomic.atomic_path(Path("/dev/full")) as building:
        building.write_bytes(b"too much")
    assert error.value.message == "/dev/full: could not be written (No space left on device)"
    assert not building.exists()


# --- The format from the file name -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("out.csv", "csv"),
        ("out.tsv", "tsv"),
        ("out.json", "json"),
        ("out.jsonl", "jsonl"),
        ("out.md", "markdown"),
        ("out.toml", "toml"),
        ("OUT.CSV", "csv"),
        ("a.b.Md", "markdown"),
    ],
)
def test_the_extension_chooses_the_format(cli: Cli, tmp_path: Path, name: str, fmt: str) -> None:
    cli("export", "-o", str(tmp_path / name))
    assert (tmp_path / name).read_bytes().decode() == cli("export", "-f", fmt).stdout


def test_the_typer_app_reads_the_extension_too(cli: Cli, tmp_path: Path) -> None:
    """`-oFILE` is a spelling the fast path leaves to Typer."""
    cli("export", f"-o{tmp_path / 'out.tsv'}")
    assert (tmp_path / "out.tsv").read_bytes().decode() == cli("export", "-f", "tsv").stdout


def test_an_explicit_format_wins(cli: Cli, tmp_path: Path) -> None:
    cli("export", "-f", "tsv", "-o", str(tmp_path / "out.csv"))
    text = (tmp_path / "out.csv").read_bytes().decode()
    assert text == cli("export", "-f", "tsv").stdout
    assert text.startswith("id\tname\t")


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("out.xyz", "cannot tell the format from the name"),
        ("out.csv.gz", "cannot tell the format from the name"),
        (
            "out.vcf",
            "the name asks for vcard, which 'export' does not write"
            " ('s3pilot contacts --format vcard' does)",
        ),
        (
            "karta.svg",
            "the name asks for svg, which 'export' does not write ('s3pilot map' does)",
        ),
    ],
)
def test_a_name_without_a_format_export_writes(
    cli: Cli, tmp_path: Path, name: str, why: str
) -> None:
    target = tmp_path / name
    run = cli("export", "-o", str(target), exit_code=ExitCode.USAGE)
    assert run.stderr == (
        f"s3pilot: error: -o {target}: {why}; give --format ({EXPORT_FORMATS}) or a name ending"
        f" in {EXPORT_EXTENSIONS}\n"
    )
    assert listing(tmp_path) == []


def test_without_a_file_the_default_is_json_records(cli: Cli) -> None:
    assert cli("export").stdout == cli("export", "-o", "-").stdout
    assert cli("export").stdout == cli("export", "-f", "json").stdout


@pytest.mark.parametrize("name", ["clusters", "clusters."])
def test_a_name_without_an_extension_gets_the_default_as_stdout_does(
    cli: Cli, tmp_path: Path, name: str
) -> None:
    """As `/dev/stdout`, a pipe or `>(…)` have no extension, a name without one means json
    (`.csv`, only an extension, is csv: test_a_name_that_is_only_an_extension_gets_that_format)."""
    cli("export", "-o", str(tmp_path / name))
    assert (tmp_path / name).read_text(encoding="utf-8") == cli("export").stdout


# --- One JSON shape per record ---------------------------------------------------------------


def test_export_json_is_the_list_records(cli: Cli) -> None:
    exported = cli("export", "--format", "json").stdout
    assert exported == cli("list", "--format", "json").stdout
    clusters = json.loads(exported)
    assert len(clusters) == 22
    assert all(list(cluster) == CLUSTER_FIELDS for cluster in clusters)
    assert all(isinstance(cluster["aliases"], list) for cluster in clusters)
    assert next(c for c in clusters if c["id"] == "paper-province") == PAPER_PROVINCE


def test_json_jsonl_and_csv_carry_the_same_records(cli: Cli) -> None:
    from_json = json.loads(cli("export", "--format", "json").stdout)
    from_jsonl = [json.loads(line) for line in cli("export", "-f", "jsonl").stdout.splitlines()]
    from_csv = list(csv.DictReader(io.StringIO(csv_export(cli))))
    assert from_jsonl == from_json
    assert [list(row) for row in from_csv] == [CLUSTER_FIELDS] * 22

    def as_text(record: dict[str, object]) -> dict[str, str]:
        return {
            field: "; ".join(v) if isinstance(v, list) else "" if v is None else str(v)
            for field, v in record.items()
        }

    assert [as_text(record) for record in from_json] == from_csv


def test_registry_json_is_the_document_and_reads_back(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "mine.json"
    cli("export", "--format", "registry-json", "-o", str(target))
    document = json.loads(target.read_bytes().decode())
    assert list(document) == [*schema.TOP_KEYS]
    assert cli("--registry", str(target), "export", "-f", "json").stdout == (
        cli("export", "-f", "json").stdout
    )


# --- What -o may name -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "value", "message"),
    [
        (("export",), "", "-o is empty; give the name of a file, or '-' for stdout"),
        (("map",), "", "-o is empty; give the name of a file, or '-' for stdout"),
        (("export",), "new/", "-o new/: names a folder; give the name of a file in it"),
        (("map",), "new/", "-o new/: names a folder; give the name of a file in it"),
    ],
)
def test_an_empty_or_folder_name_is_a_usage_error(
    cli: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
    value: str,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli(*command, "-o", value, exit_code=ExitCode.USAGE)
    assert (run.stdout, run.stderr) == ("", f"s3pilot: error: {message}\n")
    assert listing(tmp_path) == []


def test_a_read_only_file_is_left_alone(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the shell's `>` does for anyone but root, which os.access answers for: a rename
    would get round the file's own protection. (The test may run as root, so the answer a
    user without write permission gets is given here.)"""
    target = tmp_path / "ro.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o444)
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: mode != os.W_OK and real_access(path, mode)
    )
    run = cli("export", "-o", str(target), exit_code=ExitCode.FAILURE)
    assert run.stderr == (
        f"s3pilot: error: {target}: is read-only; make it writable (chmod u+w) or choose"
        " another name\n"
    )
    assert target.read_text(encoding="utf-8") == "old\n"
    assert listing(tmp_path) == ["ro.csv"]


def test_another_user_s_file_is_left_alone_without_advice_to_chmod_it(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`chmod u+w` is the owner's to run: a user who may not write another user's file (as
    `nobody` may not write /etc/passwd) is told to choose another name, nothing else."""
    target = tmp_path / "theirs.csv"
    target.write_text("old\n", encoding="utf-8")
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: mode != os.W_OK and real_access(path, mode)
    )
    monkeypatch.setattr(os, "geteuid", lambda: target.stat().st_uid + 1)
    run = cli("export", "-o", str(target), exit_code=ExitCode.FAILURE)
    assert run.stderr == (
        f"s3pilot: error: {target}: belongs to another user; choose another name\n"
    )
    assert target.read_text(encoding="utf-8") == "old\n"
    assert listing(tmp_path) == ["theirs.csv"]


def test_a_long_non_ascii_name_is_written(cli: Cli, tmp_path: Path) -> None:
    """127 times `ä` is 254 bytes, within the 255 a name may have: its temporary name must fit."""
    target = tmp_path / ("ä" * 127)
    cli("export", "--format", "csv", "-o", str(target))
    assert target.read_text(encoding="utf-8").startswith("id,name,")
    assert os.listdir(tmp_path) == [target.name]


@pytest.mark.parametrize(("name", "start"), [(".csv", "id,name,"), (".TSV", "id\tname\t")])
def test_a_name_that_is_only_an_extension_gets_that_format(
    cli: Cli, tmp_path: Path, name: str, start: str
) -> None:
    cli("export", "-o", str(tmp_path / name))
    assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)


_needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="planting another user's link (lchown) and becoming that user (setuid) need root",
)


def _nobody() -> tuple[int, int]:
    import pwd

    try:
        entry = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no user 'nobody' to run as")
    return entry.pw_uid, entry.pw_gid


def _export_as(uid: int, gid: int, registry: Path, target: Path) -> tuple[int, str]:
    """`s3pilot export -o target` in a child process that is user `uid`: its exit status and
    stderr.

    A fork rather than a new program: the child has s3pilot loaded already, so it needs no
    permission to read the checkout or the Python it runs from."""
    import sys

    from s3pilot_cli.cli import main

    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.close(read)
            sys.stderr = os.fdopen(write, "w")
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the child ends with os._exit
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            main(["--registry", str(registry), "export", "--format", "csv", "-o", str(target)])
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        finally:
            sys.stderr.flush()
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as said:
        stderr = said.read()
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status), stderr


@pytest.fixture
def sticky(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A world-writable sticky folder owned by root, as /tmp is, in a folder anyone may enter
    (pytest's own temporary folders are root's alone). Both lie in the system's temporary
    folder, so renames are guarded to that instead of the test's own folder."""
    import shutil
    import tempfile

    place = Path(tempfile.mkdtemp())
    monkeypatch.setattr(os, "replace", guarded(_REAL_REPLACE, tempfile.gettempdir()))
    monkeypatch.setattr(os, "rename", guarded(_REAL_RENAME, tempfile.gettempdir()))
    place.chmod(0o755)
    folder = place / "shared"
    folder.mkdir()
    folder.chmod(0o1777)
    yield folder
    shutil.rmtree(place)


def _planted(folder: Path, name: str, points_at: Path, owner: int) -> Path:
    link = folder / name
    link.symlink_to(points_at)
    os.lchown(link, owner, -1)
    return link


@_needs_root
def test_root_does_not_follow_another_users_link_in_a_sticky_folder(
    cli: Cli, sticky: Path, tmp_path: Path
) -> None:
    uid, _ = _nobody()
    secret = tmp_path / "root-only"
    secret.write_text("secret\n", encoding="utf-8")
    secret.chmod(0o600)
    link = _planted(sticky, "report.csv", secret, uid)
    dangling = _planted(sticky, "new.csv", tmp_path / "chosen-by-them", uid)
    for target in (link, dangling):
        message = cli("export", "-o", str(target), exit_code=ExitCode.FAILURE).stderr
        assert message == (
            f"s3pilot: error: {target}: is a symbolic link of another user (uid {uid}) in the"
            f" shared folder {sticky}; s3pilot does not follow it, as the shell's '>' would"
            " not: remove the link, or write to another place\n"
        )
    assert secret.read_text(encoding="utf-8") == "secret\n"
    assert not (tmp_path / "chosen-by-them").exists()
    assert sorted(os.listdir(sticky)) == ["new.csv", "report.csv"]
    # a link of root's own, or of the folder's owner, is followed as the kernel follows it
    own = sticky / "own.csv"
    own.symlink_to(tmp_path / "mine.csv")
    cli("export", "-o", str(own))
    assert (tmp_path / "mine.csv").read_text(encoding="utf-8").startswith("id,name,")


@_needs_root
def test_an_unprivileged_user_does_not_follow_a_third_users_link(
    sticky: Path, registry_text: str
) -> None:
    uid, gid = _nobody()
    registry = sticky.parent / "clusters.toml"
    registry.write_text(registry_text, encoding="utf-8")
    home = sticky.parent / "nobodys"  # where the file at the link's end is replaced
    home.mkdir()
    os.chown(home, uid, gid)
    theirs = home / "file"
    theirs.write_text("keep\n", encoding="utf-8")
    os.chown(theirs, uid, gid)
    planted = _planted(sticky, "report.csv", theirs, 4242)
    assert _export_as(uid, gid, registry, planted) == (
        ExitCode.FAILURE,
        f"s3pilot: error: {planted}: is a symbolic link of another user (uid 4242) in the shared"
        f" folder {sticky}; s3pilot does not follow it, as the shell's '>' would not: remove"
        " the link, or write to another place\n",
    )
    assert theirs.read_text(encoding="utf-8") == "keep\n"
    own = _planted(sticky, "own.csv", theirs, uid)
    assert _export_as(uid, gid, registry, own) == (ExitCode.OK, "")
    assert theirs.read_text(encoding="utf-8").startswith("id,name,")
    assert theirs.stat().st_uid == uid


@pytest.mark.slow  # up to five exports of a 40 000-cluster registry, each signalled
def test_sigterm_mid_export_removes_the_temporary_file_and_exits_143(tmp_path: Path) -> None:
    """SIGTERM while the hidden `.NAME.XXXX.tmp` exists: it goes, the target is never made."""
    import signal
    import time

    registry = tmp_path / "large.toml"
    registry.write_text(generated_registry(40_000), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "clusters.toml"
    for _ in range(5):  # in case an export ever ends before the signal can be sent
        process = subprocess.Popen(
            [installed_command(), "--registry", str(registry), "export", "-o", str(target)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while not os.listdir(out) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        seen = os.listdir(out)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
        if seen and seen[0].endswith(".tmp") and process.returncode != 0:
            break
        target.unlink(missing_ok=True)
    else:
        pytest.fail("no export was still writing when SIGTERM was sent")
    assert seen[0].startswith(".clusters.toml.")
    assert (process.returncode, stdout, stderr) == (ExitCode.TERMINATED, b"", b"")
    assert os.listdir(out) == []


# --- contacts -o -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "name", "fmt"),
    [
        (["--format", "vcard"], "kontakter.vcf", "vcard"),
        ([], "kontakter.vcf", "vcard"),  # the extension chooses, as for export
        ([], "kontakter.csv", "csv"),
        (["--format", "json"], "kontakter.txt", "json"),
        ([], "kontakter", "plain"),  # no extension: what a pipe gets
    ],
)
def test_contacts_writes_a_file_as_stdout_gets_it(
    cli: Cli, tmp_path: Path, args: list[str], name: str, fmt: str
) -> None:
    target = tmp_path / name
    run = cli("contacts", *args, "-o", str(target))
    assert (run.stdout, run.stderr) == ("", "")
    written = target.read_bytes().decode()
    assert written == cli("contacts", "--format", fmt).stdout
    assert listing(tmp_path) == [name]  # no temporary file left beside it


def test_contacts_vcard_file_holds_the_two_contacts(cli: Cli, tmp_path: Path) -> None:
    """The programme page lists two contacts: the file holds a vCard for each."""
    cli("contacts", "--format", "vcard", "-o", str(tmp_path / "x.vcf"))
    text = (tmp_path / "x.vcf").read_bytes().decode("utf-8")  # its lines end in CRLF (RFC 6350)
    assert text.count("BEGIN:VCARD\r\n") == text.count("END:VCARD\r\n") == 2
    assert "FN:Ewa Andersson\r\n" in text
    assert "FN:Cecilia Johansson\r\n" in text


def test_contacts_replaces_a_file_atomically_and_keeps_it_on_a_bad_name(
    cli: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "x.vcf"
    target.write_text("old", encoding="utf-8")
    cli("contacts", "-o", str(target))
    assert target.read_text(encoding="utf-8").startswith("BEGIN:VCARD")
    wrong = tmp_path / "x.toml"
    run = cli("contacts", "-o", str(wrong), exit_code=ExitCode.USAGE)
    assert run.stderr == (
        f"s3pilot: error: -o {wrong}: the name asks for toml, which 'contacts' does not write"
        " ('s3pilot export --format toml' does); give --format (table, plain, tsv, csv, json,"
        " jsonl, markdown, vcard) or a name ending in .tsv .csv .json .jsonl .md .vcf\n"
    )
    assert listing(tmp_path) == ["x.vcf"]
