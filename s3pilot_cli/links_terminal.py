"""What a person at a terminal sees of `check-links` on stderr: a progress bar while the links
are asked, and one line at the end that sums them up (`links.summary`).

Apart from the engine (links.py) because it draws with Rich, which the engine never imports.
"""

from collections.abc import Sequence

from s3pilot_cli import links
from s3pilot_cli.i18n import _


def check(items: Sequence[links.Link], *, timeout: float, per_host: int) -> list[links.LinkResult]:
    """`links.check` with a progress bar on stderr, gone once the check is over."""
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(_("checking links"), total=len(items))
        return links.check(
            items, timeout=timeout, per_host=per_host, progress=lambda _: bar.advance(task)
        )
