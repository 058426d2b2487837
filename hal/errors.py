"""The HAL's closed error tree; every backend and driver raises only these.

```
HalError                 bus, address, register: where it happened
├── NotOpen              the bus or device is closed
├── BusError             transport failure
│   ├── NackError        the device did not acknowledge (ENXIO/EREMOTEIO/EIO on Linux)
│   └── BusTimeout       a transfer or wait passed its deadline (ETIMEDOUT)
├── DeviceNotFound       probe failed: expected, got
├── DataError            the device answered, but the data is invalid: reason
└── ConfigError          bad URL, board name or argument
```

Every constructor takes a message plus keyword-only context, e.g.
``NackError("no ACK", bus="sim:i2c1", address=0x76, register=0xD0)``. The context is kept
as fields and also appended to ``str(error)`` so a log line says where it happened.

This module runs on MicroPython too: no typing, dataclasses or enum.
"""

__all__ = [
    "BusError",
    "BusTimeout",
    "ConfigError",
    "DataError",
    "DeviceNotFound",
    "HalError",
    "NackError",
    "NotOpen",
]


def _hex(value: object) -> str:
    if isinstance(value, int):
        return f"0x{value:02X}"
    return repr(value)


class HalError(Exception):
    """Root of every HAL error.

    Attributes:
        message: The message without context.
        bus: Name or URL of the bus, or None.
        address: Device address on the bus (I2C address, chip select), or None.
        register: Register being accessed, or None.
    """

    def __init__(
        self,
        message: str = "",
        *,
        bus: str | None = None,
        address: int | None = None,
        register: int | None = None,
    ) -> None:
        self.message = message
        self.bus = bus
        self.address = address
        self.register = register
        super().__init__(self._describe())

    def _context(self) -> list[str]:
        parts = []
        if self.bus is not None:
            parts.append("bus=" + str(self.bus))
        if self.address is not None:
            parts.append("address=" + _hex(self.address))
        if self.register is not None:
            parts.append("register=" + _hex(self.register))
        return parts

    def _describe(self) -> str:
        parts = self._context()
        if not parts:
            return self.message
        return self.message + " (" + ", ".join(parts) + ")"


class NotOpen(HalError):  # noqa: N818 - name fixed by the HAL contract
    """The bus or device was used after close()."""


class BusError(HalError):
    """The transport failed."""


class NackError(BusError):
    """The device did not acknowledge its address or a byte."""


class BusTimeout(BusError):  # noqa: N818 - name fixed by the HAL contract
    """A transfer or a wait passed its deadline."""


class DeviceNotFound(HalError):  # noqa: N818 - name fixed by the HAL contract
    """A probe read an unexpected chip ID, or nothing answered.

    Attributes:
        expected: The chip ID (or IDs) the driver accepts.
        got: What the device returned, or None if it returned nothing.
    """

    def __init__(
        self,
        message: str = "device not found",
        *,
        expected: object = None,
        got: object = None,
        bus: str | None = None,
        address: int | None = None,
        register: int | None = None,
    ) -> None:
        self.expected = expected
        self.got = got
        super().__init__(message, bus=bus, address=address, register=register)

    def _context(self) -> list[str]:
        parts = []
        if self.expected is not None:
            parts.append("expected=" + _hex(self.expected))
        if self.got is not None:
            parts.append("got=" + _hex(self.got))
        return parts + super()._context()


class DataError(HalError):
    """The device answered, but the data is invalid.

    Attributes:
        reason: Short machine-friendly cause, e.g. "checksum"; defaults to the message.
    """

    def __init__(
        self,
        message: str = "invalid data",
        *,
        reason: str | None = None,
        bus: str | None = None,
        address: int | None = None,
        register: int | None = None,
    ) -> None:
        self.reason = message if reason is None else reason
        super().__init__(message, bus=bus, address=address, register=register)


class ConfigError(HalError):
    """A bad URL, board name or argument (for example a write value out of range)."""
