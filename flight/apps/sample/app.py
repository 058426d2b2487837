"""The sample app: the template to copy for a new app.

It simulates a sensor whose reading ramps with the gain, and raises `LEVEL_HIGH` when the
reading rises above the `threshold` parameter. Copy the package, rename, and replace the
simulated reading with your HAL device.
"""

import time

from flight.apps.sample import events
from flight.apps.sample.messages import SAMPLE_HK, Hang, Noop, ResetCounters, SetGain
from flight.apps.sample.params import THRESHOLD
from flight.core import App, AppContext, Value, handles

__all__ = ["SampleApp"]

_LEVEL_RANGE = 1000


class SampleApp(App):
    """Template app with a NOOP, a counter reset, one range-checked command and a parameter.

    It also carries `Hang`, a test-only command (leave it out of the copy).
    """

    COMMANDS = (Noop, ResetCounters, SetGain, Hang)
    TELEMETRY = (SAMPLE_HK,)
    EVENTS = (events.NOOP, events.COUNTERS_RESET, events.GAIN_SET, events.LEVEL_HIGH)
    PARAMETERS = (THRESHOLD,)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.gain = 1
        self.samples = 0
        self.level = 0

    def start(self) -> None:
        """Start from a known state (also after a restart)."""
        self.gain = 1
        self.samples = 0
        self.level = 0

    def step(self) -> None:
        """Take one simulated reading."""
        self.samples += 1
        previous = self.level
        self.level = (self.samples * self.gain) % _LEVEL_RANGE
        threshold = int(self.param(THRESHOLD.name))
        if previous <= threshold < self.level:
            self.emit(events.LEVEL_HIGH, self.level.to_bytes(2, "big"))

    def hk_values(self, sid: int) -> dict[str, Value]:
        """Items of SAMPLE_HK."""
        return {
            "gain": self.gain,
            "threshold": self.param(THRESHOLD.name),
            "level": self.level,
            "samples": self.samples & 0xFFFFFFFF,
        }

    @handles(Noop)
    def noop(self, command: Noop) -> None:
        """Answer with the NOOP event."""
        self.emit(events.NOOP)

    @handles(ResetCounters)
    def reset(self, command: ResetCounters) -> None:
        """Zero the counters."""
        self.reset_counters()
        self.emit(events.COUNTERS_RESET)

    @handles(SetGain)
    def set_gain(self, command: SetGain) -> None:
        """Take the new gain; the dispatcher has already checked 1..16."""
        self.gain = command.gain
        self.emit(events.GAIN_SET, bytes((command.gain,)))

    @handles(Hang)
    def hang(self, command: Hang) -> None:
        """TEST ONLY: block like a hung driver call, so the watchdog chain can be tested."""
        time.sleep(command.seconds)
