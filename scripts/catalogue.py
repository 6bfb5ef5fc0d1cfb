"""Keep the Swedish catalogue in step with the code: extract, merge, compile, check.

    uv run python scripts/catalogue.py update   # after changing a message in the code
    uv run python scripts/catalogue.py check    # what tests/test_catalogue.py checks

`update` extracts every marked message (`_`, `N_`, `ngettext`, `pgettext`, `gettext`) from
s3pilot_cli/, adds the label of every field a table shows (context `field`, from the
package's `*_FIELDS` tuples), the data's words a table shows in the reader's language
(kinds, label levels, diff's kinds of change) and the words Typer translates through gettext
(from the installed typer's own source), merges them into
s3pilot_cli/locale/sv/LC_MESSAGES/s3pilot.po (new messages come in untranslated, gone ones go
out), and compiles s3pilot.mo beside it. Then
translate what is new in the .po and run `update` again. Babel is in the interop dependency
group only (`uv run` installs it): at run time s3pilot reads the .mo with the standard
library's gettext.
"""

import importlib
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "s3pilot_cli"
PO = PACKAGE / "locale" / "sv" / "LC_MESSAGES" / "s3pilot.po"
MO = PO.with_suffix(".mo")
FIELD_CONTEXT = "field"
# Typer's modules that call gettext: their words show in s3pilot's help and errors.
TYPER_MODULES = ("typer.rich_utils", "typer.core")


def _field_names() -> list[str]:
    """The fields of every `*_FIELDS` tuple in the package: the columns and rows a table shows."""
    sys.path.insert(0, str(ROOT))
    names: dict[str, None] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__main__.py":
            continue  # importing it runs s3pilot
        parts = path.relative_to(ROOT).with_suffix("").parts
        module = importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
        for attribute, value in vars(module).items():
            if attribute.endswith("_FIELDS") and isinstance(value, tuple):
                names.update(dict.fromkeys(v for v in value if isinstance(v, str)))
    return list(names)


def template() -> Catalog:
    """Every message the code and Typer ask the catalogue for."""
    catalog = Catalog(domain="s3pilot", project="s3pilot", fuzzy=False)
    sources = sorted(PACKAGE.rglob("*.py"))
    for name in TYPER_MODULES:
        sources.append(Path(importlib.import_module(name).__file__ or ""))
    for path in sources:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else Path(*path.parts[-2:])
        for line, message, comments, context in extract_from_file(
            "python", path, keywords=DEFAULT_KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            catalog.add(
                message,
                locations=[(str(shown), line)],
                auto_comments=comments,
                context=context,
                flags=["python-brace-format"] if "{" in str(message) else [],
            )
    for field in _field_names():
        catalog.add(field, context=FIELD_CONTEXT, auto_comments=["A field's label in a table."])
    for context, values, comment in _words():
        for value in values:
            catalog.add(value, context=context, auto_comments=[comment])
    return catalog


def _words() -> list[tuple[str, tuple[str, ...], str]]:
    """The values of the data that a table shows in the reader's language, with their context."""
    sys.path.insert(0, str(ROOT))
    from s3pilot_cli import diff, links, schema

    return [
        ("kind", tuple(schema.KINDS.values()), "A cluster's kind of organisation, in a table."),
        ("label", schema.LABEL_LEVELS, "The level of a cluster management label, in a table."),
        ("change", diff.CHANGES, "A kind of change, in diff's table."),
        ("result", tuple(links.Result), "The result of checking a link, in check-links' table."),
        ("owner", links.OWNERS, "Whose link it is, when no cluster's, in check-links' table."),
        ("entry", diff.ENTRIES, "What a change is to (a cluster, a contact), in diff's table."),
    ]


def read(path: Path = PO) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale="sv", domain="s3pilot")


def po_text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def problems(catalog: Catalog, wanted: Catalog) -> list[str]:
    """What keeps `catalog` from being complete and current for the messages `wanted`."""
    found = []
    have = {(m.id, m.context) for m in catalog if m.id}
    for message in wanted:
        if message.id and (message.id, message.context) not in have:
            found.append(f"not in the catalogue: {message.id!r}")
    needed = {(m.id, m.context) for m in wanted if m.id}
    for message in catalog:
        if not message.id:
            continue
        if (message.id, message.context) not in needed:
            found.append(f"stale (no longer in the code): {message.id!r}")
        if message.fuzzy:
            found.append(f"fuzzy: {message.id!r}")
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            found.append(f"untranslated: {message.id!r}")
        found += [f"{message.id!r}: {error}" for error in message.check(catalog)]
    return found


def update() -> None:
    wanted = template()
    catalog = read()
    catalog.update(wanted, no_fuzzy_matching=True, update_creation_date=False)
    PO.write_bytes(po_text(catalog))
    catalog = read()
    MO.write_bytes(mo_bytes(catalog))
    for problem in problems(catalog, wanted):
        print(problem, file=sys.stderr)


def check() -> int:
    catalog = read()
    found = problems(catalog, template())
    if MO.read_bytes() != mo_bytes(catalog):
        found.append(f"{MO.relative_to(ROOT)} is not compiled from the .po; run update")
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else ""
    if action == "update":
        update()
    elif action == "check":
        sys.exit(check())
    else:
        sys.exit(__doc__)
