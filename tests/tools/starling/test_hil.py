"""`starling hil run --dut` and `starling hil replay`, end to end on a pty unit."""

import subprocess
import sys
from pathlib import Path

from tools.starling import hil


def _starling(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools.starling.hil", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_run_against_a_pty_unit_writes_junit_and_replays(tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = _starling(
        "run",
        "--dut",
        "pty",
        "--serial",
        "PTY-1",
        "--out",
        str(out),
        "-k",
        "events or stateful or bad_command",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS PTY-1" in done.stdout
    assert (out / "junit" / "PTY-1.xml").is_file()
    assert "| PTY-1 | pty |" in (out / "summary.md").read_text()
    replayed = _starling(
        "replay", str(out / "PTY-1" / "archive.sqlite"), "--out", str(tmp_path / "replay")
    )
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert "same verification outcomes" in replayed.stdout


def test_bad_dut_and_missing_inventory_exit_2(tmp_path: Path) -> None:
    assert _starling("run", "--dut", "carrier-pigeon", "--out", str(tmp_path)).returncode == 2
    missing = _starling("run", "--inventory", str(tmp_path / "none.toml"))
    assert missing.returncode == 2
    assert "cannot read inventory" in missing.stderr


def test_register_adds_run_and_replay() -> None:
    import argparse  # noqa: PLC0415

    parser = argparse.ArgumentParser()
    hil.register(parser.add_subparsers())
    args = parser.parse_args(["hil", "run", "--dut", "sim", "-j", "2"])
    assert (args.dut, args.jobs, args.func) == ("sim", 2, hil.run)
    assert parser.parse_args(["hil", "replay", "a.sqlite"]).func is hil.replay
