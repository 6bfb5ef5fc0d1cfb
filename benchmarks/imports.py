"""What an import costs s3pilot's start-up: the libraries registry.py avoids or takes lazily.

    uv run python benchmarks/imports.py

Each module is imported in a fresh interpreter under `python -X importtime`; the figure is the
module's cumulative import time (its own imports included), the least of 7 runs. The latest
figures are in benchmarks/imports.md.
"""

import subprocess
import sys

MODULES = {
    "importlib.resources": "the usual way to find package data; bundled_path uses __file__",
    "platformdirs": "the user data folder; user_path works it out itself on Linux",
    "tomli": "the TOML reader, imported when a TOML registry is read",
    "tomllib": "the standard library's copy of tomli, for comparison",
}


def cumulative_us(module: str) -> int:
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    last = run.stderr.strip().splitlines()[-1]  # the module itself comes last
    return int(last.split("|")[1])


def main() -> None:
    print("| module | import, ms | why it matters |")
    print("|---|---|---|")
    for module, why in MODULES.items():
        best = min(cumulative_us(module) for _ in range(7))
        print(f"| {module} | {best / 1000:.1f} | {why} |")


if __name__ == "__main__":
    main()
