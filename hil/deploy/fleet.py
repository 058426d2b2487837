"""Deploy to many boards at once: push, status, manual rollback, key trust.

A push runs these steps on every unit in parallel (at most `jobs` at a time), in one SSH session
per unit: upload the bundle under a temporary name; have the agent verify and install it into
the inactive slot, write the unit's identity, switch ``current`` and restart the service. Then
the ground health-checks the service over its link and, when the check fails, has the agent
switch back to the previous slot and restart that. Each unit's
outcome is reported separately: one bad board does not stop the others.

When the bundle's mission authenticates telecommands, push also installs the unit's
``auth_key`` where that mission's flight reads its key (``data/KEY_DIR/SPI.key``), and the
health check signs its ping with the same key (`hil.deploy.healthcheck.ground_signer`).
"""

import asyncio
import base64
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flight.core.errors import ConfigError, DurabilityError
from flight.core.mission import Mission, load_mission
from hil.deploy.bundle import read_mission
from hil.deploy.errors import DeployError, RemoteError
from hil.deploy.healthcheck import (
    HealthCheck,
    HealthReport,
    ground_signer,
    load_unit_key,
    pus_ping_check,
)
from hil.deploy.inventory import Unit
from hil.deploy.signing import check_secret_file
from hil.deploy.transport import AgentClient

__all__ = [
    "Reporter",
    "UnitResult",
    "default_health",
    "identity_json",
    "push",
    "rollback",
    "status",
    "trust",
]

Reporter = Callable[[str, str, float | None, str], None]
"""Called with (serial, stage, fraction done or None, note) as each unit progresses."""

_REFUSALS = ("signature", "checksum", "unsafe-path", "malformed", "no-trusted-key")


@dataclass(frozen=True)
class UnitResult:
    """What happened on one unit.

    Attributes:
        serial: The unit.
        outcome: ``deployed``, ``rolled-back``, ``refused``, ``failed`` (or, for the manual
            commands, ``ok``).
        detail: Health check result or error message.
        version: Version active on the unit afterwards, when known.
        slot: Slot active afterwards, when known.
        seconds: Wall time spent on this unit.
    """

    serial: str
    outcome: str
    detail: str
    version: str | None = None
    slot: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the unit ended up running what was asked."""
        return self.outcome in ("deployed", "ok")


def default_health(timeout: float = 15.0, *, require_housekeeping: bool = True) -> HealthCheck:
    """The PUS 17,1 ping (plus housekeeping) health check against each unit's link.

    The ping is signed with the unit's key when the mission authenticates telecommands.
    """

    async def check(unit: Unit, mission: Mission) -> HealthReport:
        host, port = unit.ground_link()
        try:
            signer = ground_signer(unit, mission)
            return await pus_ping_check(
                host,
                port,
                timeout=timeout,
                require_housekeeping=require_housekeeping,
                encode=None if signer is None else signer.encode,
            )
        except (DeployError, DurabilityError, OSError, ValueError) as exc:
            return HealthReport(False, f"cannot sign the ping: {exc}")

    return check


def identity_json(unit: Unit, mission: Mission | None = None) -> bytes:
    """The identity the agent writes on the board, with the unit's auth key (checked 0600).

    When `mission` authenticates telecommands, the key must be a telecommand key (`load_key`)
    and the agent also installs it as the flight's ``<SPI>.key`` under the mission's key
    directory, which must then lie under the flight's data directory.

    Raises:
        InventoryError: an authenticated mission, and the unit has no ``auth_key``.
        KeyFileError: the key file fails its checks.
        DeployError: the mission keeps its keys outside its data directory.
    """
    identity: dict[str, Any] = unit.identity()
    if mission is not None and mission.authentication:
        load_unit_key(unit)
        key_dir = Path(mission.security.key_dir).expanduser()
        if key_dir.is_absolute() or ".." in key_dir.parts:
            raise DeployError(
                f"mission {mission.name} keeps its keys in {key_dir}, outside its data "
                "directory: push cannot install the unit key there"
            )
        identity["flight_key"] = {
            "name": "auth",
            "dir": key_dir.as_posix(),
            "spi": mission.security.spi,
        }
    if unit.auth_key is not None:
        check_secret_file(unit.auth_key)
        identity["auth_keys"] = {"auth": base64.b64encode(unit.auth_key.read_bytes()).decode()}
    return json.dumps(identity).encode()


def _mission_after_rollback(mission: Mission, name: object) -> Mission | None:
    """The mission of the slot rolled back to: the bundle's, a shipped one, or unknown."""
    if name == mission.name:
        return mission
    try:
        return load_mission(str(name))
    except ConfigError:
        return None


def _silent(serial: str, stage: str, fraction: float | None, note: str) -> None:
    del serial, stage, fraction, note


async def _push_one(
    unit: Unit,
    bundle: Path,
    mission: Mission,
    *,
    health: HealthCheck | None,
    report: Reporter,
    options: dict[str, Any],
) -> UnitResult:
    started = time.monotonic()
    client = AgentClient(unit, timeout=options["timeout"])
    serial = unit.serial

    def done(outcome: str, detail: str, info: dict[str, Any] | None = None) -> UnitResult:
        info = info or {}
        report(serial, outcome, None, detail)
        return UnitResult(
            serial,
            outcome,
            detail,
            info.get("version"),
            info.get("active"),
            time.monotonic() - started,
        )

    try:
        report(serial, "upload", 0.0, "")
        ready = ["--ready-timeout", str(options["ready_timeout"])]
        installed = await client.push(
            bundle,
            identity_json(unit, mission),
            ["--restart", *ready],
            on_progress=lambda sent, total: report(serial, "upload", sent / total, ""),
            on_event=lambda event: report(serial, str(event.get("stage")), None, ""),
            bwlimit=options["bwlimit"],
        )
        service = installed.get("service", {})
        if not service.get("ready"):
            check = HealthReport(False, f"service did not report READY=1 ({service})")
        elif health is None:
            check = HealthReport(True, "not health-checked")
        else:
            report(serial, "health", None, "")
            check = await health(unit, mission)
        if check.ok:
            return done("deployed", check.detail, installed)
        if installed["previous"] is None:
            return done("failed", f"{check.detail}; no previous slot to roll back to", installed)
        report(serial, "rollback", None, check.detail)
        back = await client.call("rollback", ["--to", installed["previous"], "--restart", *ready])
        previous = _mission_after_rollback(mission, back.get("mission"))
        if health is None:
            after = HealthReport(True, "")
        elif previous is None:
            after = HealthReport(True, f"not health-checked: mission {back.get('mission')}")
        else:
            after = await health(unit, previous)
        note = f"{check.detail}; rolled back to {back.get('version')} ({after.detail})"
        return done("rolled-back", note, back)
    except RemoteError as exc:
        return done("refused" if exc.kind in _REFUSALS else "failed", str(exc))
    except DeployError as exc:
        return done("failed", str(exc))


async def push(
    units: Sequence[Unit],
    bundle: Path,
    *,
    health: HealthCheck | None,
    report: Reporter = _silent,
    jobs: int = 8,
    bwlimit: int = 0,
    timeout: float = 300.0,
    ready_timeout: float = 30.0,
) -> list[UnitResult]:
    """Deploy `bundle` to every unit in parallel; return one result per unit, in order.

    Args:
        units: The boards.
        bundle: A signed bundle from `hil.deploy.bundle.build_bundle`; its mission decides
            whether the health check signs its telecommands.
        health: The check that decides between keeping and rolling back; None skips it.
        report: Progress callback.
        jobs: Units handled at the same time.
        bwlimit: Upload bytes per second per unit; 0 for no limit.
        timeout: Seconds each SSH step may take.
        ready_timeout: Seconds the service has to report READY=1 after a restart.

    Raises:
        BundleError: the bundle's mission cannot be read (nothing was sent to any unit).
    """
    mission = read_mission(bundle)
    gate = asyncio.Semaphore(jobs)
    options = {"bwlimit": bwlimit, "timeout": timeout, "ready_timeout": ready_timeout}

    async def one(unit: Unit) -> UnitResult:
        async with gate:
            return await _push_one(
                unit, bundle, mission, health=health, report=report, options=options
            )

    return list(await asyncio.gather(*(one(unit) for unit in units)))


async def _each(
    units: Sequence[Unit], command: str, options: list[str], stdin: bytes = b""
) -> list[UnitResult]:
    async def one(unit: Unit) -> UnitResult:
        started = time.monotonic()
        try:
            info = await AgentClient(unit, timeout=120).call(command, options, stdin)
        except DeployError as exc:
            return UnitResult(unit.serial, "failed", str(exc), seconds=time.monotonic() - started)
        return UnitResult(
            unit.serial,
            "ok",
            json.dumps(info, sort_keys=True),
            info.get("version"),
            info.get("active"),
            time.monotonic() - started,
        )

    return list(await asyncio.gather(*(one(unit) for unit in units)))


async def status(units: Sequence[Unit]) -> list[UnitResult]:
    """Ask every unit which version is in which slot; `detail` holds the agent's JSON."""
    return await _each(units, "status", [])


async def rollback(units: Sequence[Unit], ready_timeout: float = 30.0) -> list[UnitResult]:
    """Switch every unit back to its other slot and restart the service there."""
    return await _each(units, "rollback", ["--restart", "--ready-timeout", str(ready_timeout)])


async def trust(units: Sequence[Unit], public_key: Path, *, add: bool = False) -> list[UnitResult]:
    """Install `public_key` as a trusted bundle key on units that trust none yet (or `add`)."""
    return await _each(units, "trust", ["--add"] if add else [], public_key.read_bytes())
