"""Simulated GPIO chip: lines the test drives from outside, edge events with timestamps.

The test plays the outside world: ``chip.drive(offset, level)`` puts a level on a pin (None
lets it float, when the line's bias decides), and ``chip.level(offset)`` reads what is on the
pin, which for an output line is what the driver set. An input line with edge detection
queues ``(timestamp_ns, rising)`` events stamped by the chip's clock, at most
``EVENT_QUEUE_SIZE`` of them (the oldest are dropped and counted, as the kernel's kfifo does).
"""

from hal.backends.sim._common import check_open
from hal.backends.sim.clock import RealClock, SimClock
from hal.deadline import Deadline
from hal.errors import BusError, ConfigError

__all__ = ["EVENT_QUEUE_SIZE", "SimGpioChip", "SimGpioLine"]

EVENT_QUEUE_SIZE = 64
_DIRECTIONS = ("in", "out")
_EDGES = ("none", "rising", "falling", "both")
_BIASES = ("as-is", "disabled", "pull-up", "pull-down")
_POLL_S = 0.001


class SimGpioChip:
    """A simulated GPIO controller with ``num_lines`` lines.

    Args:
        name: Chip name used in errors, e.g. "sim:gpio0".
        num_lines: Number of lines (offsets 0..num_lines-1).
        clock: RealClock or SimClock, used for timestamps and waits.
    """

    def __init__(
        self,
        name: str = "sim:gpio",
        *,
        num_lines: int = 32,
        clock: RealClock | SimClock | None = None,
    ) -> None:
        self.name = name
        self.num_lines = num_lines
        self.clock = RealClock() if clock is None else clock
        self._external: dict[int, int | None] = {}
        self._lines: dict[int, SimGpioLine] = {}

    def line(self, offset: int) -> "SimGpioLine":
        """Request line ``offset``; BusError if another holder has it."""
        self._check_offset(offset)
        if offset in self._lines:
            raise BusError("line is busy", bus=self.name, address=offset)
        line = SimGpioLine(self, offset)
        self._lines[offset] = line
        return line

    def drive(self, offset: int, level: int | None) -> None:
        """Drive the pin from outside to 0 or 1, or release it (None)."""
        self._check_offset(offset)
        if level not in (0, 1, None):
            raise ConfigError(
                f"level {level!r} must be 0, 1 or None", bus=self.name, address=offset
            )
        before = self.level(offset)
        self._external[offset] = level
        after = self.level(offset)
        line = self._lines.get(offset)
        if line is not None and before != after:
            line._edge(after == 1)

    def level(self, offset: int) -> int:
        """Return the level on the pin as the outside world sees it."""
        self._check_offset(offset)
        line = self._lines.get(offset)
        if line is not None and line.direction == "out":
            return line.output
        external = self._external.get(offset)
        if external is not None:
            return external
        # A floating input reads its pull; with no pull a real pin reads noise, the sim 0.
        return 1 if line is not None and line.bias == "pull-up" else 0

    def _release(self, offset: int) -> None:
        self._lines.pop(offset, None)

    def _check_offset(self, offset: object) -> None:
        if not isinstance(offset, int) or not 0 <= offset < self.num_lines:
            raise ConfigError(f"line offset {offset!r} is out of range", bus=self.name)


class SimGpioLine:
    """One requested line of a SimGpioChip; implements the GpioLine interface."""

    def __init__(self, chip: SimGpioChip, offset: int) -> None:
        self.chip = chip
        self.offset = offset
        self.direction = "in"
        self.edge = "none"
        self.bias = "as-is"
        self.output = 0
        self.events: list[tuple[int, bool]] = []
        self.dropped_events = 0
        self._closed = False

    def configure(self, *, direction: str = "in", edge: str = "none", bias: str = "as-is") -> None:
        """Set direction, edge detection and bias; edges need an input line."""
        self._check()
        if direction not in _DIRECTIONS or edge not in _EDGES or bias not in _BIASES:
            raise ConfigError(
                f"bad line config direction={direction!r} edge={edge!r} bias={bias!r}",
                bus=self.chip.name,
                address=self.offset,
            )
        if direction == "out" and edge != "none":
            raise ConfigError(
                "edge detection needs an input line", bus=self.chip.name, address=self.offset
            )
        self.direction = direction
        self.edge = edge
        self.bias = bias
        self.events = []

    def value(self) -> int:
        """Return the pin level."""
        self._check()
        return self.chip.level(self.offset)

    def set(self, value: int) -> None:
        """Drive an output line."""
        self._check()
        if self.direction != "out":
            raise ConfigError("line is not an output", bus=self.chip.name, address=self.offset)
        if value not in (0, 1):
            raise ConfigError(
                f"value {value!r} must be 0 or 1", bus=self.chip.name, address=self.offset
            )
        self.output = value

    def wait_edge(self, timeout_s: float) -> tuple[int, bool] | None:
        """Return the next ``(timestamp_ns, rising)`` event, or None after ``timeout_s``."""
        self._check()
        if self.edge == "none":
            raise ConfigError("edge detection is off", bus=self.chip.name, address=self.offset)
        deadline = Deadline(timeout_s, clock=self.chip.clock.now)
        while not self.events and not deadline.expired():
            self.chip.clock.sleep(min(_POLL_S, deadline.remaining()))
        return self.events.pop(0) if self.events else None

    def close(self) -> None:
        """Release the line."""
        if not self._closed:
            self._closed = True
            self.chip._release(self.offset)

    def _check(self) -> None:
        check_open(self._closed, bus=self.chip.name, address=self.offset)

    def _edge(self, rising: bool) -> None:
        if self.direction != "in" or self.edge == "none":
            return
        if self.edge == "both" or (self.edge == "rising") == rising:
            if len(self.events) >= EVENT_QUEUE_SIZE:
                self.events.pop(0)
                self.dropped_events += 1
            self.events.append((self.chip.clock.now_ns(), rising))
