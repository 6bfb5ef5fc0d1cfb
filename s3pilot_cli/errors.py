"""One error root carrying an exit code, and the exit-code table users and scripts rely on.

Raise these from anywhere; `cli.main` alone catches them, prints their lines to stderr and
exits with the code.
"""

from collections.abc import Callable
from enum import IntEnum

from s3pilot_cli.i18n import N_, _, ngettext


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1
    USAGE = 2
    NO_SUCH_CLUSTER = 3
    BAD_REGISTRY = 4
    INTERRUPTED = 130
    TERMINATED = 143


# The documented meaning of each exit code (README, `s3pilot --help`), in English; `_()` of
# one is its meaning in the user's language.
EXIT_CODES: dict[ExitCode, str] = {
    ExitCode.OK: N_("success, an empty result too"),
    ExitCode.FAILURE: N_("unexpected error, or a file that could not be read or written"),
    ExitCode.USAGE: N_("usage: a bad option or value, an unknown region or format"),
    ExitCode.NO_SUCH_CLUSTER: N_("no such cluster (or the name matches several)"),
    ExitCode.BAD_REGISTRY: N_("the registry file is missing or invalid"),
    ExitCode.INTERRUPTED: N_("interrupted (Ctrl-C); a file being written is left as it was"),
    ExitCode.TERMINATED: N_("terminated (SIGTERM); a file being written is left as it was"),
}


class Terminated(BaseException):
    """SIGTERM arrived (`kill`, a service manager, a timeout): raised where s3pilot is, as
    Ctrl-C's KeyboardInterrupt is, so that a file being written is cleaned up the same way."""

    @staticmethod
    def on_sigterm() -> None:
        """From now on, SIGTERM raises this (`cli.main` exits 143 for it)."""
        import signal

        def terminated(number: int, frame: object) -> None:
            raise Terminated

        signal.signal(signal.SIGTERM, terminated)


class S3PilotError(Exception):
    """An error the user can act on: its message says what, where, and what to do."""

    exit_code = ExitCode.FAILURE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def lines(self) -> list[str]:
        """What to tell the user on stderr, a line each, after `s3pilot: `."""
        return [_("error: {message}").format(message=self.message)]


class UsageError(S3PilotError):
    exit_code = ExitCode.USAGE


class NoSuchCluster(S3PilotError):
    exit_code = ExitCode.NO_SUCH_CLUSTER


class WriteError(S3PilotError):
    """A file could not be written; whatever stood at the target before is untouched."""

    exit_code = ExitCode.FAILURE


class StdoutError(WriteError):
    """Standard output refused the data (a full disk, /dev/full); the rest of it is dropped."""

    def __init__(self, error: OSError) -> None:
        import errno

        if error.errno == errno.EBADF:
            said = _(
                "standard output is closed; send it somewhere (> FILE, | less), or give a file"
                " with -o where the command has it"
            )
        else:
            said = _(
                "standard output could not be written ({reason}); check where it goes"
                " (a full disk?)"
            ).format(reason=error.strerror or error)
        super().__init__(said)

    @classmethod
    def guard(cls, write: Callable[[], object]) -> None:
        """Run `write`, whose output goes to stdout: a failure there is this error.

        A closed pipe stays a BrokenPipeError, which ends s3pilot quietly (cli/__init__.py).
        """
        try:
            write()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise cls(error) from None


class RegistryError(S3PilotError):
    """A registry file that is missing or invalid, with every problem found in it."""

    exit_code = ExitCode.BAD_REGISTRY

    def __init__(self, problems: list[str], path: str) -> None:
        self.problems = tuple(problems)
        message = problems[0]
        if len(problems) > 1:
            more = len(problems) - 1
            message += ngettext(
                " (and {count} more; run 's3pilot validate {path}' to list them all)",
                " (and {count} more; run 's3pilot validate {path}' to list them all)",
                more,
            ).format(count=more, path=path)
        super().__init__(message)


class UnreadableRegistry(RegistryError):
    """The registry file could not be read at all (missing, a folder, too large, no permission):
    one problem, before any of its content was looked at."""


class _Found(S3PilotError):
    """Exit 1 with no message: what was found is on stdout and stderr stays empty, which is how
    a script tells it from a failure (exit 1 with an `s3pilot: error:` line and nothing on
    stdout)."""

    exit_code = ExitCode.FAILURE

    def __init__(self) -> None:
        super().__init__("")

    def lines(self) -> list[str]:
        return []


class Different(_Found):
    """`diff` found the two registries different: exit 1, as diff(1) does, with no message.

    Not an error: stdout holds the differences and stderr stays empty.
    """


class LinksNotAlive(_Found):
    """`check-links` found a link dead, timed out or failing: exit 1 with no message, as
    `Different`. The records on stdout say which; stderr stays empty."""


class RegistryProblems(RegistryError):
    """What `validate` found wrong in a registry: every problem on a line of its own."""

    def __init__(self, problems: list[str], path: str) -> None:
        super().__init__(problems, path)
        self.path = path

    def lines(self) -> list[str]:
        count = len(self.problems)
        summary = ngettext(
            "{path}: {count} problem; the registry was not used",
            "{path}: {count} problems; the registry was not used",
            count,
        ).format(path=self.path, count=count)
        return [*self.problems, summary]
