"""s3pilot: the clusters of Tillväxtverket's S3-piloten, for people and shell scripts.

The Python API, for notebooks and other programs:

    import s3pilot_cli
    registry = s3pilot_cli.load()           # the registry the command would use
    records = s3pilot_cli.cluster_records()  # one dict a cluster, as `list --format json`
    frame = pandas.DataFrame(records)       # where pandas is installed

`load` returns the frozen dataclasses of the registry (`Registry`, `Program`, `Contact`,
`Region`, `Cluster`); the `*_records` functions give the rows of the commands as dicts, with
the field names of the README's output contract, from a `Registry`, a registry file's path,
or (given nothing) the registry in use. Errors are the command's own:
`S3PilotError` and its subclasses (`RegistryError` for a missing or invalid file), with the
same messages.

Every command imports these modules anyway, so importing them here costs the command line
nothing; neither Typer nor Rich is imported.
"""

import os
from typing import Any

from s3pilot_cli import records, registry
from s3pilot_cli.errors import NoSuchCluster, RegistryError, S3PilotError, UsageError, WriteError
from s3pilot_cli.model import Cluster, Contact, Event, Program, Region, Registry, Source

__version__ = "0.1.0"

__all__ = [
    "Cluster",
    "Contact",
    "Event",
    "NoSuchCluster",
    "Program",
    "Region",
    "Registry",
    "RegistryError",
    "S3PilotError",
    "Source",
    "UsageError",
    "WriteError",
    "__version__",
    "cluster_records",
    "contact_records",
    "load",
    "region_records",
    "timeline_records",
]


def load(path: str | os.PathLike[str] | None = None) -> Registry:
    """The registry, read and checked, as frozen dataclasses.

    Without `path`, the one the command uses: `$S3PILOT_REGISTRY`, else your own copy in the
    user data directory, else the bundled registry (`s3pilot info` says which). With `path`,
    that file, TOML or JSON, as `--registry` reads it. A missing or invalid file raises
    `RegistryError`, whose message says what and where, and `.problems` lists them all.
    """
    return registry.read(registry.locate(path))


def cluster_records(
    registry: Registry | str | os.PathLike[str] | None = None,
) -> list[dict[str, Any]]:
    """Every cluster as a dict with its region's columns: the objects of `list --format json`.

    Keys in the contract's order (`id`, `name`, `region`, `region_code`, … `aliases`); a
    missing value is None and `aliases` is a list. `registry` is a `Registry`, or the path of
    a registry file (read as `load(path)` reads it), or None for `load()`: the one in use.
    """
    loaded = _registry(registry)
    return records.clusters(loaded, loaded.clusters).objects()


def region_records(
    registry: Registry | str | os.PathLike[str] | None = None,
) -> list[dict[str, Any]]:
    """Sweden's 21 län as dicts, as `regions --format json` prints them.

    `registry`: a `Registry`, a registry file's path, or None (the one in use).
    """
    return records.regions(_registry(registry)).objects()


def contact_records(
    registry: Registry | str | os.PathLike[str] | None = None,
) -> list[dict[str, Any]]:
    """The programme's contacts as dicts, as `contacts --format json` prints them.

    `registry`: a `Registry`, a registry file's path, or None (the one in use).
    """
    return records.contacts(_registry(registry)).objects()


def timeline_records(
    registry: Registry | str | os.PathLike[str] | None = None,
) -> list[dict[str, Any]]:
    """Every dated event as a dict (`date`, `cluster`, `event`, `url`), oldest first, as
    `timeline --format json` prints them; `cluster` is `program` for the programme's own.

    `registry`: a `Registry`, a registry file's path, or None (the one in use).
    """
    return records.timeline(records.owned_events(_registry(registry))).objects()


def _registry(given: Registry | str | os.PathLike[str] | None) -> Registry:
    """The registry given, or the one read from the path given, or the one in use."""
    if given is None or isinstance(given, str | os.PathLike):
        return load(given)
    return given
