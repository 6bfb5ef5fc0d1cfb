"""What `-o` names, and how output gets there.

`Output.to` resolves `-o` once: stdout (`-` or nothing), or a file that is not the registry
being read, and, for content that must not reach a terminal (or any stdout), not one. Its
`write` puts text there and `path` gives a binary writer a file to build. Readers see the
old file or the new one, never a torn one; what stands at the target decides how it is written:
- A regular file, or nothing yet: the data goes to a temporary file in the target's own
  folder, is flushed and fsynced, and is renamed over the target, which keeps its permissions
  (and its owner, where s3pilot may set it). On any error, Ctrl-C included, the temporary file
  is removed and the target is as it was.
- A symbolic link, or a chain of them: the file at its end is replaced as above (or created,
  if the link dangles); the links stay as they are. As the kernel's fs.protected_symlinks
  does for the shell's `>`, a link in a sticky world-writable folder (`/tmp`) is followed only
  when it belongs to the user or to the folder's owner.
- A terminal or other character device (`/dev/null`), a named pipe, a socket, or a file the
  shell opened for s3pilot (`/dev/stdout`, `/dev/fd/63` from `>(…)`): written in place, as any
  Unix tool writes them. Renaming over them would put a plain file where the device or pipe was,
  and its reader would get nothing.
- A directory, a block device: refused.

A reader of a pipe that stops early (`-o >(head -1)`) is no error: the rest is dropped, as on
stdout.
"""

import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from io import TextIOWrapper
from pathlib import Path
from typing import BinaryIO, TextIO, TypeVar

from s3pilot_cli.errors import StdoutError, UsageError, WriteError
from s3pilot_cli.i18n import _
from s3pilot_cli.textrules import visible


@dataclass(frozen=True)
class Refusal:
    """Output not for a terminal (a map), with `pipe_too` nor stdout (a database): what to do."""

    message: str
    pipe_too: bool = False


@dataclass(frozen=True)
class Output:
    """Where the data goes: `file`, or stdout when it is None."""

    file: str | None

    @classmethod
    def to(cls, name: str | None, *, reading: Path, refusal: Refusal | None = None) -> "Output":
        """Where `-o name` points, if writing there is right: never a folder, nor the registry
        being read (`reading`), nor a terminal or stdout where `refusal` says so."""
        if name == "":
            raise UsageError(_("-o is empty; give the name of a file, or '-' for stdout"))
        if name is None or name == "-":
            if refusal is not None and (refusal.pipe_too or sys.stdout.isatty()):
                raise UsageError(refusal.message)
            return cls(None)
        if name.endswith(("/", os.sep)):
            raise UsageError(
                _("-o {name}: names a folder; give the name of a file in it").format(
                    name=visible(name)
                )
            )
        if refusal is not None and _is_terminal(name):
            raise UsageError(
                _("-o {name} is a terminal: {refusal}").format(
                    name=visible(name), refusal=refusal.message
                )
            )
        _refuse_the_registry(name, reading)
        return cls(name)

    @property
    def suffix(self) -> str:
        """The file name's extension in lower case (`.csv`); "" for stdout or a name without."""
        return "" if self.file is None else extension_of(self.file)

    def write(self, write: Callable[[TextIO], object]) -> None:
        """Run `write` on the file's stream (atomically), or on stdout; a reader that stops
        early (`| head`) raises BrokenPipeError, which `cli.main` ends quietly with exit 0."""
        if self.file is not None:
            with atomic_writer(Path(self.file)) as file:
                write(file)
            return

        def to_stdout() -> None:
            write(sys.stdout)
            sys.stdout.flush()

        StdoutError.guard(to_stdout)

    @contextmanager
    def path(self) -> Iterator[Path]:
        """A new file for a binary writer to build, which takes the place of `file` when whole."""
        if self.file is None:
            raise UsageError(_("a binary format needs a file: name it with -o"))
        with atomic_path(Path(self.file)) as built:
            yield built


def extension_of(name: str) -> str:
    """The extension of a file name, in lower case: `.csv` for `Report.CSV`, and for `.csv`
    too, a name that is only an extension (to Python, a dot-file without one)."""
    path = Path(name)
    if path.suffix:
        return path.suffix.lower()
    name = path.name
    return name.lower() if name.startswith(".") and name.count(".") == 1 and name != "." else ""


def _is_terminal(output: str) -> bool:
    """Whether `-o` names a terminal (`-o /dev/stdout` at a prompt): no place for a binary file."""
    try:
        if not stat.S_ISCHR(os.stat(output).st_mode):
            return False
        descriptor = os.open(output, os.O_WRONLY | os.O_NOCTTY)
    except OSError:
        return False
    try:
        return os.isatty(descriptor)
    finally:
        os.close(descriptor)


def _refuse_the_registry(output: str, registry: Path) -> None:
    """Never write over the registry being read: an error in the export would lose it."""
    try:
        same = os.path.samefile(output, registry)
    except OSError:
        return  # nothing there yet, or not reachable: not the registry
    if same:
        raise UsageError(
            _(
                "-o {output} is the registry being read ({registry}); write to another file,"
                " then move that over the registry"
            ).format(output=visible(output), registry=visible(str(registry)))
        )


# --- Atomic files ----------------------------------------------------------------------------

_Stream = TypeVar("_Stream", BinaryIO, TextIO)

# As many links as Linux follows before it gives up with ELOOP.
_MAX_SYMLINKS = 40


@contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content replaces `path` only when the block ends cleanly."""
    target = _destination(path)
    if isinstance(target, Path):
        with (
            _replacing(path, target) as temporary,
            open(temporary, "w", encoding="utf-8", newline="") as file,
        ):
            yield file
    else:
        with _in_place(path, TextIOWrapper(target, encoding="utf-8", newline="")) as text:
            yield text


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """The name of a new, empty file to build the output in, for writers that need a name.

    When the block ends cleanly the file takes the place of `path` (the end of its links), as
    `atomic_writer` does; for a pipe or a device its bytes are copied into it. On any error
    it is removed and `path` is as it was.
    """
    target = _destination(path)
    if isinstance(target, Path):
        with _replacing(path, target) as temporary:
            yield temporary
        return
    with _in_place(path, target) as stream:
        import tempfile  # not at start-up: it brings random and shutil (benchmarks/bench.py b, c)

        fd, name = tempfile.mkstemp(prefix="s3pilot-", suffix=path.suffix)
        os.close(fd)
        try:
            yield Path(name)
            with open(name, "rb") as built:
                while chunk := built.read(1 << 16):
                    stream.write(chunk)
        finally:
            os.unlink(name)


def _destination(path: Path) -> Path | BinaryIO:
    """The file to replace, or an open stream onto what is written in place."""
    end = _follow(path)
    try:
        if isinstance(end, int):
            # Writing through the shell's own open file keeps what it set up: `>>` appends.
            return os.fdopen(os.dup(end), "wb")
        try:
            mode = os.stat(end).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return end
        if stat.S_ISREG(mode):
            return end
        if stat.S_ISDIR(mode):
            raise WriteError(
                _("{path}: is a directory; give the name of a file to write").format(path=path)
            )
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            return os.fdopen(os.open(end, os.O_WRONLY), "wb")
        if stat.S_ISSOCK(mode):
            return _connect(end)
    except OSError as error:
        raise WriteError(
            _("{path}: cannot be opened for writing ({reason}); choose another place").format(
                path=path, reason=error.strerror or error
            )
        ) from None
    raise WriteError(
        _(
            "{path}: is a block device; s3pilot writes files, pipes, sockets and character devices"
        ).format(path=path)
    )


def _follow(path: Path) -> Path | int:
    """The end of a chain of symbolic links, which may not exist yet; or, for a file the shell
    opened for s3pilot (`/dev/stdout`, `/dev/fd/N`), the number of that open file."""
    current = path
    for _step in range(_MAX_SYMLINKS):
        descriptor = _own_descriptor(current)
        if descriptor is not None:
            return descriptor
        try:
            link = os.readlink(current)
        except OSError:
            return current  # not a link, or nothing there yet
        _may_follow(path, current)
        current = current.parent / link  # an absolute link replaces the parent
    raise WriteError(
        _("{path}: too many levels of symbolic links; point it at a file").format(path=path)
    )


def _may_follow(path: Path, link: Path) -> None:
    """Refuse the link where the kernel would refuse the shell's `>` (fs.protected_symlinks):
    in a sticky folder anyone may write to (`/tmp`), a link is followed only if it is yours or
    the folder owner's. Otherwise another user could have planted it there, to make s3pilot
    (root, say) replace or create a file of their choosing."""
    try:
        folder = os.stat(link.parent)
        owner = os.lstat(link).st_uid
    except OSError:
        return  # gone meanwhile: the writing that follows says what is wrong
    sticky = folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH
    if sticky and owner not in (os.geteuid(), folder.st_uid):
        which = "" if link == path else _(" {link}, on its way,").format(link=visible(str(link)))
        raise WriteError(
            _(
                "{path}:{which} is a symbolic link of another user (uid {owner}) in the shared"
                " folder {folder}; s3pilot does not follow it, as the shell's '>' would not:"
                " remove the link, or write to another place"
            ).format(
                path=visible(str(path)), which=which, owner=owner, folder=visible(str(link.parent))
            )
        )


def _own_descriptor(path: Path) -> int | None:
    """N if `path` is /proc/<s3pilot>/fd/N by any name (/dev/fd/N, /proc/self/fd/N)."""
    if not path.name.isdigit():
        return None
    try:
        folder = os.path.realpath(path.parent)
    except OSError:
        return None
    return int(path.name) if folder == f"/proc/{os.getpid()}/fd" else None


def _connect(path: Path) -> BinaryIO:
    import socket

    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(os.fspath(path))
    except BaseException:
        connection.close()
        raise
    return os.fdopen(connection.detach(), "wb")


@contextmanager
def _in_place(path: Path, stream: _Stream) -> Iterator[_Stream]:
    """Write into an open pipe or device, then close it; what it does with the data is its own."""
    try:
        try:
            yield stream
        except BaseException:
            with suppress(OSError):
                stream.close()
            raise
        stream.close()
    except BrokenPipeError:
        return  # the reader stopped early: the rest is dropped, as on stdout
    except OSError as error:
        raise WriteError(
            _("{path}: could not be written ({reason})").format(
                path=path, reason=error.strerror or error
            )
        ) from None


def _owner(path: Path) -> int | None:
    """The user id that owns `path`, or None where it cannot be read."""
    try:
        return os.stat(path).st_uid
    except OSError:
        return None


@contextmanager
def _replacing(path: Path, end: Path) -> Iterator[Path]:
    """A temporary file beside `end` that is renamed over it when the block ends cleanly."""
    directory = end.parent
    where = path if end == path else _("{path} (a link to {end})").format(path=path, end=end)
    if os.path.lexists(end) and not os.access(end, os.W_OK):
        # A rename would get round the file's own protection, as the shell's `>` does not.
        if _owner(end) not in (None, os.geteuid()):  # chmod is its owner's to run, not yours
            raise WriteError(
                _("{where}: belongs to another user; choose another name").format(where=where)
            )
        raise WriteError(
            _("{where}: is read-only; make it writable (chmod u+w) or choose another name").format(
                where=where
            )
        )
    if not directory.is_dir():
        if directory.exists():
            raise WriteError(
                _("{where}: {folder} is not a folder; choose another place").format(
                    where=where, folder=directory
                )
            )
        raise WriteError(
            _("{where}: the folder {folder} does not exist; create it first").format(
                where=where, folder=directory
            )
        )
    import signal
    import tempfile

    # Ctrl-C or SIGTERM between the file's creation and the `try` that removes it again would
    # leave it behind: they wait, blocked, until that `try` has begun.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        fd, name = tempfile.mkstemp(dir=directory, prefix=f".{_cut(end.name)}.", suffix=".tmp")
    except OSError as error:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise WriteError(
            _("{where}: cannot write in {folder} ({reason}); choose another place").format(
                where=where, folder=directory, reason=error.strerror
            )
        ) from None
    os.close(fd)
    temporary = Path(name)
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        yield temporary
        _sync(temporary)
        _keep_owner_and_mode(temporary, end)
        os.replace(temporary, end)
    except BaseException as error:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise WriteError(
                _("{where}: could not be written ({reason}); it is unchanged").format(
                    where=where, reason=error.strerror or error
                )
            ) from None
        raise
    _sync_directory(directory)


def _cut(name: str, limit: int = 200) -> str:
    """`name` cut to at most `limit` bytes on the disk, at a character's edge: with the dot, the
    random part and `.tmp`, the temporary name stays within the 255 bytes a name may have."""
    while len(os.fsencode(name)) > limit:
        name = name[: -max(1, (len(os.fsencode(name)) - limit) // 4)]
    return name


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_owner_and_mode(temporary: Path, end: Path) -> None:
    """The target's owner and permissions, or what the umask allows a new file."""
    try:
        old = end.stat()
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        return
    if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
        with suppress(OSError):  # root may; others only to a group of their own
            os.chown(temporary, old.st_uid, old.st_gid)
    os.chmod(temporary, stat.S_IMODE(old.st_mode))


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable; not every platform can open a directory."""
    with suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
