"""GPIO over ``machine.Pin``; edges through ``Pin.irq`` into a bounded queue.

The IRQ handler runs as a soft (scheduled) interrupt, the default on rp2, so it may allocate.
Timestamps are nanoseconds of a monotonic count kept from ``time.ticks_us`` differences; it
stays correct as long as the line is looked at (an edge or a wait) at least every few minutes,
within half the ticks period.
"""

import time

from hal.deadline import Deadline
from hal.errors import ConfigError, NotOpen

__all__ = ["MpyGpioLine"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from machine import Pin

EVENT_QUEUE_SIZE = 16


class MpyGpioLine:
    """Adapter from a ``machine.Pin`` to the HAL's GPIO line interface.

    Args:
        pin: The machine.Pin object.
        name: Line name used in errors, e.g. "mpy:17".
    """

    def __init__(self, pin: "Pin", *, name: str = "mpy:pin") -> None:
        self._pin: Pin | None = pin
        self.name = name
        self.events: list[tuple[int, bool]] = []
        self.dropped_events = 0
        self._last_us = time.ticks_us()
        self._elapsed_us = 0
        self._edge = "none"

    def configure(self, *, direction: str = "in", edge: str = "none", bias: str = "as-is") -> None:
        """Set direction, pull and edge interrupts."""
        pin = self._check()
        cls = type(pin)
        pulls = {
            "as-is": None,
            "disabled": None,
            "pull-up": cls.PULL_UP,
            "pull-down": cls.PULL_DOWN,
        }
        triggers = {
            "none": 0,
            "rising": cls.IRQ_RISING,
            "falling": cls.IRQ_FALLING,
            "both": cls.IRQ_RISING | cls.IRQ_FALLING,
        }
        if direction not in ("in", "out") or edge not in triggers or bias not in pulls:
            raise ConfigError("bad line config", bus=self.name)
        if direction == "out" and edge != "none":
            raise ConfigError("edge detection needs an input line", bus=self.name)
        mode = cls.OUT if direction == "out" else cls.IN
        pull = pulls[bias]
        if pull is None:
            pin.init(mode)
        else:
            pin.init(mode, pull)
        self._edge = edge
        self.events = []
        if edge == "none":
            pin.irq(handler=None)
        else:
            pin.irq(handler=self._on_irq, trigger=triggers[edge])

    def value(self) -> int:
        """Return the pin level."""
        return int(self._check().value())

    def set(self, value: int) -> None:
        """Drive an output pin."""
        if value not in (0, 1):
            raise ConfigError("value must be 0 or 1", bus=self.name)
        self._check().value(value)

    def wait_edge(self, timeout_s: float) -> "tuple[int, bool] | None":
        """Return the next ``(timestamp_ns, rising)``, or None after ``timeout_s``."""
        self._check()
        if self._edge == "none":
            raise ConfigError("edge detection is off", bus=self.name)
        deadline = Deadline(timeout_s)
        while not self.events and not deadline.expired():
            self._now_ns()
            time.sleep_ms(1)
        return self.events.pop(0) if self.events else None

    def close(self) -> None:
        """Disable the interrupt and forget the pin."""
        if self._pin is not None:
            self._pin.irq(handler=None)
            self._pin = None

    def _check(self) -> "Pin":
        if self._pin is None:
            raise NotOpen("line is closed", bus=self.name)
        return self._pin

    def _now_ns(self) -> int:
        now = time.ticks_us()
        self._elapsed_us += time.ticks_diff(now, self._last_us)
        self._last_us = now
        return self._elapsed_us * 1000

    def _on_irq(self, pin: "Pin") -> None:
        stamp = self._now_ns()
        if len(self.events) >= EVENT_QUEUE_SIZE:
            self.events.pop(0)
            self.dropped_events += 1
        self.events.append((stamp, pin.value() == 1))
