"""Issue 18's small things a user meets: what an empty result, a short option or help says."""

import csv
import io
import subprocess
from collections.abc import Callable

from tests.conftest import Cli, in_pty, installed_command

# --- An empty result says so to a person, and nothing to a pipe -------------------------------


def test_empty_result_in_a_terminal_says_no_cluster_matched() -> None:
    # Uppsala län has no cluster in the programme (shared/reference/clusters.md).
    screen = in_pty([installed_command(), "list", "--region", "Uppsala"])
    assert "s3pilot: no cluster matched --region Uppsala" in screen.shown
    assert screen.returncode == 0


def test_empty_result_in_a_pipe_stays_empty(
    sh: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    done = sh("list", "--region", "Uppsala")
    assert (done.stdout, done.stderr, done.returncode) == ("", "", 0)


def test_search_without_match_in_a_terminal() -> None:
    screen = in_pty([installed_command(), "list", "--search", "zzzz"])
    assert "s3pilot: no cluster matched --search zzzz" in screen.shown


# --- --excel means csv ------------------------------------------------------------------------


def test_excel_alone_means_csv(cli: Cli) -> None:
    text = cli("export", "--excel", "-r", "Värmland").stdout
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert [row["name"] for row in rows] == ["Compare", "Paper Province"]
