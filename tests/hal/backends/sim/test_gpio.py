"""SimGpioChip: the test drives pins from outside and gets timestamped edges."""

import pytest

from hal.backends.sim.clock import SimClock
from hal.backends.sim.gpio import EVENT_QUEUE_SIZE, SimGpioChip
from hal.errors import BusError, ConfigError, NotOpen


@pytest.fixture
def clock() -> SimClock:
    return SimClock()


@pytest.fixture
def chip(clock: SimClock) -> SimGpioChip:
    return SimGpioChip("sim:gpio0", num_lines=8, clock=clock)


def test_input_reads_external_level_and_bias(chip: SimGpioChip) -> None:
    line = chip.line(3)
    line.configure(direction="in", bias="pull-up")
    assert line.value() == 1
    chip.drive(3, 0)
    assert line.value() == 0


def test_output_drives_the_pin(chip: SimGpioChip) -> None:
    line = chip.line(5)
    line.configure(direction="out")
    line.set(1)
    assert chip.level(5) == 1
    with pytest.raises(ConfigError):
        line.set(2)


def test_edges_carry_timestamps(chip: SimGpioChip, clock: SimClock) -> None:
    line = chip.line(2)
    line.configure(direction="in", edge="both")
    clock.advance(1.0)
    chip.drive(2, 1)
    clock.advance(0.5)
    chip.drive(2, 0)
    assert line.wait_edge(0.1) == (1_000_000_000, True)
    assert line.wait_edge(0.1) == (1_500_000_000, False)
    assert line.wait_edge(0.25) is None
    assert clock.now() == pytest.approx(1.75)


def test_edge_filter_and_overflow(chip: SimGpioChip) -> None:
    line = chip.line(1)
    line.configure(direction="in", edge="rising")
    for _ in range(EVENT_QUEUE_SIZE + 3):
        chip.drive(1, 1)
        chip.drive(1, 0)
    assert len(line.events) == EVENT_QUEUE_SIZE
    assert line.dropped_events == 3
    assert all(rising for _, rising in line.events)


def test_busy_closed_and_bad_config(chip: SimGpioChip) -> None:
    line = chip.line(0)
    with pytest.raises(BusError):
        chip.line(0)
    with pytest.raises(ConfigError):
        line.configure(direction="out", edge="rising")
    with pytest.raises(ConfigError):
        line.wait_edge(0.0)
    with pytest.raises(ConfigError):
        chip.line(8)
    line.close()
    with pytest.raises(NotOpen):
        line.value()
    chip.line(0).close()  # released lines can be requested again
