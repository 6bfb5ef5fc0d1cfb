"""quicktoml reads plain TOML exactly as tomllib does, and leaves everything else to tomllib."""

import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from s3pilot_cli import quicktoml, schema
from s3pilot_cli.model import Registry
from tests.conftest import BUNDLED, MINIMAL
from tests.strategies import registries


@pytest.mark.parametrize("path", [BUNDLED, MINIMAL], ids=["bundled", "minimal"])
def test_the_registries_read_alike(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert quicktoml.loads(text) is not None
    assert quicktoml.loads(text) == tomllib.loads(text)


PLAIN = [
    "",
    "# only a comment\n",
    'a = "x"',
    'a="x"#c\n',
    '\ta = "tab\there"  # comment "with" quotes\n',
    "n = 0\nm = -12\np = +7\n",
    'list = []\nother = ["a", "b",]\nthird = [ "c" ]\n',
    'multi = [\n  "a",  # first\n\n  "b"\n]\n',
    "[ table ]\nk = 1\n[[ rows ]]\nk = 1\n[[rows]]\nk = 2\n",
    'k = "ä # not a comment"\n',
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_toml_is_read_as_tomllib_reads_it(text: str) -> None:
    assert quicktoml.loads(text) == tomllib.loads(text)


NOT_PLAIN = [
    'a = "escaped \\" quote"',
    "a = 'literal'",
    'a = """multi\nline"""',
    "a = 1.5",
    "a = 1_000",
    "a = 0x1F",
    "a = 01",
    "a = true",
    "a = 1979-05-27",
    "a = {x = 1}",
    "a.b = 1",
    '"quoted" = 1',
    "a = [1, 2]",
    'a = [["x"]]',
    'a = ["x" "y"]',
    'a = [\n"x"\n"y"\n]',
    'a = [ "x",\n]',
    'a = [\n"x",\n',
    "a = 1\na = 2",
    "[t]\n[t]",
    "t = 1\n[t]",
    "[[t]]\n[t]",
    "t = []\n[[t]]",
    "[t.u]",
    'a = "x"\r\nb = "y"',
    'a = "bell\x07"',
    "a =",
    "= 1",
    "garbage",
]


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_anything_else_is_left_to_tomllib(text: str) -> None:
    assert quicktoml.loads(text) is None


@settings(max_examples=80)
@given(registries())
def test_written_registries_read_alike(generated: Registry) -> None:
    text = tomli_w.dumps(schema.to_document(generated))
    quick = quicktoml.loads(text)
    if quick is not None:
        assert quick == tomllib.loads(text)
    if "\\" not in text and "{ " not in text:  # no escapes, no inline tables: plain TOML
        assert quick is not None


SNIPPETS = [
    'k = "v"', "k = 1", "k = -0", "k = 1.0", "k = true", 'k = "a\\"b"', "k = 'lit'",
    'k = ["a", "b"]', "k = [", '"x",', '"y"', "]", "[t]", "[[t]]", "[ t ]", "[[ t ]]",
    "[program]", "[[clusters]]", "a.b = 1", '"q" = 1', "# comment", "", "  ", "\t",
    'k = "# not"', "k = [] # c", "k = 1 # c", "k = { a = 1 }", "k = 1979-05-27",
]  # fmt: skip


@settings(max_examples=400)
@given(st.lists(st.sampled_from(SNIPPETS), max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_any_text_quicktoml_reads_tomllib_reads_alike(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    quick = quicktoml.loads(text)
    if quick is not None:
        assert quick == tomllib.loads(text)  # raises if tomllib would refuse it


@given(st.text(alphabet="ab\n"), st.integers(1, 8))
def test_lines_a_chunk_at_a_time_are_the_lines(text: str, chunk: int) -> None:
    assert list(quicktoml._lines(text, chunk)) == text.split("\n")
