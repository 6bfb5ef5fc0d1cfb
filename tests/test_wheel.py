"""The wheel carries the registry: built, installed into a fresh environment outside the
checkout, and run from another folder."""

import importlib.util
import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # see pyproject.toml: the quick loop leaves this file out


def test_the_installed_wheel_runs_with_its_data(tmp_path: Path) -> None:
    """Built and installed with uv, or with pip where uv is not installed."""
    uv = shutil.which("uv")
    if uv is None and importlib.util.find_spec("pip") is None:
        pytest.skip("neither uv nor pip is installed to build and install the wheel with")

    def run(*args: str | Path, cwd: Path = tmp_path) -> str:
        done = subprocess.run(
            [str(a) for a in args], capture_output=True, text=True, cwd=cwd, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    if uv:
        run(uv, "build", "--wheel", "--out-dir", tmp_path / "dist", ROOT)
    else:
        run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp_path / "dist", ROOT)
    (wheel,) = (tmp_path / "dist").glob("s3pilot-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        packaged = archive.read("s3pilot_cli/data/clusters.toml")
        outlines = archive.read("s3pilot_cli/outlines.json")
        names = archive.namelist()
    assert "s3pilot_cli/py.typed" in names  # type checkers see the Python API's types
    assert packaged == (ROOT / "data" / "clusters.toml").read_bytes()
    with zipfile.ZipFile(wheel) as archive:
        schema = archive.read("s3pilot_cli/clusters.schema.json")
    assert schema == (ROOT / "s3pilot_cli" / "clusters.schema.json").read_bytes()
    assert outlines == (ROOT / "s3pilot_cli" / "outlines.json").read_bytes()
    with zipfile.ZipFile(wheel) as archive:
        outlines_wgs84 = archive.read("s3pilot_cli/outlines_wgs84.json")
        (licence,) = [name for name in names if name.endswith(".dist-info/licenses/LICENSE")]
        assert archive.read(licence) == (ROOT / "LICENSE").read_bytes()
    assert outlines_wgs84 == (ROOT / "s3pilot_cli" / "outlines_wgs84.json").read_bytes()
    # The compiled Swedish catalogue, not its source: gettext reads the .mo.

    python = tmp_path / "venv" / "bin" / "python"
    if uv:
        run(uv, "venv", "--quiet", "--python", sys.executable, tmp_path / "venv")
        run(uv, "pip", "install", "--quiet", "--python", python, wheel)
    else:
        run(sys.executable, "-m", "venv", tmp_path / "venv")
        run(python, "-m", "pip", "install", "--quiet", wheel)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    s3pilot = tmp_path / "venv" / "bin" / "s3pilot"
    assert run(s3pilot, "list", "--region", "Värmland", cwd=elsewhere) == (
        "Compare\nPaper Province\n"
    )
    # places.json, read through importlib.resources from the installed package
    assert run(s3pilot, "list", "--region", "Karlstad", cwd=elsewhere) == (
        "Compare\nPaper Province\n"
    )
    document = json.loads(run(s3pilot, "export", "--format", "registry-json", cwd=elsewhere))
    assert len(document["clusters"]) == 22
    info = json.loads(run(s3pilot, "info", "--format", "json", cwd=elsewhere))
    assert Path(info["registry"]).is_relative_to(tmp_path / "venv")
    assert run(s3pilot, "schema", cwd=elsewhere).encode() == schema
    assert run(s3pilot, "map", cwd=elsewhere) == (ROOT / "docs" / "map.svg").read_text("utf-8")

    # The binary formats work from the wheel alone: its dependencies bring XlsxWriter.
    run(s3pilot, "export", "--format", "sqlite", "-o", "s3pilot.db", cwd=elsewhere)
    assert (elsewhere / "s3pilot.db").read_bytes().startswith(b"SQLite format 3\x00")
    run(s3pilot, "export", "--format", "xlsx", "-o", "s3pilot.xlsx", cwd=elsewhere)
    with zipfile.ZipFile(elsewhere / "s3pilot.xlsx") as workbook:
        assert "xl/workbook.xml" in workbook.namelist()


def test_the_sdist_carries_the_licence(tmp_path: Path) -> None:
    uv = shutil.which("uv")
    assert uv, "uv is needed to build the sdist (pip install uv)"
    subprocess.run(
        [uv, "build", "--sdist", "--out-dir", str(tmp_path), str(ROOT)],
        capture_output=True,
        check=True,
    )
    (sdist,) = tmp_path.glob("s3pilot-*.tar.gz")
    with tarfile.open(sdist) as archive:
        (member,) = [m for m in archive.getmembers() if m.name.endswith("/LICENSE")]
        licence = archive.extractfile(member)
        assert licence is not None
        assert licence.read() == (ROOT / "LICENSE").read_bytes()
        (metadata,) = [m for m in archive.getmembers() if m.name.endswith("/PKG-INFO")]
        pkg_info = archive.extractfile(metadata)
        assert pkg_info is not None
        text = pkg_info.read().decode()
    assert "License-Expression: MIT" in text
    assert "License-File: LICENSE" in text


def test_the_wheel_carries_the_compiled_catalogue_not_its_source(tmp_path: Path) -> None:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed to build the wheel with")
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", tmp_path, ROOT], capture_output=True, check=True
    )
    (wheel,) = tmp_path.glob("s3pilot-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        catalogues = {name for name in archive.namelist() if "/locale/" in name}
        assert catalogues == {"s3pilot_cli/locale/sv/LC_MESSAGES/s3pilot.mo"}
        mo = archive.read("s3pilot_cli/locale/sv/LC_MESSAGES/s3pilot.mo")
    assert (
        mo == (ROOT / "s3pilot_cli" / "locale" / "sv" / "LC_MESSAGES" / "s3pilot.mo").read_bytes()
    )
