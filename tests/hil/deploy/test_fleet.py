"""Fleet deploys against real OpenSSH servers on 127.0.0.1: install, upgrade, rollback, refusal.

The flight process on the boards is the real ``starling flight`` (open-bench mission; demo, which
authenticates telecommands, where the test says so), installed from the bundle's wheels into the
slot's own environment and run by the bundle's launcher.
"""

import asyncio
import os
import signal
import stat
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from flight.apps.core.messages import CORE_HK
from flight.links.security import Signer
from flight.links.security_keys import load_key, write_key
from hil.deploy import (
    BuildSpec,
    Unit,
    UnitResult,
    build_bundle,
    default_health,
    fleet,
    load_private_key,
    pus_ping_check,
    read_mission,
)
from hil.deploy.healthcheck import HealthCheck
from tests.flight.links.helpers import start_flight
from tests.hil.deploy.conftest import ROOT, Board, Bundles

# The full check (ping, then housekeeping, which open-bench reports every 10 s) where the test
# is about the health check; a ping reply is enough where a push only sets a test up.
HEALTH = default_health(timeout=15.0)
PING = default_health(timeout=8.0, require_housekeeping=False)


def push(
    units: list[Unit], bundle: Path, health: HealthCheck = PING, **options: Any
) -> list[UnitResult]:
    return asyncio.run(asyncio.wait_for(fleet.push(units, bundle, health=health, **options), 90))


def running_version(board: Board) -> str:
    """Ping the unit like the ground does, then read which version answered."""
    host, port = board.unit.ground_link()
    report = asyncio.run(pus_ping_check(host, port, timeout=8.0, require_housekeeping=False))
    assert report.ok, report.detail
    return board.flight_version()


def test_deploy_upgrade_status_and_manual_rollback(
    make_board: Callable[[str], Board], bundles: Bundles
) -> None:
    board = make_board("SN0001")
    [first] = push([board.unit], bundles.v1, HEALTH)
    assert "1 HK" in first.detail
    assert (first.outcome, first.slot, first.version) == ("deployed", "a", "1.0.0"), first.detail
    assert running_version(board) == "1.0.0"
    key = board.prefix / "identity" / "keys" / "auth.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_bytes() == board.unit.auth_key.read_bytes()  # type: ignore[union-attr]
    assert 'serial = "SN0001"' in (board.prefix / "identity" / "unit.toml").read_text()

    [second] = push([board.unit], bundles.make("2.0.0"))
    assert (second.outcome, second.slot, second.version) == ("deployed", "b", "2.0.0")
    assert running_version(board) == "2.0.0"

    [status] = asyncio.run(fleet.status([board.unit]))
    assert '"active": "b"' in status.detail
    assert '"version": "1.0.0"' in status.detail
    assert '"version": "2.0.0"' in status.detail

    [back] = asyncio.run(fleet.rollback([board.unit]))
    assert (back.outcome, back.slot, back.version) == ("ok", "a", "1.0.0"), back.detail
    assert running_version(board) == "1.0.0"


def test_failing_health_check_rolls_back(
    make_board: Callable[[str], Board], bundles: Bundles
) -> None:
    board = make_board("SN0002")
    assert push([board.unit], bundles.v1)[0].outcome == "deployed"
    [result] = push([board.unit], bundles.make("2.0.0", broken_mission=True), default_health(4.0))
    assert result.outcome == "rolled-back", result.detail
    # the broken flight exits before it says READY=1; the version rolled back to answers
    assert "did not report READY=1" in result.detail
    assert "rolled back to 1.0.0 (ping" in result.detail
    assert (board.active(), result.version) == ("a", "1.0.0")
    assert running_version(board) == "1.0.0"
    # The broken version stays in its slot for inspection, but is not active.
    assert (board.prefix / "slots" / "b" / ".installed").exists()


def test_bad_signature_and_tampered_bundle_are_refused(
    make_board: Callable[[str], Board], bundles: Bundles, tmp_path: Path
) -> None:
    board = make_board("SN0003")
    assert push([board.unit], bundles.v1)[0].outcome == "deployed"
    pid = board.launcher_pid()

    rogue = tmp_path / "rogue.key"
    from hil.deploy import generate_keypair  # noqa: PLC0415

    generate_keypair(rogue)
    [signed_by_rogue] = push([board.unit], bundles.make("6.6.6", signer=rogue))
    assert signed_by_rogue.outcome == "refused"
    assert "[signature]" in signed_by_rogue.detail

    tampered = tmp_path / bundles.v1.name
    tampered.write_bytes(bundles.v1.read_bytes())
    with tarfile.open(tampered) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith("wheels/starling-"))
    with tampered.open("r+b") as data:  # flip one byte inside the project wheel
        data.seek(member.offset_data + member.size // 2)
        byte = data.read(1)
        data.seek(-1, os.SEEK_CUR)
        data.write(bytes([byte[0] ^ 0xFF]))
    [corrupt] = push([board.unit], tampered)
    assert corrupt.outcome == "refused"
    assert "[checksum]" in corrupt.detail

    assert board.active() == "a"
    assert board.launcher_pid() == pid  # never restarted
    assert not (board.prefix / "slots" / "b").exists()
    assert running_version(board) == "1.0.0"


def test_interrupted_transfer_keeps_old_version_running(
    make_board: Callable[[str], Board], bundles: Bundles, tmp_path: Path
) -> None:
    board = make_board("SN0004")
    assert push([board.unit], bundles.v1)[0].outcome == "deployed"
    pid = board.launcher_pid()
    v2 = bundles.make("2.0.0")
    inventory = tmp_path / "units.toml"
    unit = board.unit
    inventory.write_text(
        f'[[unit]]\nserial = "{unit.serial}"\nhost = "{unit.host}"\nport = {unit.port}\n'
        f'ssh_key = "{unit.ssh_key}"\nknown_hosts = "{unit.known_hosts}"\n'
        f'prefix = "{unit.prefix}"\npython = "{unit.python}"\nlink = "{unit.link}"\n'
        f'ssh_options = ["-F", "/dev/null"]\n'
    )
    size = v2.stat().st_size
    # The ground process (the CLI, as an operator runs it) dies mid-upload: SIGKILL to its
    # whole process group, ssh included, once half the bundle has reached the board.
    ground = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tools.starling.deploy",
            "push",
            "--inventory",
            str(inventory),
            "--bundle",
            str(v2),
            "--bwlimit",
            str(size // 3),
        ],
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    part = board.prefix / "incoming" / f"{v2.name}.part"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if part.exists() and part.stat().st_size > size // 2:
            break
        time.sleep(0.02)
    else:
        ground.kill()
        pytest.fail("upload never reached half way")
    os.killpg(ground.pid, signal.SIGKILL)
    ground.wait(10)
    time.sleep(0.5)  # let sshd notice and tear down the agent

    assert board.active() == "a"
    assert board.launcher_pid() == pid
    assert not (board.prefix / "incoming" / v2.name).exists()
    assert not (board.prefix / "slots" / "b" / ".installed").exists()
    assert running_version(board) == "1.0.0"

    [retry] = push([board.unit], v2)  # and the next push cleans up and succeeds
    assert (retry.outcome, retry.version) == ("deployed", "2.0.0"), retry.detail
    assert list((board.prefix / "incoming").iterdir()) == []


def test_four_boards_in_parallel(
    make_board: Callable[[str], Board], bundles: Bundles, capsys: pytest.CaptureFixture[str]
) -> None:
    boards = [make_board(f"SN01{index:02}") for index in range(4)]
    seen: dict[str, set[str]] = {b.unit.serial: set() for b in boards}

    def report(serial: str, stage: str, fraction: float | None, note: str) -> None:
        del fraction, note
        seen[serial].add(stage)

    started = time.monotonic()
    results = push([b.unit for b in boards], bundles.v1, HEALTH, report=report)
    elapsed = time.monotonic() - started
    assert [r.outcome for r in results] == ["deployed"] * 4, [r.detail for r in results]
    for board in boards:
        assert running_version(board) == "1.0.0"
        assert {"upload", "received", "verify", "install", "switch", "restart", "health"} <= seen[
            board.unit.serial
        ]
    with capsys.disabled():
        print(f"\n4 boards in parallel: {elapsed:.1f} s")


def test_authenticated_mission_health_check_signs_with_the_unit_key(
    make_board: Callable[[str], Board], bundles: Bundles, signing_key: Path, tmp_path: Path
) -> None:
    demo = build_bundle(
        BuildSpec(
            project=ROOT,
            mission=str(ROOT / "flight" / "missions" / "demo.toml"),
            version="3.0.0",
            wheels=(bundles.wheelhouse,),
        ),
        load_private_key(signing_key),
        tmp_path / "demo",
    )
    board = make_board("SN0201")
    unit_key = write_key(tmp_path / "ground-keys" / "SN0201.auth")  # provisioned, not a dev key
    unit = replace(
        board.unit, auth_key=tmp_path / "ground-keys" / "SN0201.auth", ground_state=tmp_path / "gs"
    )

    [result] = push([unit], demo, HEALTH)
    assert (result.outcome, result.version) == ("deployed", "3.0.0"), result.detail
    assert "1 HK" in result.detail
    flight_key = board.prefix / "data" / "keys" / "1.key"  # demo: key_dir "keys", SPI 1
    assert stat.S_IMODE(flight_key.stat().st_mode) == 0o600
    assert load_key(flight_key) == unit_key
    assert [p.name for p in flight_key.parent.iterdir()] == ["1.key"]  # no dev key was made
    assert [p.name for p in (tmp_path / "gs").iterdir()] == ["sequence-1.a"]  # persisted

    # The board drops what is not signed with its key: unsigned and wrongly signed pings.
    host, port = unit.ground_link()
    unsigned = asyncio.run(pus_ping_check(host, port, timeout=2.0, require_housekeeping=False))
    assert not unsigned.ok
    rogue = Signer(1, bytes(32), None)
    forged = asyncio.run(
        pus_ping_check(host, port, timeout=2.0, require_housekeeping=False, encode=rogue.encode)
    )
    assert not forged.ok

    # A second health check continues the persisted sequence numbers (no replay refusal).
    again = asyncio.run(PING(unit, read_mission(demo)))
    assert again.ok, again.detail


def test_health_check_asks_for_housekeeping_rather_than_waiting_for_it(tmp_path: Path) -> None:
    """A flight whose housekeeping comes every 10 s still passes a 3 s check: the check asks
    for a one-shot CORE_HK (3,27) once the ping is answered."""
    run = start_flight(tmp_path, "--mission", "open-bench", "--link", "udp:127.0.0.1:0")
    try:
        host, port = run.urls[0].removeprefix("udp:").rsplit(":", 1)
        report = asyncio.run(pus_ping_check(host, int(port), timeout=3.0))
    finally:
        run.stop()
    assert report.ok, report.detail
    assert report.housekeeping >= 1
    assert CORE_HK.unpack(report.last_housekeeping[2:])["uptime_s"] < 10
