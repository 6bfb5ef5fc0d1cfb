"""vCard 4.0 (RFC 6350) for the programme's contacts."""

from typing import TextIO

from s3pilot_cli.formats.cells import cell
from s3pilot_cli.model import name_parts
from s3pilot_cli.records import Records


def _vcard_text(text: str) -> str:
    """RFC 6350 3.4: backslash, comma, semicolon and newline escaped in a text value."""
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _folded(line: str) -> str:
    """RFC 6350 3.2: a content line longer than 75 octets goes on in lines starting with a space."""
    parts, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > 75:
            parts.append(current)
            current = " "
        current += char
    parts.append(current)
    return "\r\n".join(parts) + "\r\n"


def write_vcard(out: TextIO, records: Records) -> None:
    """vCard 4.0 (RFC 6350), one card per contact, for a phone or mail client to import."""
    for contact in records.objects():
        name = cell(contact["name"])
        # The e-mail address's rule: first word given, last word family, additional between.
        given, additional, family = name_parts(name)
        middle = ",".join(_vcard_text(word) for word in additional)  # a list: comma-separated
        lines = [
            "BEGIN:VCARD",
            "VERSION:4.0",
            f"FN:{_vcard_text(name)}",
            f"N:{_vcard_text(family)};{_vcard_text(given)};{middle};;",
            f"ORG:{_vcard_text(cell(contact['organization']))}",
            f'TEL;VALUE=uri;TYPE="work,voice":tel:{cell(contact["phone_e164"])}',
            f"EMAIL;TYPE=work:{cell(contact['email'])}",
            "END:VCARD",
        ]
        out.write("".join(_folded(line) for line in lines))
