"""Write a registry of N generated clusters spread over Sweden's 21 län, for the benchmark.

python benchmarks/generate.py 10000 > big.toml
"""

import sys
from pathlib import Path

BUNDLED = Path(__file__).parent.parent / "data" / "clusters.toml"


def generated(count: int) -> str:
    head = BUNDLED.read_text(encoding="utf-8").split("# The 22 clusters")[0]
    codes = [line.split('"')[1] for line in head.splitlines() if line.startswith("code = ")]
    clusters = "".join(
        f"[[clusters]]\n"
        f'id = "cluster-{n}"\n'
        f'name = "Kluster nummer {n}"\n'
        f'region = "{codes[n % len(codes)]}"\n'
        f'city = "Ort {n % 290}"\n'
        f'website = "https://kluster-{n}.se"\n'
        f'focus = "område {n % 97}, innovation och tillväxt"\n'
        f'aliases = ["K{n}"]\n\n'
        for n in range(count)
    )
    return head + clusters


if __name__ == "__main__":
    sys.stdout.write(generated(int(sys.argv[1])))
