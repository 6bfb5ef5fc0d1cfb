"""Find a registry file and read it into a `Registry`.

Which file (`locate`), and reading it safely (`read`): size, encoding, TOML (through tomli)
or JSON syntax. And the user's own copy that `s3pilot init` writes (`write_user_copy`), with the
registry's JSON Schema beside it for editors.
What the parsed document must hold is `validate.py`'s business; the rest of the code sees only
the frozen dataclasses of `model.py`.
"""

import errno
import os
import sys
from pathlib import Path
from typing import NamedTuple

from s3pilot_cli import schema, validate
from s3pilot_cli.errors import RegistryError, S3PilotError, UnreadableRegistry, UsageError
from s3pilot_cli.i18n import N_, _
from s3pilot_cli.model import Registry

FILE_NAME = "clusters.toml"
# The registry's JSON Schema, shipped in the package (scripts/make_schema.py writes it), and the
# line that names it at the top of a copy, relative to the copy, for Taplo and tombi alike.
SCHEMA_FILE_NAME = "clusters.schema.json"
SCHEMA_DIRECTIVE = f"#:schema ./{SCHEMA_FILE_NAME}"
ENV_VAR = "S3PILOT_REGISTRY"
# What an empty registry path is told, after its name (`--registry ""`, the API's `load("")`).
EMPTY_PATH = N_("is empty; give the path of a registry file, or leave it out")
# A registry of 100 000 clusters is about 20 MB; anything much larger is not a registry, and
# parsing it would only keep the user waiting.
MAX_BYTES = 32 * 1024 * 1024


# --- Which file ------------------------------------------------------------------------------


class RegistryFile(NamedTuple):
    """A registry file, why it is the one in use, and what to do if it is not there."""

    path: Path
    reason: str
    # For a missing file: after "no such registry file; ".
    remedy: str = N_("check the path")
    # Whether the missing-file message names the reason: where the user did not type the path.
    say_why: bool = False


def bundled_path() -> Path:
    """The registry shipped with s3pilot: inside the package in a wheel, `data/` in a checkout.

    Found from `__file__` rather than `importlib.resources`, whose import would add to every
    start-up (benchmarks/imports.md); s3pilot is never imported from a zip file.
    """
    package = Path(__file__).parent
    installed = package / "data" / FILE_NAME
    return installed if installed.is_file() else package.parent / "data" / FILE_NAME


def user_path() -> Path:
    """`clusters.toml` in platformdirs' user data directory for s3pilot.

    On Linux this is worked out here, exactly as platformdirs does it (a test holds the two
    together), because importing platformdirs would be a large part of every start-up
    (benchmarks/imports.md).
    """
    if sys.platform == "linux":
        base = os.environ.get("XDG_DATA_HOME", "")
        if not os.path.isabs(base):
            base = os.path.expanduser("~/.local/share")
        return Path(base) / "s3pilot" / FILE_NAME
    import platformdirs

    return platformdirs.user_data_path("s3pilot", appauthor=False) / FILE_NAME


def locate(option: str | os.PathLike[str] | None) -> RegistryFile:
    """The registry file to read: `option` (`--registry`, or the API's path) when given, else
    `$S3PILOT_REGISTRY`, else the user's own copy, else the bundled one.

    The one resolution of `--registry` for the commands and the Python API alike. An empty
    string is refused (exit 2), as `--registry ""` is: `Path("")` would be the current folder.
    """
    if option is not None:
        if not os.fspath(option):
            raise UsageError(_("the registry path {problem}").format(problem=_(EMPTY_PATH)))
        return RegistryFile(Path(option), N_("given with --registry"))
    # The reasons are data too (`info`'s registry_reason), in English; `_()` of one is the
    # reason in the user's language, for people. The variable is named as ENV_VAR says.
    if env := os.environ.get(ENV_VAR):
        return RegistryFile(
            Path(env),
            N_("named by $S3PILOT_REGISTRY"),
            N_("check the path, or unset S3PILOT_REGISTRY"),
            say_why=True,
        )
    user = user_path()
    if user.is_file():
        return RegistryFile(
            user,
            N_("your own copy in the user data directory (see 's3pilot init')"),
            N_("check the path, or run 's3pilot init'"),
        )
    return RegistryFile(
        bundled_path(), N_("bundled with s3pilot"), N_("reinstall s3pilot"), say_why=True
    )


def schema_path() -> Path:
    """The JSON Schema in the package, in a wheel and in a checkout alike."""
    return Path(__file__).parent / SCHEMA_FILE_NAME


def write_user_copy(*, force: bool = False) -> Path:
    """Copy the bundled registry to `user_path()`, never over one without `force`, with the
    JSON Schema beside it and named on the copy's first line; the copy's path.

    An editor with Taplo or tombi then checks and completes the file as it is edited."""
    from s3pilot_cli.output import atomic_writer

    target = user_path()
    if target.exists() and not force:
        raise S3PilotError(
            _(
                "{target} exists already and was left as it is; edit it, or run"
                " 's3pilot init --force' to replace it with the bundled registry"
            ).format(target=target)
        )
    text = bundled_path().read_text(encoding="utf-8")
    _make_folder(target.parent)
    with atomic_writer(target.with_name(SCHEMA_FILE_NAME)) as file:
        file.write(schema_path().read_text(encoding="utf-8"))
    with atomic_writer(target) as file:
        file.write(f"{SCHEMA_DIRECTIVE}\n\n{text}")  # tombi wants the blank line
    return target


def _make_folder(folder: Path) -> None:
    """The user data folder, made if need be; a message that says what to do if it cannot be."""
    home = Path.home()
    if folder.is_relative_to(home) and not home.is_dir():
        raise S3PilotError(
            _(
                "cannot create {folder}: your home folder {home} does not exist; set HOME to"
                " your home folder, or XDG_DATA_HOME to a folder where s3pilot may keep its data"
            ).format(folder=folder, home=home)
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise S3PilotError(
            _(
                "cannot create {folder} ({reason}); set XDG_DATA_HOME to a folder you can write"
                " to, or keep a copy anywhere and name it with --registry or $S3PILOT_REGISTRY"
                " ('s3pilot export --format toml -o FILE')"
            ).format(folder=folder, reason=error.strerror or error)
        ) from None


def after_init() -> str:
    """Whether the copy `s3pilot init` wrote is now the one in use, for its message."""
    if os.environ.get(ENV_VAR):
        return _("but ${variable} is set, and wins over it until you unset it").format(
            variable=ENV_VAR
        )
    return _("s3pilot now uses it (see 's3pilot info')")


# --- Reading ---------------------------------------------------------------------------------


def read(file: Path | RegistryFile) -> Registry:
    """Read, parse and check one registry file; a `RegistryError` lists every problem.

    The file is TOML, or JSON in the same shape (what `export --format registry-json` writes)
    when its name ends in `.json` or its text starts with `{`, which TOML never does. Given
    as a `RegistryFile`, a missing file's message says how the file was chosen and what to do.
    """
    chosen = file if isinstance(file, RegistryFile) else RegistryFile(file, N_("given"))
    path = chosen.path
    text = _read_text(chosen)
    if not text.strip():
        problem = _(
            "{path}: is empty; start from the bundled registry ('s3pilot init', or"
            " 's3pilot export --format toml > FILE')"
        ).format(path=path)
        raise RegistryError([problem], str(path))
    try:
        if path.suffix == ".json" or text.lstrip().startswith("{"):
            document = _parse_json(path, text)
        else:
            document = _parse_toml(path, text)
    except RecursionError:
        problem = _("{path}: tables or arrays nested too deeply to read; flatten the file").format(
            path=path
        )
        raise RegistryError([problem], str(path)) from None
    except ValueError:  # past the syntax errors: Python's limit on decimal integer digits
        raise RegistryError([_too_many_digits(path, text)], str(path)) from None
    return validate.check(document, path, text)


def _too_many_digits(path: Path, text: str) -> str:
    """Python refuses to read a decimal integer of more digits than its limit (4300)."""
    import re

    limit = sys.get_int_max_str_digits()
    # The digits of TOML or JSON, with TOML's underscores between them.
    found = re.search(rf"[0-9](?:_?[0-9]){{{limit},}}", text)
    line = f":{text.count(chr(10), 0, found.start()) + 1}" if found else ""
    return _(
        "{path}{line}: an integer of more than {limit} digits, more than s3pilot can read;"
        " no count is that large: fix the number"
    ).format(path=path, line=line, limit=limit)


def _parse_toml(path: Path, text: str) -> schema.Document:
    import tomli

    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        problem = _("{path}:{line}:{column}: TOML syntax error: {error}; fix that line").format(
            path=path, line=error.lineno, column=error.colno, error=error.msg
        )
        raise RegistryError([problem], str(path)) from None


def _parse_json(path: Path, text: str) -> schema.Document:
    import json

    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        problem = _("{path}:{line}:{column}: JSON syntax error: {error}; fix that line").format(
            path=path, line=error.lineno, column=error.colno, error=error.msg
        )
        raise RegistryError([problem], str(path)) from None
    if not isinstance(document, dict):
        problem = _("{path}: a JSON registry must be one object, not an array or a value").format(
            path=path
        )
        raise RegistryError([problem], str(path))
    return document


def _not_a_folder(path: Path) -> Path:
    """The first folder on the way to `path` that is a file instead (ENOTDIR)."""
    return next(
        (part for part in reversed(path.parents) if part.exists() and not part.is_dir()),
        path.parent,
    )


# The first bytes of the binary exports and of vCard, which no registry starts with.
_EXPORT_SIGNATURES = {
    b"SQLite format 3\x00": N_("an SQLite database"),
    b"PK\x03\x04": N_("a zip file: an xlsx workbook or a data package"),
    b"BEGIN:VCARD": N_("vCard contacts"),
    b"<svg ": N_("an SVG map"),
}
# The first line of the JSON exports (a registry-json's first key is none of these).
_JSON_STARTS = (
    (rb"\[", N_("JSON records")),
    (rb'\{\s*"(id|code|name)"\s*:', N_("JSON lines")),
    (rb'\{\s*"type"\s*:\s*"FeatureCollection"', "GeoJSON"),
)


def _export_kind(data: bytes) -> str | None:
    """Which of s3pilot's exports `data` is, if it is one: they hold a registry's data but
    not its shape, and would otherwise be told of an encoding or a syntax error."""
    import re

    from s3pilot_cli.records import CLUSTER_FIELDS, CONTACT_FIELDS, REGION_FIELDS

    for start, kind in _EXPORT_SIGNATURES.items():
        if data.startswith(start):
            return _(kind)
    first = data.partition(b"\n")[0].strip()
    for start, kind in _JSON_STARTS:
        if re.match(start, first):
            return _(kind)
    header = [cell.strip() for cell in re.split(rb"[,;\t|]", first) if cell.strip()]
    separators = {b",": "csv", b";": N_("csv for Excel"), b"\t": "tsv", b"|": "Markdown"}
    records = (CLUSTER_FIELDS, REGION_FIELDS, CONTACT_FIELDS)
    if header in ([name.encode() for name in fields] for fields in records):
        separator = separators[next(c for c in separators if c in first)]
        return _("records in {format}").format(format=_(separator))
    return None


def _read_text(chosen: RegistryFile) -> str:
    path = chosen.path
    where = str(path)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        why = f" ({_(chosen.reason)})" if chosen.say_why else ""
        problem = _("{path}{why}: no such registry file; {remedy}").format(
            path=path, why=why, remedy=_(chosen.remedy)
        )
        raise UnreadableRegistry([problem], where) from None
    except IsADirectoryError:
        problem = _("{path}: is a directory; give the path of a registry .toml file").format(
            path=path
        )
        raise UnreadableRegistry([problem], where) from None
    except NotADirectoryError:
        problem = _(
            "{path}: {file} is a file, not a folder; give the path of a registry .toml file"
        ).format(path=path, file=_not_a_folder(path))
        raise UnreadableRegistry([problem], where) from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            advice = _(
                "a symbolic link on the way loops back; fix the link or give the file itself"
            )
        elif error.errno in (errno.EACCES, errno.EPERM):
            advice = _("check its permissions")
        else:
            advice = _("check the file and the disk it is on")
        problem = _("{path}: cannot be read ({reason}); {advice}").format(
            path=path, reason=error.strerror or error, advice=advice
        )
        raise UnreadableRegistry([problem], where) from None
    if len(data) > MAX_BYTES:
        problem = _(
            "{path}: larger than {size} MiB, too large for a registry; check that this is the"
            " right file"
        ).format(path=path, size=MAX_BYTES // 2**20)
        raise UnreadableRegistry([problem], where)
    data = data.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark, as Windows editors write
    if export := _export_kind(data):
        problem = _(
            "{path}: this is an export ({export}), not a registry; --registry reads toml or"
            " registry-json ('s3pilot export --format toml -o clusters.toml' writes one)"
        ).format(path=path, export=export)
        raise UnreadableRegistry([problem], where)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problem = _(
            "{path}:{line}: not UTF-8 (byte 0x{byte:02x}); save the file with UTF-8 encoding"
        ).format(path=path, line=line, byte=data[error.start])
        raise RegistryError([problem], where) from None
