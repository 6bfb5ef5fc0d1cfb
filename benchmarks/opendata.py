"""The open-data exports of the bundled registry, timed against the file exports beside them.

    uv run python benchmarks/opendata.py [--runs N]

Each row is the `s3pilot` command in a fresh process that loads the bundled registry and
writes one file, as bench.py runs its commands (same runner: warm-up, alternating order,
median wall time, peak RSS); the ratio is against `export --format csv -o FILE` of the same
registry. The file sizes are printed too.
"""

import argparse
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench import WORK, machine, measure, table  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    s3pilot = shutil.which("s3pilot") or str(Path(sys.executable).parent / "s3pilot")
    import compileall

    compileall.compile_dir(HERE.parent / "s3pilot_cli", quiet=1)
    WORK.mkdir(exist_ok=True)
    files = {
        "export --format csv -o FILE": WORK / "opendata.csv",
        "export --format sqlite -o FILE": WORK / "opendata.db",
        "export --format xlsx -o FILE": WORK / "opendata.xlsx",
        "export --format datapackage -o FILE": WORK / "opendata.zip",
        "export --format geojson -o FILE": WORK / "opendata.geojson",
        "export --format html -o FILE": WORK / "opendata.html",
    }
    commands = {label: [s3pilot, *label.split()[:4], str(path)] for label, path in files.items()}
    measured = measure(commands, runs)
    yardstick = measured["export --format csv -o FILE"].seconds
    rows = [["bundled registry, one file", "median", "peak RSS", "× csv export", "file size"]]
    for label, result in measured.items():
        rows.append(
            [
                label,
                f"{result.seconds * 1000:.0f} ms",
                f"{result.peak_mb:.0f} MB",
                f"{result.seconds / yardstick:.2f}",
                f"{files[label].stat().st_size / 1000:.1f} kB",
            ]
        )
    print(machine())
    print(f"{runs} runs each\n")
    print(table(rows))


if __name__ == "__main__":
    main()
