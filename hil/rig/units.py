"""Which unit is under test: a ``--dut`` value or an inventory entry, and its identity.

``--dut`` takes ``sim`` (the flight as a subprocess on the simulated board, over UDP),
``pty`` (the same over a pseudo-terminal pair through the serial link stack),
``udp:HOST:PORT`` or ``serial:DEVICE[@BAUD]`` (a real board on a bench). An inventory
(``units.toml``) lists many::

    [[unit]]
    serial = "SN-0001"
    dut = "sim"                       # or a link URL
    mission = "demo"                  # a shipped name or a mission file (relative: to the file)
    keys = "keys/SN-0001"             # the unit's key directory (authenticated missions)
    relay = "sim:gpio0:5"             # bench boards: the GPIO line that cuts their power
    [[unit.faults]]                   # sim units: faults injected when the unit starts
    model = "tmp117"
    fault = "nack"
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flight.core.errors import LinkError
from flight.links import split_framing
from hil.rig.errors import DutSpecError

__all__ = ["DEFAULT_MISSION", "DutSpec", "FaultSpec", "load_inventory", "parse_dut"]

DEFAULT_MISSION = "demo"
_SIMULATED = ("sim", "pty")


@dataclass(frozen=True)
class FaultSpec:
    """A sensor fault to inject into a simulated unit when it starts.

    Attributes:
        model: the SimBoard model (``tmp117``).
        fault: the fault name of its bus kind (``nack``) or a quantity to set (``set``).
        options: the fault's options, or the quantities for ``set``.
    """

    model: str
    fault: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DutSpec:
    """One unit under test.

    Attributes:
        kind: ``sim``, ``pty``, ``udp`` or ``serial``.
        url: the link URL of a real board (None for simulated units).
        mission: the mission it flies (a shipped name or a mission file).
        serial: its serial number (reports and JUnit files are named after it).
        keys: its key directory (authenticated missions), or None for the mission's default.
        relay: the HAL GPIO URL of a bench power relay, or None.
        faults: faults injected at start (simulated units only).
    """

    kind: str
    url: str | None = None
    mission: str = DEFAULT_MISSION
    serial: str = "SIM-0001"
    keys: Path | None = None
    relay: str | None = None
    faults: tuple[FaultSpec, ...] = ()

    @property
    def simulated(self) -> bool:
        """Whether the rig starts the flight itself (and can power-cycle and stimulate it)."""
        return self.kind in _SIMULATED

    @property
    def text(self) -> str:
        """The ``--dut`` value that names this unit."""
        return self.kind if self.url is None else self.url


def parse_dut(
    text: str,
    *,
    mission: str = DEFAULT_MISSION,
    serial: str | None = None,
    keys: Path | None = None,
    relay: str | None = None,
    faults: tuple[FaultSpec, ...] = (),
) -> DutSpec:
    """The `DutSpec` for a ``--dut`` value.

    >>> parse_dut("udp:10.0.0.7:10015").url
    'udp:10.0.0.7:10015'
    >>> parse_dut("sim").simulated
    True

    Raises:
        DutSpecError: not ``sim``, ``pty``, ``udp:HOST:PORT`` or ``serial:DEVICE[@BAUD]``.
    """
    value = text.strip()
    if value in _SIMULATED:
        return DutSpec(value, None, mission, serial or "SIM-0001", keys, relay, faults)
    try:
        base = split_framing(value)[0]  # a framed unit: udp:HOST:PORT?framing=cop1&...
    except LinkError as exc:
        raise DutSpecError(f"--dut {text!r}: {exc}") from exc
    scheme, _, rest = base.partition(":")
    if scheme == "udp":
        host, _, port = rest.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) <= 0xFFFF:
            raise DutSpecError(f"--dut {text!r}: expected udp:HOST:PORT")
    elif scheme == "serial":
        if not rest.partition("@")[0]:
            raise DutSpecError(f"--dut {text!r}: expected serial:DEVICE[@BAUD]")
    else:
        raise DutSpecError(
            f"--dut {text!r}: expected sim, pty, udp:HOST:PORT or serial:DEVICE[@BAUD]"
        )
    if faults:
        raise DutSpecError(f"--dut {text!r}: faults can only be injected into simulated units")
    return DutSpec(scheme, value, mission, serial or value, keys, relay, ())


def _faults(entry: dict[str, Any], where: str) -> tuple[FaultSpec, ...]:
    found = []
    for raw in entry.get("faults", []):
        if not isinstance(raw, dict) or not {"model", "fault"} <= raw.keys():
            raise DutSpecError(f"{where}: each fault needs model and fault")
        options = {k: v for k, v in raw.items() if k not in {"model", "fault"}}
        found.append(FaultSpec(str(raw["model"]), str(raw["fault"]), options))
    return tuple(found)


def load_inventory(path: Path) -> list[DutSpec]:
    """The units listed in an inventory file (see the module docstring).

    Relative mission and key paths are taken from the inventory's directory.

    Raises:
        DutSpecError: unreadable, no units, a unit without a serial number or DUT, a serial
            number given twice, or a malformed entry.
    """
    try:
        data = tomllib.loads(Path(path).read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DutSpecError(f"cannot read inventory {path}: {exc}") from exc
    base = Path(path).resolve().parent
    units: list[DutSpec] = []
    for index, entry in enumerate(data.get("unit", [])):
        where = f"{path}: unit[{index}]"
        known = {"serial", "dut", "mission", "keys", "relay", "faults"}
        unknown = sorted(set(entry) - known)
        if unknown:
            raise DutSpecError(f"{where}: unknown key {unknown[0]} (known: {sorted(known)})")
        serial, dut = entry.get("serial"), entry.get("dut")
        if not isinstance(serial, str) or not serial or not isinstance(dut, str):
            raise DutSpecError(f'{where}: needs serial = "..." and dut = "sim" or a URL')
        mission = str(entry.get("mission", DEFAULT_MISSION))
        if mission.endswith(".toml"):
            mission = str(base / mission)
        keys = base / entry["keys"] if "keys" in entry else None
        units.append(
            parse_dut(
                dut,
                mission=mission,
                serial=serial,
                keys=keys,
                relay=entry.get("relay"),
                faults=_faults(entry, where),
            )
        )
    if not units:
        raise DutSpecError(f"{path}: no [[unit]] entries")
    serials = [u.serial for u in units]
    repeated = sorted({s for s in serials if serials.count(s) > 1})
    if repeated:
        raise DutSpecError(f"{path}: serial number {repeated[0]} listed twice")
    return units
