"""The executive on simulated time: determinism, rate groups, overruns, containment, workers."""

import random
import time

import pytest

from flight.core import (
    APP_DISABLED,
    APP_FAILED,
    APP_RESTARTED,
    EVENT_MID,
    App,
    AppContext,
    AppState,
    EventDef,
    EventRecord,
    Executive,
    MonotonicClock,
    Pipe,
    Severity,
    SimulatedClock,
    SoftwareBus,
    Workers,
)

TICK = EventDef(10, "TICK", Severity.INFO)


class Ticker(App):
    """Records when it ran; emits a seeded pseudo-random event now and then."""

    EVENTS = (TICK,)

    def __init__(self, ctx: AppContext, seed: int = 0, cost: float = 0.0) -> None:
        super().__init__(ctx)
        self.times: list[float] = []
        self.rng = random.Random(seed)
        self.cost = cost

    def step(self) -> None:
        self.times.append(self.ctx.clock.now())
        if self.rng.random() < 0.01:
            self.emit(TICK, self.rng.randbytes(2))


class Flaky(App):
    """Raises from `step` every `period`-th call (every call when period is 1)."""

    def __init__(self, ctx: AppContext, period: int = 1) -> None:
        super().__init__(ctx)
        self.period = period
        self.calls = 0
        self.starts = 0

    def start(self) -> None:
        self.starts += 1

    def step(self) -> None:
        self.calls += 1
        if self.calls % self.period == 0:
            raise RuntimeError(f"{self.name} fault #{self.calls}")


def _system(
    clock: SimulatedClock | MonotonicClock | None = None, **kwargs: float
) -> tuple[Executive, SoftwareBus, list[EventRecord]]:
    clock = clock or SimulatedClock()
    bus = SoftwareBus()
    executive = Executive(clock, bus, **kwargs)  # type: ignore[arg-type]
    pipe = bus.subscribe(EVENT_MID, Pipe("recorder", depth=64))
    seen: list[EventRecord] = []

    def record() -> None:
        seen.extend(m.payload for m in pipe.drain())  # type: ignore[misc]

    executive.add_task(50, "recorder", record)
    return executive, bus, seen


def _ctx(executive: Executive, bus: SoftwareBus, name: str, apid: int) -> AppContext:
    return AppContext(name, apid, executive.clock, bus)


def _flight_hour() -> tuple[list[tuple[float, str, int, bytes]], float]:
    executive, bus, seen = _system()
    for index, hz in enumerate((1, 10, 50)):
        executive.add_app(Ticker(_ctx(executive, bus, f"tick{hz}", 10 + index), seed=hz), hz)
    executive.add_app(Flaky(_ctx(executive, bus, "flaky", 20), period=7000), 10)
    began = time.perf_counter()
    executive.run(3600.0)
    elapsed = time.perf_counter() - began
    executive.shutdown()
    return [(e.time, e.source, e.event.eid, e.aux) for e in seen], elapsed


def test_an_hour_of_flight_is_reproducible_and_fast() -> None:
    first, elapsed = _flight_hour()
    second, _ = _flight_hour()
    assert first == second
    assert len(first) > 100  # ticks, failures and restarts all happened
    assert {eid for _, _, eid, _ in first} == {TICK.eid, APP_FAILED.eid, APP_RESTARTED.eid}
    # About a second on one core; the bound leaves room for a loaded 2-core CI machine.
    assert elapsed < 6.0, f"an hour of simulated flight took {elapsed:.2f} s"


def test_rate_groups_run_on_a_drift_free_grid() -> None:
    executive, bus, _ = _system()
    apps = {hz: Ticker(_ctx(executive, bus, f"t{hz}", hz)) for hz in (1, 10, 50)}
    for hz, app in apps.items():
        executive.add_app(app, hz)
    executive.run(10.0)
    assert {hz: len(app.times) for hz, app in apps.items()} == {1: 11, 10: 101, 50: 501}
    assert apps[10].times == [k / 10 for k in range(101)]
    assert {g.hz: g.ticks for g in executive.groups.values()} == {50: 501, 10: 101, 1: 11}
    assert executive.overruns == 0


class Slow(Ticker):
    """Takes 250 ms of (simulated) processor time on every fifth step."""

    def step(self) -> None:
        super().step()
        if len(self.times) % 5 == 0:
            self.ctx.clock.advance(0.25)  # type: ignore[attr-defined]


def test_overruns_are_counted_and_skip_missed_slots_without_drift() -> None:
    executive, bus, _ = _system()
    slow = Slow(_ctx(executive, bus, "slow", 1))
    executive.add_app(slow, 10)
    executive.run(2.0)
    group = executive.groups[10]
    assert (group.overruns, group.ticks) == (3, 15)  # steps 5, 10 and 15 ran over
    assert slow.times[:6] == [0.0, 0.1, 0.2, 0.3, 0.4, 0.7]
    # Every step still starts on the 100 ms grid: nothing accumulated.
    assert all(abs(t * 10 - round(t * 10)) < 1e-9 for t in slow.times)


def test_failing_app_is_restarted_with_backoff_then_disabled_while_others_fly() -> None:
    executive, bus, seen = _system(max_failures=3, backoff=1.0)
    flaky = Flaky(_ctx(executive, bus, "flaky", 42))
    healthy = Ticker(_ctx(executive, bus, "healthy", 43))
    executive.add_app(flaky, 10)
    executive.add_app(healthy, 10)
    executive.run(10.0)
    timeline = [(e.time, e.event.eid, e.aux) for e in seen if e.source == "executive"]
    assert timeline == [
        (0.0, APP_FAILED.eid, bytes([0, 42, 1])),
        (1.0, APP_RESTARTED.eid, bytes([0, 42, 1])),
        (1.0, APP_FAILED.eid, bytes([0, 42, 2])),
        (3.0, APP_RESTARTED.eid, bytes([0, 42, 2])),
        (3.0, APP_FAILED.eid, bytes([0, 42, 3])),
        (3.0, APP_DISABLED.eid, bytes([0, 42, 3])),
    ]
    assert executive.slot_of(flaky).state is AppState.DISABLED
    assert flaky.starts == 3
    assert len(healthy.times) == 101


def test_failures_spread_beyond_the_health_window_never_disable() -> None:
    executive, bus, _ = _system(max_failures=2, backoff=1.0, health_window=5.0)
    flaky = Flaky(_ctx(executive, bus, "flaky", 42), period=100)  # fails every 10 s at 10 Hz
    executive.add_app(flaky, 10)
    executive.run(60.0)
    slot = executive.slot_of(flaky)
    assert slot.state is AppState.RUNNING
    assert slot.restarts >= 5


def test_worker_results_come_back_as_bus_messages() -> None:
    clock = MonotonicClock()
    bus = SoftwareBus()
    workers = Workers(bus, threads=1, max_pending=1)
    executive = Executive(clock, bus, workers=workers)
    inbox = bus.subscribe(0x42, Pipe("results"))

    class Camera(App):
        def start(self) -> None:
            assert self.ctx.workers is not None
            self.ctx.workers.submit(lambda: sum(range(1000)), source=self.name, reply_mid=0x42)

        def step(self) -> None:
            if len(inbox):
                executive.request_stop()

    executive.add_app(Camera(AppContext("camera", 7, clock, bus, workers)), 50)
    began = time.monotonic()
    executive.run(5.0)
    assert time.monotonic() - began < 5.0
    result = inbox.get()
    assert result is not None
    assert result.payload.value == 499500  # type: ignore[attr-defined]
    assert result.source == "camera"
    executive.shutdown()


def test_unknown_rate_group_is_refused() -> None:
    executive, bus, _ = _system()
    with pytest.raises(ValueError, match="no 7 Hz"):
        executive.add_app(Ticker(_ctx(executive, bus, "x", 1)), 7)
