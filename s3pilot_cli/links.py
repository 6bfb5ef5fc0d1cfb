"""Whether the registry's links still lead somewhere: the engine of `s3pilot check-links`.

It knows nothing of the CLI, prints nothing and imports neither Typer nor Rich; only the
check-links command imports it (it loads urllib, ssl and threads, which no other command
needs). The command, in full:

    from s3pilot_cli import links

    items = links.registry_links(registry)       # (owner, field, url) for every URL
    results = links.check(items, progress=tick)  # one LinkResult per item, in input order
    rows = links.records(results)                # Records, LINK_FIELDS, for table and plain
    code = links.exit_code(results)              # ExitCode.OK, or ExitCode.FAILURE

`check` takes any iterable of `(owner, field, url)` (a `Link` is one), so a caller may check
any list of addresses. Its keyword options, with their
defaults: `timeout=10.0` seconds (to connect, and again to wait for the reply's headers),
`workers=8` requests in flight at once, `per_host=2` of them to any one host name.
`progress`, if given, is called in the calling thread with each `LinkResult` as it is done,
in the order they finish; there are exactly as many calls as items, so a progress bar's total
is `len(items)`, e.g. with Rich:

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("checking", total=len(items))
        results = links.check(items, progress=lambda _: bar.advance(task))

Ctrl-C (a KeyboardInterrupt, in `progress` or while waiting) leaves `check` at once: no new
request starts, and the ones in flight are abandoned (daemon threads), not waited for.

The records, a contract for scripts (add fields at the end, never rename one):

- `owner`: whose link it is: a cluster's id, `program` for the programme, or `regions` for
  the län table.
- `field`: the registry field the URL is in (`website`, `source_url`, `later_url`, `sources`,
  `region_sources`).
- `url`: the URL as the registry gives it.
- `status`: the HTTP status of the last reply (an int), or None when there was none
  (a timeout or an error before any reply, or at a later address of a redirect chain).
- `final_url`: the last address asked: `url` itself when nothing redirected, the end of the
  redirect chain when something did, the address that failed for a timeout or an error.
- `result`: one of `ok` (a 2xx reply at `url` itself), `moved` (a 2xx reply after one or
  more redirects), `dead` (a 4xx or 5xx reply, redirected or not), `timeout` (no reply in
  time), `error` (no usable reply: DNS, TLS, connection refused or reset, a redirect loop,
  too many redirects, an address that is not http(s)).
- `reason`: for `moved`, `permanent` when every redirect was permanent (301, 308) and
  `temporary` otherwise: only a permanent move is a reason to edit the registry. For `dead`,
  the status's standard phrase (`Not Found`); for `timeout` and `error`, what went wrong in a
  few words (`connection refused`, `DNS: Name or service not known`, `redirect loop`). Empty
  for `ok`.

`ok` and `moved` are alive; the command exits 0 when every link is alive, 1 otherwise
(`exit_code`).

Each address is asked with one GET whose body is never read (the connection is closed once
the status line and headers are in), not HEAD first. Servers answer HEAD worse than GET:
some refuse it (405, 501), some say 403 or 404 for a page a browser sees; a HEAD-first check
must then ask again with GET whenever HEAD fails, so its "dead" needs two requests anyway,
while a working link costs one either way. What GET costs over HEAD is whatever part of the
page the server sends before the connection closes, for a few dozen links.
"""

import http.client
import importlib.metadata
import queue
import socket
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from http import HTTPStatus
from typing import Any, NamedTuple

from s3pilot_cli.errors import ExitCode
from s3pilot_cli.model import Registry
from s3pilot_cli.records import Records
from s3pilot_cli.textrules import find_control

LINK_FIELDS = ("owner", "field", "url", "status", "final_url", "result", "reason")

# Defaults of `check`; the command may offer options for the first three.
TIMEOUT = 10.0  # seconds to connect, and again to wait for the reply's headers
WORKERS = 8  # requests in flight at once, over all hosts
PER_HOST = 2  # requests in flight at once to any one host name
# Browsers give up after about 20; a registry's link needs far fewer to be worth editing.
MAX_REDIRECTS = 10

PERMANENT_REDIRECTS = frozenset({301, 308})
PROGRAM_OWNER = "program"
REGIONS_OWNER = "regions"  # the län table's own sources


class Link(NamedTuple):
    """One URL to check, and where it comes from: `owner` (a cluster id, or `program`) and
    the registry `field` that holds it."""

    owner: str
    field: str
    url: str


class Result(StrEnum):
    OK = "ok"
    MOVED = "moved"
    DEAD = "dead"
    TIMEOUT = "timeout"
    ERROR = "error"


ALIVE = frozenset({Result.OK, Result.MOVED})


@dataclass(frozen=True, slots=True)
class LinkResult:
    """What checking one `Link` found; the fields are the records' (module docstring)."""

    owner: str
    field: str
    url: str
    status: int | None
    final_url: str
    result: Result
    reason: str

    @property
    def alive(self) -> bool:
        return self.result in ALIVE


def registry_links(registry: Registry) -> tuple[Link, ...]:
    """The registry's URLs in its own order: the programme's `source_url`, `later_url`,
    `sources` and `events`, the län table's `region_sources` and each län's `s3_url`, then each
    cluster's `website`, `eccp_url`, `sources` and `events` (a field without a URL is left
    out)."""
    program = registry.program
    found = [Link(PROGRAM_OWNER, "source_url", program.source_url)]
    found += _single(PROGRAM_OWNER, "later_url", program.later_url)
    found += [Link(PROGRAM_OWNER, "sources", source.url) for source in program.sources]
    found += [Link(PROGRAM_OWNER, "events", event.url) for event in program.events]
    found += [
        Link(REGIONS_OWNER, "region_sources", source.url) for source in registry.region_sources
    ]
    for region in registry.regions:
        found += _single(REGIONS_OWNER, "s3_url", region.s3_url)
    for cluster in registry.clusters:
        found += _single(cluster.id, "website", cluster.website)
        found += _single(cluster.id, "eccp_url", cluster.eccp_url)
        found += [Link(cluster.id, "sources", source.url) for source in cluster.sources]
        found += [Link(cluster.id, "events", event.url) for event in cluster.events]
    return tuple(found)


def _single(owner: str, field: str, url: str | None) -> list[Link]:
    """The link of a field holding one URL, or none where it is empty."""
    return [Link(owner, field, url)] if url else []


def check(
    links: Iterable[tuple[str, str, str]],
    *,
    timeout: float = TIMEOUT,
    workers: int = WORKERS,
    per_host: int = PER_HOST,
    progress: Callable[[LinkResult], None] | None = None,
) -> list[LinkResult]:
    """Check every link; the results come back in the order the links were given.

    An address given more than once is asked once, and its answer is every such link's.
    At most `workers` requests are in flight, and at most `per_host` to any one host
    (counted per request, so each step of a redirect chain counts against its own host).
    `timeout` bounds the connection and the wait for the reply's headers, each time.
    """
    items = [Link(*item) for item in links]
    by_url: dict[str, list[int]] = {}
    for position, item in enumerate(items):
        by_url.setdefault(item.url, []).append(position)
    results: list[LinkResult | None] = [None] * len(items)
    visit = _Visitor(timeout=timeout, per_host=per_host)
    todo: queue.SimpleQueue[str] = queue.SimpleQueue()
    for url in by_url:
        todo.put(url)
    answers: queue.SimpleQueue[tuple[str, _Answer | BaseException]] = queue.SimpleQueue()

    def work() -> None:
        while not visit.stop.is_set():
            try:
                url = todo.get_nowait()
            except queue.Empty:
                return
            try:
                answers.put((url, visit(url)))
            except BaseException as error:  # a bug: raised again in the calling thread
                answers.put((url, error))
                return

    # Daemon threads, not a ThreadPoolExecutor: Python waits for an executor's threads at
    # exit, so after Ctrl-C the command would sit out every request in flight.
    for _ in range(min(workers, len(by_url))):
        threading.Thread(target=work, name="s3pilot-check-links", daemon=True).start()
    try:
        for _ in by_url:
            url, answer = answers.get()
            if isinstance(answer, BaseException):
                raise answer
            for position in by_url[url]:
                owner, field, _ = items[position]
                done = LinkResult(owner, field, url, *answer)
                results[position] = done
                if progress is not None:
                    progress(done)
    finally:
        visit.stop.set()  # after Ctrl-C or a failure, no new request starts
    return [result for result in results if result is not None]


def records(results: Iterable[LinkResult]) -> Records:
    """The results as rows of LINK_FIELDS, in their order, for the table and plain writers."""
    rows = tuple(
        (r.owner, r.field, r.url, r.status, r.final_url, str(r.result), r.reason) for r in results
    )
    return Records(LINK_FIELDS, rows)


def exit_code(results: Iterable[LinkResult]) -> ExitCode:
    """OK when every link is alive (`ok` or `moved`), FAILURE (1) when any is not."""
    return ExitCode.OK if all(result.alive for result in results) else ExitCode.FAILURE


def user_agent() -> str:
    """`s3pilot/VERSION (...)`: who is asking, so a site's owner can tell what it is."""
    try:
        number = importlib.metadata.version("s3pilot")
    except importlib.metadata.PackageNotFoundError:
        from s3pilot_cli import __version__ as number
    return f"s3pilot/{number} (check-links of s3pilot, the registry of S3-piloten's clusters)"


# --- Asking one address ----------------------------------------------------------------------


class _Answer(NamedTuple):
    status: int | None
    final_url: str
    result: Result
    reason: str


class _HostSlots:
    """At most `limit` requests at once to each host name."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self._limit))
        with slot:
            yield


class _Visitor:
    """Follows one address's redirects, one GET per address, and says what it found."""

    def __init__(self, *, timeout: float, per_host: int) -> None:
        self.timeout = timeout
        self.stop = threading.Event()
        self._hosts = _HostSlots(per_host)
        self._agent = user_agent()
        # No redirect handler (redirects are followed here, step by step, to tell a permanent
        # move from a temporary one and to see loops) and no error processor (a 404 is an
        # answer, not an exception). Only http and https: never file:, ftp: or data:.
        self._opener = urllib.request.OpenerDirector()
        for handler in (
            urllib.request.ProxyHandler(),
            urllib.request.HTTPHandler(),
            urllib.request.HTTPSHandler(context=ssl.create_default_context()),
        ):
            self._opener.add_handler(handler)

    def __call__(self, url: str) -> _Answer:
        """Ask `url`, then each address it redirects to, until one gives an answer."""
        seen = {url}
        redirects: list[int] = []
        current = url
        while not isinstance(step := self._step(current, redirects), _Answer):
            status, target = step
            problem = (
                "redirect loop"
                if target in seen
                else f"more than {MAX_REDIRECTS} redirects"
                if len(redirects) == MAX_REDIRECTS
                else None
            )
            if problem is not None:
                return _Answer(status, current, Result.ERROR, problem)
            seen.add(target)
            redirects.append(status)
            current = target
        return step

    def _step(self, url: str, redirects: list[int]) -> _Answer | tuple[int, str]:
        """Ask one address: the answer, or the redirect's status and its target."""
        host = _host(url)
        if host is None:
            return _Answer(None, url, Result.ERROR, "not an http(s) address")
        with self._hosts.slot(host):
            if self.stop.is_set():  # set while this one waited for its host
                return _Answer(None, url, Result.ERROR, "interrupted")
            reply = self._ask(url)
        if isinstance(reply, _Answer):
            return reply
        status, location = reply
        if 300 <= status < 400 and location is not None:
            if find_control(location):  # it would reach the terminal in `final_url`
                return _Answer(
                    status, url, Result.ERROR, "a redirect to an address with a control character"
                )
            return status, urllib.parse.urljoin(url, location)
        return _final(status, url, redirects)

    def _ask(self, url: str) -> tuple[int, str | None] | _Answer:
        """The status and Location of one GET, its body unread; or why there is none."""
        try:
            # S310: the address's scheme is http or https (_host), and the opener has no other.
            request = urllib.request.Request(  # noqa: S310
                _ascii(url), headers={"User-Agent": self._agent}, method="GET"
            )
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.status, _utf8(response.headers.get("Location"))
        # urllib wraps what fails while connecting in a URLError and lets what fails while
        # waiting for the reply through as it is.
        except urllib.error.URLError as error:
            return _failure(url, error.reason, self.timeout)
        except (OSError, http.client.HTTPException, ValueError) as error:
            return _failure(url, error, self.timeout)


def _utf8(header: str | None) -> str | None:
    """A header as its sender most likely meant it: http.client reads every header as
    Latin-1, but servers that send a non-ASCII Location send UTF-8 (`/fÃ¶r` → `/för`)."""
    if header is None or header.isascii():
        return header
    try:
        return header.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return header


def _host(url: str) -> str | None:
    """The host name of an http(s) address, in lower case; None for any other."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
        _ = parts.port  # a bad port raises ValueError here, not in the middle of a request
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return host


def _final(status: int, url: str, redirects: list[int]) -> _Answer:
    if status >= 400:
        return _Answer(status, url, Result.DEAD, _phrase(status))
    if 300 <= status < 400:
        return _Answer(status, url, Result.ERROR, "a redirect without a Location")
    if not 200 <= status < 300:
        return _Answer(status, url, Result.ERROR, f"unexpected status {status}")
    if not redirects:
        return _Answer(status, url, Result.OK, "")
    permanent = all(code in PERMANENT_REDIRECTS for code in redirects)
    return _Answer(status, url, Result.MOVED, "permanent" if permanent else "temporary")


def _failure(url: str, cause: object, timeout: float) -> _Answer:
    """A timeout or an error, with the reason in a few words."""
    if isinstance(cause, TimeoutError):
        return _Answer(None, url, Result.TIMEOUT, f"no reply within {timeout:g} s")
    return _Answer(None, url, Result.ERROR, _reason(cause))


def _reason(cause: object) -> str:
    # The first kind `cause` is that has a reason to give (an OSError may have no strerror).
    reasons: tuple[tuple[type[BaseException], Callable[[Any], str]], ...] = (
        (socket.gaierror, lambda cause: f"DNS: {cause.strerror or cause}"),
        (ConnectionRefusedError, lambda _: "connection refused"),
        (ConnectionResetError, lambda _: "connection closed without a reply"),  # RemoteDisconnected
        (ssl.SSLCertVerificationError, lambda cause: f"TLS: {cause.verify_message}"),
        (ssl.SSLError, lambda cause: f"TLS: {cause.reason or cause}"),
        (http.client.HTTPException, lambda cause: f"not an HTTP reply ({type(cause).__name__})"),
        (OSError, lambda cause: cause.strerror),
        (ValueError, lambda _: "not a valid address"),
    )
    for kind, reason in reasons:
        if isinstance(cause, kind) and (said := reason(cause)):
            return said
    return str(cause) or type(cause).__name__


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"status {status}"


def _ascii(url: str) -> str:
    """The address as it goes on the wire: the host in IDNA, the rest percent-encoded
    (`https://exempel.se/för` → `https://exempel.se/f%C3%B6r`); an ASCII address unchanged."""
    if url.isascii():
        return url
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = host.encode("idna").decode("ascii")
    if parts.port is not None:
        netloc += f":{parts.port}"
    if "@" in parts.netloc:
        netloc = parts.netloc.rpartition("@")[0] + "@" + netloc
    safe = "/:;=?&@!$'()*+,~%"
    return urllib.parse.urlunsplit(
        (
            parts.scheme,
            netloc,
            urllib.parse.quote(parts.path, safe=safe),
            urllib.parse.quote(parts.query, safe=safe),
            "",
        )
    )
