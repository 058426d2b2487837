"""SimWatchdog expiry under a simulated clock."""

import pytest

from hal.backends.sim.clock import SimClock
from hal.backends.sim.watchdog import SimWatchdog
from hal.errors import ConfigError, NotOpen


@pytest.fixture
def clock() -> SimClock:
    return SimClock()


def test_kicked_in_time_never_expires(clock: SimClock) -> None:
    wd = SimWatchdog(clock=clock)
    wd.start(5)
    for _ in range(10):
        clock.advance(4.9)
        wd.kick()
    assert not wd.expired
    assert wd.kicks == 10


def test_expires_without_kicks(clock: SimClock) -> None:
    wd = SimWatchdog(clock=clock)
    wd.start(2.4)
    assert wd.timeout_s == 2.0  # whole seconds, like the Linux drivers
    clock.advance(2.01)
    assert wd.expired
    assert not wd.running
    wd.reset_board()
    assert not wd.expired


def test_stop_and_nowayout(clock: SimClock) -> None:
    wd = SimWatchdog(clock=clock)
    wd.start(1)
    wd.stop()
    clock.advance(10)
    assert not wd.expired
    strict = SimWatchdog(clock=clock, nowayout=True)
    strict.start(1)
    strict.stop()
    clock.advance(1.5)
    assert strict.expired


def test_close_without_stop_keeps_counting(clock: SimClock) -> None:
    wd = SimWatchdog(clock=clock)
    wd.start(3)
    wd.close()
    with pytest.raises(NotOpen):
        wd.kick()
    clock.advance(3.5)
    assert wd.expired


@pytest.mark.parametrize("timeout", [0, 16, 0.4])
def test_timeout_range(clock: SimClock, timeout: float) -> None:
    with pytest.raises(ConfigError):
        SimWatchdog(clock=clock, max_timeout_s=15).start(timeout)
