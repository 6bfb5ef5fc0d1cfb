"""Contacts: a name becomes one address (or is refused with its place) and one vCard, and a
phone number becomes E.164 or is refused."""

import json
from collections.abc import Callable
from dataclasses import replace
from email.headerregistry import Address
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s3pilot_cli import model, rules
from s3pilot_cli.errors import ExitCode
from s3pilot_cli.textrules import quoted
from tests.conftest import (
    Cli,
    fails,
)

# --- A contact's name makes its e-mail address, or is refused -------------------------------------


def _with_contact(registry_text: str, name: str, phone: str = "08-681 94 51") -> str:
    """The minimal registry with its one contact (on lines 15 to 17) replaced."""
    text = registry_text.replace('name = "Ewa Andersson"', f"name = {_toml(name)}")
    return text.replace('phone = "08-681 94 51"', f"phone = {_toml(phone)}")


def _toml(text: str) -> str:
    """A TOML basic string: JSON's, for text without control characters."""
    return json.dumps(text, ensure_ascii=False)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        (
            "王小明",
            "'王小明' has no Latin letter for the e-mail address that email_pattern makes;"
            " write the name in Latin letters",
        ),
        (
            "Ωμέγα Αλφα",
            "'Ωμέγα' has no Latin letter for the e-mail address that email_pattern"
            " makes; write the name in Latin letters",
        ),
        (
            "Anna \U0001f600",
            "'\U0001f600' has no Latin letter for the e-mail address that"
            " email_pattern makes; write the name in Latin letters",
        ),
        (
            "Madonna",
            "'Madonna' is one word, and email_pattern needs a first and a last name for"
            " the e-mail address; write both",
        ),
        (
            "x@evil.example?body=hi Berg",
            "makes 'x@evil.example?body=hi.berg@tillvaxtverket.se',"
            " which is not an e-mail address; a name may hold only letters, digits, and a hyphen"
            " or an apostrophe inside a word",
        ),
        (
            "Ann; Berg",
            "makes 'ann;.berg@tillvaxtverket.se', which is not an e-mail address;"
            " a name may hold only letters, digits, and a hyphen or an apostrophe inside a word",
        ),
    ],
)
@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["contacts"],
        ["contacts", "--format", "vcard"],
        ["export", "--format", "sqlite", "-o", "out.db"],
        ["export", "--format", "xlsx", "-o", "out.xlsx"],
    ],
)
def test_a_name_that_makes_no_address_is_refused_with_its_place(
    cli: Cli,
    write_registry: Callable[[str], Path],
    registry_text: str,
    name: str,
    problem: str,
    command: list[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """These once crashed with IndexError, or let `mailto:` links to foreign addresses and
    `ann;.berg@` through. Now each is one located line, exit 4, and no file written."""
    path = write_registry(_with_contact(registry_text, name))
    monkeypatch.chdir(tmp_path)
    located = f"{path}:16: contact #1 {quoted(name)}: name: {problem}"
    if command == ["validate"]:
        assert _validate(cli, path) == [located]
    else:
        assert fails(cli, "--registry", str(path), *command, code=4) == located
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def _validate(cli: Cli, path: Path) -> list[str]:
    """`validate PATH` of a registry with problems: the problems it prints, one a line."""
    run = cli("validate", str(path), exit_code=ExitCode.BAD_REGISTRY)
    *problems, summary = run.stderr.splitlines()
    assert summary.startswith(f"s3pilot: {path}: ")
    return [line.removeprefix("s3pilot: ") for line in problems]


@pytest.mark.parametrize(
    ("phone", "problem"),
    [
        (
            "08-123",
            "'08-123' is not a Swedish number: it has 4 digits after the 0, +46 or 0046, and"
            " a Swedish number has 7 to 13; write the whole number, area code included",
        ),
        (
            "+46 8 123",
            "'+46 8 123' is not a Swedish number: it has 4 digits after the 0, +46 or 0046, and"
            " a Swedish number has 7 to 13; write the whole number, area code included",
        ),
        (
            "0046 8 123",
            "'0046 8 123' is not a Swedish number: it has 4 digits after the 0, +46 or 0046, and"
            " a Swedish number has 7 to 13; write the whole number, area code included",
        ),
        ("0000 12 34", "'0000 12 34' has no country code (none begins with 0); write it as +46 …"),
        (
            "+1 234 567 890 123 456",
            "'+1 234 567 890 123 456' has more than the 15 digits a phone number may have",
        ),
    ],
)
def test_a_phone_number_that_cannot_be_one_is_refused(
    cli: Cli, write_registry: Callable[[str], Path], registry_text: str, phone: str, problem: str
) -> None:
    path = write_registry(_with_contact(registry_text, "Ewa Andersson", phone))
    assert _validate(cli, path) == [f"{path}:17: contact #1 'Ewa Andersson': phone: {problem}"]


@pytest.mark.parametrize(
    ("phone", "e164"),
    [
        ("0046 8 681 94 51", "+4686819451"),  # the international prefix, not a trunk 0
        ("00 47 22 00 00 00", "+4722000000"),
        ("08-681 94 51", "+4686819451"),
        ("+46 8 681 94 51", "+4686819451"),
        ("070-123 45 67", "+46701234567"),
    ],
)
def test_phone_e164_reads_the_international_prefix(
    cli: Cli, write_registry: Callable[[str], Path], registry_text: str, phone: str, e164: str
) -> None:
    path = write_registry(_with_contact(registry_text, "Ewa Andersson", phone))
    (contact,) = json.loads(cli("--registry", str(path), "contacts", "-f", "json").stdout)
    assert contact["phone_e164"] == e164


@pytest.mark.parametrize(
    ("name", "address", "n"),
    [
        # Given name first, family name last, additional names between (RFC 6350 6.2.2).
        ("Anna Maria Svensson", "anna.svensson@tillvaxtverket.se", "Svensson;Anna;Maria;;"),
        (
            "Anna Maria Lisa Svensson",
            "anna.svensson@tillvaxtverket.se",
            "Svensson;Anna;Maria,Lisa;;",
        ),
        ("Åsa Öberg-Ærø", "asa.oberg-aero@tillvaxtverket.se", "Öberg-Ærø;Åsa;;;"),
        ("Seán O'Brien", "sean.o'brien@tillvaxtverket.se", "O'Brien;Seán;;;"),
    ],
)
def test_one_rule_splits_a_name_for_the_address_and_the_vcard(
    cli: Cli,
    write_registry: Callable[[str], Path],
    registry_text: str,
    name: str,
    address: str,
    n: str,
) -> None:
    """The e-mail's {first} and {last} are the vCard's given and family names."""
    path = write_registry(_with_contact(registry_text, name))
    (contact,) = json.loads(cli("--registry", str(path), "contacts", "-f", "json").stdout)
    assert contact["email"] == address
    # Read back by the standard library's RFC 5322 parser: one address, all of it.
    assert Address(addr_spec=address).addr_spec == address
    card = cli("--registry", str(path), "contacts", "-f", "vcard").stdout
    assert f"\r\nN:{n}\r\n" in card
    assert f"\r\nEMAIL;TYPE=work:{address}\r\n" in card


def test_a_one_word_name_with_a_pattern_of_first_alone(
    cli: Cli, write_registry: Callable[[str], Path], registry_text: str
) -> None:
    """`Madonna` is refused for `{first}.{last}@` (above), and is a given name for `{first}@`."""
    text = _with_contact(registry_text, "Madonna").replace("{first}.{last}@", "{first}@")
    path = write_registry(text)
    (contact,) = json.loads(cli("--registry", str(path), "contacts", "-f", "json").stdout)
    assert contact["email"] == "madonna@tillvaxtverket.se"
    card = cli("--registry", str(path), "contacts", "-f", "vcard").stdout
    assert "\r\nN:;Madonna;;;\r\n" in card


def test_the_python_api_never_crashes_on_a_name_without_latin_letters() -> None:
    """A registry built in Python is not validated: its records still come out."""
    from s3pilot_cli import contact_records, load

    base = load()
    registry = replace(base, contacts=(model.Contact("王小明", "08-681 94 51"),))
    (record,) = contact_records(registry)
    assert record["name"] == "王小明"
    assert rules.derived_email_problem("王小明", base.program.email_pattern) is not None


@settings(max_examples=300)
@given(
    st.lists(
        st.text(st.characters(codec="utf-8"), min_size=1, max_size=8),
        min_size=1,
        max_size=4,
    ).map(" ".join)
)
def test_a_name_either_makes_one_address_or_is_refused(name: str) -> None:
    """Any text as a name: the model never fails on it, and when the check accepts it, the
    standard library's RFC 5322 parser reads the address back whole, at the pattern's domain."""
    pattern = "{first}.{last}@tillvaxtverket.se"
    address = model.Contact(name, "08-681 94 51").email(pattern)
    if rules.derived_email_problem(name, pattern) is None:
        parsed = Address(addr_spec=address)
        assert parsed.addr_spec == address
        assert parsed.domain == "tillvaxtverket.se"
        assert not set('?#&;,<>()[]:\\" ') & set(parsed.username)


def test_contacts_in_a_pipe(cli: Cli) -> None:
    assert cli("contacts").stdout == (
        "Ewa Andersson\t08-681 94 51\tewa.andersson@tillvaxtverket.se\n"
        "Cecilia Johansson\t08-681 91 32\tcecilia.johansson@tillvaxtverket.se\n"
    )


def test_contacts_json(cli: Cli) -> None:
    assert json.loads(cli("contacts", "--format", "json").stdout)[1] == {
        "name": "Cecilia Johansson",
        "organization": "Tillväxtverket",
        "phone": "08-681 91 32",
        "phone_e164": "+4686819132",
        "email": "cecilia.johansson@tillvaxtverket.se",
    }


def _vcard_properties(text: str) -> list[dict[str, str]]:
    """A small RFC 6350 reader: unfold lines, split cards, name → value."""
    assert "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")
    cards: list[dict[str, str]] = []
    for line in unfolded.split("\r\n"):
        if not line:
            continue
        name, _, value = line.partition(":")
        if name == "BEGIN":
            cards.append({})
        cards[-1][name] = value
    return cards


def test_contacts_vcard_parses_back_field_by_field(cli: Cli) -> None:
    text = cli("contacts", "--format", "vcard").stdout
    cards = _vcard_properties(text)
    assert cards == [
        {
            "BEGIN": "VCARD",
            "VERSION": "4.0",
            "FN": "Ewa Andersson",
            "N": "Andersson;Ewa;;;",
            "ORG": "Tillväxtverket",
            'TEL;VALUE=uri;TYPE="work,voice"': "tel:+4686819451",
            "EMAIL;TYPE=work": "ewa.andersson@tillvaxtverket.se",
            "END": "VCARD",
        },
        {
            "BEGIN": "VCARD",
            "VERSION": "4.0",
            "FN": "Cecilia Johansson",
            "N": "Johansson;Cecilia;;;",
            "ORG": "Tillväxtverket",
            'TEL;VALUE=uri;TYPE="work,voice"': "tel:+4686819132",
            "EMAIL;TYPE=work": "cecilia.johansson@tillvaxtverket.se",
            "END": "VCARD",
        },
    ]
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
