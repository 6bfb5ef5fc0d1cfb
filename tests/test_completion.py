"""Shell completion as a person uses it: TAB in a real interactive shell, in a terminal, then
Enter; the completed line must run. A value with a space (Västra Götaland, Triple
Steelix) must reach s3pilot as one argument in bash, zsh and fish alike."""

import fcntl
import os
import pty
import select
import shutil
import struct
import subprocess
import termios
import time
from pathlib import Path

import pytest

from tests.conftest import installed_command

pytestmark = pytest.mark.slow  # see pyproject.toml: the quick loop leaves this file out

# How each shell starts without the person's own settings, and takes s3pilot's completion
# script (the one `s3pilot --install-completion` installs) into the session.
SHELLS = {
    "bash": (
        ["bash", "--norc", "--noprofile", "-i"],
        ["source <(s3pilot --show-completion bash)"],
    ),
    "zsh": (
        ["zsh", "-f", "-i"],
        ["autoload -Uz compinit && compinit -u", "source <(s3pilot --show-completion zsh)"],
    ),
    "fish": (
        ["fish", "--no-config", "-i"],
        ["s3pilot --show-completion fish | source"],
    ),
}


def _read(fd: int, quiet: float, limit: float) -> bytes:
    """What the terminal shows until it has been quiet for `quiet` seconds (or `limit`)."""
    shown = b""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if not select.select([fd], [], [], quiet)[0]:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    return shown


def typed_in(shell: str, line: str, home: Path) -> str:
    """What a terminal shows after `line` is typed (a TAB in it) into `shell`, then Enter."""
    argv, setup = SHELLS[shell]
    if shutil.which(argv[0]) is None:
        pytest.skip(f"{shell} is not installed (apt-get install {shell})")
    bin_dir = Path(installed_command()).parent
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "TERM": "xterm",
        "PS1": "$ ",
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))

    def own_terminal() -> None:  # fish wants the terminal as its controlling one, as in a login
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    process = subprocess.Popen(
        argv,
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        cwd=home,
        preexec_fn=own_terminal,  # noqa: PLW1509 - the tests start no thread
    )
    os.close(child)
    try:
        _read(main, 0.5, 15)  # a shell reads what is typed ahead in order: no need to wait
        for command in setup:
            os.write(main, f"{command}\n".encode())
            _read(main, 0.5, 15)
        before, _, after = line.partition("\t")
        os.write(main, f"{before}\t".encode())
        shown = _read(main, 1.0, 20)  # the completion runs s3pilot, with Typer
        os.write(main, f"{after}\n".encode())
        shown += _read(main, 1.0, 20)
        os.write(main, b"exit\n")
        shown += _read(main, 0.3, 10)
    finally:
        os.close(main)
        process.kill()
        process.wait(timeout=10)
    return shown.decode("utf-8", "replace")


@pytest.mark.parametrize("shell", list(SHELLS))
def test_a_region_with_a_space_completes_to_a_line_that_runs(shell: str, home: Path) -> None:
    # export takes no argument: a second word would fail ("unexpected extra argument").
    shown = typed_in(shell, "s3pilot export --format tsv --region Västr\t", home)
    # The two clusters of Västra Götaland (SE-O) in the bundled registry, in its order.
    assert "\r\nsmart-textiles\tSmart Textiles\t" in shown, shown
    assert "\r\nagro-vast\tAgro Väst\t" in shown, shown
    assert "unexpected extra argument" not in shown, shown


@pytest.mark.parametrize("shell", list(SHELLS))
def test_a_cluster_name_with_a_space_completes_to_a_line_that_runs(shell: str, home: Path) -> None:
    shown = typed_in(shell, "s3pilot show --format plain Tri\t", home)
    assert "id\ttriple-steelix" in shown.replace("\r\n", "\n"), shown


def test_bash_escapes_the_space_and_closes_an_open_quote(home: Path) -> None:
    assert "--region Västra\\ Götaland" in typed_in("bash", "s3pilot list --region Västr\t", home)
    quoted = typed_in("bash", "s3pilot export --format tsv --region 'Västr\t", home)
    assert "--region 'Västra Götaland' " in quoted, quoted
    assert "\r\nagro-vast\tAgro Väst\t" in quoted, quoted
