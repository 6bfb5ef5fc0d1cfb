"""Why s3pilot reads TOML with tomli: parse times of tomllib and tomli on the same registries.

    uv run python benchmarks/toml_readers.py

tomli is the library tomllib was copied from; since 2.2 its wheels are compiled with mypyc.
Measured in one process, median of 11 parses after a warm-up: tomllib, tomli as installed
(compiled where a wheel exists), and tomli's own pure-Python sources, as on a platform
without a compiled wheel. Every reader must return the same document. The latest figures are
in benchmarks/toml_readers.md.
"""

import importlib.util
import shutil
import statistics
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import BUNDLED, generated  # noqa: E402

Loads = Callable[[str], dict[str, Any]]


def pure_python_tomli(folder: Path) -> Loads:
    """tomli imported from a copy of its .py files only, so no compiled module is used."""
    installed = importlib.util.find_spec("tomli")
    assert installed is not None
    assert installed.origin is not None
    copy = folder / "tomli_pure"
    copy.mkdir()
    for source in Path(installed.origin).parent.glob("*.py"):
        shutil.copy(source, copy / source.name)
    spec = importlib.util.spec_from_file_location("tomli_pure", copy / "__init__.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["tomli_pure"] = module
    spec.loader.exec_module(module)
    assert not module._parser.__file__.endswith(".so")
    loads: Loads = module.loads
    return loads


def median_ms(loads: Loads, text: str, runs: int = 11) -> float:
    loads(text)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        loads(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    import tomli

    compiled = Path(tomli._parser.__file__).suffix != ".py"
    with tempfile.TemporaryDirectory() as folder:
        readers: dict[str, Loads] = {
            "tomllib": tomllib.loads,
            f"tomli {tomli.__version__} ({'compiled' if compiled else 'pure Python'})": tomli.loads,
            "tomli, pure Python": pure_python_tomli(Path(folder)),
        }
        texts = {
            "bundled (22)": BUNDLED.read_text(encoding="utf-8"),
            "2 000": generated(2000),
            "10 000": generated(10_000),
        }
        print(f"Python {sys.version.split()[0]}; median of 11 parses, in ms\n")
        print("| clusters | " + " | ".join(readers) + " |")
        print("|---" * (len(readers) + 1) + "|")
        for label, text in texts.items():
            expected = tomllib.loads(text)
            assert all(loads(text) == expected for loads in readers.values())
            cells = [f"{median_ms(loads, text):.1f}" for loads in readers.values()]
            print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
