"""Which language s3pilot speaks to people, and the catalogue it speaks it from.

English is the language of the code; Swedish comes from `locale/sv/LC_MESSAGES/s3pilot.mo`,
compiled from the `.po` beside it by `scripts/catalogue.py`, and read by the standard library's
gettext. Only text for people is translated: field names, formats, option names and exit codes
are the same in every language, so a script never notices (tests/test_i18n.py).

The language:
1. `S3PILOT_LANG` (`sv`, `en`, or a locale name such as `sv_SE.UTF-8`), for s3pilot alone;
2. else what gettext would choose, in gettext's order (as git and `ls` do): the locale from the
   first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is set; when that is exactly `C` or
   `POSIX` (or none is set) English, and otherwise the first language in `LANGUAGE`'s list
   (`de:sv:en`) that s3pilot speaks, or else the locale's own. `C.UTF-8` is not the C locale
   to gettext: it honours `LANGUAGE`, as `ls` does.
A Swedish locale that is not installed on the system (no `locale -a` entry) still gives
Swedish: only the variables are read.

Nothing is loaded before there is something to say: English needs no catalogue at all, and
Swedish reads its catalogue on the first message (the common command lines say nothing).
"""

import os
from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Protocol

DOMAIN = "s3pilot"
LOCALE_DIR = Path(__file__).parent / "locale"


class Language(StrEnum):
    EN = "en"  # the language of the code
    SV = "sv"


LANGUAGES = tuple(Language)
# How each language writes a number for people (a table, never a data format): its decimal
# mark (0.75, 0,75) and the mark between thousands (600,000; 600 000, Språkrådet's space: a
# plain one, since the tables' word wrapping takes every kind of space for a plain one).
DECIMAL_MARK = {Language.EN: ".", Language.SV: ","}
THOUSANDS_MARK = {Language.EN: ",", Language.SV: " "}
# Where the locale is one of these, gettext translates nothing and ignores LANGUAGE; glibc's
# C.UTF-8 is none of them (gettext's manual, "Specifying a Priority List of Languages").
_C_LOCALES = ("C", "POSIX")


def _language_of(name: str) -> str:
    """`sv_SE.UTF-8@euro` → `sv`."""
    for end in ".@_-":
        name = name.partition(end)[0]
    return name.strip().lower()


def language(environ: Mapping[str, str] = os.environ) -> Language:
    """The language s3pilot speaks in this environment: `sv` or `en` (see the module)."""
    forced = _language_of(environ.get("S3PILOT_LANG", ""))
    if forced in LANGUAGES:
        return Language(forced)
    variables = ("LC_ALL", "LC_MESSAGES", "LANG")
    locale = next((environ[name] for name in variables if environ.get(name)), "")
    if not locale or locale in _C_LOCALES:
        return Language.EN
    wanted = [*environ.get("LANGUAGE", "").split(":"), locale]
    return next((Language(x) for x in map(_language_of, wanted) if x in LANGUAGES), Language.EN)


class Catalogue(Protocol):
    """What gettext's translations offer, and all s3pilot asks of them."""

    def gettext(self, message: str, /) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...
    def pgettext(self, context: str, message: str, /) -> str: ...


class _English:
    """The language of the code: every message as it is written, and no file read."""

    @staticmethod
    def gettext(message: str, /) -> str:
        return message

    @staticmethod
    def ngettext(singular: str, plural: str, n: int, /) -> str:
        return singular if n == 1 else plural

    @staticmethod
    def pgettext(context: str, message: str, /) -> str:
        return message


@cache
def catalogue(lang: str) -> Catalogue:
    """The messages of `lang` (one of LANGUAGES), read once."""
    if lang == Language.EN:
        return _English()
    import gettext

    # Through gettext's own cache, which Typer's look-ups in the global domain (prepare_typer)
    # share: the file is read once a process.
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])


def _(message: str) -> str:
    """`message` in the language of the environment."""
    return catalogue(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for `n`, in the language of the environment."""
    return catalogue(language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the sense `context` names (`field`: a field's label), translated."""
    return catalogue(language()).pgettext(context, message)


def N_(message: str) -> str:
    """Marks `message` for the catalogue where it is defined; it is translated where used."""
    return message


def prepare_typer() -> None:
    """Typer's own words (the help's panel titles, "[default: …]", "Aborted.") in s3pilot's
    language, through gettext's global domain, the public hook Typer reads them by.

    Call it before `typer` is imported: `typer.rich_utils` translates its titles on import.
    The global domain picks its language from `LANGUAGE`, so s3pilot sets that, in its own
    process, to the language it chose (which may differ: S3PILOT_LANG, the C locale).
    """
    import gettext

    os.environ["LANGUAGE"] = language()
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
