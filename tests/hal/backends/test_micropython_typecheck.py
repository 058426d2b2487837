"""The MicroPython backend type-checks against micropython-rp2-stubs, and every portable HAL
module compiles with mpy-cross (which rejects syntax MicroPython does not have).

The rp2 stubs install their modules (machine.pyi, time.pyi, ...) at the top of site-packages
and a MicroPython stdlib as a typeshed directory (site-packages/stdlib). mypy refuses
site-packages on its search path, so the test links the stub modules into a temporary
directory and uses the stdlib stubs as the custom typeshed.
"""

import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PORTABLE = [
    ROOT / "hal/errors.py",
    ROOT / "hal/deadline.py",
    ROOT / "hal/boards/sim.py",
    *sorted((ROOT / "hal/backends/sim").glob("*.py")),
    *sorted((ROOT / "hal/backends/micropython").glob("*.py")),
]


def _stub_dir(tmp_path: Path) -> tuple[Path, Path]:
    try:
        dist = metadata.distribution("micropython-rp2-stubs")
    except metadata.PackageNotFoundError:
        pytest.skip("micropython-rp2-stubs is not installed")
    site = Path(str(dist.locate_file("")))
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    tops = {Path(str(f)).parts[0] for f in dist.files or ()}
    for top in sorted(tops | {"_mpy_shed"}):
        if top.endswith((".dist-info", ".md", ".toml")) or not (site / top).exists():
            continue
        (stubs / top).symlink_to(site / top)
    return site, stubs


def test_micropython_backend_typechecks_against_rp2_stubs(tmp_path: Path) -> None:
    site, stubs = _stub_dir(tmp_path)
    config = tmp_path / "mypy.ini"
    config.write_text(
        "[mypy]\nstrict = True\npython_version = 3.11\n"
        f"custom_typeshed_dir = {site}\nmypy_path = {stubs}\nfollow_imports = silent\n"
        f"cache_dir = {ROOT / '.mypy_cache' / 'micropython-rp2'}\n"
        # The stubs themselves are not ours to fix.
        "[mypy-machine,micropython,vfs,time,_mpy_shed,_mpy_shed.*,rp2,rp2.*]\n"
        "ignore_errors = True\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(config),
            str(ROOT / "hal/backends/micropython"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_portable_modules_compile_with_mpy_cross(tmp_path: Path) -> None:
    exe = shutil.which("mpy-cross") or str(Path(sys.executable).parent / "mpy-cross")
    if not Path(exe).exists():
        pytest.skip("mpy-cross is not installed")
    for source in PORTABLE:
        out = tmp_path / (source.stem + ".mpy")
        result = subprocess.run(
            [exe, "-o", str(out), str(source)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert result.returncode == 0, f"{source}: {result.stderr}"
        assert out.stat().st_size > 0
