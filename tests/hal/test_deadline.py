"""Deadlines and poll_until, with an injected clock so the tests take no real time."""

import time

import pytest

from hal.deadline import Deadline, monotonic, poll_until
from hal.errors import BusTimeout


class FakeClock:
    """Stands in for the monotonic clock; the sleep it offers moves it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, dt: float) -> None:
        self.sleeps.append(dt)
        self.now += dt


def test_deadline_counts_down_and_expires() -> None:
    clock = FakeClock()
    d = Deadline(2.0, clock=clock)
    assert not d.expired()
    assert d.remaining() == 2.0
    clock.now += 1.5
    assert d.remaining() == pytest.approx(0.5)
    clock.now += 0.5
    assert d.expired()
    clock.now += 10
    assert d.remaining() == 0.0


def test_negative_timeout_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        Deadline(-1)


def test_default_clock_is_monotonic() -> None:
    a = monotonic()
    assert monotonic() >= a
    assert abs(monotonic() - time.monotonic()) < 1.0


def test_poll_until_returns_first_truthy_value() -> None:
    clock = FakeClock()
    answers = iter([None, 0, "", "ready"])
    result = poll_until(lambda: next(answers), 1.0, 0.1, clock=clock, sleep=clock.sleep)
    assert result == "ready"
    assert clock.sleeps == [0.1, 0.1, 0.1]


def test_poll_until_raises_bus_timeout_with_context() -> None:
    clock = FakeClock()
    calls = []

    def never() -> bool:
        calls.append(clock.now)
        return False

    with pytest.raises(BusTimeout) as info:
        poll_until(
            never,
            0.35,
            0.1,
            message="conversion not done",
            bus="sim:i2c1",
            address=0x76,
            register=0xF3,
            clock=clock,
            sleep=clock.sleep,
        )
    assert info.value.register == 0xF3
    assert "conversion not done" in str(info.value)
    # Sleeps are capped by the time left, and the predicate gets a last look at the deadline.
    assert clock.sleeps == pytest.approx([0.1, 0.1, 0.1, 0.05])
    assert len(calls) == 5


def test_poll_until_real_clock_is_bounded() -> None:
    start = time.monotonic()
    with pytest.raises(BusTimeout):
        poll_until(lambda: False, 0.05, 0.01)
    assert time.monotonic() - start < 1.0
