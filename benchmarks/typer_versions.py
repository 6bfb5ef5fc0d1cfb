"""Why pyproject.toml caps typer below 0.29: what a person waits for, on typer 0.28 and on the
newest typer.

    uv run python benchmarks/typer_versions.py        # about a minute; writes nothing

Each typer goes into a virtual environment of its own under benchmarks/.work/ (made once,
with uv) beside s3pilot from this checkout, bytecode compiled as pip does. Every command runs
as a fresh process, stdout and stderr to /dev/null, in alternating order after one warm-up
run each; the table gives the median wall time of 11 runs. The common command lines never load
Typer (cli/fastpath.py, "the fast path"), so they are the control; a usage error, a TAB press
(the completion script's call) and help load it.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"

CASES = {
    "list -r Värmland (the fast path)": (["list", "-r", "Värmland"], {}),
    "a usage error (list --regoin x)": (["list", "--regoin", "x"], {}),
    "a TAB press (list -r Väst<TAB>)": (
        [],
        {
            "_S3PILOT_COMPLETE": "complete_bash",
            "COMP_WORDS": "s3pilot list -r Väst",
            "COMP_CWORD": "3",
        },
    ),
    "--help": (["--help"], {}),
}


def environment(typer: str) -> Path:
    """A virtual environment with s3pilot and `typer` (a requirement), made once."""
    folder = WORK / ("typer-" + typer.replace(">=", "newest-").replace("==", ""))
    python = folder / "bin" / "python"
    if not python.exists():
        subprocess.run(["uv", "venv", "-q", "--python", sys.executable, str(folder)], check=True)
        # An override, as pyproject.toml itself allows no typer beyond 0.28.
        override = folder / "typer.txt"
        override.write_text(f"typer{typer}\n", encoding="utf-8")
        subprocess.run(
            [
                "uv",
                "pip",
                "install",
                "-q",
                "--python",
                str(python),
                "--override",
                str(override),
                str(ROOT),
            ],
            check=True,
        )
    subprocess.run([str(python), "-m", "compileall", "-q", str(folder / "lib")], check=False)
    return folder


def version(folder: Path) -> str:
    done = subprocess.run(
        [str(folder / "bin" / "python"), "-c", "import typer; print(typer.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def once(folder: Path, args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(folder / "bin" / "s3pilot"), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1", **env},
        check=False,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11)
    runs = parser.parse_args().runs
    folders = [environment("==0.28.0"), environment(">=0.29")]
    names = [f"typer {version(folder)}" for folder in folders]
    print(f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores,"
          f" Python {platform.python_version()}; median of {runs} runs, in ms\n")  # fmt: skip
    print(f"| command | {' | '.join(names)} | ratio |")
    print("|---|" + "---:|" * (len(names) + 1))
    for label, (args, env) in CASES.items():
        for folder in folders:
            once(folder, args, env)  # warm-up
        times: list[list[float]] = [[] for _ in folders]
        for _ in range(runs):
            for i, folder in enumerate(folders):
                times[i].append(once(folder, args, env))
        medians = [statistics.median(t) * 1000 for t in times]
        cells = " | ".join(f"{m:.0f}" for m in medians)
        print(f"| {label} | {cells} | {medians[1] / medians[0]:.2f}× |")


if __name__ == "__main__":
    main()
