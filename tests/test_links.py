"""The engine of `s3pilot check-links`, against a local HTTP server the tests start.

Nothing here leaves 127.0.0.1: the server runs in a thread on a port the system picks, and a
refused connection is a port that was just closed.
"""

import inspect
import re
import socket
import subprocess
import sys
import threading
import time
import tomllib

import pytest

import s3pilot_cli
from s3pilot_cli import links
from s3pilot_cli.links import Link, LinkResult, Result
from tests.conftest import BUNDLED, Server, imported_by

TIMEOUT = 0.3  # a reply later than this is a timeout; every other reply is immediate

pytestmark = pytest.mark.usefixtures("no_proxy")  # also for tests without the server


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: it was bound a moment ago, then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def check_one(url: str) -> LinkResult:
    [result] = links.check([("a-cluster", "website", url)], timeout=TIMEOUT)
    return result


# --- What each kind of reply is ---------------------------------------------------------------


def test_a_page_that_answers_is_ok(server: Server) -> None:
    result = check_one(server.url("/ok"))
    assert result == LinkResult(
        "a-cluster", "website", server.url("/ok"), 200, server.url("/ok"), Result.OK, ""
    )
    assert result.alive


def test_a_chain_of_301_then_302_is_a_temporary_move_to_its_end(server: Server) -> None:
    result = check_one(server.url("/301"))
    assert (result.result, result.reason) == (Result.MOVED, "temporary")
    assert (result.status, result.final_url) == (200, server.url("/ok"))
    assert result.alive
    assert server.seen.paths() == ["/301", "/302", "/ok"]


def test_a_chain_of_301_then_308_is_a_permanent_move(server: Server) -> None:
    result = check_one(server.url("/perm"))
    assert (result.result, result.reason) == (Result.MOVED, "permanent")
    assert (result.status, result.final_url) == (200, server.url("/ok"))


def test_a_relative_location_is_resolved_against_the_address_that_gave_it(
    server: Server,
) -> None:
    result = check_one(server.url("/relative/here"))
    assert (result.result, result.final_url) == (Result.MOVED, server.url("/ok"))


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [("/404", 404, "Not Found"), ("/500", 500, "Internal Server Error")],
)
def test_4xx_and_5xx_are_dead(server: Server, path: str, status: int, reason: str) -> None:
    result = check_one(server.url(path))
    assert (result.status, result.result, result.reason) == (status, Result.DEAD, reason)
    assert result.final_url == server.url(path)
    assert not result.alive


def test_a_redirect_to_a_dead_page_is_dead_at_its_end(server: Server) -> None:
    result = check_one(server.url("/to-404"))
    assert (result.status, result.final_url, result.result) == (
        404,
        server.url("/404"),
        Result.DEAD,
    )


def test_a_reply_later_than_the_timeout_is_a_timeout(server: Server) -> None:
    started = time.monotonic()
    result = check_one(server.url("/slow"))
    assert time.monotonic() - started < 3 * TIMEOUT
    assert (result.status, result.result) == (None, Result.TIMEOUT)
    assert result.reason == "no reply within 0.3 s"
    assert result.final_url == server.url("/slow")


def test_the_body_is_never_read(server: Server) -> None:
    """The reply's body stalls after its first bytes; a check that read it would time out."""
    started = time.monotonic()
    result = check_one(server.url("/endless"))
    assert (result.status, result.result) == (200, Result.OK)
    assert time.monotonic() - started < TIMEOUT


def test_a_redirect_without_a_location_is_an_error(server: Server) -> None:
    result = check_one(server.url("/no-location"))
    assert (result.status, result.result, result.reason) == (
        302,
        Result.ERROR,
        "a redirect without a Location",
    )


def test_a_closed_port_is_a_refused_connection() -> None:
    url = f"http://127.0.0.1:{closed_port()}/"
    result = check_one(url)
    assert (result.status, result.result, result.reason) == (
        None,
        Result.ERROR,
        "connection refused",
    )


def test_a_server_that_hangs_up_is_an_error(server: Server) -> None:
    result = check_one(server.url("/hangup"))
    assert (result.result, result.reason) == (Result.ERROR, "connection closed without a reply")


def test_tls_to_a_plain_http_server_is_a_tls_error(server: Server) -> None:
    result = check_one(server.url("/ok").replace("http://", "https://"))
    assert result.result == Result.ERROR
    assert result.reason.startswith("TLS: "), result.reason


def test_a_page_that_refuses_head_is_ok_since_the_check_asks_with_get(server: Server) -> None:
    result = check_one(server.url("/head-405"))
    assert (result.status, result.result) == (200, Result.OK)
    assert [method for method, _, _ in server.seen.requests] == ["GET"]


def test_a_redirect_loop_is_an_error_and_asks_each_address_once(server: Server) -> None:
    result = check_one(server.url("/loop-a"))
    assert (result.status, result.result, result.reason) == (302, Result.ERROR, "redirect loop")
    assert result.final_url == server.url("/loop-b")
    assert server.seen.paths() == ["/loop-a", "/loop-b"]


def test_a_long_chain_stops_after_the_limit(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(links, "MAX_REDIRECTS", 1)
    result = check_one(server.url("/301"))
    assert (result.result, result.reason) == (Result.ERROR, "more than 1 redirects")
    assert result.final_url == server.url("/302")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/", "mailto:a@b.se"])
def test_only_http_and_https_are_asked(url: str) -> None:
    result = check_one(url)
    assert (result.status, result.result, result.reason) == (
        None,
        Result.ERROR,
        "not an http(s) address",
    )


def test_a_redirect_to_a_file_is_not_followed(server: Server) -> None:
    result = check_one(server.url("/to-file"))
    assert (result.final_url, result.result) == ("file:///etc/passwd", Result.ERROR)


def test_a_non_ascii_path_is_sent_percent_encoded(server: Server) -> None:
    result = check_one(server.url("/för"))
    assert (result.result, result.final_url) == (Result.OK, server.url("/för"))
    assert server.seen.paths() == ["/f%C3%B6r"]


def test_a_utf8_location_is_read_as_utf8(server: Server) -> None:
    result = check_one(server.url("/to-utf8"))
    assert (result.result, result.final_url) == (Result.MOVED, server.url("/för"))
    assert server.seen.paths() == ["/to-utf8", "/f%C3%B6r"]


def test_a_redirect_to_a_control_character_is_not_followed(server: Server) -> None:
    result = check_one(server.url("/to-escape"))
    assert (result.status, result.final_url, result.result) == (
        302,
        server.url("/to-escape"),
        Result.ERROR,
    )
    assert server.seen.paths() == ["/to-escape"]


def test_a_redirect_to_a_character_that_draws_nothing_is_not_followed(server: Server) -> None:
    result = check_one(server.url("/to-soft-hyphen"))
    assert (result.status, result.result, result.reason) == (
        302,
        Result.ERROR,
        "a redirect to an address with a control character",
    )
    assert server.seen.paths() == ["/to-soft-hyphen"]


def test_a_dns_failure_says_so() -> None:
    """No name lookup without the network: the reason given for the resolver's own error."""
    failure = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    assert links._reason(failure) == "DNS: Name or service not known"


# --- How the check runs -------------------------------------------------------------------------


def test_the_user_agent_names_s3pilot_its_version_and_the_project(server: Server) -> None:
    check_one(server.url("/ok"))
    [(_, _, agent)] = server.seen.requests
    assert agent.startswith(f"s3pilot/{s3pilot_cli.__version__} (")
    assert "S3-piloten" in agent


def test_no_more_than_per_host_requests_reach_one_host_at_once(server: Server) -> None:
    urls = [server.url(f"/hold/0.1/{n}") for n in range(6)]
    results = links.check([("c", "website", url) for url in urls], timeout=2, workers=6, per_host=2)
    assert [r.result for r in results] == [Result.OK] * 6
    assert server.seen.most_in_progress == 2


def test_no_more_than_workers_requests_are_in_flight_at_once(server: Server) -> None:
    urls = [server.url(f"/hold/0.1/{n}") for n in range(6)]
    links.check([("c", "website", url) for url in urls], timeout=2, workers=3, per_host=6)
    assert server.seen.most_in_progress == 3


def test_the_limit_is_per_host_name(server: Server) -> None:
    """127.0.0.1 and localhost are two names (one server): one request each at once."""
    port = server.base.rsplit(":", 1)[1]
    urls = [
        f"http://{host}:{port}/hold/0.1/{n}"
        for n in range(3)
        for host in ("127.0.0.1", "localhost")
    ]
    results = links.check([("c", "website", url) for url in urls], timeout=2, workers=6, per_host=1)
    assert [r.result for r in results] == [Result.OK] * 6
    assert server.seen.most_in_progress == 2


def test_results_come_in_input_order_and_progress_in_finishing_order(server: Server) -> None:
    slow, fast = server.url("/hold/0.2/slow"), server.url("/ok")
    items = [Link("first", "website", slow), Link("second", "website", fast)]
    reported: list[tuple[str, str]] = []

    def progress(result: LinkResult) -> None:
        reported.append((result.owner, threading.current_thread().name))

    results = links.check(items, timeout=2, progress=progress)
    assert [r.owner for r in results] == ["first", "second"]
    main = threading.current_thread().name
    assert reported == [("second", main), ("first", main)]


def test_an_address_given_twice_is_asked_once_and_answers_both(server: Server) -> None:
    url = server.url("/ok")
    items = [
        ("program", "source_url", url),
        ("a", "website", server.url("/404")),
        ("b", "website", url),
    ]
    calls: list[str] = []
    results = links.check(items, timeout=TIMEOUT, progress=lambda r: calls.append(r.owner))
    assert [(r.owner, r.field, r.result) for r in results] == [
        ("program", "source_url", Result.OK),
        ("a", "website", Result.DEAD),
        ("b", "website", Result.OK),
    ]
    assert sorted(server.seen.paths()) == ["/404", "/ok"]
    assert sorted(calls) == ["a", "b", "program"]


def test_nothing_to_check_is_nothing_checked() -> None:
    assert links.check([]) == []


# --- What the command makes of the results --------------------------------------------------------


def result(kind: Result) -> LinkResult:
    return LinkResult("c", "website", "https://example.org", None, "https://example.org", kind, "")


@pytest.mark.parametrize(
    ("kinds", "code"),
    [
        ([], 0),
        ([Result.OK], 0),
        ([Result.OK, Result.MOVED], 0),
        ([Result.OK, Result.DEAD], 1),
        ([Result.MOVED, Result.TIMEOUT], 1),
        ([Result.ERROR], 1),
    ],
)
def test_the_exit_code_is_0_when_every_link_is_alive_and_1_otherwise(
    kinds: list[Result], code: int
) -> None:
    assert links.exit_code([result(kind) for kind in kinds]) == code


def test_the_records_have_the_documented_fields(server: Server) -> None:
    results = links.check(
        [("program", "source_url", server.url("/perm")), ("x", "website", server.url("/slow"))],
        timeout=TIMEOUT,
    )
    rows = links.records(results)
    # Typed from the module's docstring, the contract scripts read, not from LINK_FIELDS.
    assert rows.fields == ("owner", "field", "url", "status", "final_url", "result", "reason")
    assert rows.objects() == [
        {
            "owner": "program",
            "field": "source_url",
            "url": server.url("/perm"),
            "status": 200,
            "final_url": server.url("/ok"),
            "result": "moved",
            "reason": "permanent",
        },
        {
            "owner": "x",
            "field": "website",
            "url": server.url("/slow"),
            "status": None,
            "final_url": server.url("/slow"),
            "result": "timeout",
            "reason": "no reply within 0.3 s",
        },
    ]


def test_the_module_docstring_gives_the_defaults_of_check() -> None:
    doc = links.__doc__ or ""
    parameters = inspect.signature(links.check).parameters
    for name in ("timeout", "workers", "per_host"):
        assert f"`{name}={parameters[name].default!r}`" in doc, name


def test_the_module_docstring_names_every_result() -> None:
    doc = links.__doc__ or ""
    for kind in Result:
        assert re.search(rf"`{kind}` \(", doc), kind


def _urls(value: object) -> list[str]:
    """Every string in a TOML document that is a web address, wherever it stands."""
    if isinstance(value, dict):
        return [url for item in value.values() for url in _urls(item)]
    if isinstance(value, list):
        return [url for item in value for url in _urls(item)]
    return [value] if isinstance(value, str) and value.startswith(("http://", "https://")) else []


def test_the_registry_links_are_every_web_address_in_the_file() -> None:
    """Read from the bundled file by tomllib, not by s3pilot's own reader (every website
    and source URL)."""
    with BUNDLED.open("rb") as file:
        raw = tomllib.load(file)
    found = [tuple(link) for link in links.registry_links(s3pilot_cli.load(BUNDLED))]
    assert sorted(url for _, _, url in found) == sorted(_urls(raw))
    program = raw["program"]
    assert found[:2] == [
        ("program", "source_url", program["source_url"]),
        ("program", "later_url", program["later_url"]),
    ]
    clusters = [
        (cluster["id"], field, url)
        for cluster in raw["clusters"]
        for field, url in [
            *([("website", cluster["website"])] if "website" in cluster else []),
            *([("eccp_url", cluster["eccp_url"])] if "eccp_url" in cluster else []),
            *(("sources", source["url"]) for source in cluster.get("sources", [])),
            *(("events", event["url"]) for event in cluster.get("events", [])),
        ]
    ]
    assert [link for link in found if link[0] not in ("program", "regions")] == clusters
    assert [link for link in found if link[0] == "regions"] == [
        *(("regions", "region_sources", source["url"]) for source in raw["region_sources"]),
        *(("regions", "s3_url", r["s3_url"]) for r in raw["regions"] if "s3_url" in r),
    ]
    assert ("program", "events", program["events"][0]["url"]) in found
    assert len(found) > 60  # most clusters have a website and several sources


@pytest.mark.parametrize("args", [["list"], ["list", "--format", "csv"], ["info"]])
def test_other_commands_load_neither_the_check_nor_urllib(args: list[str]) -> None:
    modules = imported_by(*args)
    for module in ("s3pilot_cli.links", "urllib.request", "http.client", "ssl"):
        assert module not in modules, f"s3pilot {' '.join(args)} imports {module}"


INTERRUPTED = """
import socket, sys
from s3pilot_cli import links

listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen()  # accepts, and never answers
port = listener.getsockname()[1]

def interrupt(result):
    raise KeyboardInterrupt  # as Ctrl-C does, while the progress bar is drawn

items = [("a", "website", "file:///done-at-once")]
items += [("b", "website", f"http://127.0.0.1:{port}/{n}") for n in range(4)]
links.check(items, timeout=30, progress=interrupt)
"""


def test_ctrl_c_ends_the_check_without_waiting_for_the_requests_in_flight() -> None:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED], capture_output=True, text=True, timeout=20, check=False
    )
    assert "KeyboardInterrupt" in done.stderr
    assert time.monotonic() - started < 10  # not the 30 s the requests in flight could take


# --- Servers and redirects that misbehave -----------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/to-open-bracket", "/to-open-bracket-relative", "/to-fullwidth-hash", "/to-account-of"],
)
def test_a_redirect_to_an_address_nobody_can_read_is_one_error_and_the_run_goes_on(
    server: Server, path: str
) -> None:
    first, second = links.check(
        [("a", "website", server.url(path)), ("b", "website", server.url("/ok"))],
        timeout=TIMEOUT,
    )
    assert (first.status, first.result) == (302, Result.ERROR)
    assert first.final_url == server.url(path)
    assert first.reason == "a redirect to an address that is not valid"
    assert second.result == Result.OK


def test_an_empty_location_is_a_redirect_without_one_not_a_loop(server: Server) -> None:
    result = check_one(server.url("/to-empty"))
    assert (result.status, result.result, result.reason) == (
        302,
        Result.ERROR,
        "a redirect without a Location",
    )


def test_a_redirect_to_an_address_with_a_password_is_not_followed(server: Server) -> None:
    result = check_one(server.url("/to-credentials"))
    assert (result.result, result.reason) == (
        Result.ERROR,
        "an address with a user name or password",
    )
    assert server.seen.paths() == ["/to-credentials"]


@pytest.mark.parametrize("path", ["/continue", "/drip"])
def test_the_timeout_is_a_deadline_for_the_whole_reply_not_for_each_piece(
    server: Server, path: str
) -> None:
    """A server that keeps sending a little (a 100 Continue, or a header byte) every half
    second, and never ends its headers: it replied, but never finally."""
    started = time.monotonic()
    [result] = links.check([("a", "website", server.url(path))], timeout=0.75)
    assert time.monotonic() - started < 1.5
    assert (result.status, result.result, result.reason) == (
        None,
        Result.TIMEOUT,
        "no final reply within 0.75 s",
    )


def test_the_timeout_bounds_the_name_look_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """A resolver that never answers (no network, a DNS server that drops every question):
    thirty host names, eight requests at once, and the run still ends at about one timeout,
    since every look-up starts at once and each counts its time from its own start."""
    never = threading.Event()

    def stuck(*args: object, **kwargs: object) -> object:
        never.wait(10)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", stuck)
    items = [("c", "website", f"https://host-{n}.example/") for n in range(30)]
    started = time.monotonic()
    try:
        results = links.check(items, timeout=0.5, workers=8)
    finally:
        never.set()
    assert time.monotonic() - started < 2.5
    assert {(r.status, r.result, r.reason) for r in results} == {
        (None, Result.TIMEOUT, "DNS: no answer within 0.5 s")
    }
    assert links.summary(results) == (
        "30 links checked: 0 ok, 0 moved, 0 dead, 30 without a usable reply; no network?"
        " every name look-up failed"
    )


def test_a_host_is_looked_up_once(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[object] = []
    real = socket.getaddrinfo

    def counting(host: str, *args: object, **kwargs: object) -> object:
        asked.append(host)
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    links.check([("c", "website", server.url(f"/ok?{n}")) for n in range(5)], timeout=2)
    assert asked == ["127.0.0.1"]


def test_the_summary_counts_each_kind() -> None:
    kinds = [Result.OK, Result.OK, Result.MOVED, Result.DEAD, Result.TIMEOUT, Result.ERROR]
    assert links.summary([result(kind) for kind in kinds]) == (
        "6 links checked: 2 ok, 1 moved, 1 dead, 2 without a usable reply"
    )


# --- Redirects into the user's own network ------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
        ("127.0.0.1", False),  # loopback
        ("10.0.0.1", False),  # private networks
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # link-local: a cloud machine's metadata service
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),  # noqa: S104 (an address to judge, not to bind)
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4 loopback, as IPv6 writes it
        ("::ffff:10.0.0.1", False),
        ("fe80::1%eth0", False),  # with its zone, as getaddrinfo gives it
    ],
)
def test_the_public_address_rule(address: str, public: bool) -> None:
    assert links.is_public(address) is public


def test_a_redirect_from_a_public_address_to_a_private_one_is_not_followed(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test server is on 127.0.0.1, so the rule is told that 127.0.0.1 is public, and
    the redirect leads to 127.0.0.2."""
    monkeypatch.setattr(links, "is_public", lambda address: address == "127.0.0.1")
    result = check_one(server.url("/to-private"))
    assert (result.status, result.final_url, result.result) == (
        None,
        "http://127.0.0.2:9/admin",
        Result.BLOCKED,
    )
    assert result.reason == "a redirect from a public address to a private one (127.0.0.2)"
    assert not result.alive


def test_a_redirect_from_a_private_address_is_followed(server: Server) -> None:
    """A registry's own local URL is checked, and so is where it leads."""
    result = check_one(server.url("/to-private"))
    assert (result.result, result.reason) == (Result.ERROR, "connection refused")
    assert result.final_url == "http://127.0.0.2:9/admin"


# --- Addresses as they go on the wire -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "wire"),
    [
        ("http://[::1]/ö", "http://[::1]/%C3%B6"),
        ("http://[::1]:8080/ö", "http://[::1]:8080/%C3%B6"),
        ("https://faß.de/", "https://xn--fa-hia.de/"),  # IDNA 2008, as browsers
        ("https://räksmörgås.se/för?å=1", "https://xn--rksmrgs-5wao1o.se/f%C3%B6r?%C3%A5=1"),
    ],
)
def test_the_address_on_the_wire(url: str, wire: str) -> None:
    assert links._ascii(url) == wire
