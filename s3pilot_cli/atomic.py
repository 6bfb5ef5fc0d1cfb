"""Writing a file so that readers see the old file or the new one, never a torn one.

The text goes to a temporary file in the target's own directory, is flushed and fsynced, and
is then renamed over the target. On any error, Ctrl-C included, the temporary file is removed
and the target is as it was.
"""

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

from s3pilot_cli.errors import WriteError


def _mode_for(path: Path) -> int:
    """The target's own permissions, or what the umask allows a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content replaces `path` only when the block ends cleanly."""
    if path.is_dir():
        raise WriteError(f"{path}: is a directory; give the name of a file to write")
    directory = path.parent
    if not directory.is_dir():
        raise WriteError(f"{path}: the folder {directory} does not exist; create it first")
    try:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise WriteError(
            f"{path}: cannot write in {directory} ({error.strerror}); choose another place"
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException as error:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise WriteError(
                f"{path}: could not be written ({error.strerror or error}); it is unchanged"
            ) from None
        raise
    _sync_directory(directory)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable; not every platform can open a directory."""
    with suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
