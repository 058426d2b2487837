"""Clocks: simulated time moves only when advanced; the monotonic clock waits for real."""

import time

import pytest

from flight.core import CCSDS_EPOCH_OFFSET, MonotonicClock, SimulatedClock


def test_simulated_clock_jumps_to_the_deadline_after_one_zero_timeout_poll() -> None:
    clock = SimulatedClock(start=5.0, epoch=1000.0)
    polls: list[float] = []
    clock.wait_until(65.0, polls.append)
    assert polls == [0.0]
    assert clock.now() == 65.0
    assert clock.timestamp() == 1060.0


def test_simulated_clock_never_goes_back() -> None:
    clock = SimulatedClock(start=10.0)
    clock.wait_until(3.0, lambda _timeout: None)
    assert clock.now() == 10.0
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1.0)


def test_monotonic_clock_waits_through_poll_with_the_remaining_time() -> None:
    clock = MonotonicClock()
    timeouts: list[float] = []
    clock.wait_until(clock.now() + 0.05, timeouts.append)
    assert 0.0 < timeouts[0] <= 0.05
    assert abs(clock.timestamp() - CCSDS_EPOCH_OFFSET - time.time()) < 1.0
