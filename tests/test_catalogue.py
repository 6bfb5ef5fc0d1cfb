"""The Swedish catalogue is complete and current: every message the code and Typer ask for has a
translation, none is fuzzy or left over, the placeholders match, and the .mo is compiled from
the .po (scripts/catalogue.py, with Babel, a reader and writer nobody here wrote)."""

import gettext
import importlib.util
import string
from types import ModuleType

import pytest

from tests.conftest import INTEROP

pytest.importorskip("babel", reason=f"babel {INTEROP}")

from babel.messages.catalog import Message

from s3pilot_cli.i18n import DOMAIN, LOCALE_DIR, catalogue
from tests.conftest import ROOT


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalogue", ROOT / "scripts" / "catalogue.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()
PO = SCRIPT.read()


def test_every_message_is_translated_and_current() -> None:
    assert SCRIPT.problems(PO, SCRIPT.template()) == []


def test_the_template_finds_what_the_code_marks() -> None:
    """The extraction sees the kinds of marks the code uses, so an empty template can not
    pass the test above."""
    ids = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in SCRIPT.template()}
    assert (None, "success, an empty result too") in ids  # N_ in errors.py
    assert (None, "error: {message}") in ids  # _ in errors.py
    assert (None, "{lan}: {count} cluster") in ids  # ngettext on a catalogue, svgmap.py
    assert ("field", "region_body") in ids  # a field a table shows
    assert (None, "Options") in ids  # Typer's own, through gettext


def _placeholders(text: str) -> set[str]:
    return {
        f"{name}!{conversion}"
        for _, name, _, conversion in string.Formatter().parse(text)
        if name is not None
    }


@pytest.mark.parametrize("message", [m for m in PO if m.id], ids=lambda m: str(m.id)[:40])
def test_placeholders_match(message: Message) -> None:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    for text in strings:
        assert _placeholders(str(text)) == _placeholders(str(ids[-1])), (ids, text)


def test_the_mo_is_compiled_from_the_po() -> None:
    mo = LOCALE_DIR / "sv" / "LC_MESSAGES" / f"{DOMAIN}.mo"
    assert mo.read_bytes() == SCRIPT.mo_bytes(PO), "run: uv run python scripts/catalogue.py update"


def test_the_standard_library_reads_the_compiled_catalogue() -> None:
    translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=["sv"])
    assert translations.gettext("error: {message}") == "fel: {message}"
    assert translations.ngettext("{lan}: {count} cluster", "{lan}: {count} clusters", 2) == (
        "{lan}: {count} kluster"
    )
    assert catalogue("sv").pgettext("field", "region") == "Län"
    assert catalogue("en").pgettext("field", "region") == "region"


# What a Swedish message may put in the shell's straight quotes: only what is typed, a command
# or a piece of one (Swedish typography quotes a value ”so”).
_TYPED = ("s3pilot", "-", "{path}", "{command", "schema_version", ">")


def test_swedish_quotes_values_with_typographic_marks_and_commands_with_the_shell_s() -> None:
    import re

    for message in PO:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            for quoted in re.findall(r"'([^']*)'", re.sub(r"\[/?\w*\]", "", text or "")):
                assert quoted.startswith(_TYPED), f"{message.id!r}: '{quoted}' is no command: ”…”"
