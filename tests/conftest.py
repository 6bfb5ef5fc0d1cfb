"""Fixtures that run s3pilot the ways its users do: in-process, and as an installed command."""

import fcntl
import os
import pty
import select
import shlex
import shutil
import struct
import subprocess
import sys
import termios
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from s3pilot_cli.cli import main as s3pilot_main

# The one budget of every property test. `quick`, the default, keeps the whole suite around
# a minute; S3PILOT_HYPOTHESIS=thorough tries ten times as many examples (before a release,
# or after a change to a parser or the validator).
settings.register_profile(
    "quick", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("S3PILOT_HYPOTHESIS", "quick"))

ROOT = Path(__file__).parent.parent
BUNDLED = ROOT / "data" / "clusters.toml"
MINIMAL = Path(__file__).parent / "registries" / "minimal.toml"

# The cluster record's fields, typed from the README's output contract, not from the code.
CLUSTER_FIELDS = [
    "id",
    "name",
    "region",
    "region_code",
    "lan_code",
    "county",
    "nuts3",
    "region_body",
    "city",
    "website",
    "focus",
    "aliases",
    "now_called",
    "founded",
    "founded_note",
    "kind",
    "label",
    "sources",
]
# Paper Province's record, as the programme page, the reference facts and the pages named
# in /work/notes' research (ECCP's profile: founded 1 March 1999, an ekonomisk förening; the
# press release of 2020: Gold Label first in 2018) give it.
PAPER_PROVINCE = {
    "id": "paper-province",
    "name": "Paper Province",
    "region": "Värmland",
    "region_code": "SE-S",
    "lan_code": "17",
    "county": "Värmlands län",
    "nuts3": "SE311",
    "region_body": "Region Värmland",
    "city": "Karlstad",
    "website": "https://paperprovince.com",
    "focus": "forest bioeconomy",
    "aliases": ["The Paper Province"],
    "now_called": None,
    "founded": 1999,
    "founded_note": "the cluster organisation, 1 March 1999",
    "kind": "economic-association",
    "label": "Gold 2018",
    "sources": [
        "https://paperprovince.com/eng/about/",
        "https://www.clustercollaboration.eu/cluster-networks/s3-cluster-pilot",
        "https://sv.m.wikipedia.org/wiki/Paper_Province",
        "https://www.clustercollaboration.eu/node/595",
        "https://press.paperprovince.com/posts/pressreleases/skogsklustret-paper-province-vinner-guld---ig",
        "https://paperprovince.com/branschens-starkaste-20-aring/",  # its focus_sv
    ],
}


@dataclass
class Run:
    stdout: str
    stderr: str
    exit_code: int


Cli = Callable[..., Run]


@pytest.fixture(autouse=True)
def home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test sees the developer's own registry or environment: a fresh, empty home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in ("S3PILOT_REGISTRY", "NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    # English, whatever language the shell running the tests speaks; a test that wants Swedish
    # asks for it. Set, not deleted, so that what s3pilot sets in-process is undone too.
    for name in ("S3PILOT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("LANG", "C.UTF-8")
    return home


@pytest.fixture
def cli() -> Cli:
    """Run `s3pilot ARGS` in-process; fail with its stderr unless it exits with `exit_code`."""

    def invoke(
        *args: str, exit_code: int = 0, env: dict[str, str] | None = None, input: str = ""
    ) -> Run:
        runner = CliRunner()
        code = 0
        with runner.isolation(input=input, env=env) as (out, err, _):
            try:
                s3pilot_main(list(args))
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
            sys.stdout.flush()
            sys.stderr.flush()
            run = Run(out.getvalue().decode(), err.getvalue().decode(), code)
        assert run.exit_code == exit_code, (
            f"s3pilot {' '.join(args)} exited {run.exit_code}, not {exit_code}\n"
            f"stderr:\n{run.stderr}\nstdout:\n{run.stdout}"
        )
        return run

    return invoke


def installed_command() -> str:
    """The `s3pilot` console script of the environment running the tests."""
    beside = Path(sys.executable).parent / "s3pilot"
    found = str(beside) if beside.exists() else shutil.which("s3pilot")
    assert found, "the s3pilot console script is not installed; run the tests with 'uv run pytest'"
    return found


def in_terminal(
    command: str | Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> str:
    """What a shell command (a string, or its words) shows in a real terminal 100 columns
    wide, with the installed `s3pilot` first on PATH; trailing spaces aside."""
    line = command if isinstance(command, str) else shlex.join(command)
    path = f"{Path(installed_command()).parent}{os.pathsep}{os.environ['PATH']}"
    screen = in_pty(["bash", "-c", line], env={"PATH": path, **(env or {})}, cwd=cwd)
    return "\n".join(line.rstrip() for line in screen.shown.split("\n")).rstrip("\n")


@pytest.fixture
def sh() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed `s3pilot` in a subprocess, as a shell script would."""

    def run(
        *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [installed_command(), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**os.environ, **(env or {})},
            cwd=cwd,
            check=False,
            timeout=60,
        )

    return run


@pytest.fixture
def registry_text() -> str:
    return MINIMAL.read_text(encoding="utf-8")


@pytest.fixture
def write_registry(tmp_path: Path) -> Callable[[str], Path]:
    """Write a registry file from its text; returns its path."""

    def write(text: str, name: str = "clusters.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@dataclass
class Screen:
    """What a program showed in a terminal, its exit code, and its stderr where that was a pipe."""

    shown: str
    returncode: int
    stderr: str = ""


def in_pty(
    argv: Sequence[str | Path],
    *,
    columns: int = 100,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stderr_to_screen: bool = True,
) -> Screen:
    """Run `argv` in a real terminal (a pseudo-terminal) `columns` wide, as a person would.

    The size is the terminal's own (no COLUMNS or LINES in the environment); lines end in
    "\\n", as the screen shows them.
    """
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    environment |= {"TERM": "xterm-256color", **(env or {})}
    process = subprocess.Popen(
        [str(arg) for arg in argv],
        stdin=child,
        stdout=child,
        stderr=child if stderr_to_screen else subprocess.PIPE,
        env=environment,
        cwd=cwd,
    )
    os.close(child)
    shown = b""
    while select.select([main], [], [], 60)[0]:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    returncode = process.wait(timeout=60)
    errors = process.stderr.read().decode("utf-8") if process.stderr else ""
    return Screen(shown.decode("utf-8").replace("\r\n", "\n"), returncode, errors)


def generated_registry(count: int) -> str:
    head = MINIMAL.read_text(encoding="utf-8")
    head = head.split("[[clusters]]")[0]
    body = "".join(
        f'[[clusters]]\nid = "cluster-{n}"\nname = "Cluster {n}"\nregion = "SE-S"\n'
        f'focus = "generated cluster number {n}"\n\n'
        for n in range(count)
    )
    return head + body


DRIVER = """
import atexit, sys
atexit.register(lambda: sys.stderr.write("\\n" + " ".join(sorted(sys.modules))))
from s3pilot_cli.cli import main
main(sys.argv[1:])
"""


def imported_by(*args: str, exit_code: int = 0, env: dict[str, str] | None = None) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == exit_code, done.stderr
    return set(done.stderr.splitlines()[-1].split())
