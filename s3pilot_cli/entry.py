"""The `s3pilot` command's entry point, and the one place errors become exit codes.

Start-up is this tool's performance: importing Typer costs more than everything else s3pilot
does for a registry of 22 clusters. So the common invocations, which `shortcut.py` recognises
exactly, run without loading it; every other one (help, completion, --version, anything
unusual or wrong) goes to the Typer app in `cli.py`, which parses it the same way.
"""

import gc
import sys
from typing import NoReturn, TextIO

from s3pilot_cli import commands, shortcut
from s3pilot_cli.errors import ExitCode, S3PilotError
from s3pilot_cli.text import visible


def main(argv: list[str] | None = None) -> NoReturn:
    """Run s3pilot; every way out goes through here with a documented exit code.

    The cyclic garbage collector is off while it runs: s3pilot makes no reference cycles
    worth collecting, reference counting frees the rest, and on a registry of 100 000
    clusters the collector's passes cost a third of s3pilot's own work (benchmarks/).
    """
    gc.disable()
    try:
        sys.exit(_run(sys.argv[1:] if argv is None else argv))
    finally:
        gc.enable()


def _run(args: list[str]) -> int:
    _utf8(sys.stdout)
    try:
        invocation = shortcut.parse(args)
        if invocation is None:
            from s3pilot_cli.cli import run

            return run(args)
        getattr(commands, invocation.function)(**invocation.arguments)
    except S3PilotError as error:
        if error.message:  # errors.Different has none: a result, not an error
            _fail(error.message)
        return error.exit_code
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED  # quietly: the terminal has shown ^C
    except Exception as error:
        if "--debug" in args:
            import traceback

            traceback.print_exc()
        else:
            _fail(
                f"unexpected {type(error).__name__}: {error}; rerun with --debug to see where,"
                " and report it"
            )
        return ExitCode.FAILURE
    return ExitCode.OK


def _fail(message: str) -> None:
    sys.stderr.write(f"s3pilot: error: {visible(message)}\n")


def _utf8(stream: TextIO) -> None:
    """Data is UTF-8 whatever the locale says (LC_ALL=C, a Latin-1 terminal)."""
    if (stream.encoding or "").lower().replace("-", "") != "utf8":
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
