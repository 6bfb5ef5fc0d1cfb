"""The text rules: folding, Swedish order, control characters."""

from hypothesis import given
from hypothesis import strategies as st

from s3pilot_cli.textrules import _fold_unicode, ascii_letters, fold, swedish_sort_key, visible


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_path_folds_as_the_unicode_rule_does(text: str) -> None:
    assert fold(text) == _fold_unicode(text)


def test_fold() -> None:
    assert fold("  vastra-GÖTALAND ") == fold("Västra Götaland") == "vastra gotaland"
    assert fold("Jämtland\u2013Härjedalen") == "jamtland harjedalen"  # an en dash
    assert fold("Ørsted") == "orsted"


def test_ascii_letters_for_email_addresses() -> None:
    assert ascii_letters("Åsa Öberg-Ærø") == "asa oberg-aero"
    assert ascii_letters("Cecilia Johansson") == "cecilia johansson"


def test_swedish_order() -> None:
    names = ["Örebro", "Östergötland", "Västmanland", "Ängelholm", "Åre", "Zeta", "Émile"]
    assert sorted(names, key=swedish_sort_key) == [
        "Émile",
        "Västmanland",
        "Zeta",
        "Åre",
        "Ängelholm",
        "Örebro",
        "Östergötland",
    ]


def test_visible_escapes_every_control_character() -> None:
    assert visible("a\x1b[31mb\x07\x9b\x00") == "a\\x1b[31mb\\x07\\x9b\\x00"
    assert visible("Värmland [bold]") == "Värmland [bold]"


# Characters that draw nothing, each of which a registry once accepted, `fold` kept and `plain`
# wrote raw: the soft hyphen, Mongolian vowel separator, zero-width non-joiner and joiner,
# invisible operators, deprecated format characters, interlinear annotation, tag characters,
# combining grapheme joiner, variation selectors, Arabic and other prepended marks, shorthand
# format controls, Egyptian hieroglyph format controls.
DRAW_NOTHING = [
    0x00AD,
    0x180E,
    0x200C,
    0x200D,
    *range(0x2061, 0x2065),
    *range(0x206A, 0x2070),
    *range(0xFFF9, 0xFFFC),
    0xE0001,
    *range(0xE0020, 0xE0080),
    0x034F,
    *range(0xFE00, 0xFE10),
    *range(0xE0100, 0xE01F0),
    *range(0x0600, 0x0606),
    0x06DD,
    0x110BD,
    *range(0x1BCA0, 0x1BCA4),
    *range(0x13430, 0x13440),
    # and those refused before: bidi controls, zero-width space, word joiner, BOM, ALM
    0x202E,
    0x2066,
    0x200B,
    0x2060,
    0xFEFF,
    0x061C,
]


def test_every_character_that_draws_nothing_is_found_escaped_and_folded_away() -> None:
    from s3pilot_cli.textrules import find_control

    for code in DRAW_NOTHING:
        text = f"Mob{chr(code)}ile Heights"
        assert find_control(text), hex(code)
        assert fold(text) == "mobile heights", hex(code)
        shown = visible(text)
        assert shown.isascii(), hex(code)
        assert shown.replace("\\", "", 1) != "Mobile Heights", hex(code)


def test_every_format_character_of_python_s_own_unicode_data_is_in_the_rule() -> None:
    """The generated table against an independent source: the standard library's categories
    (an older Unicode, perhaps, than the table's; never a newer one)."""
    import unicodedata

    from s3pilot_cli.invisible import UNICODE_VERSION
    from s3pilot_cli.textrules import find_control

    version = tuple(int(part) for part in UNICODE_VERSION.split("."))
    assert version >= tuple(int(part) for part in unicodedata.unidata_version.split("."))
    missed = [
        hex(code)
        for code in range(0x110000)
        if unicodedata.category(chr(code)) == "Cf" and not find_control(chr(code))
    ]
    assert missed == []


def test_visible_escapes_a_character_beyond_the_bmp_unambiguously() -> None:
    assert visible("a\U000e0041b") == "a\\U000e0041b"
    assert visible("a\u00adb") == "a\\xadb"


def test_what_draws_something_is_kept() -> None:
    from s3pilot_cli.textrules import find_control

    for text in ["Västra Götaland", "Ærø", "王小明", "Ελλάδα", "עברית", "👩", "e\u0301"]:
        assert not find_control(text), text
        assert visible(text) == text
