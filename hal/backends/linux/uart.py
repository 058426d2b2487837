"""Serial ports through pyserial (``serial_for_url``, so ``loop://`` works too).

pyserial reconfigures the port when its ``timeout`` attribute is assigned; ``read`` only does
that when the requested timeout changes.
"""

import serial

from hal.errors import BusError, BusTimeout, ConfigError, NotOpen

__all__ = ["LinuxUart", "open_url"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hal.open import Url


class LinuxUart:
    """A serial port, e.g. /dev/serial0, opened exclusively in raw 8N1.

    Args:
        port: Device path or pyserial URL.
        baudrate: Line speed.
        write_timeout_s: Longest a write may block before BusTimeout.
    """

    def __init__(self, port: str, *, baudrate: int = 9600, write_timeout_s: float = 1.0) -> None:
        self.name = "linux:" + port
        try:
            self._port: serial.Serial | None = serial.serial_for_url(
                port,
                baudrate=baudrate,
                timeout=0,
                write_timeout=write_timeout_s,
                exclusive=True if port.startswith("/") else None,
            )
        except (serial.SerialException, ValueError) as exc:
            raise ConfigError(f"cannot open {port}: {exc}", bus=self.name) from exc
        self._timeout: float | None = 0

    @property
    def baudrate(self) -> int:
        """The configured line speed."""
        return int(self._open().baudrate)

    def configure(self, *, baudrate: int) -> None:
        """Set the line speed."""
        if not isinstance(baudrate, int) or baudrate <= 0:
            raise ConfigError(f"baudrate {baudrate!r} must be a positive int", bus=self.name)
        try:
            self._open().baudrate = baudrate
        except (serial.SerialException, ValueError) as exc:
            raise ConfigError(f"baudrate {baudrate} refused: {exc}", bus=self.name) from exc

    def write(self, data: bytes) -> int:
        """Write ``data``; return the number of bytes written."""
        port = self._open()
        try:
            return int(port.write(bytes(data)) or 0)
        except serial.SerialTimeoutException as exc:
            raise BusTimeout("write timed out", bus=self.name) from exc
        except serial.SerialException as exc:
            raise BusError(f"write failed: {exc}", bus=self.name) from exc

    def read(self, size: int, timeout_s: float) -> bytes:
        """Return up to ``size`` bytes, fewer if ``timeout_s`` passes first."""
        port = self._open()
        if timeout_s < 0:
            raise ConfigError("timeout_s must not be negative", bus=self.name)
        try:
            if self._timeout != timeout_s:
                port.timeout = timeout_s
                self._timeout = timeout_s
            return bytes(port.read(size))
        except serial.SerialException as exc:
            raise BusError(f"read failed: {exc}", bus=self.name) from exc

    def close(self) -> None:
        """Close the port."""
        if self._port is not None:
            port, self._port = self._port, None
            port.close()

    def _open(self) -> "serial.Serial":
        if self._port is None:
            raise NotOpen("port is closed", bus=self.name)
        return self._port


def open_url(url: "Url") -> LinuxUart:
    """Open ``linux:/dev/ttyX[?baudrate=N]``."""
    if not url.target:
        raise ConfigError(f"{url.url!r}: expected linux:/dev/ttyX")
    return LinuxUart(url.target, baudrate=url.int_option("baudrate", 9600) or 9600)
