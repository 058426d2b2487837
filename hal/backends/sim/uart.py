"""Simulated UART connected to a device model.

The model has ``uart_receive(data)`` (the host wrote bytes) and ``uart_transmit(max_bytes)``
(bytes the device sent since the last call). If the model has a ``baudrate`` attribute and it
differs from the port's, bytes in both directions arrive garbled, as on a real line.

Faults (``inject(fault, direction="rx"|"tx", **options)``; "rx" is device-to-host, every fault
takes ``count=N`` counted per read/write call):

- ``drop``: each byte is lost with ``probability`` (default 0.1), RNG ``seed``.
- ``corrupt``: each byte gets one random bit flipped with ``probability`` (default 0.1).
"""

from hal.backends.sim._common import as_bytes, check_open
from hal.backends.sim.clock import ModelTimer, RealClock, SimClock
from hal.backends.sim.faults import FaultTable, XorShift32
from hal.deadline import Deadline
from hal.errors import ConfigError

__all__ = ["UART_FAULTS", "SimUart"]

# True for mypy only: MicroPython has no typing module (see hal.deadline).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

UART_FAULTS = ("drop", "corrupt")
_POLL_S = 0.001


class SimUart:
    """A simulated serial port; implements the Uart interface.

    Args:
        name: Port name used in errors, e.g. "sim:uart0".
        model: The device on the other end, or None for an unconnected port.
        baudrate: Initial line speed.
        clock: RealClock or SimClock; reads wait on it.
        timer: Shared ModelTimer.
    """

    def __init__(
        self,
        name: str = "sim:uart",
        model: object = None,
        *,
        baudrate: int = 9600,
        clock: RealClock | SimClock | None = None,
        timer: ModelTimer | None = None,
    ) -> None:
        self.name = name
        self.clock = RealClock() if clock is None else clock
        self._timer = ModelTimer(self.clock) if timer is None else timer
        self.model: Any = None
        self.baudrate = baudrate
        self._rx = bytearray()
        self._faults = FaultTable(UART_FAULTS, name)
        self._garble = XorShift32(0xBAD)
        self._closed = False
        if model is not None:
            self.attach(model)

    def attach(self, model: object) -> None:
        """Connect ``model`` to this port."""
        self.model = model
        self._timer.start(model)

    def inject(self, fault: str, *, direction: str = "rx", **options: object) -> None:
        """Inject ``fault`` on one direction; see the module docstring."""
        if direction not in ("rx", "tx"):
            raise ConfigError(f"direction {direction!r} must be 'rx' or 'tx'", bus=self.name)
        self._faults.inject(direction, fault, options)

    def clear_faults(self, direction: str | None = None) -> None:
        """Remove the faults of one direction, or of both."""
        self._faults.clear(direction)

    def configure(self, *, baudrate: int) -> None:
        """Set the line speed."""
        if not isinstance(baudrate, int) or baudrate <= 0:
            raise ConfigError(f"baudrate {baudrate!r} must be a positive int", bus=self.name)
        self.baudrate = baudrate

    def write(self, data: bytes) -> int:
        """Send ``data`` to the model; return its length."""
        check_open(self._closed, bus=self.name)
        data = as_bytes(data, bus=self.name)
        if self.model is not None:
            self._timer.sync(self.model)
            self.model.uart_receive(self._line(data, "tx"))
        return len(data)

    def read(self, size: int, timeout_s: float) -> bytes:
        """Return up to ``size`` bytes from the model, fewer if ``timeout_s`` passes first."""
        check_open(self._closed, bus=self.name)
        if not isinstance(size, int) or size < 0:
            raise ConfigError(f"size {size!r} is invalid", bus=self.name)
        deadline = Deadline(timeout_s, clock=self.clock.now)
        self._pull()
        while len(self._rx) < size and not deadline.expired():
            self.clock.sleep(min(_POLL_S, deadline.remaining()))
            self._pull()
        out = bytes(self._rx[:size])
        self._rx = self._rx[size:]
        return out

    def close(self) -> None:
        """Close the port."""
        self._closed = True

    def _pull(self) -> None:
        if self.model is None:
            return
        self._timer.sync(self.model)
        data = bytes(self.model.uart_transmit(4096))
        if data:
            self._rx.extend(self._line(data, "rx"))

    def _line(self, data: bytes, direction: str) -> bytes:
        """What arrives at the far end after baud mismatch and injected faults."""
        if getattr(self.model, "baudrate", self.baudrate) != self.baudrate:
            data = bytes(self._garble.next_u32() & 0xFF for _ in data)
        for fault in self._faults.take(direction):
            p = fault.probability(0.1)
            if fault.name == "drop":
                data = bytes(b for b in data if not fault.rng.chance(p))
            else:
                data = bytes(
                    b ^ (1 << (fault.rng.next_u32() & 7)) if fault.rng.chance(p) else b
                    for b in data
                )
        return data
