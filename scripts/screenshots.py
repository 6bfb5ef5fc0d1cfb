"""The web page's screenshots in docs/: `export --format html` of the bundled registry, as
headless Chromium shows it 375 and 1280 pixels wide (the whole page, top to bottom).

    uv run python scripts/screenshots.py

Needs the browser group (Selenium, a default group) and the system's Chromium and its driver
(Debian: apt-get install chromium chromium-driver). Run it after changing the page's look, and
look at the pictures before committing them.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.chromium import chromium  # noqa: E402 (the path above first)

WIDTHS = (375, 1280)
# The top of the page: its title, the map and the first rows of the table.
MOST_HEIGHT = 2200


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "kluster.html"
        subprocess.run(
            [sys.executable, "-m", "s3pilot_cli", "export", "-o", str(page)],
            check=True,
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": folder},
        )
        with chromium() as browser:
            for width in WIDTHS:
                browser.set_window_size(width, 900)
                browser.get(page.as_uri())
                height = browser.execute_script("return document.documentElement.scrollHeight")
                browser.set_window_size(width, min(int(height), MOST_HEIGHT))
                target = ROOT / "docs" / f"page-{width}.png"
                browser.save_screenshot(str(target))
                print(f"wrote {target.relative_to(ROOT)} ({width} x {height})")


if __name__ == "__main__":
    main()
