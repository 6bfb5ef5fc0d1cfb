"""s3pilot's start-up and scale, measured against what else a script could run.

    uv run python benchmarks/bench.py            # about two minutes on an idle machine

Every command runs as a fresh process with stdout to /dev/null, in alternating order, after
one warm-up run each; the table shows the median wall time of the runs, the peak memory
(max RSS) of any run, and each ratio against its target. s3pilot's bytecode is compiled first,
as pip does when it installs a wheel, and the processes run without PYTHONDONTWRITEBYTECODE
and PYTHONUNBUFFERED, as in a user's shell; the same for every command measured. csvkit and
sqlite-utils go into a virtual environment of their own under benchmarks/.work/ (made once,
with uv).
Exit status 1 if any target is missed.
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
sys.path.insert(0, str(HERE))
from generate import generated  # noqa: E402

Command = list[str]


@dataclass
class Measured:
    label: str
    seconds: float
    peak_mb: float


# As in a user's shell: bytecode is cached, stdout is buffered.
ENVIRONMENT = {
    name: value
    for name, value in os.environ.items()
    if name not in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")
}


def run_once(command: Command) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENVIRONMENT
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        stderr = process.stderr.read().decode() if process.stderr else ""
        sys.exit(f"benchmark: {' '.join(command)} failed: {stderr}")
    return elapsed, usage.ru_maxrss / 1024


def measure(commands: dict[str, Command], runs: int) -> dict[str, Measured]:
    """Every command `runs` times, alternating, after a warm-up; medians and peaks."""
    times: dict[str, list[float]] = {label: [] for label in commands}
    peaks: dict[str, float] = dict.fromkeys(commands, 0.0)
    for command in commands.values():
        run_once(command)
    labels = list(commands)
    for round_number in range(runs):
        order = labels[round_number % len(labels) :] + labels[: round_number % len(labels)]
        for label in order:
            seconds, peak = run_once(commands[label])
            times[label].append(seconds)
            peaks[label] = max(peaks[label], peak)
    return {
        label: Measured(label, statistics.median(times[label]), peaks[label]) for label in commands
    }


def others_venv() -> Path | None:
    """csvkit and sqlite-utils in a virtual environment of their own."""
    venv = WORK / "others"
    bin_dir = venv / "bin"
    if (bin_dir / "csvgrep").exists() and (bin_dir / "sqlite-utils").exists():
        return bin_dir
    uv = shutil.which("uv")
    try:
        if uv:
            subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
            subprocess.run(
                [
                    uv,
                    "pip",
                    "install",
                    "-q",
                    "--python",
                    str(bin_dir / "python"),
                    "csvkit",
                    "sqlite-utils",
                ],
                check=True,
            )
        else:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run(
                [str(bin_dir / "pip"), "install", "-q", "csvkit", "sqlite-utils"], check=True
            )
    except subprocess.CalledProcessError as error:
        print(f"(csvkit and sqlite-utils could not be installed: {error})", file=sys.stderr)
        return None
    return bin_dir


@dataclass
class Check:
    name: str
    value: float
    target: float
    unit: str = "×"

    @property
    def ok(self) -> bool:
        return self.value <= self.target


def table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import typer

    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}),"
        f" Python {platform.python_version()}, typer {typer.__version__}"
    )


def binary_exports(s3pilot: str, python: str, runs: int) -> list[Check]:
    """(g) `export --format sqlite` and `xlsx` of the bundled registry and of 2 000 clusters;
    sqlite against a reference that parses with tomllib and inserts with executemany."""
    big = WORK / "big-2000.toml"
    if not big.exists():
        big.write_text(generated(2000), encoding="utf-8")
    rows = [["registry", "sqlite", "reference", "ratio", "xlsx"]]
    checks = []
    for label, registry in (("bundled", None), ("2 000 clusters", big)):
        given = ["--registry", str(registry)] if registry else []
        source = str(registry or HERE.parent / "data" / "clusters.toml")
        sqlite_out, reference_out, xlsx_out = (
            str(WORK / name) for name in ("s3pilot.db", "reference.db", "s3pilot.xlsx")
        )
        reference_script = str(HERE / "reference_sqlite.py")
        times = measure(
            {
                "sqlite": [s3pilot, *given, "export", "--format", "sqlite", "-o", sqlite_out],
                "reference": [python, reference_script, source, reference_out],
                "xlsx": [s3pilot, *given, "export", "--format", "xlsx", "-o", xlsx_out],
            },
            runs,
        )
        sqlite, reference, xlsx = times["sqlite"], times["reference"], times["xlsx"]
        rows.append(
            [
                label,
                f"{sqlite.seconds:.3f} s",
                f"{reference.seconds:.3f} s",
                f"{sqlite.seconds / reference.seconds:.2f}×",
                f"{xlsx.seconds:.3f} s",
            ]
        )
        if registry:
            checks.append(
                Check("(g) sqlite at 2000 / reference", sqlite.seconds / reference.seconds, 1.5)
            )
            checks.append(Check("(g) xlsx at 2000, seconds", xlsx.seconds, 2.0, unit=" s"))
    print(table(rows) + "\n", flush=True)
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=11)
    options = parser.parse_args()
    runs = max(options.runs, 11)
    WORK.mkdir(exist_ok=True)
    bin_dir = Path(sys.executable).parent
    s3pilot = str(bin_dir / "s3pilot")
    python = sys.executable

    import compileall

    compileall.compile_dir(HERE.parent / "s3pilot_cli", quiet=1)
    csv_file = WORK / "clusters.csv"
    subprocess.run([s3pilot, "export", "--format", "csv", "-o", str(csv_file)], check=True)
    startup: dict[str, Command] = {
        "(a) bare Typer app": [python, str(HERE / "bare_typer.py"), "--region", "Värmland"],
        "(b) list --region Värmland --format csv": [
            s3pilot,
            "list",
            "--region",
            "Värmland",
            "--format",
            "csv",
        ],
        "(c) export --format json": [s3pilot, "export", "--format", "json"],
        "(d) list --format table": [s3pilot, "list", "--format", "table"],
        "(h) map -o map.svg": [s3pilot, "map", "-o", str(WORK / "map.svg")],
    }
    others = others_venv()
    if others:
        startup["(e) csvgrep"] = [
            str(others / "csvgrep"),
            "-c",
            "region",
            "-r",
            "^Värmland$",
            str(csv_file),
        ]
        startup["(e) sqlite-utils"] = [
            str(others / "sqlite-utils"),
            "memory",
            str(csv_file),
            "select * from clusters where region = 'Värmland'",
            "--csv",
        ]

    print(f"Machine: {machine()}\nRuns: {runs} each, medians.\n", flush=True)
    measured = measure(startup, runs)
    base = measured["(a) bare Typer app"].seconds
    rows = [["command", "median", "vs (a)", "peak memory"]]
    rows += [
        [m.label, f"{m.seconds * 1000:.0f} ms", f"{m.seconds / base:.2f}×", f"{m.peak_mb:.0f} MB"]
        for m in measured.values()
    ]
    print(table(rows), "\n", flush=True)
    checks = [
        Check(
            "(b) / (a)", measured["(b) list --region Värmland --format csv"].seconds / base, 1.10
        ),
        Check("(c) / (a)", measured["(c) export --format json"].seconds / base, 1.10),
        Check("(d) / (a)", measured["(d) list --format table"].seconds / base, 1.75),
        Check("(h) / (a)", measured["(h) map -o map.svg"].seconds / base, 2.0),
    ]
    if others:
        fastest_other = min(measured["(e) csvgrep"].seconds, measured["(e) sqlite-utils"].seconds)
        checks.append(
            Check(
                "(b) / faster of csvgrep, sqlite-utils",
                measured["(b) list --region Värmland --format csv"].seconds / fastest_other,
                0.8,
            )
        )

    # Generated registries, and the most a run may take against the reference. Europe's whole
    # cluster population is about 1 500 cluster organisations; 10 000 is well beyond any real
    # registry, and there s3pilot must take at most 0.9 times the bare reference's time.
    time_limits = {2000: 1.15, 10_000: 0.9}
    rows = [
        [
            "clusters",
            "s3pilot",
            "reference",
            "time ratio",
            "s3pilot memory",
            "reference memory",
            "memory ratio",
        ]
    ]
    for size, time_limit in time_limits.items():
        big = WORK / f"big-{size}.toml"
        if not big.exists():
            big.write_text(generated(size), encoding="utf-8")
        pair = measure(
            {
                "s3pilot": [s3pilot, "--registry", str(big), "export", "--format", "csv"],
                "reference": [python, str(HERE / "reference_export.py"), str(big)],
            },
            runs,
        )
        ours, reference = pair["s3pilot"], pair["reference"]
        rows.append(
            [
                f"{size:,}".replace(",", " "),
                f"{ours.seconds:.3f} s",
                f"{reference.seconds:.3f} s",
                f"{ours.seconds / reference.seconds:.2f}×",
                f"{ours.peak_mb:.0f} MB",
                f"{reference.peak_mb:.0f} MB",
                f"{ours.peak_mb / reference.peak_mb:.2f}×",
            ]
        )
        checks.append(Check(f"(f) time at {size}", ours.seconds / reference.seconds, time_limit))
        checks.append(Check(f"(f) memory at {size}", ours.peak_mb / reference.peak_mb, 1.5))
        print(f"  {size} clusters measured", flush=True)
    print("\n" + table(rows) + "\n", flush=True)

    checks += binary_exports(s3pilot, python, runs)

    rows = [["target", "measured", "limit", ""]]
    rows += [
        [c.name, f"{c.value:.2f}{c.unit}", f"≤ {c.target:.2f}{c.unit}", "ok" if c.ok else "MISSED"]
        for c in checks
    ]
    print(table(rows))
    sys.exit(0 if all(c.ok for c in checks) else 1)


if __name__ == "__main__":
    main()
