"""JSON, JSON Lines and TOML: records as objects, and the whole registry document.

`json` and `jsonl` write records, the same for `list` and `export`; the registry document,
in the registry file's own shape, is `toml` and `registry-json`, which `--registry` reads back.
"""

from typing import TextIO

from s3pilot_cli.model import Registry
from s3pilot_cli.records import Records
from s3pilot_cli.schema import to_document


def write_json(out: TextIO, records: Records) -> None:
    """An array of objects (one object for `show`), UTF-8, keys in field order."""
    import json

    objects = records.objects()
    json.dump(objects[0] if records.single else objects, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(out: TextIO, records: Records) -> None:
    import json

    out.writelines(json.dumps(o, ensure_ascii=False) + "\n" for o in records.objects())


def write_registry_json(out: TextIO, registry: Registry) -> None:
    """`registry-json`: the registry document, keys in the file's order."""
    import json

    json.dump(to_document(registry), out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_toml(out: TextIO, registry: Registry) -> None:
    """`toml`: the registry file as s3pilot ships it, which `--registry` reads back."""
    import tomli_w

    out.write(tomli_w.dumps(to_document(registry)))
