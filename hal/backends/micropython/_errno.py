"""OSError -> HAL error mapping for MicroPython ports.

Ports disagree on the errno for a missing ACK: rp2 raises EIO, esp32 and stm32 ENODEV; a
stretched clock or stuck bus gives ETIMEDOUT. MicroPython does not chain exceptions (it warns
on ``raise ... from``), so the original OSError is kept as the ``cause`` attribute instead.
"""

from hal.errors import BusError, BusTimeout, NackError

__all__ = ["EIO", "ENODEV", "ETIMEDOUT", "mapped"]

EIO = 5
ENODEV = 19
ETIMEDOUT = 110  # MicroPython's value; some ports use 116, handled below
_ETIMEDOUT_ALT = 116


def mapped(
    exc: OSError, action: str, *, bus: str, address: int | None = None, register: int | None = None
) -> BusError:
    """Return the HAL error for ``exc`` (to be raised by the caller)."""
    code = exc.args[0] if exc.args else None
    if code in (EIO, ENODEV):
        error: BusError = NackError(
            action + ": no ACK", bus=bus, address=address, register=register
        )
    elif code in (ETIMEDOUT, _ETIMEDOUT_ALT):
        error = BusTimeout(action + ": timed out", bus=bus, address=address, register=register)
    else:
        error = BusError(
            action + ": OSError " + str(code), bus=bus, address=address, register=register
        )
    error.cause = exc  # type: ignore[attr-defined]
    return error
