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
