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
from flight.apps.hardware import Hardware
from flight.apps.parts import (
    PARAMETER_STORE,
    REPLAY_STORE,
    SCHEDULE_STORE,
    TIME_STORE,
    board_watchdog,
    make_apps,
    make_guard,
    open_board,
    open_links,
    open_sim_control,
    science_relay,
    tick_links,
    warn_unauthenticated,
)
from flight.apps.science import ScienceRelay
from flight.core import (
    EVENT_MID,
    App,
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
    FramedLink,
    Link,
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
from hal.backends.sim.control import SimControl

__all__ = [
    "PARAMETER_STORE",
    "REPLAY_STORE",
    "SCHEDULE_STORE",
    "TIME_STORE",
    "Flight",
    "build_flight",
]

log = logging.getLogger(__name__)

# FramedCounters names as FRAME_HK reports them (the FARM-1 ones say so)
_FRAME_ITEM = {
    "bad": "frames_bad",
    "foreign": "frames_foreign",
    "accepted": "farm_accepted",
    "bypass": "farm_bypass",
    "control": "farm_control",
    "duplicates": "farm_duplicates",
    "ahead": "farm_ahead",
    "lockouts": "farm_lockouts",
    "no_buffer": "farm_no_buffer",
}


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
            "scheduled_dropped": len(self.schedule.lost),
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

    def frame_stats(self) -> dict[str, int]:
        """The transfer frame layer's counters over every framed link, and the CLCW of the
        first, as FRAME_HK reports them."""
        framed = [link.endpoint for link in self.links if isinstance(link, FramedLink)]
        totals: dict[str, int] = {"framed_links": len(framed)}
        for endpoint in framed:
            for name, value in endpoint.counters.as_dict().items():
                key = _FRAME_ITEM.get(name, name)
                totals[key] = totals.get(key, 0) + value
        if framed:
            clcw = framed[0].clcw
            totals.update(
                lockout=int(clcw.lockout),
                wait=int(clcw.wait),
                retransmit=int(clcw.retransmit),
                report_value=clcw.report_value,
                farm_b_counter=clcw.farm_b_counter,
            )
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


def _core_app(mission: Mission, apps: dict[str, App]) -> CoreApp:
    cores = [app for app in apps.values() if isinstance(app, CoreApp)]
    if len(cores) != 1:
        raise ConfigError("a mission needs exactly one core app", source=mission.source)
    return cores[0]


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
        watchdog: a hardware watchdog to arm; None: the board's own when the mission says
            ``hardware_watchdog = true``, else none.
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
    hardware = hardware or open_board(mission, clock, directory)
    watchdog = watchdog or board_watchdog(mission, hardware, owned=owns_hardware)
    apps = make_apps(mission, clock, bus, workers, directory, hardware=hardware)
    core = _core_app(mission, apps)
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

        guard = make_guard(mission, directory, fsync, emit)
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
    opened = open_links(link_urls, router.handle, executive, downlink, guard)
    if opened:
        # Reconnect attempts (a serial adapter unplugged and back) at the slowest rate.
        executive.add_task(min(mission.rates_hz), "links", lambda: tick_links(opened))
    restored = parameters.restore()
    mission_time.restore()
    scheduled = schedule.restore()
    core.scheduled_dropped = len(schedule.lost)
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
        warn_unauthenticated(mission, [link.url for link in opened])
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
        science_relay(bus, executive, service_hz, opened),
        owns_hardware,
    )
    core.attach_stats(flight.stats, flight.link_stats, flight.frame_stats)
    open_sim_control(flight, executive)
    return flight
