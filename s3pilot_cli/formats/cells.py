"""How one value becomes text in a cell, shared by every text writer."""

from s3pilot_cli.records import Value
from s3pilot_cli.text import LIST_SEPARATOR


def cell(value: Value) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(value)
    return str(value)


def json_value(value: Value) -> object:
    return list(value) if isinstance(value, tuple) else value
