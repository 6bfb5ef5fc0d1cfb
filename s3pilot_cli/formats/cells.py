"""How one value becomes text in a cell, shared by every text writer."""

from s3pilot_cli.records import Value
from s3pilot_cli.textrules import LIST_SEPARATOR


def cell(value: Value | list[str]) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return LIST_SEPARATOR.join(value)
    return str(value)
