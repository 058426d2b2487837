"""The systemd unit template: required settings, and a clean `systemd-analyze verify`."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hil.deploy.assets import asset
from hil.deploy.assets.agent import render_unit

REQUIRED = (
    "Type=notify",
    "WatchdogSec=",
    "Restart=on-failure",
    "StartLimitBurst=",
    "StartLimitIntervalSec=",
    "StartLimitAction=",
    "NotifyAccess=main",
)


def rendered(tmp_path: Path, python: str = sys.executable) -> Path:
    prefix = tmp_path / "opt" / "starling"
    (prefix / "current").mkdir(parents=True)
    (prefix / "current" / "launcher.py").write_bytes(asset("launcher.py").read_bytes())
    unit = tmp_path / "starling.service"
    unit.write_text(render_unit(asset("starling.service.in").read_text(), prefix, python))
    return unit


def verify(unit: Path) -> subprocess.CompletedProcess[str]:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed (Debian package systemd)")
    return subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )


def test_template_has_the_watchdog_and_restart_settings() -> None:
    lines = asset("starling.service.in").read_text().splitlines()
    for setting in REQUIRED:
        assert any(line.startswith(setting) for line in lines), setting


def test_rendered_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    result = verify(rendered(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "starling.service" not in result.stderr


def test_verify_catches_a_broken_unit(tmp_path: Path) -> None:
    # Control: the linter really reads our file (a missing interpreter is a fatal error).
    result = verify(rendered(tmp_path, python="/nonexistent/python"))
    assert result.returncode != 0
    assert "/nonexistent/python" in result.stderr
