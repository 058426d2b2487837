"""Serial over ``machine.UART``; reads poll ``any()`` against a deadline."""

import time

from hal.backends.micropython._errno import mapped
from hal.deadline import Deadline
from hal.errors import ConfigError, NotOpen

__all__ = ["MpyUart"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from machine import UART


class MpyUart:
    """Adapter from a ``machine.UART`` to the HAL's UART interface."""

    def __init__(self, uart: "UART", *, name: str = "mpy:uart") -> None:
        self._uart: UART | None = uart
        self.name = name

    def configure(self, *, baudrate: int) -> None:
        """Set the line speed."""
        if not isinstance(baudrate, int) or baudrate <= 0:
            raise ConfigError("baudrate must be a positive int", bus=self.name)
        self._check().init(baudrate=baudrate)

    def write(self, data: bytes) -> int:
        """Write ``data``; return the count the port accepted."""
        try:
            written = self._check().write(data)
        except OSError as exc:
            raise mapped(exc, "write", bus=self.name) from None
        return len(data) if written is None else written

    def read(self, size: int, timeout_s: float) -> bytes:
        """Return up to ``size`` bytes, fewer if ``timeout_s`` passes first."""
        uart = self._check()
        out = bytearray()
        deadline = Deadline(timeout_s)
        while len(out) < size:
            waiting = uart.any()
            if waiting:
                chunk = uart.read(min(waiting, size - len(out)))
                if chunk:
                    out.extend(chunk)
                continue
            if deadline.expired():
                break
            time.sleep_ms(1)
        return bytes(out)

    def close(self) -> None:
        """Release the UART."""
        if self._uart is not None:
            self._uart.deinit()
            self._uart = None

    def _check(self) -> "UART":
        if self._uart is None:
            raise NotOpen("port is closed", bus=self.name)
        return self._uart
