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
from flight.apps.registry import REGISTRY
from flight.core import (
    App,
    AppContext,
    AppState,
    Clock,
    ConfigError,
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
from flight.links import UdpLink, open_link
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

__all__ = ["PARAMETER_STORE", "SCHEDULE_STORE", "TIME_STORE", "Flight", "build_flight"]

log = logging.getLogger(__name__)

PARAMETER_STORE = "parameters"
SCHEDULE_STORE = "schedule"
TIME_STORE = "time"
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
    links: list[UdpLink]
    apps: dict[str, App]
    time: MissionTime
    time_service: TimeService
    schedule: TimeBasedSchedule
    health: HealthMonitor

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
            "link_in": sum(link.datagrams_in for link in self.links),
            "link_out": sum(link.datagrams_out for link in self.links),
            "link_rejected": sum(link.rejected for link in self.links),
        }

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
        if self.health.notifier is not None:
            self.health.notifier.close()


def _warn_unauthenticated(mission: Mission, links: Sequence[str]) -> None:
    log.warning(_BANNER)
    log.warning(
        "AUTHENTICATION IS OFF: mission %r accepts UNAUTHENTICATED telecommands", mission.name
    )
    log.warning("from anyone who can reach %s. Bench use only; never fly this.", ", ".join(links))
    log.warning(_BANNER)


def _make_apps(
    mission: Mission, clock: Clock, bus: SoftwareBus, workers: Workers | None, directory: Path
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
        apps[config.name] = kind(ctx)
    return apps


def _open_links(
    urls: Sequence[str], router: PusRouter, executive: Executive, downlink: Downlink
) -> list[UdpLink]:
    opened: list[UdpLink] = []
    try:
        for url in urls:
            link = open_link(url, router.handle)
            opened.append(link)
            executive.add_reader(link, link.on_readable)
            downlink.add_sink(link.send)
    except Exception:
        for link in opened:
            link.close()
        raise
    return opened


def build_flight(
    mission: Mission,
    *,
    data_dir: Path | None = None,
    links: Sequence[str] | None = None,
    clock: Clock | None = None,
    fsync: Callable[[int], None] = os.fsync,
    notifier: SystemdNotifier | None = None,
    watchdog: HardwareWatchdog | None = None,
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

    Raises:
        ConfigError: an unknown app kind, or no core app.
        LinkError: a link cannot be opened.
    """
    clock = clock or MonotonicClock()
    directory = Path(data_dir) if data_dir is not None else mission.data_dir
    link_urls = mission.links if links is None else tuple(links)
    bus = SoftwareBus()
    workers = Workers(bus, threads=mission.workers) if mission.workers > 0 else None
    apps = _make_apps(mission, clock, bus, workers, directory)
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
    router = PusRouter(
        executive, Verifier(downlink), core, require_authentication=mission.authentication
    )
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
    executive.add_task(service_hz, "pus-events", events.step)
    executive.add_task(service_hz, "pus-housekeeping", housekeeping.step)
    executive.add_task(service_hz, "pus-time", time_service.step)
    executive.add_task(service_hz, "pus-schedule", schedule.step)
    opened = _open_links(link_urls, router, executive, downlink)
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
    else:
        log.warning(
            "mission %r requires authenticated telecommands and the security layer is "
            "not built yet: every telecommand is refused with UNAUTHENTICATED",
            mission.name,
        )
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
    )
    core.attach_stats(flight.stats)
    return flight
