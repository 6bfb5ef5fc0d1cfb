"""`export --format html` in a real browser: headless Chromium (Selenium), with axe-core for
accessibility and the W3C Nu HTML Checker for the markup.

Chromium and its driver come from the system (Debian: apt-get install chromium
chromium-driver); axe-core and vnu.jar from npm (`npm ci --ignore-scripts` in tests/browser);
the Nu checker needs Java. Each test skips, saying what to install, where one is missing.
"""

import json
import random
import shutil
import subprocess
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("selenium", reason="needs Selenium: uv sync --group browser")

from selenium.webdriver import Chrome as WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from s3pilot_cli.textrules import fold, swedish_sort_key
from tests.browser.chromium import AXE, VNU, chromium, missing
from tests.conftest import BUNDLED, Cli, interop

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(missing() is not None, reason=missing() or ""),
]

NAMES = [c["name"] for c in tomllib.loads(BUNDLED.read_text(encoding="utf-8"))["clusters"]]


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    with chromium() as opened:
        yield opened


def _page(cli: Cli, folder: Path, *args: str, env: dict[str, str] | None = None) -> Path:
    path = folder / "kluster.html"
    cli("export", "-o", str(path), *args, env=env)
    return path


def _open(browser: WebDriver, page: Path, width: int = 1280, height: int = 900) -> None:
    browser.set_window_size(width, height)
    browser.get(page.as_uri())
    browser.get_log("browser")  # type: ignore[no-untyped-call]  # an earlier page's


def _shown_rows(browser: WebDriver) -> list[str]:
    rows = browser.find_elements(By.CSS_SELECTOR, "#clusters-table tbody tr")
    return [row.find_element(By.TAG_NAME, "th").text for row in rows if row.is_displayed()]


def test_the_page_loads_with_no_console_message_and_no_request(
    browser: WebDriver, cli: Cli, tmp_path: Path
) -> None:
    _open(browser, _page(cli, tmp_path))
    assert browser.title == "S3-piloten: the clusters"
    assert browser.get_log("browser") == []  # type: ignore[no-untyped-call]
    # nothing fetched: no resource at all beside the page itself
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    # the script ran: the search box shows, with its count
    assert browser.find_element(By.ID, "search-box").is_displayed()
    assert browser.find_element(By.ID, "search-count").text == "Showing 22 of 22 clusters"


def test_steel_finds_triple_steelix_alone(browser: WebDriver, cli: Cli, tmp_path: Path) -> None:
    _open(browser, _page(cli, tmp_path))
    box = browser.find_element(By.ID, "search-box")
    box.send_keys("steel")
    assert _shown_rows(browser) == ["Triple Steelix"]
    assert browser.find_element(By.ID, "search-count").text == "Showing 1 of 22 clusters"
    box.clear()
    box.send_keys("KARLSTAD")  # as `list --search KARLSTAD`: case does not count
    assert _shown_rows(browser) == ["Compare", "Paper Province"]
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("jarnvag")  # nor do å, ä, ö
    assert _shown_rows(browser) == ["Järnvägsklustret"]


def _random_texts(count: int) -> list[str]:
    """Texts of assigned characters (Python's Unicode; the browser's may be newer), often the
    ones `fold` treats specially: marks, dashes, spaces, Swedish and other letters."""
    rng = random.Random(20261206)  # noqa: S311 (a sample to repeat, not a secret)
    special = list("åäöÅÄÖøØæÆßẞłŁđĐþÞ-_\u2010\u2013\u2014 \t\n\x1c\xa0\u3000")
    # dotted and dotless i, the sigmas, a title-case digraph, a ligature, circled and Roman numbers
    special += list("\u0130\u0131\u03a3\u03c3\u03c2\u01c5\ufb01\u2460\u216b")
    special += ["\u0301", "\u0308", "\u20dd", "\u093f", "\ua8e0", "\u13a0", "\uab70", "\u1c80"]
    special += ["\xad", "\u200b", "\u2060", "\u202e", "\ufeff", "\U000e0041"]  # draw nothing
    text: list[str] = []
    while len(text) < count:
        length = rng.randint(0, 12)
        characters: list[str] = []
        while len(characters) < length:
            if rng.random() < 0.5:
                characters.append(rng.choice(special))
                continue
            code = rng.choice((rng.randint(0, 0x24F), rng.randint(0, 0x2FFFF)))
            character = chr(code)
            if unicodedata.category(character) not in ("Cn", "Cs", "Co"):
                characters.append(character)
        text.append("".join(characters))
    return text


def test_the_pages_fold_is_pythons(browser: WebDriver, cli: Cli, tmp_path: Path) -> None:
    """The search box folds a query as `list --search` does: the script's fold against
    `textrules.fold` on the registry's names and thousands of random texts."""
    _open(browser, _page(cli, tmp_path))
    texts = [*NAMES, "Västra Götaland", "  vastra-GÖTALAND ", *_random_texts(3000)]
    folded = browser.execute_script(
        "return arguments[0].map((text) => window.s3pilotFold(text));", texts
    )
    differ = [(t, f, fold(t)) for t, f in zip(texts, folded, strict=True) if f != fold(t)]
    assert differ == []


def test_each_heading_sorts_its_column(browser: WebDriver, cli: Cli, tmp_path: Path) -> None:
    """In Swedish, å, ä and ö after z, as `list --sort name` sorts."""
    _open(browser, _page(cli, tmp_path, env={"LANG": "sv_SE.UTF-8"}))
    button = browser.find_element(By.CSS_SELECTOR, "#clusters-table thead th:first-child button")
    assert button.text == "Namn"
    button.click()
    assert _shown_rows(browser) == sorted(NAMES, key=swedish_sort_key)
    heading = browser.find_element(By.CSS_SELECTOR, "#clusters-table thead th:first-child")
    assert heading.get_attribute("aria-sort") == "ascending"
    button.send_keys(Keys.ENTER)  # a button: the keyboard sorts too
    assert _shown_rows(browser) == sorted(NAMES, key=swedish_sort_key, reverse=True)
    assert heading.get_attribute("aria-sort") == "descending"


def test_the_keyboard_reaches_the_skip_link_first(
    browser: WebDriver, cli: Cli, tmp_path: Path
) -> None:
    _open(browser, _page(cli, tmp_path))
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.text == "Skip to the clusters"
    assert focused.is_displayed()  # shown when focused, for the people who use the keyboard


def _page_width(browser: WebDriver) -> tuple[int, int]:
    return tuple(
        browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
    )


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_no_sideways_scrolling(browser: WebDriver, cli: Cli, tmp_path: Path, width: int) -> None:
    _open(browser, _page(cli, tmp_path), width=width)
    scrolled, shown = _page_width(browser)
    assert shown == width
    assert scrolled <= shown


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_show_the_page(
    browser: WebDriver, cli: Cli, tmp_path: Path, width: int
) -> None:
    """The picture scripts/screenshots.py makes for docs/: the page's title, and its map, in
    the top of the picture (read back as pixels: not blank, not one colour)."""
    image_module = interop("PIL.Image")

    _open(browser, _page(cli, tmp_path), width=width, height=1400)
    shot = tmp_path / f"page-{width}.png"
    browser.save_screenshot(str(shot))
    with image_module.open(shot) as image:
        assert image.width == width
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None
        assert len(colours) > 50  # text, map colours, links
    heading = browser.find_element(By.TAG_NAME, "h1")
    assert heading.text == "S3-piloten: 22 clusters"
    assert heading.rect["y"] < 100
    committed = Path(__file__).parent.parent / "docs" / f"page-{width}.png"
    with image_module.open(committed) as image:
        assert image.width == width


def test_printing_gives_the_list_without_the_search_and_the_map(
    browser: WebDriver, cli: Cli, tmp_path: Path
) -> None:
    _open(browser, _page(cli, tmp_path))
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element(By.ID, "search").is_displayed()
        assert not browser.find_element(By.CSS_SELECTOR, "figure.map").is_displayed()
        assert len(_shown_rows(browser)) == 22
        assert browser.find_element(By.ID, "paper-province").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def _axe(browser: WebDriver) -> dict[str, Any]:
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(done, (e) => done({error: String(e)}));"
    )
    return result


@pytest.mark.skipif(
    not AXE.exists(), reason="needs axe-core: npm ci --ignore-scripts in tests/browser"
)
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("lang", ["C.UTF-8", "sv_SE.UTF-8"])
def test_axe_finds_no_violation(
    browser: WebDriver, cli: Cli, tmp_path: Path, width: int, lang: str
) -> None:
    _open(browser, _page(cli, tmp_path, env={"LANG": lang}), width=width)
    browser.find_element(By.ID, "search-box").send_keys("a")  # a state the script made
    result = _axe(browser)
    assert "error" not in result
    found = [
        (v["id"], v["help"], [node["target"] for node in v["nodes"]][:5])
        for v in result["violations"]
    ]
    assert found == []


@pytest.mark.skipif(
    not VNU.exists(), reason="needs vnu-jar: npm ci --ignore-scripts in tests/browser"
)
@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML Checker needs Java")
def test_the_nu_html_checker_finds_no_error(cli: Cli, tmp_path: Path) -> None:
    page = _page(cli, tmp_path)
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--also-check-svg", str(page)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    # The checker reads the policy's inline style and script as blocked: it does not compute
    # their hashes. tests/test_html.py holds the hashes to the page; Chromium runs the script
    # (the search box shows) and logs no violation (test_the_page_loads_…).
    unweighed = "violates Content Security Policy (meta tag)"
    assert [
        (m["type"], m.get("message"), m.get("extract"))
        for m in messages
        if not (m["type"] == "info" and unweighed in m.get("message", ""))
    ] == []
