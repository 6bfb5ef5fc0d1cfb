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
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from s3pilot_cli.cli import main as s3pilot_main
from s3pilot_cli.errors import ExitCode

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

# The readers and renderers nobody here wrote live in the `interop` dependency group, which
# `uv run pytest` installs; the lean set (`--no-default-groups --group test`) leaves them
# out, and the tests that read with them skip, saying what to install. A file that reads with
# one throughout skips whole: `pytest.importorskip("shapely", reason=f"shapely {INTEROP}")`
# above its imports; a test that needs one asks `interop("pandas")`.
INTEROP = "is a reader in the interop dependency group: uv sync --group interop"


def interop(module: str) -> Any:
    """`module` from the interop group, or a skip of the test that names it."""
    return pytest.importorskip(module, reason=f"{module} {INTEROP}")


ROOT = Path(__file__).parent.parent


def script(name: str) -> ModuleType:
    """A script of scripts/ as a module, for the tests that hold what it makes to its output."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    "focus_sv",
    "note",
    "kommun",
    "kommun_code",
    "s3_area",
    "eccp_url",
    "last_seen",
    "note_sv",
]
# Paper Province's record, as the programme page, the reference facts and the pages named
# in its `sources` (ECCP's profile: founded 1 March 1999, an ekonomisk förening; the
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
        "https://www.papperochmassa.se/20190812/2650/paper-province-firar-20-ar",  # focus_sv too
        "https://s3vanguardinitiative.eu/partners/varmland",  # its link to Värmland's area
    ],
    # the page of 20 years ("skogsbaserad bioekonomi"); Karlstad's SCB code; Värmland's area
    # "Skoglig bioekonomi", to which the Vanguard Initiative's page links it; ECCP's profile;
    # its third Gold Label, 7 March 2024
    "focus_sv": "skogsbaserad bioekonomi",
    "note": None,
    "kommun": "Karlstad",
    "kommun_code": "1780",
    "s3_area": "Skoglig bioekonomi",
    "eccp_url": "https://www.clustercollaboration.eu/node/595",
    "last_seen": "2024-03-07",
    "note_sv": None,
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


# --- A local HTTP server, for check-links (tests/test_links.py, tests/test_check_links.py) ---

SLOW = 1.5  # seconds that /slow waits at most; the tests' timeouts are well below it

# A path and where it redirects, with the status.
REDIRECTS = {
    "/301": (301, "/302"),  # a chain of two: permanent, then temporary
    "/302": (302, "/ok"),
    "/perm": (301, "/perm-308"),  # every step permanent
    "/perm-308": (308, "/ok"),
    "/loop-a": (302, "/loop-b"),
    "/loop-b": (302, "/loop-a"),
    "/to-404": (301, "/404"),
    "/to-file": (302, "file:///etc/passwd"),
    "/relative/here": (302, "../ok"),
    "/to-escape": (302, "/ok\x1b[2J"),  # a control character a terminal would obey
    "/to-soft-hyphen": (302, "/o\u00adk".encode().decode("latin-1")),  # draws nothing
    # UTF-8 on the wire, as servers send it (send_header writes each character as one byte)
    "/to-utf8": (301, "/för".encode().decode("latin-1")),
    # targets that no address parser takes: each must be one link's `error`, not the run's end
    "/to-open-bracket": (302, "http://[::1/x"),
    "/to-open-bracket-relative": (302, "//[::1/x"),
    "/to-fullwidth-hash": (302, "http://a\uff03b.se/".encode().decode("latin-1")),
    "/to-account-of": (302, "http://a\u2100b.se/".encode().decode("latin-1")),
    "/to-empty": (302, ""),
    "/to-credentials": (302, "http://user:pw@127.0.0.1:9/"),
    # into the user's own machine (where nothing listens on port 9): followed only from an
    # address that is not public itself
    "/to-private": (302, "http://127.0.0.2:9/admin"),
}
DRIP = 0.5  # seconds between the pieces /continue and /drip send; they stop after DRIP_FOR
DRIP_FOR = 10.0


@dataclass
class Seen:
    """What the server saw: every request's method, path and User-Agent, and the most
    /hold/ requests it ever had waiting at once."""

    requests: list[tuple[str, str, str]] = field(default_factory=list)
    in_progress: int = 0
    most_in_progress: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.requests]

    def agents(self) -> list[str]:
        return [agent for _, _, agent in self.requests]

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Count a request as in progress until its reply starts, not until its thread ends:
        a client may ask again as soon as it has the reply's headers, and under load that
        can come before this thread runs on, so counting to the thread's end would see two
        at once where the client never had two."""
        with self.lock:
            self.in_progress += 1
            self.most_in_progress = max(self.most_in_progress, self.in_progress)
        try:
            yield
        finally:
            with self.lock:
                self.in_progress -= 1


def handler_for(seen: Seen) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Quiet: pytest shows stderr of a failing test, and this is not about it."""

        def do_HEAD(self) -> None:
            self._record("HEAD")
            # Some servers refuse HEAD; a page that GET serves must still be `ok`.
            self._reply(405 if self.path == "/head-405" else 200)

        def do_GET(self) -> None:
            self._record("GET")
            path = self.path
            if path in REDIRECTS:
                status, location = REDIRECTS[path]
                self.send_response(status)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path in ("/404", "/500"):
                self._reply(int(path[1:]))
            elif path == "/slow":
                seen.release.wait(SLOW)  # set when the test is over
                self._reply(200)
            elif path.startswith("/hold/"):
                with seen.holding():
                    time.sleep(float(path.split("/")[2]))  # /hold/SECONDS/ANYTHING
                self._reply(200)
            elif path == "/no-location":
                self.send_response(302)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/endless":
                self._endless()
            elif path in ("/continue", "/drip"):
                self._drip(path)
            elif path == "/hangup":
                self.close_connection = True  # no reply at all
            elif path in ("/ok", "/head-405", "/f%C3%B6r"):
                self._reply(200)
            else:
                self._reply(404)

        def _endless(self) -> None:
            """Headers at once, then a body that stalls: only a reader of the body waits."""
            self.send_response(200)
            self.send_header("Content-Length", str(10**9))
            self.end_headers()
            try:
                self.wfile.write(b"x" * 1000)
                self.wfile.flush()
                seen.release.wait(SLOW)
                self.wfile.write(b"x" * 1000)
            except OSError:
                pass  # the client has gone, as it should
            self.close_connection = True

        def _drip(self, path: str) -> None:
            """A reply that never ends its headers, a piece every DRIP seconds: `100 Continue`
            over and over, or the headers a byte at a time. A timeout that starts again with
            each piece never ends; a deadline does. Stops when the client goes, or at DRIP_FOR."""
            pieces = (
                iter(lambda: b"HTTP/1.1 100 Continue\r\n\r\n", None)
                if path == "/continue"
                else iter([b"HTTP/1.1 200 OK\r\n", *(b"X" for _ in range(1000))])
            )
            ends = time.monotonic() + DRIP_FOR
            try:
                for piece in pieces:
                    self.wfile.write(piece)
                    self.wfile.flush()
                    if seen.release.wait(DRIP) or time.monotonic() > ends:
                        break
            except OSError:
                pass  # the client has gone, as it should
            self.close_connection = True

        def _record(self, method: str) -> None:
            with seen.lock:
                seen.requests.append((method, self.path, self.headers.get("User-Agent", "")))

        def _reply(self, status: int) -> None:
            body = b"<html><body>a page</body></html>\n" * 100
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)

    return Handler


@dataclass
class Server:
    base: str
    seen: Seen

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the developer's environment would take the requests off 127.0.0.1."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def server(no_proxy: None) -> Iterator[Server]:
    """A server on 127.0.0.1, on a port the system picks, in a thread of this process."""
    seen = Seen()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(seen))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_port}", seen)
    finally:
        seen.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def fails(cli: Cli, *args: str, code: int) -> str:
    """Run s3pilot expecting failure; return its one line of stderr."""
    run = cli(*args, exit_code=code)
    assert run.stdout == ""
    assert run.stderr.startswith("s3pilot: error: ")
    assert run.stderr.endswith("\n")
    assert run.stderr.count("\n") == 1
    assert "Traceback" not in run.stderr
    assert "\x1b" not in run.stderr
    return run.stderr.removeprefix("s3pilot: error: ").removesuffix("\n")


def problems(cli: Cli, path: Path) -> list[str]:
    """`validate`'s problem lines for `path` (exit 4), without the prefix and the summary."""
    run = cli("validate", str(path), exit_code=ExitCode.BAD_REGISTRY)
    assert run.stdout == ""
    lines = [line.removeprefix("s3pilot: ") for line in run.stderr.splitlines()]
    assert lines[-1].endswith("; the registry was not used"), lines
    return lines[:-1]


VARMLAND_CSV = (
    "id,name,region,region_code,lan_code,county,nuts3,region_body,city,website,focus,aliases,"
    "now_called,founded,founded_note,kind,label,sources,focus_sv,note,kommun,kommun_code,"
    "s3_area,eccp_url,last_seen,note_sv\r\n"
    "compare,Compare,Värmland,SE-S,17,Värmlands län,SE311,Region Värmland,Karlstad,"
    'https://compare.se,IT and telecom,,,2000,"Stiftelsen Compare Karlstad, January 2000",'
    "foundation,,https://www.compare.se/nyhet/compare-firade-15-ar-med-valbesokt-lunchmote,"
    # its focus in Swedish, its kommun (SCB's Karlstad, 1780) and its latest event, 2018
    "IT och telekom,,Karlstad,1780,,,2018,\r\n"
    "paper-province,Paper Province,Värmland,SE-S,17,Värmlands län,SE311,Region Värmland,"
    "Karlstad,https://paperprovince.com,forest bioeconomy,The Paper Province,,1999,"
    '"the cluster organisation, 1 March 1999",economic-association,Gold 2018,'
    + "; ".join(PAPER_PROVINCE["sources"])  # type: ignore[arg-type]
    + ",skogsbaserad bioekonomi,,Karlstad,1780,Skoglig bioekonomi,"
    "https://www.clustercollaboration.eu/node/595,2024-03-07,\r\n"
)
