"""Whether the registry's links still lead somewhere: the engine of `s3pilot check-links`.

It knows nothing of the CLI, prints nothing and imports neither Typer nor Rich; only the
check-links command imports it (it loads urllib, ssl and threads, which no other command
needs). The command, in full:

    from s3pilot_cli import links

    items = links.registry_links(registry)       # (owner, field, url) for every URL
    results = links.check(items, progress=tick)  # one LinkResult per item, in input order
    rows = links.records(results)                # Records, LINK_FIELDS, for table and plain
    code = links.exit_code(results)              # ExitCode.OK, or ExitCode.FAILURE
    line = links.summary(results)                # for the person at a terminal

`check` takes any iterable of `(owner, field, url)` (a `Link` is one), so a caller may check
any list of addresses. Its keyword options, with their defaults: `timeout=10.0` seconds (each
link's deadline, from the name look-up to the last reply's headers, over every redirect),
`workers=8` requests in flight at once, `per_host=2` of them to any one host name. Each host
name is looked up once, in a thread of its own (the first LOOKUPS of them at once, at the
start), since getaddrinfo cannot be interrupted: a look-up that never answers costs a link
its deadline, never more. `progress`, if given, is called in the calling thread with each
`LinkResult` as it is done, in the order they finish; there are exactly as many calls as
items, so a progress bar's total is `len(items)` (links_terminal.py draws one).

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
  too many redirects, an address that is not http(s) or holds a user name or password),
  `blocked` (a redirect from a public address to one that is not: loopback, private,
  link-local; `is_public`), not followed.
- `reason`: for `moved`, `permanent` when every redirect was permanent (301, 308) and
  `temporary` otherwise: only a permanent move is a reason to edit the registry. For `dead`,
  the status's standard phrase (`Not Found`); for `timeout`, `error` and `blocked`, what went
  wrong in a few words (`connection refused`, `DNS: Name or service not known`, `redirect
  loop`; every reason of the name look-up starts with `DNS: `). Empty for `ok`.

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
import io
import queue
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from http import HTTPStatus
from typing import Any, NamedTuple

from s3pilot_cli.errors import ExitCode
from s3pilot_cli.i18n import N_
from s3pilot_cli.model import Registry
from s3pilot_cli.records import Records, Value
from s3pilot_cli.textrules import find_control

LINK_FIELDS = ("owner", "field", "url", "status", "final_url", "result", "reason")

# Defaults of `check`; the command may offer options for the first three.
TIMEOUT = 10.0  # seconds for one link: name look-ups, connections and replies' headers, in all
# The largest timeout: an hour is longer than any link deserves, and far below what the
# clocks of sockets and threads can count (1e10 seconds overflows them).
MAX_TIMEOUT = 3600.0
WORKERS = 8  # requests in flight at once, over all hosts
PER_HOST = 2  # requests in flight at once to any one host name
LOOKUPS = 64  # name look-ups started at once, ahead of the requests that need them
# Browsers give up after about 20; a registry's link needs far fewer to be worth editing.
MAX_REDIRECTS = 10

PERMANENT_REDIRECTS = frozenset({301, 308})
PROGRAM_OWNER = "program"
REGIONS_OWNER = "regions"  # the län table's own sources
OWNERS = (PROGRAM_OWNER, REGIONS_OWNER)  # not a cluster's id: a Swedish table names them


# Every reason a record gives, as its template: the records keep the English byte for byte, in
# every language; a table for people says it in theirs (`in_words`), from the catalogue. The
# most particular first, where two could read the same text (`DNS: no answer …`, `DNS: …`).
PERMANENT = N_("permanent")
TEMPORARY = N_("temporary")
DNS_NO_ANSWER = N_("DNS: no answer within {seconds} s")
DNS_FAILED = N_("DNS: {system}")  # the resolver's own words
NO_REPLY = N_("no reply within {seconds} s")
NO_FINAL_REPLY = N_("no final reply within {seconds} s")  # only 1xx, or part of the headers
REFUSED = N_("connection refused")
CLOSED = N_("connection closed without a reply")
TLS_FAILED = N_("TLS: {system}")  # the TLS library's own words
NOT_HTTP = N_("not an HTTP reply ({kind})")
NOT_VALID = N_("not a valid address")
NOT_WEB = N_("not an http(s) address")
CREDENTIALS = N_("an address with a user name or password")
INTERRUPTED = N_("interrupted")
LOOP = N_("redirect loop")
TOO_MANY = N_("more than {count} redirects")
TO_CONTROL = N_("a redirect to an address with a control character")
TO_INVALID = N_("a redirect to an address that is not valid")
NO_LOCATION = N_("a redirect without a Location")
UNEXPECTED = N_("unexpected status {status}")
TO_PRIVATE = N_("a redirect from a public address to a private one ({address})")
REASONS = (
    PERMANENT, TEMPORARY, DNS_NO_ANSWER, DNS_FAILED, NO_REPLY, NO_FINAL_REPLY, REFUSED, CLOSED,
    TLS_FAILED, NOT_HTTP, NOT_VALID, NOT_WEB, CREDENTIALS, INTERRUPTED, LOOP, TOO_MANY,
    TO_CONTROL, TO_INVALID, NO_LOCATION, UNEXPECTED, TO_PRIVATE,
)  # fmt: skip


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
    BLOCKED = "blocked"


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
    `timeout` is each link's deadline: from the name look-up to the last reply's headers,
    over every redirect, not counting the waits for a host's turn.
    """
    items = [Link(*item) for item in links]
    by_url: dict[str, list[int]] = {}
    for position, item in enumerate(items):
        by_url.setdefault(item.url, []).append(position)
    results: list[LinkResult | None] = [None] * len(items)
    visit = _Visitor(timeout=timeout, per_host=per_host)
    visit.names.ahead(by_url, LOOKUPS)
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


def in_words(found: Records, lang: str) -> Records:
    """`found` with each result and reason, and the owners that are no cluster (`program`),
    in `lang`'s words: for a table, for people. What
    the system said (a resolver's or TLS library's words, an HTTP status's phrase) stays as
    it is, in a Swedish frame where s3pilot gives one (`namnuppslagningen misslyckades: …`)."""
    from s3pilot_cli.i18n import DECIMAL_MARK, Language, catalogue

    if lang == Language.EN:
        return found
    words = catalogue(lang)
    result, reason = found.fields.index("result"), found.fields.index("reason")
    owner = found.fields.index("owner")

    def row_in_words(row: tuple[Value, ...]) -> tuple[Value, ...]:
        said = list(row)
        if row[owner] in OWNERS:
            said[owner] = words.pgettext("owner", str(row[owner]))
        said[result] = words.pgettext("result", str(row[result]))
        said[reason] = _reason_in_words(
            str(row[reason] or ""), words.gettext, DECIMAL_MARK[Language(lang)]
        )
        return tuple(said)

    return found._replace(rows=tuple(row_in_words(row) for row in found.rows))


def _reason_in_words(reason: str, gettext: Callable[[str], str], decimal_mark: str) -> str:
    """`reason` in the catalogue's words: the first template it is written by, filled with
    what it was filled with (seconds with the language's decimal mark: `0,75 s`)."""
    import re

    for template in REASONS:
        pattern = "".join(
            f"(?P<{part[1:-1]}>.+)" if part.startswith("{") else re.escape(part)
            for part in re.split(r"(\{\w+\})", template)
        )
        if found := re.fullmatch(pattern, reason):
            values = found.groupdict()
            if "seconds" in values:
                values["seconds"] = values["seconds"].replace(".", decimal_mark)
            return gettext(template).format(**values)
    return reason


def exit_code(results: Iterable[LinkResult]) -> ExitCode:
    """OK when every link is alive (`ok` or `moved`), FAILURE (1) when any is not."""
    return ExitCode.OK if all(result.alive for result in results) else ExitCode.FAILURE


def summary(results: Sequence[LinkResult]) -> str:
    """One line for the person at the terminal: how many links were ok, moved, dead, or gave
    no usable reply; and `no network?` when every one failed at the name look-up."""
    from s3pilot_cli.i18n import _, ngettext

    count = Counter(result.result for result in results)
    ok, moved, dead = count[Result.OK], count[Result.MOVED], count[Result.DEAD]
    line = ngettext(
        "{count} link checked: {ok} ok, {moved} moved, {dead} dead, {other} without a usable reply",
        "{count} links checked: {ok} ok, {moved} moved, {dead} dead,"
        " {other} without a usable reply",
        len(results),
    ).format(
        count=len(results), ok=ok, moved=moved, dead=dead, other=len(results) - ok - moved - dead
    )
    if results and all(result.reason.startswith(DNS) for result in results):
        line += "; " + _("no network? every name look-up failed")
    return line


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


class _Redirect(NamedTuple):
    status: int
    target: str
    public: bool  # whether the address that redirected is on the public internet


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


class _NoAnswer(TimeoutError):
    """The name look-up gave no answer in time."""


class _NotPublic(OSError):
    """A redirect from a public address led to one that is not (`is_public`)."""

    def __init__(self, address: str) -> None:
        super().__init__(address)
        self.address = address


class _Lookup:
    """One host name's look-up, in a thread of its own: getaddrinfo cannot be interrupted, so
    whoever needs its answer waits only until a deadline, and the thread is left behind."""

    def __init__(self, host: str, port: int) -> None:
        self.done = threading.Event()
        self.started = time.monotonic()
        self.found: list[tuple[Any, ...]] = []
        self.error: tuple[int, str] | None = None
        threading.Thread(
            target=self._run, args=(host, port), name="s3pilot-look-up", daemon=True
        ).start()

    def _run(self, host: str, port: int) -> None:
        try:
            self.found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as error:  # gaierror, or an OSError of the system's resolver
            self.error = (error.errno or 0, error.strerror or str(error))
        except UnicodeError:  # a label too long for the resolver
            self.error = (socket.EAI_NONAME, "not a valid host name")
        finally:
            self.done.set()


class _Names:
    """The run's name look-ups: each host name and port once, however many links it serves.
    Each look-up's time counts from its own start, so those started together at the
    beginning (`ahead`) all end within one timeout, even where none of them ever answers."""

    def __init__(self, timeout: float) -> None:
        self._timeout = timeout
        self._lock = threading.Lock()
        self._lookups: dict[tuple[str, int], _Lookup] = {}

    def ahead(self, urls: Iterable[str], limit: int) -> None:
        """Start the look-ups of the first `limit` host names among `urls` now."""
        for url in urls:
            if len(self._lookups) >= limit:
                return
            if (address := _address(url)) is not None:
                self._lookup(*address)

    def _lookup(self, host: str, port: int) -> _Lookup:
        with self._lock:
            found = self._lookups.get((host, port))
            if found is None:
                found = self._lookups[(host, port)] = _Lookup(host, port)
        return found

    def addresses(self, host: str, port: int, deadline: float) -> list[tuple[Any, ...]]:
        """What `host` resolves to; _NoAnswer when the look-up's time or `deadline` ends first."""
        lookup = self._lookup(host, port)
        ends = min(deadline, lookup.started + self._timeout)
        if not lookup.done.wait(max(0.0, ends - time.monotonic())):
            raise _NoAnswer
        if lookup.error is not None:
            raise socket.gaierror(*lookup.error)
        return lookup.found


@dataclass(slots=True)
class _Ask:
    """One request: when its time is up, the run's look-ups, the host of its address (not a
    proxy's), and whether that address must be public; then the address it reached."""

    deadline: float
    names: _Names
    host: str
    public_only: bool
    peer: str | None = None
    heard: bool = False  # whether any byte of a reply came: a timeout then had no final one

    def left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left

    def connect(
        self, address: tuple[str, int], timeout: object = None, source: object = None
    ) -> socket.socket:
        """socket.create_connection with the look-up, the connection and the public-address
        rule all under this request's deadline."""
        host, port = address
        found = self.names.addresses(host, port, self.deadline)
        direct = host.lower() == self.host  # not a proxy, which does its own look-ups
        if direct and self.public_only:
            for *_, sockaddr in found:
                if not is_public(sockaddr[0]):
                    raise _NotPublic(sockaddr[0])
        error: OSError = OSError(f"no address for {host}")
        for family, kind, protocol, _, sockaddr in found:
            sock = socket.socket(family, kind, protocol)
            try:
                sock.settimeout(self.left())
                sock.connect(sockaddr)
                sock.settimeout(self.left())  # the TLS handshake's own deadline
            except OSError as failed:
                sock.close()
                error = failed
                continue
            self.peer = sockaddr[0] if direct else None
            return sock
        raise error


_asking = threading.local()  # the _Ask of the request this thread is making


def _connect(address: tuple[str, int], timeout: object = None, source: object = None) -> Any:
    ask: _Ask = _asking.ask
    return ask.connect(address, timeout, source)


class _DeadlineReader(io.RawIOBase):
    """A socket's bytes, each read bounded by what is left of one deadline: a server that
    sends a byte at a time, or `100 Continue` forever, cannot make a wait longer."""

    def __init__(self, sock: socket.socket, ask: "_Ask") -> None:
        self._sock = sock
        self._ask = ask

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self._ask.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        self._sock.settimeout(left)
        count = self._sock.recv_into(buffer)
        self._ask.heard = self._ask.heard or count > 0
        return count


class _Response(http.client.HTTPResponse):
    def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
        super().__init__(sock, *args, **kwargs)
        self.fp.close()
        ask: _Ask = _asking.ask
        self.fp = io.BufferedReader(_DeadlineReader(sock, ask))


class _Connection(http.client.HTTPConnection):
    response_class = _Response

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _TLSConnection(http.client.HTTPSConnection, _Connection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_Connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self) -> None:
        super().__init__()
        self._tls = ssl.create_default_context()

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_TLSConnection, req, context=self._tls)


class _Visitor:
    """Follows one address's redirects, one GET per address, and says what it found."""

    def __init__(self, *, timeout: float, per_host: int) -> None:
        self.timeout = timeout
        self.stop = threading.Event()
        self.names = _Names(timeout)
        self._hosts = _HostSlots(per_host)
        self._agent = user_agent()
        # No redirect handler (redirects are followed here, step by step, to tell a permanent
        # move from a temporary one and to see loops) and no error processor (a 404 is an
        # answer, not an exception). Only http and https: never file:, ftp: or data:.
        self._opener = urllib.request.OpenerDirector()
        for handler in (urllib.request.ProxyHandler(), _HTTPHandler(), _HTTPSHandler()):
            self._opener.add_handler(handler)

    def __call__(self, url: str) -> _Answer:
        """Ask `url`, then each address it redirects to, until one gives an answer; within
        `timeout` seconds of asking in all (waiting for a host's turn does not count)."""
        seen = {url}
        redirects: list[int] = []
        current = url
        left = [self.timeout]
        public_only = False
        while not isinstance(step := self._step(current, redirects, left, public_only), _Answer):
            status, target, public = step
            problem = (
                LOOP
                if target in seen
                else TOO_MANY.format(count=MAX_REDIRECTS)
                if len(redirects) == MAX_REDIRECTS
                else None
            )
            if problem is not None:
                return _Answer(status, current, Result.ERROR, problem)
            seen.add(target)
            redirects.append(status)
            current = target
            public_only = public_only or public
        return step

    def _step(
        self, url: str, redirects: list[int], left: list[float], public_only: bool
    ) -> _Answer | _Redirect:
        """Ask one address: the answer, or the redirect's status and its target."""
        address = _address(url)
        if address is None:
            return _Answer(None, url, Result.ERROR, NOT_WEB)
        if "@" in urllib.parse.urlsplit(url).netloc:
            return _Answer(None, url, Result.ERROR, CREDENTIALS)
        with self._hosts.slot(address[0]):
            if self.stop.is_set():  # set while this one waited for its host
                return _Answer(None, url, Result.ERROR, INTERRUPTED)
            started = time.monotonic()
            ask = _Ask(started + left[0], self.names, address[0], public_only)
            reply = self._ask(url, ask)
            left[0] -= time.monotonic() - started
        if isinstance(reply, _Answer):
            return reply
        status, location = reply
        if 300 <= status < 400 and location:
            return self._follow(status, url, location, ask, left[0])
        return _final(status, url, redirects)

    def _follow(
        self, status: int, url: str, location: str, ask: "_Ask", left: float
    ) -> _Answer | _Redirect:
        """Where a redirect leads, if anywhere; every target that cannot be asked is an error
        of this link's alone."""
        if find_control(location):  # it would reach the terminal in `final_url`
            return _Answer(status, url, Result.ERROR, TO_CONTROL)
        try:
            target = urllib.parse.urljoin(url, location)
            _ = urllib.parse.urlsplit(target).port  # a bad port or host raises here
            _ascii(target)
        except ValueError:
            return _Answer(status, url, Result.ERROR, TO_INVALID)
        if left <= 0:
            return _Answer(
                None, target, Result.TIMEOUT, NO_REPLY.format(seconds=f"{self.timeout:g}")
            )
        return _Redirect(status, target, ask.peer is not None and is_public(ask.peer))

    def _ask(self, url: str, ask: _Ask) -> tuple[int, str | None] | _Answer:
        """The status and Location of one GET, its body unread; or why there is none."""
        _asking.ask = ask
        try:
            # S310: the address's scheme is http or https (_address), and the opener has no other.
            request = urllib.request.Request(  # noqa: S310
                _ascii(url), headers={"User-Agent": self._agent}, method="GET"
            )
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.status, _utf8(response.headers.get("Location"))
        # urllib wraps what fails while connecting in a URLError and lets what fails while
        # waiting for the reply through as it is.
        except urllib.error.URLError as error:
            return _failure(url, error.reason, self.timeout, ask.heard)
        except (OSError, http.client.HTTPException, ValueError) as error:
            return _failure(url, error, self.timeout, ask.heard)
        finally:
            _asking.ask = None


def is_public(address: str) -> bool:
    """Whether an IP address (as getaddrinfo gives it, a zone perhaps after `%`) is on the
    public internet: not loopback, private, link-local, shared (CGNAT), reserved or the like,
    IPv4 written as IPv6 (`::ffff:127.0.0.1`) included. A redirect from a public address to
    one that is not is never followed: a web page must not send s3pilot into the user's own
    machine or network."""
    import ipaddress

    try:
        ip = ipaddress.ip_address(address.partition("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global


def _utf8(header: str | None) -> str | None:
    """A header as its sender most likely meant it: http.client reads every header as
    Latin-1, but servers that send a non-ASCII Location send UTF-8 (`/fÃ¶r` → `/för`)."""
    if header is None or header.isascii():
        return header
    try:
        return header.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return header


def _address(url: str) -> tuple[str, int] | None:
    """The host name (in lower case) and port of an http(s) address; None for any other."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
        port = parts.port  # a bad port raises ValueError here, not in the middle of a request
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        return None
    try:
        wire = _wire_host(host)
    except ValueError:
        return None
    return wire, port or (443 if scheme == "https" else 80)


def _final(status: int, url: str, redirects: list[int]) -> _Answer:
    if status >= 400:
        return _Answer(status, url, Result.DEAD, _phrase(status))
    if 300 <= status < 400:
        return _Answer(status, url, Result.ERROR, NO_LOCATION)
    if not 200 <= status < 300:
        return _Answer(status, url, Result.ERROR, UNEXPECTED.format(status=status))
    if not redirects:
        return _Answer(status, url, Result.OK, "")
    permanent = all(code in PERMANENT_REDIRECTS for code in redirects)
    return _Answer(status, url, Result.MOVED, PERMANENT if permanent else TEMPORARY)


def _failure(url: str, cause: object, timeout: float, heard: bool = False) -> _Answer:
    """A timeout, a refused address or an error, with the reason in a few words."""
    if isinstance(cause, _NotPublic):
        return _Answer(
            None,
            url,
            Result.BLOCKED,
            TO_PRIVATE.format(address=cause.address),
        )
    seconds = f"{timeout:g}"
    if isinstance(cause, _NoAnswer):
        return _Answer(None, url, Result.TIMEOUT, DNS_NO_ANSWER.format(seconds=seconds))
    if isinstance(cause, TimeoutError):
        said = NO_FINAL_REPLY if heard else NO_REPLY
        return _Answer(None, url, Result.TIMEOUT, said.format(seconds=seconds))
    return _Answer(None, url, Result.ERROR, _reason(cause))


DNS = "DNS: "  # the start of every reason that is the name look-up's


def _reason(cause: object) -> str:
    # The first kind `cause` is that has a reason to give (an OSError may have no strerror).
    reasons: tuple[tuple[type[BaseException], Callable[[Any], str]], ...] = (
        (socket.gaierror, lambda cause: DNS_FAILED.format(system=cause.strerror or cause)),
        (ConnectionRefusedError, lambda _: REFUSED),
        (ConnectionResetError, lambda _: CLOSED),  # RemoteDisconnected
        (
            ssl.SSLCertVerificationError,
            lambda cause: TLS_FAILED.format(system=cause.verify_message),
        ),
        (ssl.SSLError, lambda cause: TLS_FAILED.format(system=cause.reason or cause)),
        (http.client.HTTPException, lambda cause: NOT_HTTP.format(kind=type(cause).__name__)),
        (OSError, lambda cause: cause.strerror),
        (ValueError, lambda _: NOT_VALID),
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


def _wire_host(host: str) -> str:
    """A host name as DNS and the Host header take it: IDNA 2008 (UTS 46), as browsers do
    (`faß.de` → `xn--fa-hia.de`; the standard library's codec, IDNA 2003, says `fass.de`);
    ValueError for a name no browser would ask for (`a\\uff03b.se`)."""
    if host.isascii():
        return host
    import idna

    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as error:
        raise ValueError(str(error)) from None


def _ascii(url: str) -> str:
    """The address as it goes on the wire: the host in IDNA, the rest percent-encoded
    (`https://exempel.se/för` → `https://exempel.se/f%C3%B6r`), an IPv6 host in its brackets;
    an ASCII address unchanged. ValueError for one that cannot go on the wire."""
    if url.isascii():
        return url
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else _wire_host(host)
    if parts.port is not None:
        netloc += f":{parts.port}"
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
