"""Narrow protocols for the buses drivers use; backends satisfy them by duck typing.

These exist for the type checker on CPython: a driver annotates its bus as ``I2CBus`` and mypy
checks that every backend (Linux, sim, MicroPython) provides the same methods. Nothing here is
imported at run time by portable code.
"""

from typing import Protocol

__all__ = ["GpioLine", "I2CBus", "Pwm", "SpiDevice", "Uart", "Watchdog"]


class I2CBus(Protocol):
    """An I2C bus master; addresses are 7-bit."""

    def write(self, address: int, data: bytes) -> None:
        """Write ``data`` to the device in one transfer."""

    def read(self, address: int, length: int) -> bytes:
        """Read exactly ``length`` bytes from the device."""

    def write_read(self, address: int, data: bytes, length: int) -> bytes:
        """Write ``data``, then read ``length`` bytes after a repeated start."""

    def close(self) -> None:
        """Release the bus; later calls raise NotOpen."""


class SpiDevice(Protocol):
    """One SPI device (a bus plus its chip select)."""

    def transfer(self, data: bytes) -> bytes:
        """Clock ``data`` out while clocking in as many bytes (one chip-select assertion)."""

    def configure(
        self, *, mode: int = 0, speed_hz: int = 1_000_000, bits_per_word: int = 8
    ) -> None:
        """Set clock polarity/phase mode (0-3), clock rate and word size."""

    def close(self) -> None:
        """Release the device."""


class Uart(Protocol):
    """A serial port."""

    def write(self, data: bytes) -> int:
        """Queue ``data`` for transmission; return the number of bytes accepted."""

    def read(self, size: int, timeout_s: float) -> bytes:
        """Return up to ``size`` bytes, fewer if the deadline passes first."""

    def configure(self, *, baudrate: int) -> None:
        """Set the line speed."""

    def close(self) -> None:
        """Release the port."""


class GpioLine(Protocol):
    """One GPIO line."""

    def value(self) -> int:
        """Return the line's level, 0 or 1."""

    def set(self, value: int) -> None:
        """Drive an output line to 0 or 1."""

    def configure(self, *, direction: str = "in", edge: str = "none", bias: str = "as-is") -> None:
        """Set direction ("in"/"out"), edge detection and bias ("as-is", "disabled",
        "pull-up", "pull-down")."""

    def wait_edge(self, timeout_s: float) -> tuple[int, bool] | None:
        """Return ``(timestamp_ns, rising)`` of the next edge, or None at the deadline."""

    def close(self) -> None:
        """Release the line."""


class Pwm(Protocol):
    """One PWM output."""

    def configure(self, *, frequency_hz: float, duty_cycle: float) -> None:
        """Set the frequency and the duty cycle as a fraction from 0.0 to 1.0."""

    def enable(self) -> None:
        """Start the output."""

    def disable(self) -> None:
        """Stop the output."""

    def close(self) -> None:
        """Release the output."""


class Watchdog(Protocol):
    """A hardware watchdog: the board resets unless kicked within the timeout."""

    @property
    def timeout_s(self) -> float:
        """The timeout in force, as the hardware reports it."""

    def start(self, timeout_s: float) -> None:
        """Arm the watchdog."""

    def kick(self) -> None:
        """Restart the countdown."""

    def stop(self) -> None:
        """Disarm the watchdog (on Linux: the magic close 'V')."""

    def close(self) -> None:
        """Release the device without disarming it."""
