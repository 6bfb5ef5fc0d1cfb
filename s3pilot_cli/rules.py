"""What one value of a registry must be, by its field's kind, and what a contact must give (an
e-mail address made of its name by the programme's `email_pattern`, a phone number that is one).

Each rule says what is wrong, in the user's language, or None; `validate` goes over the
document and reports each problem with its place.
"""

import re
import string
from collections.abc import Sequence

from s3pilot_cli import schema
from s3pilot_cli.i18n import N_, _
from s3pilot_cli.model import Cluster, Contact, name_parts
from s3pilot_cli.textrules import ascii_letters, describe, find_control, fold, quoted

# What `email_pattern` must make of a name: one address, no white space, a dotted domain.
_ADDRESS = re.compile(r"[^@\s{}]+@[^@\s{}]+\.[^@\s{}.]+")
# What a word of a name gives an e-mail address: ASCII letters and digits, a hyphen or an
# apostrophe between them (`anna-karin`, `o'brien`). Such words make an address the shape
# that `email_pattern` is checked to make of `first` and `last`, and nothing a `mailto:`
# link reads as more than an address (no `?`, `@`, `;` or white space).
_ADDRESS_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
# The shortest and longest Swedish national number after the trunk 0 or the country code 46
# (the national significant number: 7 to 13 digits; PTS's numbering plan, as summarised at
# https://WikiMili.com/en/Telephone_numbers_in_Sweden), and E.164's longest, country code
# included (ITU-T E.164: 15 digits).
_SWEDISH_DIGITS = (7, 13)
_E164_DIGITS = 15


_DATE_OR_TIME = N_("a date or time")
# The kinds of field that hold a string.
STRINGS = frozenset(
    (schema.FieldKind.TEXT, schema.FieldKind.DATE, schema.FieldKind.MONTH, schema.FieldKind.WHEN)
)


def toml_type(value: object) -> str:
    names = {str: N_("a string"), bool: N_("a boolean"), int: N_("an integer")}
    names |= {float: N_("a float"), list: N_("an array"), dict: N_("a table")}
    return names.get(type(value), _DATE_OR_TIME)  # what else TOML reads: datetime's types


def type_name(value: object) -> str:
    """`toml_type` in the user's language, for a message."""
    return _(toml_type(value))


def text_problem(
    value: object,
    pattern: re.Pattern[str] | None,
    expected: str,
    kind: schema.FieldKind = schema.FieldKind.TEXT,
) -> str | None:
    """What is wrong with `value` as a string field (a date or a month, by `kind`), or None."""
    if not isinstance(value, str):
        return (
            _("missing; add it")
            if value is None
            else _("must be a string, not {type}").format(type=type_name(value))
        )
    if not value or value.isspace():
        return _("is empty; give a value or remove the key")
    if len(value) > schema.MAX_TEXT:
        return _("is {count} characters long; the limit is {max_text}").format(
            count=len(value), max_text=schema.MAX_TEXT
        )
    # printable ASCII has none (some characters that draw nothing count as printable)
    if not (value.isascii() and value.isprintable()) and (found := find_control(value)):
        return _("{value} holds {x}; remove it").format(
            value=quoted(value), x=describe(found.group())
        )
    if pattern is not None and not _is_one(value, pattern, kind):
        return _("{value} is not {expected}").format(
            value=quoted(value), expected=_(expected) if expected else ""
        )
    return None


def _is_one(value: str, pattern: re.Pattern[str], kind: schema.FieldKind) -> bool:
    """Whether `value` is what `pattern` asks for: of its shape, and a day (or month) of the
    calendar for a date (or month)."""
    if not pattern.fullmatch(value):
        return False
    return kind is schema.FieldKind.TEXT or not schema.no_such_day(kind, value)


def year_problem(value: object) -> str | None:
    if type(value) is not int:
        return _("must be a year (an integer), not {type}").format(type=type_name(value))
    first, last = schema.YEARS
    if not first <= value <= last:
        return _("{value} is not a year; give four digits, like 2018").format(value=value)
    return None


def count_problem(value: object) -> str | None:
    if type(value) is not int:
        return _("must be an integer, not {type}").format(type=type_name(value))
    if value < 0:
        return _("{value} is negative; give a count").format(value=value)
    if value > schema.MAX_COUNT:  # not shown: a huge one may be too long for str()
        return _("is larger than {max_count}, the most a count may be; give a count").format(
            max_count=schema.MAX_COUNT
        )
    return None


def is_date_or_time(value: object) -> bool:
    """Whether TOML read `value` as a date or time: a string written without its quotes."""
    return value is not None and toml_type(value) == _DATE_OR_TIME


def email_pattern_problem(pattern: str) -> str | None:
    """What is wrong with `email_pattern`, or None: it may use only `{first}` and `{last}`,
    bare, and must make an e-mail address of them."""
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError:  # an unmatched brace
        parts = [("", "?", "", None)]
    if not all(
        field is None or (field in ("first", "last") and not spec and conversion is None)
        for _text, field, spec, conversion in parts
    ):
        return _("{value} may use only {{first}} and {{last}}").format(value=quoted(pattern))
    if not _ADDRESS.fullmatch(pattern.format(first="first", last="last")):
        return _(
            "{value} does not make an e-mail address (name@domain.se); write"
            " one such as {{first}}.{{last}}@tillvaxtverket.se"
        ).format(value=quoted(pattern))
    return None


def contact_problems(contact: Contact, email_pattern: str | None) -> list[tuple[str, str]]:
    """Each field of `contact` whose derived value is no good, with what is wrong with it:
    the e-mail address made of its name by `email_pattern` (when known), its phone number."""
    problems = []
    if email_pattern and (problem := derived_email_problem(contact.name, email_pattern)):
        problems.append(("name", problem))
    if problem := phone_problem(contact.phone):
        problems.append(("phone", problem))
    return problems


def derived_email_problem(name: str, pattern: str) -> str | None:
    """What is wrong with the address `pattern` makes of `name`, or None when nothing is.

    `pattern` is one `email_pattern` accepts: it makes an address of `first` and `last`. Each
    name part it uses must then give a word of `_ADDRESS_WORD`'s kind, which keeps it one."""
    given, _middle, family = name_parts(name)
    for placeholder, part in (("{first}", given), ("{last}", family)):
        word = ascii_letters(part)
        if placeholder not in pattern or _ADDRESS_WORD.fullmatch(word):
            continue
        if not part:
            return _(
                "{name} is one word, and email_pattern needs a first and a last name for the "
                "e-mail address; write both"
            ).format(name=quoted(name))
        if not word.strip():
            return _(
                "{part} has no Latin letter for the e-mail address that email_pattern makes; "
                "write the name in Latin letters"
            ).format(part=quoted(part))
        return _(
            "makes {value}, which is not an e-mail address; a name may hold only letters, digits,"
            " and a hyphen or an apostrophe inside a word"
        ).format(value=quoted(Contact(name, "").email(pattern)))
    return None


def phone_problem(phone: str) -> str | None:
    """What makes `phone` too short or too long to be a number, or None when nothing does."""
    e164 = Contact("", phone).phone_e164.removeprefix("+")
    if e164.startswith("0"):
        return _("{phone} has no country code (none begins with 0); write it as +46 …").format(
            phone=quoted(phone)
        )
    if len(e164) > _E164_DIGITS:
        return _("{phone} has more than the {_E164_DIGITS} digits a phone number may have").format(
            phone=quoted(phone), _E164_DIGITS=_E164_DIGITS
        )
    shortest, longest = _SWEDISH_DIGITS
    if e164.startswith("46") and not shortest <= len(e164) - 2 <= longest:
        return _(
            "{phone} is not a Swedish number: it has {x} digits after the 0, +46 or 0046, and a "
            "Swedish number has {shortest} to {longest}; write the whole number, area code "
            "included"
        ).format(phone=quoted(phone), x=len(e164) - 2, shortest=shortest, longest=longest)
    return None


def label_problem(label: str) -> str | None:
    """A label's year (its pattern allows 2009 to 2099) is not one still to come."""
    if int(label[-4:]) > schema.label_years()[1]:
        return _("{value} is from a year still to come; give the year it was given").format(
            value=quoted(label)
        )
    return None


def years_problem(first: int | None, last: int | None) -> str | None:
    """`first_year` is not later than `last_year`."""
    if first is not None and last is not None and first > last:
        return _("{last} is before first_year, {first}; give the years in their order").format(
            last=last, first=first
        )
    return None


def shadowing_problems(clusters: Sequence[Cluster]) -> list[tuple[Cluster, str, str]]:
    """Each alias or current name that is another cluster's id or name, as (cluster, key,
    problem): `show` takes an exact id first, then an exact name, so it never finds its own."""
    owners: dict[str, Cluster] = {}
    for cluster in clusters:
        owners.setdefault(fold(cluster.id), cluster)
        owners.setdefault(fold(cluster.name), cluster)
    found = []
    for cluster in clusters:
        names = [(f"aliases[{n}]", alias) for n, alias in enumerate(cluster.aliases)]
        names += [("now_called", cluster.now_called)] if cluster.now_called else []
        for key, name in names:
            other = owners.get(fold(name))
            if other is not None and other is not cluster:
                problem = _(
                    "{value} is the id or name of cluster {other}; give each cluster names of"
                    " its own"
                ).format(value=quoted(name), other=quoted(other.id))
                found.append((cluster, key, problem))
    return found
