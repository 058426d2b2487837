"""SimClock and ModelTimer."""

import pytest

from hal.backends.sim.clock import ModelTimer, SimClock
from hal.deadline import Deadline


@pytest.fixture
def clock() -> SimClock:
    return SimClock()


def test_sim_clock_tiny_steps_still_move_time(clock: SimClock) -> None:
    # A deadline 0.30000000000000004 s away must be reachable by sleeping what remains.
    clock.advance(0.1)
    deadline = Deadline(0.2, clock=clock.now)
    for _ in range(10):
        if deadline.expired():
            break
        clock.sleep(deadline.remaining())
    assert deadline.expired()


def test_model_timer_hands_out_elapsed_time(clock: SimClock) -> None:
    class Model:
        def __init__(self) -> None:
            self.steps: list[float] = []

        def advance(self, dt_s: float) -> None:
            self.steps.append(dt_s)

    model = Model()
    timer = ModelTimer(clock)
    timer.start(model)
    timer.sync(model)
    clock.advance(1.5)
    timer.sync(model)
    assert model.steps == [1.5]
    with pytest.raises(ValueError, match="backward"):
        clock.advance(-1)
