"""Helpers shared by the simulated buses (argument checks in the HAL's error vocabulary)."""

from hal.errors import ConfigError, NotOpen

__all__ = ["as_bytes", "check_open"]


def as_bytes(data: object, *, bus: str, address: int | None = None) -> bytes:
    """Return ``data`` as bytes, or raise ConfigError if it is not bytes-like."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise ConfigError(
        f"data must be bytes-like, not {type(data).__name__}", bus=bus, address=address
    )


def check_open(closed: bool, *, bus: str, address: int | None = None) -> None:
    """Raise NotOpen when the bus or device has been closed."""
    if closed:
        raise NotOpen("used after close()", bus=bus, address=address)
