"""Which boards to deploy to: the inventory file (``units.toml``) and command-line targets.

```toml
[defaults]                       # applies to every unit; each unit may override any key
user = "root"
ssh_key = "keys/factory_ed25519"  # relative paths are relative to the inventory file
known_hosts = "known_hosts"
prefix = "/opt/starling"
python = "python3"               # the board interpreter that runs the agent and owns pip
service = "supervisor"           # or "systemd"

[[unit]]
serial = "SN0001"
host = "10.0.0.11"
port = 22
link = "udp:0.0.0.0:10015"       # what the flight app binds on the board
health_link = "udp:10.0.0.11:10015"  # where the ground pings it (default: link, host -> host)
spacecraft_id = 0x101
apids = [100, 101]
auth_key = "keys/SN0001.auth"    # 0600 on the ground; written 0600 on the board
ground_state = "state/SN0001"    # the ground signer's sequence number for auth_key
                                 # (default: ~/.local/state/starling/deploy/SERIAL)
```
"""

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from hil.deploy.errors import InventoryError

__all__ = ["Unit", "load_inventory", "parse_link", "parse_target"]

_PATH_KEYS = ("ssh_key", "known_hosts", "auth_key", "ground_state")
_STATE_HOME = Path("~/.local/state/starling/deploy")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_WILDCARD_HOSTS = ("0.0.0.0", "::", "")  # noqa: S104 - compared with, never bound


@dataclass(frozen=True, kw_only=True)
class Unit:
    """One board: how to reach it over SSH, where to install, and its identity."""

    serial: str
    host: str
    port: int = 22
    user: str = "root"
    ssh_key: Path | None = None
    known_hosts: Path | None = None
    prefix: str = "/opt/starling"
    python: str = "python3"
    service: str = "supervisor"
    link: str = "udp:0.0.0.0:10015"
    health_link: str = ""
    spacecraft_id: int = 0
    apids: tuple[int, ...] = (100,)
    auth_key: Path | None = None
    ground_state: Path | None = None
    ssh_options: tuple[str, ...] = field(default=())

    def ground_link(self) -> tuple[str, int]:
        """The (host, UDP port) the ground pings for the health check."""
        host, port = parse_link(self.health_link or self.link)
        return (self.host if host in _WILDCARD_HOSTS else host), port

    def ground_state_dir(self) -> Path:
        """Where the ground keeps this unit's signer state (its next sequence number).

        It must outlive every push: a ground that forgets it signs with numbers the board
        has already seen, and the board drops those telecommands as replays.
        """
        if self.ground_state is not None:
            return self.ground_state
        name = _UNSAFE.sub("_", self.serial)
        return _STATE_HOME.expanduser() / (f"_{name}" if name.startswith(".") else name)

    def identity(self) -> dict[str, Any]:
        """The identity written on the board, without key material."""
        return {
            "serial": self.serial,
            "spacecraft_id": self.spacecraft_id,
            "apids": list(self.apids),
            "link": self.link,
        }


def parse_link(url: str) -> tuple[str, int]:
    """Split ``udp:HOST:PORT`` (the only link a health check can ping today).

    Raises:
        InventoryError: not a ``udp:`` URL with a numeric port.
    """
    scheme, _, rest = url.partition(":")
    host, _, port = rest.rpartition(":")
    if scheme != "udp" or not port.isdigit():
        raise InventoryError(f"health check needs a udp:HOST:PORT link, got {url!r}")
    return host.strip("[]"), int(port)


def _unit(raw: dict[str, Any], base: Path, path: Path | None) -> Unit:
    known = {f.name for f in fields(Unit)}
    unknown = sorted(set(raw) - known)
    serial = str(raw.get("serial", ""))
    if unknown:
        raise InventoryError(f"unknown keys {', '.join(unknown)}", path=path, unit=serial)
    if not serial or "host" not in raw:
        raise InventoryError("every unit needs a serial and a host", path=path, unit=serial)
    values = dict(raw)
    for key in _PATH_KEYS:
        if values.get(key):
            values[key] = (base / Path(values[key]).expanduser()).resolve()
    if "apids" in values:
        values["apids"] = tuple(int(a) for a in values["apids"])
    if "ssh_options" in values:
        values["ssh_options"] = tuple(values["ssh_options"])
    try:
        return Unit(**values)
    except TypeError as exc:
        raise InventoryError(str(exc), path=path, unit=serial) from exc


def load_inventory(path: Path, only: Sequence[str] = ()) -> list[Unit]:
    """Read the units of an inventory file, optionally only those whose serial is in `only`.

    Raises:
        InventoryError: unreadable TOML, unknown keys, duplicate serials, no units.
    """
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InventoryError(f"cannot read inventory ({exc})", path=path) from exc
    defaults = data.get("defaults", {})
    units = [_unit({**defaults, **raw}, path.parent, path) for raw in data.get("unit", [])]
    serials = [u.serial for u in units]
    duplicates = sorted({s for s in serials if serials.count(s) > 1})
    if duplicates:
        raise InventoryError(f"duplicate serials {', '.join(duplicates)}", path=path)
    if only:
        missing = sorted(set(only) - set(serials))
        if missing:
            raise InventoryError(f"no units {', '.join(missing)}", path=path)
        units = [u for u in units if u.serial in only]
    if not units:
        raise InventoryError("no units", path=path)
    return units


def parse_target(target: str, template: Unit | None = None) -> Unit:
    """Turn ``[user@]host[:port]`` into a unit; its serial is the target text itself.

    Raises:
        InventoryError: the port is not a number.
    """
    user, _, hostport = target.rpartition("@")
    host, _, port = hostport.partition(":")
    if port and not port.isdigit():
        raise InventoryError(f"bad port in target {target!r}")
    base = template or Unit(serial=target, host=host)
    unit = replace(base, serial=target, host=host, port=int(port) if port else base.port)
    return replace(unit, user=user) if user else unit
