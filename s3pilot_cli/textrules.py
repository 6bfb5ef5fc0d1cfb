"""Text rules shared by the model, the look-up and the writers.

Folding (for matching and for e-mail addresses) and control characters (which never reach a
terminal raw) each have one definition, here.
"""

import re
import unicodedata

from s3pilot_cli.invisible import RANGES as INVISIBLE


# Characters never valid inside a registry value, each of which would show a reader a different
# text from the one stored: C0 and C1 control characters (DEL included); the line and paragraph
# separators, which str.splitlines() takes for line ends; and every character that draws
# nothing, by Unicode's own rule (general category Cf plus Default_Ignorable_Code_Point, the
# table invisible.py that scripts/make_invisible.py generates): bidi controls ("Trojan
# Source"), zero-width spaces and joiners, the soft hyphen, tag characters, variation
# selectors, Hangul fillers. The zero-width joiner inside an emoji sequence is no exception:
# a registry of organisations needs no emoji, and one exception would let a joiner through
# between any two characters. The ranges of a regex character class: \u escapes in the BMP,
# which Python, ECMA and Rust regexes read alike, and the characters themselves above it,
# which each reads as one character (ECMA with its u flag, as JSON Schema validators use it);
# the JSON Schema's patterns are built from them.
def _class_range(first: int, last: int) -> str:
    def one(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)

    return one(first) if first == last else f"{one(first)}-{one(last)}"


DRAWS_NOTHING = "".join(_class_range(first, last) for first, last in INVISIBLE)
CONTROL_RANGES = r"\u0000-\u001f\u007f-\u009f\u2028\u2029" + DRAWS_NOTHING
# Lone surrogates too: no TOML file can hold one, but a JSON one can (`"\ud800"`), and no
# UTF-8 writer can write it. Not in CONTROL_RANGES: Rust's regexes cannot name them.
SURROGATE_RANGE = r"\ud800-\udfff"
_CONTROL = re.compile(f"[{CONTROL_RANGES}{SURROGATE_RANGE}]")
_DRAWS_NOTHING = re.compile(f"[{DRAWS_NOTHING}]+")
# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "þ": "th"})
_SEPARATORS = re.compile(r"[\s\-_\u2010-\u2015]+")  # white space, hyphens, dashes


def strip_marks(text: str) -> str:
    """`Jämtland` → `Jamtland`: drop diacritics, keep everything else."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """The key two spellings share when a user means the same thing.

    Case, diacritics, surrounding white space and hyphens versus spaces do not count:
    `  vastra-GÖTALAND ` and `Västra Götaland` fold alike.
    """
    # ASCII text, every name of most registries, needs no Unicode decomposition (validation
    # folds every name; benchmarks/scale.py); tests/test_textrules.py compares the two paths.
    if text.isascii():
        return " ".join(text.casefold().replace("-", " ").replace("_", " ").split())
    return _fold_unicode(text)


def _fold_unicode(text: str) -> str:
    # What draws nothing never tells two spellings apart (`Mob\u00adile`: Mobile).
    folded = strip_marks(_DRAWS_NOTHING.sub("", text)).casefold().translate(_UNDECOMPOSED)
    return _SEPARATORS.sub(" ", folded).strip()


def ascii_letters(text: str) -> str:
    """`Åsa Öberg` → `asa oberg`: lower case, diacritics and non-ASCII letters folded."""
    folded = strip_marks(text).lower().translate(_UNDECOMPOSED)
    return folded.encode("ascii", "ignore").decode("ascii")


# A match (truthy) where the text holds a control, format or surrogate character, the one rule
# for what a registry refuses and a terminal never gets raw; a C-level callable for `map`.
find_control = _CONTROL.search


def _escape(character: str) -> str:
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code > 0xFFFF:
        return f"\\U{code:08x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str) -> str:
    """The text with every character `find_control` finds shown as an escape (`\\x1b`,
    `\\u202e`; an undecodable byte of a file name as `\\xff`): safe for a terminal, and
    writable in any encoding that has ASCII."""
    return _CONTROL.sub(lambda m: _escape(m.group()), text)


def path_text(path: object) -> str:
    """A file's name as text that any UTF-8 writer can write: a byte that is not UTF-8 (held
    as a lone surrogate by Python) shown as `\\xff`, everything else as it is."""
    import os

    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def describe(character: str) -> str:
    """What kind of refused character `character` is, with its code, for a message."""
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate"
    elif code <= 0x9F:
        kind = "a control character"
    elif code in (0x2028, 0x2029):
        kind = "a line or paragraph separator"
    else:
        kind = "an invisible format character"
    return f"{kind} (U+{code:04X})"


def shortened(text: str, limit: int = 60) -> str:
    """`text` made visible, and cut to `limit` characters with `…` where it is longer."""
    shown = visible(text[: limit * 8])  # an escape is at most 6 characters for one
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def quoted(text: str, limit: int = 60) -> str:
    """A value quoted for a message: control characters escaped, long values cut short, in the
    quotation marks of the user's language ('…' in English, ”…” in Swedish)."""
    from s3pilot_cli.i18n import _

    # TRANSLATORS: the quotation marks around a value in a message.
    return _("'{value}'").format(value=shortened(text, limit))


def listed(items: list[str]) -> str:
    """`items` as a sentence lists them: "Jönköping, Kronoberg and Kalmar" ("… och Kalmar")."""
    if len(items) < 2:
        return "".join(items)
    from s3pilot_cli.i18n import _

    # TRANSLATORS: the last two items of a list in a sentence: "Kronoberg and Kalmar".
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def year_range(text: str) -> str:
    """A range of years as people read it, with an en dash (U+2013) for its hyphen, in
    English as in Swedish; the data keeps what it was written with."""
    return text.replace("-", "\u2013")


def grouped(number: int, mark: str) -> str:
    """`number` with `mark` between its thousands (`600,000`; `600 000`)."""
    return f"{number:,}".replace(",", mark)


# How the text formats (plain, tsv, csv, Markdown) write a list in one cell; a registry
# refuses the separator's first character inside a list item, so no item becomes two.
LIST_SEPARATOR = "; "


# Swedish alphabetical order: å, ä, ö are letters of their own, after z; other marks are not.
_SWEDISH_LAST = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"})


def swedish_sort_key(text: str) -> str:
    """A key that sorts `Örebro` after `Västmanland` and `Östergötland` after `Örebro`."""
    return strip_marks(text.casefold().translate(_SWEDISH_LAST))


# Every code point that any of `fold`'s steps treats specially lies below this one (Unicode
# 14: the last combining mark is U+1E94A; the last cased letter U+1E943); tests/test_html.py
# scans the whole range to hold it so.
_FOLD_SCAN_END = 0x20000


def fold_rule(end: int = _FOLD_SCAN_END) -> dict[str, object]:
    """`fold`'s steps as data, for another language to repeat them exactly (the web page's
    search box, in JavaScript): drop what draws nothing (`invisible`, inclusive code point
    ranges); after NFKD, drop the `marks` (ranges); case-fold each character (`casefold`,
    where that is not its lower case); replace the `undecomposed` letters; then each run of
    `separators` (ranges) is one space, and the ends are trimmed. The code points below `end`
    are read (the whole of Unicode: 0x110000)."""
    import sys
    from array import array

    order = "le" if sys.byteorder == "little" else "be"
    every = array("I", range(end)).tobytes().decode(f"utf-32-{order}", "surrogatepass")
    # each run of marks (or of separators) is one match: one range
    classes = bytes(map(unicodedata.combining, every))  # each class fits a byte (0 to 240)
    marks = [[match.start(), match.end() - 1] for match in re.finditer(rb"[^\x00]+", classes)]
    separators = [[match.start(), match.end() - 1] for match in _SEPARATORS.finditer(every)]
    casefolded = {}
    block = 256  # whole blocks that fold as they lower are skipped
    for first in range(0, end, block):
        part = every[first : first + block]
        if part.casefold() != part.lower():
            casefolded.update({c: c.casefold() for c in part if c.casefold() != c.lower()})
    return {
        "invisible": [list(pair) for pair in INVISIBLE],
        "marks": marks,
        "separators": separators,
        "casefold": casefolded,
        "undecomposed": {chr(code): text for code, text in _UNDECOMPOSED.items()},
    }
