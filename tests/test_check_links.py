"""`s3pilot check-links` through the CLI, against a local HTTP server the tests start.

Nothing here leaves 127.0.0.1 (the engine's own cases are in tests/test_links.py): the server
runs in a thread on a port the system picks, and the registry's three URLs (the programme's
`source_url` and two clusters' `website`) point at it.
"""

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from s3pilot_cli import links
from tests.conftest import Cli, in_pty, installed_command

TIMEOUT = "0.3"  # seconds: /slow answers later than this


@dataclass
class Seen:
    agents: list[str] = field(default_factory=list)
    in_progress: int = 0
    most_in_progress: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)


def handler_for(seen: Seen) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Quiet: pytest shows stderr of a failing test, and this is not about it."""

        def do_GET(self) -> None:
            with seen.lock:
                seen.agents.append(self.headers.get("User-Agent", ""))
                seen.in_progress += 1
                seen.most_in_progress = max(seen.most_in_progress, seen.in_progress)
            try:
                self._get()
            finally:
                with seen.lock:
                    seen.in_progress -= 1

        def _get(self) -> None:
            if self.path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/ok")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path == "/slow":
                seen.release.wait(10)  # set when the test is over
            elif self.path.startswith("/hold/"):
                time.sleep(0.2)
            status = {"/404": 404, "/500": 500}.get(self.path, 200)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    return Handler


@dataclass
class Server:
    base: str
    seen: Seen


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the developer's environment would take the requests off 127.0.0.1."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def server() -> Iterator[Server]:
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


@pytest.fixture
def registry_at(
    server: Server, registry_text: str, write_registry: Callable[[str], Path]
) -> Callable[[str, str, str], str]:
    """A registry whose programme page and two clusters' websites are these server paths."""

    def make(program: str, compare: str, paper: str) -> str:
        text = registry_text.replace(
            'source_url = "https://tillvaxtverket.se/klusterprogram.html"',
            f'source_url = "{server.base}{program}"',
        )
        text = text.replace('website = "https://compare.se"', f'website = "{server.base}{compare}"')
        text = text.replace(
            'aliases = ["The Paper Province"]',
            f'aliases = ["The Paper Province"]\nwebsite = "{server.base}{paper}"',
        )
        return str(write_registry(text))

    return make


def test_every_link_alive_exits_0_with_a_line_a_link(
    cli: Cli, server: Server, registry_at: Callable[[str, str, str], str]
) -> None:
    path = registry_at("/ok", "/ok", "/moved")
    run = cli("--registry", path, "check-links", "--timeout", TIMEOUT)
    base = server.base
    assert run.stdout.splitlines() == [
        f"program\tsource_url\t{base}/ok\t200\t{base}/ok\tok\t",
        f"compare\twebsite\t{base}/ok\t200\t{base}/ok\tok\t",
        f"paper-province\twebsite\t{base}/moved\t200\t{base}/ok\tmoved\tpermanent",
    ]
    assert run.stderr == ""  # no progress bar in a pipe
    assert all(agent.startswith("s3pilot/") for agent in server.seen.agents)


def test_a_dead_or_slow_link_exits_1_with_the_records_and_no_message(
    cli: Cli, server: Server, registry_at: Callable[[str, str, str], str]
) -> None:
    path = registry_at("/500", "/404", "/slow")
    run = cli(
        "check-links", "--registry", path, "--timeout", TIMEOUT, "--format", "json", exit_code=1
    )
    assert run.stderr == ""
    found = json.loads(run.stdout)
    assert [list(record) for record in found] == [
        ["owner", "field", "url", "status", "final_url", "result", "reason"]
    ] * 3  # the contract, as the README gives it
    assert [(r["owner"], r["status"], r["result"], r["reason"]) for r in found] == [
        ("program", 500, "dead", "Internal Server Error"),
        ("compare", 404, "dead", "Not Found"),
        ("paper-province", None, "timeout", found[2]["reason"]),
    ]
    assert found[2]["reason"]


def test_per_host_limits_the_requests_at_once(
    cli: Cli, server: Server, registry_at: Callable[[str, str, str], str]
) -> None:
    path = registry_at("/hold/a", "/hold/b", "/hold/c")
    cli("--registry", path, "check-links", "--per-host", "1", "--format", "csv")
    assert server.seen.most_in_progress == 1
    assert len(server.seen.agents) == 3


def test_a_terminal_sees_a_table_and_a_progress_bar(
    server: Server, registry_at: Callable[[str, str, str], str]
) -> None:
    path = registry_at("/ok", "/404", "/moved")
    screen = in_pty([installed_command(), "--registry", path, "check-links"], columns=120)
    assert screen.returncode == 1
    assert "checking links" in screen.shown  # the bar, drawn on stderr
    assert "Not Found" in screen.shown
    assert "moved" in screen.shown


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--timeout", "0", "--timeout 0.0: give a number of seconds greater than 0"),
        ("--per-host", "0", "--per-host 0: give a whole number, 1 or more"),
    ],
)
def test_a_limit_that_allows_nothing_is_a_usage_error(
    cli: Cli, option: str, value: str, message: str
) -> None:
    run = cli("check-links", option, value, exit_code=2)
    assert run.stderr == f"s3pilot: error: {message}\n"
    assert run.stdout == ""


def test_the_help_gives_the_engine_s_defaults(cli: Cli) -> None:
    shown = " ".join(cli("check-links", "--help", env={"COLUMNS": "200"}).stdout.split())
    assert f"default: {links.TIMEOUT:g}." in shown
    assert f"default: {links.PER_HOST}." in shown
