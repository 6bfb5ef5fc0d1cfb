"""Find a registry file, read it, check it, and turn it into a `Registry`.

The raw TOML shape (tables, keys, types) lives only here: parsing happens once, every problem
is collected with its place before anything is raised, and the rest of the code sees only the
frozen dataclasses of `model.py`. `to_document` is the way back, for export and round trips.
"""

import os
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from s3pilot_cli.errors import RegistryError
from s3pilot_cli.model import Cluster, Contact, Program, Region, Registry
from s3pilot_cli.text import fold, has_control, quoted

SCHEMA_VERSION = 1
FILE_NAME = "clusters.toml"
ENV_VAR = "S3PILOT_REGISTRY"
# A registry of 100 000 clusters is about 20 MB; anything much larger is not a registry, and
# parsing it would only keep the user waiting.
MAX_BYTES = 32 * 1024 * 1024
MAX_TEXT = 1000

Document = dict[str, Any]


# --- Which file ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """A registry file and why it is the one in use."""

    path: Path
    reason: str


def bundled_path() -> Path:
    """The registry shipped with s3pilot: inside the package in a wheel, `data/` in a checkout.

    Found from `__file__` rather than `importlib.resources`, which costs 4-5 ms of start-up;
    s3pilot is never imported from a zip file.
    """
    package = Path(__file__).parent
    installed = package / "data" / FILE_NAME
    return installed if installed.is_file() else package.parent / "data" / FILE_NAME


def user_path() -> Path:
    """`clusters.toml` in platformdirs' user data directory for s3pilot.

    On Linux this is worked out here, exactly as platformdirs does it (a test holds the two
    together), because importing platformdirs costs ~20 ms, a fifth of the whole start-up.
    """
    if sys.platform == "linux":
        base = os.environ.get("XDG_DATA_HOME", "")
        if not os.path.isabs(base):
            base = os.path.expanduser("~/.local/share")
        return Path(base) / "s3pilot" / FILE_NAME
    import platformdirs

    return platformdirs.user_data_path("s3pilot", appauthor=False) / FILE_NAME


def locate(option: Path | None) -> Source:
    """`--registry`, then `$S3PILOT_REGISTRY`, then the user's own file, then the bundled one."""
    if option is not None:
        return Source(option, "given with --registry")
    if env := os.environ.get(ENV_VAR):
        return Source(Path(env), f"named by ${ENV_VAR}")
    user = user_path()
    if user.is_file():
        return Source(user, "your own copy in the user data directory (see 's3pilot init')")
    return Source(bundled_path(), "bundled with s3pilot")


# --- Reading ---------------------------------------------------------------------------------


def load(path: Path) -> Registry:
    """Read, parse and check one registry file; a `RegistryError` lists every problem.

    The file is TOML, or JSON in the same shape (what `export --format json` writes) when its
    name ends in `.json` or its text starts with `{`, which TOML never does.
    """
    text = _read_text(path)
    if not text.strip():
        problem = (
            f"{path}: is empty; start from the bundled registry ('s3pilot init', or"
            " 's3pilot export --format toml > FILE')"
        )
        raise RegistryError([problem], str(path))
    try:
        if path.suffix == ".json" or text.lstrip().startswith("{"):
            document = _parse_json(path, text)
        else:
            document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RegistryError([_syntax_problem(path, error)], str(path)) from None
    except RecursionError:
        problem = f"{path}: tables or arrays nested too deeply to read; flatten the file"
        raise RegistryError([problem], str(path)) from None
    return _Checker(path, text).registry(document)


def _parse_json(path: Path, text: str) -> Document:
    import json

    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        problem = (
            f"{path}:{error.lineno}:{error.colno}: JSON syntax error: {error.msg}; fix that line"
        )
        raise RegistryError([problem], str(path)) from None
    if not isinstance(document, dict):
        problem = f"{path}: a JSON registry must be one object, not {_toml_type(document)}"
        raise RegistryError([problem], str(path))
    return document


def _read_text(path: Path) -> str:
    where = str(path)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        problem = f"{path}: no such registry file; check the path, or run 's3pilot init'"
        raise RegistryError([problem], where) from None
    except IsADirectoryError:
        problem = f"{path}: is a directory; give the path of a registry .toml file"
        raise RegistryError([problem], where) from None
    except OSError as error:
        problem = f"{path}: cannot be read ({error.strerror or error}); check its permissions"
        raise RegistryError([problem], where) from None
    if len(data) > MAX_BYTES:
        problem = (
            f"{path}: larger than {MAX_BYTES // 2**20} MiB, too large for a registry;"
            " check that this is the right file"
        )
        raise RegistryError([problem], where)
    data = data.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark, as Windows editors write
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problem = (
            f"{path}:{line}: not UTF-8 (byte 0x{data[error.start]:02x});"
            " save the file with UTF-8 encoding"
        )
        raise RegistryError([problem], where) from None


_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _syntax_problem(path: Path, error: tomllib.TOMLDecodeError) -> str:
    message = str(error)
    if match := _AT_LINE.search(message):
        line, column = match.groups()
        return (
            f"{path}:{line}:{column}: TOML syntax error: {message[: match.start()]}; fix that line"
        )
    return f"{path}: TOML syntax error: {message}; fix the file"


# --- Checking --------------------------------------------------------------------------------

_CODE = re.compile(r"SE-[A-Z]{1,2}")
_LAN_CODE = re.compile(r"[0-9]{2}")
_NUTS3 = re.compile(r"SE[0-9]{3}")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PHONE = re.compile(r"\+?[0-9][0-9 \-]*[0-9]")
_URL = re.compile(r"https?://[^\s/]+\S*")

_TOP_KEYS = ("schema_version", "program", "contacts", "regions", "clusters")
_PROGRAM_KEYS = (
    "name",
    "agency",
    "summary",
    "summary_en",
    "applications",
    "selected",
    "offers",
    "source_url",
    "email_pattern",
)
_CONTACT_KEYS = ("name", "phone")
_REGION_KEYS = ("code", "lan_code", "name", "county", "nuts3", "body", "aliases")
_CLUSTER_KEYS = ("id", "name", "region", "city", "website", "focus", "aliases")


def _toml_type(value: object) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a float"}
    names |= {list: "an array", dict: "a table"}
    return names.get(type(value), "a date or time")


class _Where:
    """A place in the document: a table, or the n-th entry of an array of tables."""

    __slots__ = ("index", "label", "table")

    def __init__(self, table: str, index: int | None = None) -> None:
        self.table = table
        self.index = index
        self.label: str | None = None  # the entry's id or code, once known

    def __str__(self) -> str:
        if self.index is None:
            return f"[{self.table}]" if self.table else "top level"
        entry = f"{self.table.removesuffix('s')} #{self.index + 1}"
        return f"{entry} {quoted(self.label)}" if self.label else entry


class _Checker:
    """Collects every problem in one document, then builds the registry or raises them all."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.source = text
        self.problems: list[str] = []
        self._headers: list[tuple[int, str]] | None = None

    # Reporting

    def problem(self, where: _Where, key: str | None, message: str) -> None:
        line = self._line_of(where, key)
        place = f"{self.path}:{line}" if line else str(self.path)
        field = f" {key}:" if key else ""
        self.problems.append(f"{place}: {where}:{field} {message}")

    def _line_of(self, where: _Where, key: str | None) -> int | None:
        """The line of a table's header, or of a key inside it; only worked out on error."""
        lines = self.source.splitlines()
        if self._headers is None:
            self._headers = [
                (number, line.strip().strip("[]").strip())
                for number, line in enumerate(lines)
                if line.lstrip().startswith("[")
            ]
        if not where.table:
            start = 0
        else:
            starts = [n for n, name in self._headers if name == where.table]
            if len(starts) <= (where.index or 0):
                return None
            start = starts[where.index or 0]
        ends = [n for n, _ in self._headers if n > start]
        end = ends[0] if ends else len(lines)
        if key is not None:
            assignment = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
            for number in range(start, end):
                if assignment.match(lines[number]):
                    return number + 1
        return start + 1 if where.table else None

    # Values

    def text(
        self,
        table: dict[str, Any],
        key: str,
        where: _Where,
        *,
        required: bool = True,
        pattern: re.Pattern[str] | None = None,
        expected: str = "",
    ) -> Any:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(where, key, "missing; add it")
            return None
        if not isinstance(value, str):
            self.problem(where, key, f"must be a string, not {_toml_type(value)}")
        elif not value.strip():
            self.problem(where, key, "is empty; give a value or remove the key")
        elif len(value) > MAX_TEXT:
            self.problem(where, key, f"is {len(value)} characters long; the limit is {MAX_TEXT}")
        elif has_control(value):
            self.problem(where, key, f"{quoted(value)} holds a control character; remove it")
        elif pattern is not None and not pattern.fullmatch(value):
            self.problem(where, key, f"{quoted(value)} is not {expected}")
        else:
            return value
        return None

    def texts(self, table: dict[str, Any], key: str, where: _Where) -> tuple[str, ...]:
        values = table.get(key, [])
        if not isinstance(values, list):
            self.problem(where, key, f"must be an array of strings, not {_toml_type(values)}")
            return ()
        checked = []
        for number, value in enumerate(values):
            item = self.text({key: value}, key, where)
            if item is None:
                self.problems[-1] = self.problems[-1].replace(
                    f" {key}:", f" {key}[{number + 1}]:", 1
                )
            else:
                checked.append(item)
        return tuple(checked)

    def integer(self, table: dict[str, Any], key: str, where: _Where) -> Any:
        value = table.get(key)
        if value is None:
            self.problem(where, key, "missing; add it")
        elif not isinstance(value, int) or isinstance(value, bool):
            self.problem(where, key, f"must be an integer, not {_toml_type(value)}")
        elif value < 0:
            self.problem(where, key, f"{value} is negative; give a count")
        else:
            return value
        return None

    def keys(self, table: dict[str, Any], allowed: tuple[str, ...], where: _Where) -> None:
        for key in table:
            if key not in allowed:
                self.problem(
                    where,
                    key,
                    f"unknown key; remove it, or use one of: {', '.join(allowed)}",
                )

    def tables(self, document: Document, key: str) -> Iterator[tuple[_Where, dict[str, Any]]]:
        """Each entry of an array of tables, with its place."""
        entries = document.get(key)
        if entries is None:
            self.problem(_Where(""), key, f"missing; add at least one [[{key}]] table")
            return
        if not isinstance(entries, list):
            self.problem(
                _Where(""),
                key,
                f"must be an array of tables ([[{key}]]), not {_toml_type(entries)}",
            )
            return
        for index, entry in enumerate(entries):
            where = _Where(key, index)
            if isinstance(entry, dict):
                yield where, entry
            else:
                self.problem(where, None, f"must be a table, not {_toml_type(entry)}")

    def unique(
        self, seen: dict[str, _Where], key: str, value: str | None, where: _Where, field: str
    ) -> None:
        """Record `value` as used by `where`; a problem if another entry used it first."""
        if value is None:
            return
        first = seen.setdefault(key, where)
        if first is not where:
            self.problem(
                where, field, f"{quoted(value)} is used by {first} already; make it unique"
            )

    # The document

    def registry(self, document: Document) -> Registry:
        top = _Where("")
        version = document.get("schema_version")
        if version is None:
            self.problem(top, "schema_version", f"missing; add 'schema_version = {SCHEMA_VERSION}'")
        elif not isinstance(version, int) or isinstance(version, bool):
            self.problem(top, "schema_version", f"must be an integer, not {_toml_type(version)}")
        elif version != SCHEMA_VERSION:
            self.problem(
                top,
                "schema_version",
                f"version {version} is not supported; this s3pilot reads version"
                f" {SCHEMA_VERSION} (a newer s3pilot may read it)",
            )
            raise RegistryError(self.problems, str(self.path))
        self.keys(document, _TOP_KEYS, top)
        program = self.program(document)
        contacts = tuple(self.contacts(document))
        codes: set[str] = set()
        regions = tuple(self.regions(document, codes))
        clusters = tuple(self.clusters(document, codes))
        if self.problems or program is None:
            raise RegistryError(self.problems, str(self.path))
        return Registry(program, contacts, regions, clusters)

    def program(self, document: Document) -> Program | None:
        table = document.get("program")
        where = _Where("program")
        if not isinstance(table, dict):
            message = "missing; add a [program] table" if table is None else "must be a table"
            self.problem(_Where(""), "program", message)
            return None
        self.keys(table, _PROGRAM_KEYS, where)
        pattern = self.text(table, "email_pattern", where)
        if pattern is not None:
            try:
                pattern.format(first="a", last="b")
            except (KeyError, IndexError, ValueError):
                self.problem(
                    where,
                    "email_pattern",
                    f"{quoted(pattern)} may use only {{first}} and {{last}}",
                )
                pattern = None
        values = {
            "name": self.text(table, "name", where),
            "agency": self.text(table, "agency", where),
            "summary": self.text(table, "summary", where),
            "summary_en": self.text(table, "summary_en", where),
            "applications": self.integer(table, "applications", where),
            "selected": self.integer(table, "selected", where),
            "offers": self.texts(table, "offers", where),
            "source_url": self.text(
                table, "source_url", where, pattern=_URL, expected="an http:// or https:// address"
            ),
            "email_pattern": pattern,
        }
        if "offers" not in table:
            self.problem(where, "offers", "missing; add it")
        if any(value is None for value in values.values()):
            return None
        return Program(**values)

    def contacts(self, document: Document) -> Iterator[Contact]:
        for where, table in self.tables(document, "contacts"):
            name = self.text(table, "name", where)
            where.label = name
            self.keys(table, _CONTACT_KEYS, where)
            phone = self.text(
                table,
                "phone",
                where,
                pattern=_PHONE,
                expected="a phone number (digits, spaces, hyphens, + first)",
            )
            if name is not None and phone is not None:
                yield Contact(name, phone)

    def regions(self, document: Document, codes: set[str]) -> Iterator[Region]:
        """Each valid region; `codes` gathers every well-formed code, valid region or not."""
        seen: dict[str, _Where] = {}
        for where, table in self.tables(document, "regions"):
            code = self.text(table, "code", where, pattern=_CODE, expected="an ISO code like SE-S")
            where.label = code
            if code is not None:
                codes.add(code)
            self.keys(table, _REGION_KEYS, where)
            values = (
                code,
                self.text(table, "lan_code", where, pattern=_LAN_CODE, expected="two digits"),
                self.text(table, "name", where),
                self.text(table, "county", where),
                self.text(table, "nuts3", where, pattern=_NUTS3, expected="a code like SE311"),
                self.text(table, "body", where),
            )
            aliases = self.texts(table, "aliases", where)
            self.unique(seen, f"code {code}", code, where, "code")
            self.unique(seen, f"lan {values[1]}", values[1], where, "lan_code")
            name = values[2]
            self.unique(seen, f"name {fold(name or '')}", name, where, "name")
            if None not in values:
                yield Region(*values, aliases=aliases)

    def clusters(self, document: Document, region_codes: set[str]) -> Iterator[Cluster]:
        seen: dict[str, _Where] = {}
        for where, table in self.tables(document, "clusters"):
            ident = self.text(
                table,
                "id",
                where,
                pattern=_ID,
                expected="a lower-case ASCII slug like paper-province",
            )
            where.label = ident
            self.keys(table, _CLUSTER_KEYS, where)
            name = self.text(table, "name", where)
            region = self.text(table, "region", where)
            if region is not None and region not in region_codes:
                self.problem(
                    where,
                    "region",
                    f"{quoted(region)} is not the code of a region in this registry;"
                    " use one such as SE-S (see 's3pilot regions')",
                )
                region = None
            cluster = Cluster(
                ident,
                name,
                region,
                self.text(table, "city", where, required=False),
                self.text(
                    table,
                    "website",
                    where,
                    required=False,
                    pattern=_URL,
                    expected="an http:// or https:// address",
                ),
                self.text(table, "focus", where, required=False),
                self.texts(table, "aliases", where),
            )
            self.unique(seen, f"id {ident}", ident, where, "id")
            self.unique(seen, f"name {fold(name or '')}", name, where, "name")
            if ident is not None and name is not None and region is not None:
                yield cluster


# --- Writing back ----------------------------------------------------------------------------


def to_document(registry: Registry) -> Document:
    """The registry in the file's own shape: what `export --format json|toml` writes."""
    program = registry.program
    return {
        "schema_version": SCHEMA_VERSION,
        "program": {
            "name": program.name,
            "agency": program.agency,
            "summary": program.summary,
            "summary_en": program.summary_en,
            "applications": program.applications,
            "selected": program.selected,
            "offers": list(program.offers),
            "source_url": program.source_url,
            "email_pattern": program.email_pattern,
        },
        "contacts": [{"name": c.name, "phone": c.phone} for c in registry.contacts],
        "regions": [_entry(region, _REGION_KEYS) for region in registry.regions],
        "clusters": [_entry(cluster, _CLUSTER_KEYS) for cluster in registry.clusters],
    }


def _entry(item: Region | Cluster, keys: tuple[str, ...]) -> dict[str, Any]:
    """The keys with a value, in the file's order; tuples become arrays."""
    return {
        key: list(value) if isinstance(value, tuple) else value
        for key in keys
        if (value := getattr(item, key)) not in (None, ())
    }
