"""How s3pilot's slowest paths grow: each case at 2 000 and at 20 000 clusters, and the ratio.

    uv run python benchmarks/scale.py                      # 2 000 and 20 000, a few minutes
    uv run python benchmarks/scale.py --sizes 5000 10000 20000

The cases that were once quadratic: `show` by a start that every cluster's id shares,
`show` when every cluster carries one alias, `diff` of registries with as many contacts of
one name as clusters, `diff --order` with neighbours swapped in pairs, and `validate` of a
registry with as many unknown keys in [program] as clusters. Registries come from
generate.py. Each command runs as a fresh process (`python -m s3pilot_cli`, in a temporary
folder, so that PYTHONPATH can point at another checkout's package), stdout to /dev/null;
the median of `--runs` runs.
Target: at most 12 times as long for 10 times the data, that is linear with room for noise.
Exit status 1 if any case misses it.
"""

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generated

TARGET = 12.0  # for 10 times the clusters
CLUSTER = re.compile(r"(?=^\[\[clusters\]\]$)", re.MULTILINE)


def with_shared_alias(count: int) -> str:
    return generated(count).replace('aliases = ["K', 'aliases = ["Gemensam", "K')


def with_contacts_of_one_name(count: int, last_phone: str = "08-681 94 51") -> str:
    """As many contacts named alike as clusters; the last one's number is `last_phone`."""
    contact = '[[contacts]]\nname = "Anna Berg"\nphone = "08-681 94 51"\n\n'
    return generated(count) + contact * (count - 1) + contact.replace("08-681 94 51", last_phone)


def swapped_in_pairs(count: int) -> str:
    head, *clusters = CLUSTER.split(generated(count))
    for i in range(0, len(clusters) - 1, 2):
        clusters[i], clusters[i + 1] = clusters[i + 1], clusters[i]
    return head + "".join(clusters)


def with_unknown_keys_in_one_table(count: int) -> str:
    """As many unknown keys in [program] as clusters: a problem each, all in one table."""
    unknown = "".join(f"unknown_{n} = 1\n" for n in range(count))
    return generated(count).replace("[program]\n", "[program]\n" + unknown, 1)


# Each case: its label, the registries it needs (by name), its arguments, its exit status.
Case = tuple[str, dict[str, Callable[[int], str]], list[str], int]
CASES: list[Case] = [
    (
        "show clust (a start of every id)",
        {"r": generated},
        ["--registry", "{r}", "show", "clust"],
        3,
    ),
    (
        "show cluster-7 (one alias shared)",
        {"r": with_shared_alias},
        ["--registry", "{r}", "show", "cluster-7"],
        0,
    ),
    (
        "diff (contacts of one name)",
        {
            "old": with_contacts_of_one_name,
            "new": lambda count: with_contacts_of_one_name(count, "08-681 94 52"),
        },
        ["diff", "{old}", "{new}"],
        1,
    ),
    (
        "diff --order (pairs swapped)",
        {"old": generated, "new": swapped_in_pairs},
        ["diff", "--order", "{old}", "{new}"],
        1,
    ),
    (
        "validate (problems in one table)",
        {"r": with_unknown_keys_in_one_table},
        ["validate", "{r}"],
        4,
    ),
]


def seconds(command: list[str], status: int, runs: int, folder: str) -> float:
    """The median wall time of `runs` runs, each checked for its exit status."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, cwd=folder
        )
        times.append(time.perf_counter() - start)
        if done.returncode != status:
            why = done.stderr.decode()[:2000]
            sys.exit(f"scale: {' '.join(command)} exited {done.returncode}, not {status}:\n{why}")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    sizes: list[int] = options.sizes
    header = ["case", *(f"{size:,}".replace(",", " ") for size in sizes), "ratio"]
    rows = []
    missed = False
    with tempfile.TemporaryDirectory() as folder:
        for label, registries, arguments, status in CASES:
            times = []
            for size in sizes:
                paths = {}
                for name, make in registries.items():
                    paths[name] = Path(folder) / f"{name}-{size}.toml"
                    paths[name].write_text(make(size), encoding="utf-8")
                command = [sys.executable, "-m", "s3pilot_cli"]
                command += [argument.format(**paths) for argument in arguments]
                times.append(seconds(command, status, options.runs, folder))
            ratio = times[-1] / times[0]
            scaled = TARGET * sizes[-1] / sizes[0] / 10  # the target for the sizes asked
            missed |= ratio > scaled
            mark = "" if ratio <= scaled else f"  (target ≤ {scaled:.0f}×)"
            rows.append([label, *(f"{t:.2f} s" for t in times), f"{ratio:.1f}×{mark}"])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
