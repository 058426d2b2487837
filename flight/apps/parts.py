"""The pieces `build_flight` puts together: apps, board, links, authentication, stores.

Kept apart from flight/apps/system.py so the assembly there reads as one recipe.
"""

import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from flight.apps.hardware import Hardware, HardwareApp
from flight.apps.registry import REGISTRY
from flight.apps.science import ScienceRelay
from flight.core import (
    App,
    AppContext,
    Clock,
    ConfigError,
    EventDef,
    Executive,
    Mission,
    SoftwareBus,
    Store,
    Workers,
)
from flight.links import (
    CommandGuard,
    Deliver,
    Link,
    ensure_dev_key,
    is_framed,
    load_keyring,
    open_link,
)
from flight.services import Downlink
from hal.backends.sim.control import ENV_VAR as SIM_CONTROL_ENV
from hal.backends.sim.control import SimControl
from hal.errors import ConfigError as HalConfigError
from hal.errors import HalError
from hal.interfaces import Watchdog

if TYPE_CHECKING:
    from flight.apps.system import Flight

__all__ = [
    "PARAMETER_STORE",
    "REPLAY_STORE",
    "SCHEDULE_STORE",
    "TIME_STORE",
    "accept_all",
    "board_watchdog",
    "make_apps",
    "make_guard",
    "open_board",
    "open_links",
    "open_sim_control",
    "science_relay",
    "tick_links",
    "warn_unauthenticated",
]

log = logging.getLogger("flight.apps.system")

PARAMETER_STORE = "parameters"
SCHEDULE_STORE = "schedule"
TIME_STORE = "time"
REPLAY_STORE = "anti-replay"
_BANNER = "!" * 78


def warn_unauthenticated(mission: Mission, links: Sequence[str]) -> None:
    log.warning(_BANNER)
    log.warning(
        "AUTHENTICATION IS OFF: mission %r accepts UNAUTHENTICATED telecommands", mission.name
    )
    log.warning("from anyone who can reach %s. Bench use only; never fly this.", ", ".join(links))
    log.warning(_BANNER)


def tick_links(links: Sequence[Link]) -> None:
    for link in links:
        link.tick()


def open_board(mission: Mission, clock: Clock, directory: Path) -> Hardware:
    try:
        return Hardware.for_board(mission.board, clock=clock, storage_path=str(directory))
    except HalConfigError as exc:
        raise ConfigError(str(exc), source=mission.source, key="mission.board") from exc


def board_watchdog(mission: Mission, hardware: Hardware, *, owned: bool) -> Watchdog | None:
    """The board's hardware watchdog when the mission arms it itself (``hardware_watchdog``).

    Args:
        mission: the mission.
        hardware: its board, opened.
        owned: whether the board was opened for this flight (then a failure closes it).

    Raises:
        ConfigError: the mission's timeout is beyond what the board's watchdog can count, or
            the watchdog cannot be opened (a missing device, another owner such as systemd's
            RuntimeWatchdogSec, no permission).
    """
    if not mission.hardware_watchdog:
        return None
    try:
        return _open_watchdog(mission, hardware)
    except ConfigError:
        if owned:
            hardware.close()
        raise


def _open_watchdog(mission: Mission, hardware: Hardware) -> Watchdog:
    board = hardware.board
    if mission.watchdog_timeout_s > board.watchdog_max_timeout_s:
        raise ConfigError(
            f"the {board.name} watchdog counts {board.watchdog_max_timeout_s} s at most",
            source=mission.source,
            key="health.watchdog_timeout_s",
        )
    try:
        return hardware.watchdog()
    except HalError as exc:
        raise ConfigError(
            f"cannot open the hardware watchdog {board.watchdog}: {exc} (fly with "
            "hardware_watchdog = false where systemd owns it)",
            source=mission.source,
            key="health.hardware_watchdog",
        ) from exc


def science_relay(
    bus: SoftwareBus, executive: Executive, rate_hz: int, links: Sequence[Link]
) -> ScienceRelay:
    relay = ScienceRelay(bus)
    executive.add_task(rate_hz, "science", relay.step)
    for link in links:
        relay.add_sink(link.send)
    return relay


def make_apps(
    mission: Mission,
    clock: Clock,
    bus: SoftwareBus,
    workers: Workers | None,
    directory: Path,
    *,
    hardware: Hardware,
) -> dict[str, App]:
    apps: dict[str, App] = {}
    for config in mission.apps:
        kind = REGISTRY.get(config.kind)
        if kind is None:
            known = ", ".join(sorted(REGISTRY))
            raise ConfigError(
                f"unknown app kind {config.kind!r} (known: {known})",
                source=mission.source,
                key=config.name,
            )
        ctx = AppContext(config.name, config.apid, clock, bus, workers, directory / config.name)
        apps[config.name] = kind(ctx, hardware) if issubclass(kind, HardwareApp) else kind(ctx)
    return apps


def open_links(
    urls: Sequence[str],
    handle: Callable[[bytes], None],
    executive: Executive,
    downlink: Downlink,
    guard: CommandGuard | None = None,
) -> list[Link]:
    """Open the links, each passing telecommands to `handle` (the router).

    With a guard, a packet link's units go through its check, and a framed link's frames
    through it before FARM-1 (the link then hands over plain packets)."""
    opened: list[Link] = []
    plain = accept_all(handle)
    try:
        for url in urls:
            if guard is None:
                link = open_link(url, plain)
            elif is_framed(url):
                link = open_link(url, plain, authenticator=guard)
            else:
                link = open_link(url, guard.gate(handle))
            opened.append(link)
            executive.add_reader(link, link.on_readable)
            downlink.add_sink(link.send)
    except Exception:
        for link in opened:
            link.close()
        raise
    return opened


def make_guard(
    mission: Mission,
    directory: Path,
    fsync: Callable[[int], None],
    emit: Callable[[EventDef, bytes], None],
) -> CommandGuard:
    """The authentication layer: keys from the unit's key directory, a persisted window."""
    settings = mission.security
    key_dir = settings.key_path(directory)
    if settings.dev_key:
        created = ensure_dev_key(key_dir, settings.spi)
        if created is not None:
            log.warning(
                "generated a DEVELOPMENT key at %s (mode 0600): the ground on this machine "
                "signs with it; provision real keys for anything that flies",
                created,
            )
    keys = load_keyring(key_dir)
    log.info(
        "telecommands must be authenticated (HMAC-SHA-256, window %d); keys %s from %s",
        settings.window,
        sorted(keys),
        key_dir,
    )
    store = Store(directory, REPLAY_STORE, fsync=fsync)
    return CommandGuard(keys, store, window=settings.window, emit=emit)


def accept_all(handle: Callable[[bytes], None]) -> Deliver:
    def deliver(packet: bytes) -> bool:
        handle(packet)
        return True

    return deliver


def open_sim_control(flight: "Flight", executive: Executive) -> None:
    """On the simulated board, let the HIL rig set stimulus through a local socket it names."""
    path = os.environ.get(SIM_CONTROL_ENV)
    hardware = flight.hardware
    if path and hardware is not None and hardware.sim is not None:
        flight.sim_control = SimControl(hardware.sim, path, health=hardware.health)
        executive.add_reader(flight.sim_control, flight.sim_control.on_readable)
