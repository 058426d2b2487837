"""Assembly: from a mission config to a flying system (apps, services, links, executive).

`build_flight` is the one place that knows every layer; the `starling flight` command and the
tests call it, then `Flight.run`.
"""

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flight.apps.core import CoreApp
from flight.apps.hardware import Hardware, HardwareApp
from flight.apps.registry import REGISTRY
from flight.apps.science import ScienceRelay
from flight.core import (
    EVENT_MID,
    App,
    AppContext,
    AppState,
    Clock,
    ConfigError,
    EventDef,
    EventRecord,
    Executive,
    HardwareWatchdog,
    HealthMonitor,
    Mission,
    MissionTime,
    MonotonicClock,
    ParameterStore,
    SoftwareBus,
    Store,
    SystemdNotifier,
    Workers,
)
from flight.links import (
    CommandGuard,
    Deliver,
    Link,
    ensure_dev_key,
    load_keyring,
    open_link,
)
from flight.services import (
    Downlink,
    EventService,
    FunctionService,
    HousekeepingService,
    ParameterService,
    PusRouter,
    TestService,
    TimeBasedSchedule,
    TimeService,
    Verifier,
)
from hal.backends.sim.control import ENV_VAR as SIM_CONTROL_ENV
from hal.backends.sim.control import SimControl
from hal.errors import ConfigError as HalConfigError

__all__ = [
    "PARAMETER_STORE",
    "REPLAY_STORE",
    "SCHEDULE_STORE",
    "TIME_STORE",
    "Flight",
    "build_flight",
]

log = logging.getLogger(__name__)

PARAMETER_STORE = "parameters"
SCHEDULE_STORE = "schedule"
TIME_STORE = "time"
REPLAY_STORE = "anti-replay"
_BANNER = "!" * 78


@dataclass
class Flight:
    """An assembled flight system, ready to `run`."""

    mission: Mission
    data_dir: Path
    clock: Clock
    bus: SoftwareBus
    executive: Executive
    router: PusRouter
    downlink: Downlink
    housekeeping: HousekeepingService
    events: EventService
    parameters: ParameterStore
    links: list[Link]
    apps: dict[str, App]
    time: MissionTime
    time_service: TimeService
    schedule: TimeBasedSchedule
    health: HealthMonitor
    guard: CommandGuard | None = None
    hardware: Hardware | None = None
    science: ScienceRelay | None = None
    owns_hardware: bool = True  # False when the caller handed the board in and keeps it
    sim_control: SimControl | None = None  # the rig's stimulus channel (sim board only)

    def stats(self) -> dict[str, int]:
        """The system's counters, as the core app's housekeeping reports them."""
        states = [slot.state for slot in self.executive.slots]
        return {
            "tc_received": self.router.received,
            "tc_rejected": self.router.rejected,
            "tc_failed": self.router.failed,
            "tm_sent": self.downlink.sent,
            "bus_dropped": self.bus.stats().dropped,
            "overruns": self.executive.overruns,
            "apps_failed": states.count(AppState.FAILED),
            "apps_disabled": states.count(AppState.DISABLED),
            "link_in": sum(link.counters.packets_in for link in self.links),
            "link_out": sum(link.counters.packets_out for link in self.links),
            "link_rejected": sum(link.counters.rejected for link in self.links)
            + (self.guard.counters.rejected if self.guard is not None else 0),
        }

    def link_stats(self) -> dict[str, int]:
        """The links' and the authentication layer's counters, as LINK_HK reports them."""
        totals: dict[str, int] = {}
        for link in self.links:
            for name, value in link.counters.as_dict().items():
                totals[name] = totals.get(name, 0) + value
        totals["framing_rejected"] = totals.pop("rejected", 0)
        totals["links_down"] = sum(not link.connected for link in self.links)
        guard = self.guard
        totals["authentication"] = int(guard is not None)
        if guard is not None:
            for name, value in guard.counters.as_dict().items():
                totals[f"auth_{name}"] = value
            totals["auth_highest_sn"] = max((w.highest for w in guard.windows.values()), default=0)
        return totals

    def run(self, duration: float | None = None) -> None:
        """Fly until stopped (or for `duration` seconds of the flight clock)."""
        self.executive.run(duration)

    def fly(self) -> None:
        """Fly on the real clock until stopped, with the health monitor watching.

        Starts the apps, says READY=1 (and arms the hardware watchdog), then keeps them alive
        from the monitor's thread for as long as every app checks in.
        """
        self.executive.start()
        self.health.ready()
        self.health.start_thread()
        try:
            self.executive.run()
        finally:
            self.health.stop()

    def close(self) -> None:
        """Stop the apps and workers and close the links."""
        self.executive.shutdown()
        for link in self.links:
            link.close()
        if self.hardware is not None and self.owns_hardware:
            self.hardware.close()
        if self.sim_control is not None:
            self.sim_control.close()
        if self.health.notifier is not None:
            self.health.notifier.close()


def _warn_unauthenticated(mission: Mission, links: Sequence[str]) -> None:
    log.warning(_BANNER)
    log.warning(
        "AUTHENTICATION IS OFF: mission %r accepts UNAUTHENTICATED telecommands", mission.name
    )
    log.warning("from anyone who can reach %s. Bench use only; never fly this.", ", ".join(links))
    log.warning(_BANNER)


def _tick(links: Sequence[Link]) -> None:
    for link in links:
        link.tick()


def _board(mission: Mission, clock: Clock, directory: Path) -> Hardware:
    try:
        return Hardware.for_board(mission.board, clock=clock, storage_path=str(directory))
    except HalConfigError as exc:
        raise ConfigError(str(exc), source=mission.source, key="mission.board") from exc


def _science_relay(
    bus: SoftwareBus, executive: Executive, rate_hz: int, links: Sequence[Link]
) -> ScienceRelay:
    relay = ScienceRelay(bus)
    executive.add_task(rate_hz, "science", relay.step)
    for link in links:
        relay.add_sink(link.send)
    return relay


def _make_apps(
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


def _open_links(
    urls: Sequence[str], deliver: Deliver, executive: Executive, downlink: Downlink
) -> list[Link]:
    opened: list[Link] = []
    try:
        for url in urls:
            link = open_link(url, deliver)
            opened.append(link)
            executive.add_reader(link, link.on_readable)
            downlink.add_sink(link.send)
    except Exception:
        for link in opened:
            link.close()
        raise
    return opened


def _make_guard(
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


def _accept_all(handle: Callable[[bytes], None]) -> Deliver:
    def deliver(packet: bytes) -> bool:
        handle(packet)
        return True

    return deliver


def build_flight(
    mission: Mission,
    *,
    data_dir: Path | None = None,
    links: Sequence[str] | None = None,
    clock: Clock | None = None,
    fsync: Callable[[int], None] = os.fsync,
    notifier: SystemdNotifier | None = None,
    watchdog: HardwareWatchdog | None = None,
    hardware: Hardware | None = None,
) -> Flight:
    """Assemble `mission`: apps from the registry, PUS services, links, executive.

    Args:
        mission: the checked config.
        data_dir: overrides the mission's data directory.
        links: override the mission's link URLs (None: the mission's; empty: no link).
        clock: the flight clock (the monotonic clock when None).
        fsync: the fsync the stores use (a seam for fault injection in tests).
        notifier: systemd's notification socket (`SystemdNotifier.from_environ()`), or None.
        watchdog: the board's hardware watchdog, or None.
        hardware: the board to fly on (by default the mission's, opened here); passing one
            keeps a simulated board's state across a reboot of the flight.

    Raises:
        ConfigError: an unknown app kind, or no core app.
        LinkError: a link cannot be opened.
    """
    clock = clock or MonotonicClock()
    directory = Path(data_dir) if data_dir is not None else mission.data_dir
    link_urls = mission.links if links is None else tuple(links)
    bus = SoftwareBus()
    workers = Workers(bus, threads=mission.workers) if mission.workers > 0 else None
    owns_hardware = hardware is None
    hardware = hardware or _board(mission, clock, directory)
    apps = _make_apps(mission, clock, bus, workers, directory, hardware=hardware)
    cores = [app for app in apps.values() if isinstance(app, CoreApp)]
    if len(cores) != 1:
        raise ConfigError("a mission needs exactly one core app", source=mission.source)
    core = cores[0]
    executive = Executive(
        clock,
        bus,
        rates=mission.rates_hz,
        apid=core.apid,
        max_failures=mission.max_failures,
        backoff=mission.backoff_s,
        max_backoff=mission.max_backoff_s,
        workers=workers,
    )
    mission_time = MissionTime(clock, Store(directory, TIME_STORE, fsync=fsync))
    downlink = Downlink(mission_time)
    # With authentication on, the guard in front of the router does it; the router's own
    # refuse-everything switch is for a mission with no authenticating layer at all.
    router = PusRouter(executive, Verifier(downlink), core)
    guard: CommandGuard | None = None
    if mission.authentication:

        def emit(event: EventDef, aux: bytes) -> None:
            record = EventRecord(core.apid, "links", event, clock.now(), aux)
            bus.publish(EVENT_MID, record, "links")

        guard = _make_guard(mission, directory, fsync, emit)
    parameters = ParameterStore(Store(directory, PARAMETER_STORE, fsync=fsync), apps.values())
    housekeeping = HousekeepingService(downlink, executive, clock)
    events = EventService(downlink, bus)
    time_service = TimeService(downlink, mission_time, clock, core.apid)
    schedule = TimeBasedSchedule(
        downlink,
        mission_time,
        Store(directory, SCHEDULE_STORE, fsync=fsync),
        router.handle,
        capacity=mission.schedule_capacity,
    )
    for service in (
        TestService(downlink),
        FunctionService(),
        ParameterService(downlink, parameters),
        housekeeping,
        events,
        time_service,
        schedule,
    ):
        router.add_service(service)
    for config in mission.apps:
        app = apps[config.name]
        executive.add_app(app, config.rate_hz)
        router.add_app(app)
        housekeeping.add_app(app)
    # 10 Hz (or the next faster group) gives housekeeping its 100 ms resolution.
    service_hz = min((hz for hz in mission.rates_hz if hz >= 10), default=max(mission.rates_hz))
    for name, step in (
        ("pus-events", events.step),
        ("pus-housekeeping", housekeeping.step),
        ("pus-time", time_service.step),
    ):
        executive.add_task(service_hz, name, step)
    # Time-tagged commands go out on the fastest rate group: within 20 ms of their time at 50 Hz.
    executive.add_task(max(mission.rates_hz), "pus-schedule", schedule.step)
    deliver = guard.gate(router.handle) if guard is not None else _accept_all(router.handle)
    opened = _open_links(link_urls, deliver, executive, downlink)
    if opened:
        # Reconnect attempts (a serial adapter unplugged and back) at the slowest rate.
        executive.add_task(min(mission.rates_hz), "links", lambda: _tick(opened))
    restored = parameters.restore()
    mission_time.restore()
    scheduled = schedule.restore()
    log.info(
        "mission %s: %d apps, %d parameter values, %d scheduled telecommands and a time "
        "offset of %+.3f s restored from %s",
        mission.name,
        len(apps),
        restored,
        scheduled,
        mission_time.offset,
        directory,
    )
    if not mission.authentication:
        core.unauthenticated = True
        _warn_unauthenticated(mission, [link.url for link in opened])
    flight = Flight(
        mission,
        directory,
        clock,
        bus,
        executive,
        router,
        downlink,
        housekeeping,
        events,
        parameters,
        opened,
        apps,
        mission_time,
        time_service,
        schedule,
        HealthMonitor(
            clock,
            executive,
            notifier=notifier,
            watchdog=watchdog,
            watchdog_timeout_s=mission.watchdog_timeout_s,
            stale_after=mission.heartbeat_timeout_s,
        ),
        guard,
        hardware,
        _science_relay(bus, executive, service_hz, opened),
        owns_hardware,
    )
    core.attach_stats(flight.stats, flight.link_stats)
    _open_sim_control(flight, executive)
    return flight


def _open_sim_control(flight: Flight, executive: Executive) -> None:
    """On the simulated board, let the HIL rig set stimulus through a local socket it names."""
    path = os.environ.get(SIM_CONTROL_ENV)
    hardware = flight.hardware
    if path and hardware is not None and hardware.sim is not None:
        flight.sim_control = SimControl(hardware.sim, path, health=hardware.health)
        executive.add_reader(flight.sim_control, flight.sim_control.on_readable)
