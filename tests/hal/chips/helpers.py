"""Helpers shared by the chip-driver tests."""

from collections.abc import Callable
from typing import Any

from hal.backends.sim.clock import SimClock


def sim_timing(clock: SimClock) -> dict[str, Callable[..., Any]]:
    """Driver ``clock``/``sleep`` arguments that run a driver's waits on simulated time.

    The sleep moves the clock at least 1 us: SimClock counts whole nanoseconds, and a poll's
    last sleep of "the remaining sub-nanosecond" would otherwise round to no movement at all
    and spin forever (reported to the sim backend's owner).
    """

    def sleep(dt_s: float) -> None:
        clock.sleep(max(dt_s, 1e-6))

    return {"clock": clock.now, "sleep": sleep}
