"""The `s3pilot` command's entry point, and the one place errors become exit codes.

Start-up is this tool's performance: importing Typer costs more than everything else s3pilot
does for a registry of 22 clusters. So the common invocations, which `cli/fastpath.py` recognises
exactly, run without loading it; every other one (help, completion, --version, anything
unusual or wrong) goes to the Typer app in `cli/app.py`, which parses it the same way.
"""

import errno
import io
import os
import sys
from typing import NoReturn, TextIO

from s3pilot_cli.cli import fastpath
from s3pilot_cli.errors import ExitCode, S3PilotError, StdoutError, Terminated
from s3pilot_cli.textrules import visible


def main(argv: list[str] | None = None) -> NoReturn:
    """Run s3pilot; every way out goes through here with a documented exit code."""
    sys.exit(_run(sys.argv[1:] if argv is None else argv))


def _run(given: list[str]) -> int:
    _closed_streams()
    _reencode_utf8(sys.stdout)
    Terminated.on_sigterm()
    args, debug = _without_debug(given)
    try:
        code = _dispatch(args)
        StdoutError.guard(sys.stdout.flush)  # what --version and the like left in the buffer
    except BrokenPipeError:
        return _reader_gone()
    except SystemExit as stop:
        if isinstance(stop.__context__, BrokenPipeError):
            return _reader_gone()  # Rich's console (help, tables) meets a closed pipe so
        raise
    except S3PilotError as error:
        if isinstance(error, StdoutError):
            _drop_stdout()
        for line in error.lines():
            sys.stderr.write(f"s3pilot: {visible(line)}\n")
        return error.exit_code
    except (KeyboardInterrupt, Terminated) as stop:
        # quietly: the terminal has shown ^C, and a process killed by SIGTERM says nothing
        return ExitCode.TERMINATED if isinstance(stop, Terminated) else ExitCode.INTERRUPTED
    except Exception as error:
        if debug:
            import traceback

            traceback.print_exc()
        else:
            from s3pilot_cli.i18n import _

            said = _(
                "unexpected {kind}: {error}; rerun with --debug to see where, and report it"
            ).format(kind=type(error).__name__, error=visible(str(error)))
            sys.stderr.write("s3pilot: " + _("error: {message}").format(message=said) + "\n")
        return ExitCode.FAILURE
    return code


def _without_debug(args: list[str]) -> tuple[list[str], bool]:
    """`args` without --debug (main's alone, before `--`), and whether it was there."""
    end = args.index("--") if "--" in args else len(args)
    kept = [arg for arg in args[:end] if arg != "--debug"] + args[end:]
    return kept, len(kept) != len(args)


def _dispatch(args: list[str]) -> int:
    """Run the command `args` asks for: through the fast path, or else the Typer app."""
    invocation = fastpath.parse(args)
    if invocation is None:
        from s3pilot_cli.i18n import prepare_typer

        prepare_typer()  # before Typer is imported: it translates its titles on import
        from s3pilot_cli.cli.app import run

        return run(args)
    invocation.function(**invocation.arguments)
    return ExitCode.OK


def _reader_gone() -> int:
    """The reader stopped early (`s3pilot list | head -1`): no error, and nothing more to say."""
    _drop_stdout()
    return ExitCode.OK


def _drop_stdout() -> None:
    """Whatever is still buffered for stdout goes nowhere: Python's own flush at exit must not
    fail again where stdout has failed once."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


class _ClosedStdout(io.TextIOWrapper):
    """Standard output that was closed before s3pilot started (`>&-`): every write to it is a
    write error (exit 1, one line on stderr), as for a full disk; `-o FILE` never uses it."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8")

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def flush(self) -> None:
        """Nothing was written, so nothing is pending."""

    def fileno(self) -> int:
        return 1  # held on /dev/null (_closed_streams)


def _closed_streams() -> None:
    """Python gives None for a standard stream that was closed when it started (`>&-`,
    `2>&-`). Its descriptor is held on /dev/null, so that no file s3pilot opens gets it (and
    with it what was meant for the closed stream); stdout then refuses every write, and
    stderr swallows the messages: the exit code, the contract, holds either way."""
    if sys.stdout is None:
        _hold(1)
        sys.stdout = _ClosedStdout()
    if sys.stderr is None:
        sys.stderr = os.fdopen(_hold(2), "w", encoding="utf-8")


def _hold(descriptor: int) -> int:
    """Open /dev/null as `descriptor`, which is closed."""
    held = os.open(os.devnull, os.O_RDWR)
    if held != descriptor:
        os.dup2(held, descriptor)
        os.close(held)
    return descriptor


def _reencode_utf8(stream: TextIO) -> None:
    """Data is UTF-8 whatever the locale says (LC_ALL=C, a Latin-1 terminal)."""
    if (stream.encoding or "").lower().replace("-", "") != "utf8":
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
