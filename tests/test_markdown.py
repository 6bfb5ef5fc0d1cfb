"""`export --format markdown`, rendered by a CommonMark reader (markdown-it-py): every value
reads as its own text."""

import io
import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from s3pilot_cli.textrules import find_control
from tests.conftest import MINIMAL, Cli, interop

# --- Markdown, rendered by a CommonMark library ------------------------------------------------


def _cells_as_rendered(markdown: str) -> list[list[str]]:
    """The text of each table cell as markdown-it-py (CommonMark, with GitHub's tables and
    strikethrough) renders it; anything but plain text in a cell fails."""
    MarkdownIt = interop("markdown_it").MarkdownIt
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    rows: list[list[str]] = []
    for token in parser.parse(markdown):
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            kinds = {child.type for child in token.children or ()}
            assert kinds <= {"text"}, f"{token.content!r} renders as {kinds}"
            rows[-1].append("".join(child.content for child in token.children or ()))
    return rows


NASTY = "*bold* [x](y) <b> `code` ~~gone~~ &amp; a\\b | c _u_ ![i](j) <https://x.se>"


def test_markdown_renders_every_value_as_its_text(cli: Cli, tmp_path: Path) -> None:
    registry = MINIMAL.read_text(encoding="utf-8").replace(
        'name = "Paper Province"', f"name = {json.dumps(NASTY)}", 1
    )
    path = tmp_path / "nasty.toml"
    path.write_text(registry, encoding="utf-8")
    text = cli("--registry", str(path), "export", "--format", "markdown").stdout
    rows = _cells_as_rendered(text)
    assert rows[0][:2] == ["id", "name"]
    assert NASTY in [row[1] for row in rows]
    records = json.loads(cli("--registry", str(path), "export", "--format", "json").stdout)
    assert [row[1] for row in rows[1:]] == [record["name"] for record in records]


# Markdown's own characters often, any other character (but controls and characters that draw
# nothing, which `visible` shows as escapes) now and then.
_MARKDOWNISH = st.one_of(
    st.sampled_from(list("\\`*_[]()<>&;#|~!:/. ab")),
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")).filter(
        lambda c: not find_control(c)
    ),
)


@given(st.lists(st.text(_MARKDOWNISH), min_size=1))
def test_markdown_keeps_any_text(values: list[str]) -> None:
    from s3pilot_cli.formats.delimited import write_markdown
    from s3pilot_cli.records import Records

    values = [value.strip() for value in values]  # a table cell's edges are not its text
    out = io.StringIO()
    write_markdown(out, Records(tuple(f"f{n}" for n in range(len(values))), (tuple(values),)))
    assert _cells_as_rendered(out.getvalue())[1] == values
