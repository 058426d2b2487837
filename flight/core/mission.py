"""Mission configs: which apps run, on which APIDs and rates, over which links, on which board.

A mission is a TOML file. The shipped ones live in `flight/missions/` and are named by their
stem (``demo``, ``open-bench``); any other path to a ``.toml`` file works too. Everything is
checked when the file is loaded, so a bad config fails before anything starts:

    [mission]
    name = "open-bench"
    board = "sim"                       # the HAL board the apps run on
    data_dir = "~/.local/state/starling/open-bench"
    authentication = false              # bench only: accept unauthenticated telecommands

    [executive]
    rates_hz = [1, 10, 50]
    max_failures = 3
    backoff_s = 1.0

    [health]
    heartbeat_timeout_s = 2.0           # an app silent this long stops the watchdog kicks
    watchdog_timeout_s = 15.0           # the hardware watchdog's timeout
    hardware_watchdog = false           # the flight arms the board's watchdog itself (true
                                        # only where systemd does not own /dev/watchdog)

    [scheduling]
    capacity = 64                       # time-tagged telecommands held at most (service 11)

    [security]                          # read when authentication = true
    key_dir = "keys"                    # <SPI>.key files (hex, mode 0600); under data_dir
    window = 64                         # anti-replay window, in sequence numbers (1..64)
    spi = 1                             # the key ID the ground signs with by default
    dev_key = false                     # sim boards only: make a development key if none

    [[links]]
    url = "udp:127.0.0.1:10015"

    [[apps]]
    name = "core"
    kind = "core"
    apid = 100
    rate_hz = 10
"""

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from flight.core.errors import ConfigError

__all__ = ["AppConfig", "Mission", "SecuritySettings", "load_mission", "shipped_missions"]

_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_MAX_APID = 0x7FE  # 0x7FF is the idle APID
_SECURED_APID = 0x7FD  # flight.links.security.SECURED_APID: the secured-packet envelope
# an optional ?options tail selects a framing (flight.links.framed), checked when it opens
_LINK = re.compile(r"^((udp|tcp):[^:?]+:\d{1,5}|serial:[^@?]+(@\d+)?)(\?[\w.=&-]+)?$")


@dataclass(frozen=True)
class AppConfig:
    """One app instance in a mission.

    Attributes:
        name: the instance name (unique in the mission).
        kind: which app (a key of the app registry, never an importable path).
        apid: the APID it answers on (unique in the mission).
        rate_hz: the rate group it runs in.
    """

    name: str
    kind: str
    apid: int
    rate_hz: int


@dataclass(frozen=True)
class SecuritySettings:
    """How a mission authenticates telecommands (its ``[security]`` table).

    Attributes:
        key_dir: the directory of key files named ``<SPI>.key``; a relative path is taken
            under the data directory.
        window: the anti-replay window, in sequence numbers.
        spi: the key ID the ground signs with unless told otherwise.
        dev_key: generate a development key on first run when the key directory has none
            (allowed on the simulated board only; a real unit is provisioned with keys).
    """

    key_dir: str = "keys"
    window: int = 64
    spi: int = 1
    dev_key: bool = False

    def key_path(self, data_dir: Path) -> Path:
        """The key directory for a flight whose data directory is `data_dir`."""
        return data_dir / Path(self.key_dir).expanduser()


@dataclass(frozen=True)
class Mission:
    """A loaded, checked mission config."""

    name: str
    source: str
    board: str
    data_dir: Path
    authentication: bool
    rates_hz: tuple[int, ...]
    max_failures: int
    backoff_s: float
    max_backoff_s: float
    workers: int
    links: tuple[str, ...]
    apps: tuple[AppConfig, ...]
    description: str = ""
    heartbeat_timeout_s: float = 2.0
    watchdog_timeout_s: float = 15.0
    hardware_watchdog: bool = False
    schedule_capacity: int = 64
    security: SecuritySettings = SecuritySettings()


def shipped_missions() -> tuple[str, ...]:
    """Names of the missions shipped in `flight.missions`."""
    files = resources.files("flight.missions").iterdir()
    return tuple(sorted(f.name[:-5] for f in files if f.name.endswith(".toml")))


def load_mission(name_or_path: str) -> Mission:
    """Load a shipped mission by name, or a mission file by path.

    Raises:
        ConfigError: the mission does not exist or does not check out.
    """
    if _NAME.match(name_or_path) and not name_or_path.endswith(".toml"):
        resource = resources.files("flight.missions").joinpath(f"{name_or_path}.toml")
        if not resource.is_file():
            known = ", ".join(shipped_missions())
            raise ConfigError(f"no shipped mission {name_or_path!r} (shipped: {known})")
        text, source = resource.read_text(encoding="utf-8"), name_or_path
    else:
        path = Path(name_or_path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read mission file: {exc}", source=str(path)) from exc
        source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", source=source) from exc
    return _parse(data, source)


def _get(table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in table:
        raise ConfigError("missing key", key=f"{where}.{key}")
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
        raise ConfigError(f"wrong type {type(value).__name__}", key=f"{where}.{key}")
    return value


def _parse(data: dict[str, Any], source: str) -> Mission:
    try:
        return _build(data, source)
    except ConfigError as exc:
        if exc.source:
            raise
        raise ConfigError(str(exc), source=source) from exc


def _health_and_scheduling(data: dict[str, Any], slowest_hz: int) -> tuple[float, float, int]:
    """(heartbeat timeout, watchdog timeout, schedule capacity), checked."""
    health = data.get("health", {})
    heartbeat = float(health.get("heartbeat_timeout_s", 2.0))
    if heartbeat < 2 / slowest_hz:  # the slowest app must get two chances to check in
        raise ConfigError(f"below 2 / {slowest_hz} Hz", key="health.heartbeat_timeout_s")
    watchdog = float(health.get("watchdog_timeout_s", 15.0))
    if watchdog <= heartbeat:
        raise ConfigError("must exceed heartbeat_timeout_s", key="health.watchdog_timeout_s")
    capacity = data.get("scheduling", {}).get("capacity", 64)
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= 120:
        raise ConfigError(
            "must be an integer in 1..120 (a detail report fills one packet)",
            key="scheduling.capacity",
        )
    return heartbeat, watchdog, capacity


def _build(data: dict[str, Any], source: str) -> Mission:
    mission = data.get("mission", {})
    executive = data.get("executive", {})
    name = _get(mission, "name", str, "mission")
    rates = tuple(executive.get("rates_hz", (1, 10, 50)))
    if not rates or not all(
        isinstance(r, int) and not isinstance(r, bool) and r > 0 for r in rates
    ):
        raise ConfigError("rates must be positive integers", key="executive.rates_hz")
    links = []
    for index, link in enumerate(data.get("links", [])):
        url = _get(link, "url", str, f"links[{index}]")
        if not _LINK.match(url):
            raise ConfigError(f"bad link URL {url!r}", key=f"links[{index}].url")
        links.append(url)
    apps: list[AppConfig] = []
    for index, table in enumerate(data.get("apps", [])):
        where = f"apps[{index}]"
        app = AppConfig(
            name=_get(table, "name", str, where),
            kind=_get(table, "kind", str, where),
            apid=_get(table, "apid", int, where),
            rate_hz=_get(table, "rate_hz", int, where),
        )
        if not _NAME.match(app.name):
            raise ConfigError(f"bad app name {app.name!r}", key=f"{where}.name")
        if not 0 <= app.apid <= _MAX_APID:
            raise ConfigError(f"APID {app.apid} outside 0..{_MAX_APID}", key=f"{where}.apid")
        if app.apid == _SECURED_APID:
            raise ConfigError(f"APID {app.apid} is reserved for secured packets", key=where)
        if app.rate_hz not in rates:
            raise ConfigError(f"no {app.rate_hz} Hz rate group", key=f"{where}.rate_hz")
        for other in apps:
            if other.apid == app.apid or other.name == app.name:
                raise ConfigError(f"{app.name} collides with {other.name}", key=where)
        apps.append(app)
    if not apps:
        raise ConfigError("a mission needs at least one app", key="apps")
    heartbeat, watchdog, capacity = _health_and_scheduling(data, min(a.rate_hz for a in apps))
    health = data.get("health", {})
    own_watchdog = "hardware_watchdog" in health and _get(
        health, "hardware_watchdog", bool, "health"
    )
    board = _get(mission, "board", str, "mission")
    return Mission(
        name=name,
        source=source,
        board=board,
        data_dir=Path(_get(mission, "data_dir", str, "mission")).expanduser(),
        authentication=_get(mission, "authentication", bool, "mission"),
        rates_hz=rates,
        max_failures=int(executive.get("max_failures", 3)),
        backoff_s=float(executive.get("backoff_s", 1.0)),
        max_backoff_s=float(executive.get("max_backoff_s", 60.0)),
        workers=int(executive.get("workers", 2)),
        links=tuple(links),
        apps=tuple(apps),
        description=str(mission.get("description", "")),
        heartbeat_timeout_s=heartbeat,
        watchdog_timeout_s=watchdog,
        hardware_watchdog=own_watchdog,
        schedule_capacity=capacity,
        security=_security(data.get("security", {}), board),
    )


def _security(table: dict[str, Any], board: str) -> SecuritySettings:
    """The ``[security]`` table, checked."""
    known = {"key_dir", "window", "spi", "dev_key"}
    for key in table:
        if key not in known:
            raise ConfigError(
                f"unknown key (known: {', '.join(sorted(known))})", key=f"security.{key}"
            )
    settings = SecuritySettings(
        key_dir=table.get("key_dir", "keys"),
        window=table.get("window", 64),
        spi=table.get("spi", 1),
        dev_key=table.get("dev_key", False),
    )
    if not isinstance(settings.key_dir, str) or not settings.key_dir:
        raise ConfigError("must be a non-empty path", key="security.key_dir")
    for name, low, high in (("window", 1, 64), ("spi", 1, 0xFFFE)):
        value = getattr(settings, name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ConfigError(f"must be an integer in {low}..{high}", key=f"security.{name}")
    if not isinstance(settings.dev_key, bool):
        raise ConfigError("must be true or false", key="security.dev_key")
    if settings.dev_key and board != "sim":
        raise ConfigError(
            "development keys are for the simulated board; provision real keys",
            key="security.dev_key",
        )
    return settings
