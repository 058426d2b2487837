"""Heartbeats -> hardware watchdog and WATCHDOG=1, on the simulated clock.

The hardware watchdog is the HAL's simulated one (it expires when not kicked in time) and
systemd is a real datagram socket; the flight runs in-process on simulated time, with the
monitor's check called where its thread would call it.
"""

import dataclasses
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from flight.apps import Flight, build_flight
from flight.core import (
    App,
    AppState,
    ConfigError,
    SimulatedClock,
    SystemdNotifier,
    load_mission,
)
from hal.backends.sim.urls import registered_boards as sim_boards
from hal.backends.sim.watchdog import SimWatchdog


class Systemd:
    """A NOTIFY_SOCKET listener; `drain` collects what arrived (the queue is short)."""

    def __init__(self, path: Path) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.setblocking(False)
        self.received: list[bytes] = []

    def drain(self) -> None:
        while True:
            try:
                self.received.append(self.sock.recv(4096))
            except BlockingIOError:
                return

    def take(self) -> list[bytes]:
        self.drain()
        taken, self.received = self.received, []
        return taken


@pytest.fixture
def systemd(tmp_path: Path) -> Iterator[Systemd]:
    listener = Systemd(tmp_path / "notify")
    yield listener
    listener.sock.close()


def _build(tmp_path: Path, **executive: float) -> tuple[Flight, SimWatchdog]:
    clock = SimulatedClock()
    watchdog = SimWatchdog(clock=clock, max_timeout_s=15)  # type: ignore[arg-type]
    notifier = SystemdNotifier(str(tmp_path / "notify"), watchdog_usec=1_000_000)
    mission = dataclasses.replace(load_mission("open-bench"), **executive)
    built = build_flight(
        mission,
        data_dir=tmp_path / "data",
        links=(),
        clock=clock,
        notifier=notifier,
        watchdog=watchdog,
    )
    built.executive.start()
    built.health.ready()
    return built, watchdog


@pytest.fixture
def flight(tmp_path: Path, systemd: Systemd) -> Iterator[tuple[Flight, SimWatchdog]]:
    built, watchdog = _build(tmp_path)
    yield built, watchdog
    built.close()


def _fly(flight: Flight, systemd: Systemd, seconds: float, step: float = 0.1) -> list[bool]:
    """Run the loop, checking health every `step` s as the monitor thread would."""
    results = []
    for _ in range(round(seconds / step)):
        flight.run(step)
        results.append(flight.health.check())
        systemd.drain()
    return results


def test_healthy_apps_keep_both_watchdogs_alive(
    flight: tuple[Flight, SimWatchdog], systemd: Systemd
) -> None:
    built, watchdog = flight
    assert systemd.take() == [b"READY=1\nSTATUS=flying"]
    assert all(_fly(built, systemd, 60.0))
    assert not watchdog.expired
    assert watchdog.kicks == 600
    keepalives = systemd.take()
    assert set(keepalives) == {b"WATCHDOG=1"}
    assert 119 <= len(keepalives) <= 121  # every 0.5 s (half of WATCHDOG_USEC) on 0.1 s checks


class _StuckError(Exception):
    pass


def _make_stuck(app: App, until: float) -> None:
    """Make `app`'s step raise until the clock reads `until` (it stops checking in)."""
    real_step = app.step

    def step() -> None:
        if app.ctx.clock.now() < until:
            raise _StuckError
        real_step()

    app.step = step  # type: ignore[method-assign]


def test_an_app_silent_past_the_heartbeat_timeout_withholds_kicks_until_it_is_back(
    tmp_path: Path, systemd: Systemd
) -> None:
    built, watchdog = _build(tmp_path, backoff_s=3.0)
    try:
        systemd.take()
        _make_stuck(built.apps["sample"], until=1.0)
        results = _fly(built, systemd, 6.0)
        # Checks at 0.1 s, 0.2 s, ...: it failed on the first tick (0 s) and is restarted at
        # 3 s, so it is silent past the 2 s heartbeat timeout from just after 2 s to 3 s.
        assert all(results[:19])
        assert results[20:29] == [False] * 9
        assert all(results[30:])
        messages = systemd.take()
        assert b"STATUS=not checking in: sample" in messages
        assert messages.index(b"STATUS=flying") > messages.index(b"STATUS=not checking in: sample")
        assert not watchdog.expired
        assert built.executive.slot_of(built.apps["sample"]).state is AppState.RUNNING
    finally:
        built.close()


def test_an_app_that_never_checks_in_again_lets_the_hardware_watchdog_expire(
    tmp_path: Path, systemd: Systemd
) -> None:
    built, watchdog = _build(tmp_path, backoff_s=600.0, max_backoff_s=600.0)
    try:
        _make_stuck(built.apps["sample"], until=float("inf"))
        _fly(built, systemd, 10.0)
        kicks = watchdog.kicks
        assert not watchdog.expired
        assert built.health.silent == ("sample",)
        _fly(built, systemd, 10.0)
        assert watchdog.kicks == kicks
        assert watchdog.expired  # 15 s after the last kick: the board would reset
        # Keep-alives while it was within its heartbeat timeout, none since.
        assert systemd.take()[-1] == b"STATUS=not checking in: sample"
    finally:
        built.close()


def test_a_disabled_app_is_not_waited_for(
    flight: tuple[Flight, SimWatchdog], systemd: Systemd
) -> None:
    built, watchdog = flight
    slot = built.executive.slot_of(built.apps["sample"])
    slot.state = AppState.DISABLED
    assert all(_fly(built, systemd, 30.0))
    assert not watchdog.expired


def test_clean_stop_disarms_and_says_stopping(
    flight: tuple[Flight, SimWatchdog], systemd: Systemd
) -> None:
    built, watchdog = flight
    built.health.stop()
    assert not watchdog.running
    assert systemd.take()[-1] == b"STOPPING=1\nSTATUS=stopping"


def test_a_mission_that_owns_the_watchdog_arms_the_boards_own(tmp_path: Path) -> None:
    """``hardware_watchdog = true``: the flight opens the board's watchdog (here the sim
    board's), arms it when ready, kicks it while the apps check in, disarms it at the end."""
    clock = SimulatedClock()
    mission = dataclasses.replace(load_mission("open-bench"), hardware_watchdog=True)
    flight = build_flight(mission, data_dir=tmp_path, links=(), clock=clock)
    try:
        assert flight.hardware is not None
        assert flight.hardware.sim is not None
        board_watchdog = flight.hardware.sim.watchdog
        assert flight.health.watchdog is board_watchdog
        flight.executive.start()
        flight.health.ready()
        assert board_watchdog.running
        assert board_watchdog.timeout_s == mission.watchdog_timeout_s
        for _ in range(3):
            flight.run(1.0)
            assert flight.health.check()
        assert board_watchdog.kicks == 3
        flight.health.stop()
        assert not board_watchdog.running
        assert not board_watchdog.expired
    finally:
        flight.close()


def test_without_it_the_flight_leaves_the_boards_watchdog_alone(tmp_path: Path) -> None:
    flight = build_flight(load_mission("open-bench"), data_dir=tmp_path, links=())
    try:
        assert load_mission("open-bench").hardware_watchdog is False
        assert flight.health.watchdog is None
    finally:
        flight.close()


def test_a_timeout_the_boards_watchdog_cannot_count_is_refused(tmp_path: Path) -> None:
    mission = dataclasses.replace(
        load_mission("open-bench"), hardware_watchdog=True, watchdog_timeout_s=20.0
    )
    before = set(sim_boards())
    with pytest.raises(ConfigError, match="counts 15 s at most") as info:
        build_flight(mission, data_dir=tmp_path, links=())
    assert info.value.key == "health.watchdog_timeout_s"
    assert set(sim_boards()) == before  # the board it opened is closed again
