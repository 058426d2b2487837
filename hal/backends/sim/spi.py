"""Simulated SPI bus: models by chip select, each reached through a SimSpiDevice.

A model is any object with ``spi_transfer(data) -> bytes`` (called once per chip-select
assertion, full duplex, same length). Nothing at a chip select reads as 0xFF: MISO idles high
through its pull-up and SPI has no acknowledge, so a driver finds out by probing.

Faults (``inject(cs, fault, **options)``; every fault takes ``count=N``):

- ``disconnected``: the model sees nothing and MISO reads 0xFF.
- ``stuck_miso``: MISO held at ``level`` (0 or 1, default 0): reads 0x00 or 0xFF.
- ``noise``: MISO bits flip with ``probability`` (default 0.01), RNG ``seed``.
- ``stuck_bits``: MISO bytes become ``(byte & and_mask) | or_mask``.
"""

from hal.backends.sim._common import as_bytes, check_open
from hal.backends.sim.clock import ModelTimer, RealClock, SimClock
from hal.backends.sim.faults import FaultTable
from hal.errors import BusError, ConfigError

__all__ = ["SPI_FAULTS", "SimSpiBus", "SimSpiDevice"]

# True for mypy only: MicroPython has no typing module (see hal.deadline).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SPI_FAULTS = ("disconnected", "stuck_miso", "noise", "stuck_bits")


class SimSpiBus:
    """A simulated SPI controller with models on chip selects.

    Args:
        name: Bus name used in errors, e.g. "sim:spi0".
        clock: RealClock or SimClock; models are advanced by its elapsed time.
        timer: Shared ModelTimer.
    """

    def __init__(
        self,
        name: str = "sim:spi",
        *,
        clock: RealClock | SimClock | None = None,
        timer: ModelTimer | None = None,
    ) -> None:
        self.name = name
        self.clock = RealClock() if clock is None else clock
        self._timer = ModelTimer(self.clock) if timer is None else timer
        self._devices: dict[int, Any] = {}
        self._faults = FaultTable(SPI_FAULTS, name)

    def attach(self, model: object, *, cs: int) -> None:
        """Put ``model`` on chip select ``cs``."""
        self._check_cs(cs)
        if cs in self._devices:
            raise ConfigError("chip select already in use", bus=self.name, address=cs)
        self._devices[cs] = model
        self._timer.start(model)

    def model(self, cs: int) -> "Any":
        """Return the model on ``cs``, or None."""
        return self._devices.get(cs)

    def device(self, cs: int) -> "SimSpiDevice":
        """Open the device on chip select ``cs`` (works with or without a model there)."""
        self._check_cs(cs)
        return SimSpiDevice(self, cs)

    def inject(self, cs: int, fault: str, **options: object) -> None:
        """Inject ``fault`` on transfers to ``cs``; see the module docstring."""
        self._check_cs(cs)
        self._faults.inject(cs, fault, options)

    def clear_faults(self, cs: int | None = None) -> None:
        """Remove the faults of one chip select, or of all."""
        self._faults.clear(cs)

    def _check_cs(self, cs: object) -> None:
        if not isinstance(cs, int) or not 0 <= cs <= 15:
            raise ConfigError(f"chip select {cs!r} is invalid", bus=self.name)

    def _transfer(self, cs: int, data: bytes) -> bytes:
        faults = self._faults.take(cs)
        model = self._devices.get(cs)
        if model is None or any(f.name == "disconnected" for f in faults):
            return b"\xff" * len(data)
        self._timer.sync(model)
        result = bytes(model.spi_transfer(data))
        if len(result) != len(data):
            raise BusError(
                f"model returned {len(result)} bytes for a {len(data)}-byte transfer",
                bus=self.name,
                address=cs,
            )
        for fault in faults:
            if fault.name == "stuck_miso":
                level = fault.option("level", 0)
                result = (b"\xff" if level else b"\x00") * len(result)
            elif fault.name == "noise":
                result = fault.flip_bits(result, fault.probability(0.01))
            elif fault.name == "stuck_bits":
                and_mask = fault.mask("and_mask", 0xFF)
                or_mask = fault.mask("or_mask", 0x00)
                result = bytes((b & and_mask) | or_mask for b in result)
        return result


class SimSpiDevice:
    """One chip select on a SimSpiBus; implements the SpiDevice interface."""

    def __init__(self, bus: SimSpiBus, cs: int) -> None:
        self.bus = bus
        self.cs = cs
        self.mode = 0
        self.speed_hz = 1_000_000
        self.bits_per_word = 8
        self._closed = False

    def configure(
        self, *, mode: int = 0, speed_hz: int = 1_000_000, bits_per_word: int = 8
    ) -> None:
        """Set SPI mode 0-3, clock rate in Hz and word size (the sim supports 8 bits)."""
        if mode not in (0, 1, 2, 3):
            raise ConfigError(f"SPI mode {mode!r} is not 0-3", bus=self.bus.name, address=self.cs)
        if not isinstance(speed_hz, int) or speed_hz <= 0:
            raise ConfigError(
                f"speed_hz {speed_hz!r} must be a positive int", bus=self.bus.name, address=self.cs
            )
        if bits_per_word != 8:
            raise ConfigError(
                "the simulated bus transfers 8-bit words only", bus=self.bus.name, address=self.cs
            )
        self.mode = mode
        self.speed_hz = speed_hz
        self.bits_per_word = bits_per_word

    def transfer(self, data: bytes) -> bytes:
        """Clock ``data`` out and return the bytes clocked in."""
        check_open(self._closed, bus=self.bus.name, address=self.cs)
        return self.bus._transfer(self.cs, as_bytes(data, bus=self.bus.name, address=self.cs))

    def close(self) -> None:
        """Release the device."""
        self._closed = True
