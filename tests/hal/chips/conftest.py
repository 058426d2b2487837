"""Fixtures for chip-driver tests: A's simulated buses on a simulated clock."""

from collections.abc import Callable
from typing import Any

import pytest

from hal.backends.sim.clock import SimClock
from hal.backends.sim.i2c import SimI2CBus
from hal.backends.sim.spi import SimSpiBus
from tests.hal.chips.helpers import sim_timing


@pytest.fixture
def clock() -> SimClock:
    """Simulated time: a driver's poll sleeps move it, so no test waits in real time."""
    return SimClock()


@pytest.fixture
def i2c(clock: SimClock) -> SimI2CBus:
    """An empty simulated I2C bus on the simulated clock."""
    return SimI2CBus("sim:i2c1", clock=clock)


@pytest.fixture
def spi(clock: SimClock) -> SimSpiBus:
    """An empty simulated SPI bus on the simulated clock."""
    return SimSpiBus("sim:spi0", clock=clock)


@pytest.fixture
def timing(clock: SimClock) -> dict[str, Callable[..., Any]]:
    """See sim_timing."""
    return sim_timing(clock)
