"""Simulated I2C bus hosting register-level device models, with fault injection.

A model is any object with ``address``, ``i2c_write(data)`` and ``i2c_read(length)``; it
raises NackError itself where the real chip would NACK. ``write_read`` is a write followed by
a read to the same model with no other transfer in between, as a repeated start guarantees.

Faults (``inject(address, fault, **options)``; every fault takes ``count=N``):

- ``nack``: every transfer to the address is NACKed.
- ``disappear``: the device is gone from the bus: its address NACKs and the model sees nothing.
- ``timeout``: the transfer raises BusTimeout (a slave stretching the clock forever).
- ``noise``: read bits flip with ``probability`` (default 0.01), RNG ``seed`` (default 1).
- ``stuck_bits``: read bytes become ``(byte & and_mask) | or_mask``.
- ``crash``: the transfer raises RuntimeError, as a bug in a driver would: an error outside
  the HAL's tree, which no app is written to expect. It proves the executive contains an app
  that raises (the acceptance suite's crash test); no real bus does this.
"""

from hal.backends.sim._common import as_bytes, check_open
from hal.backends.sim.clock import ModelTimer, RealClock, SimClock
from hal.backends.sim.faults import Fault, FaultTable
from hal.errors import BusError, BusTimeout, ConfigError, NackError

__all__ = ["I2C_FAULTS", "SimI2CBus", "SimI2CHandle"]

# True for mypy only: MicroPython has no typing module (see hal.deadline).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

I2C_FAULTS = ("nack", "disappear", "timeout", "noise", "stuck_bits", "crash")


class SimI2CBus:
    """A simulated I2C bus.

    Args:
        name: Bus name used in errors, e.g. "sim:i2c1".
        clock: RealClock or SimClock; models are advanced by its elapsed time.
        timer: Shared ModelTimer (a SimBoard passes one so all buses agree on model time).
    """

    def __init__(
        self,
        name: str = "sim:i2c",
        *,
        clock: RealClock | SimClock | None = None,
        timer: ModelTimer | None = None,
    ) -> None:
        self.name = name
        self.clock = RealClock() if clock is None else clock
        self._timer = ModelTimer(self.clock) if timer is None else timer
        self._devices: dict[int, Any] = {}
        self._faults = FaultTable(I2C_FAULTS, name)
        self._closed = False
        self.transfers = 0

    # --- wiring and stimulus -------------------------------------------------------------
    def attach(self, model: "Any") -> None:
        """Put ``model`` on the bus at ``model.address``."""
        address = self._check_address(getattr(model, "address", None))
        if address in self._devices:
            raise ConfigError("address already in use", bus=self.name, address=address)
        self._devices[address] = model
        self._timer.start(model)

    def detach(self, address: int) -> None:
        """Remove the model at ``address``."""
        self._devices.pop(address, None)

    def device(self, address: int) -> "Any":
        """Return the model at ``address`` (ConfigError if none)."""
        try:
            return self._devices[address]
        except KeyError:
            raise ConfigError("no model at this address", bus=self.name, address=address) from None

    def inject(self, address: int, fault: str, **options: object) -> None:
        """Inject ``fault`` on transfers to ``address``; see the module docstring."""
        self._check_address(address)
        self._faults.inject(address, fault, options)

    def clear_faults(self, address: int | None = None) -> None:
        """Remove the faults of one address, or of all addresses."""
        self._faults.clear(address)

    def faults(self, address: int) -> list[str]:
        """Names of the faults injected at ``address``."""
        return self._faults.active(address)

    # --- the I2CBus interface ------------------------------------------------------------
    def write(self, address: int, data: bytes) -> None:
        """Write ``data`` to the device at ``address``."""
        self._transfer(address, as_bytes(data, bus=self.name, address=address), 0)

    def read(self, address: int, length: int) -> bytes:
        """Read ``length`` bytes from the device at ``address``."""
        return self._transfer(address, None, length)

    def write_read(self, address: int, data: bytes, length: int) -> bytes:
        """Write ``data`` then read ``length`` bytes with a repeated start."""
        return self._transfer(address, as_bytes(data, bus=self.name, address=address), length)

    def close(self) -> None:
        """Close the bus; further transfers raise NotOpen."""
        self._closed = True

    # --- internals -----------------------------------------------------------------------
    def _check_address(self, address: object) -> int:
        if not isinstance(address, int) or not 0 <= address <= 0x7F:
            raise ConfigError(f"I2C address {address!r} is not a 7-bit address", bus=self.name)
        return address

    def _transfer(self, address: int, data: bytes | None, length: int) -> bytes:
        check_open(self._closed, bus=self.name, address=address)
        self._check_address(address)
        if not isinstance(length, int) or length < 0:
            raise ConfigError(f"read length {length!r} is invalid", bus=self.name, address=address)
        register = data[0] if data else None
        self.transfers += 1
        faults = self._faults.take(address)
        for fault in faults:
            if fault.name in ("nack", "disappear"):
                raise NackError(
                    "no ACK (injected " + fault.name + ")",
                    bus=self.name,
                    address=address,
                    register=register,
                )
            if fault.name == "crash":
                raise RuntimeError("injected crash: a driver bug, not a bus error")
            if fault.name == "timeout":
                raise BusTimeout(
                    "transfer timed out (injected)",
                    bus=self.name,
                    address=address,
                    register=register,
                )
        model = self._devices.get(address)
        if model is None:
            raise NackError(
                "no device acknowledged", bus=self.name, address=address, register=register
            )
        self._timer.sync(model)
        try:
            if data is not None:
                model.i2c_write(data)
            if length == 0:
                return b""
            result = bytes(model.i2c_read(length))
        except BusError as exc:
            # A model raises without knowing which bus it sits on; add that context.
            if exc.bus is None:
                raise type(exc)(
                    exc.message,
                    bus=self.name,
                    address=address,
                    register=register if exc.register is None else exc.register,
                ) from exc
            raise
        if len(result) != length:
            raise BusError(
                f"model returned {len(result)} bytes for a {length}-byte read",
                bus=self.name,
                address=address,
                register=register,
            )
        return _apply_read_faults(faults, result)


def _apply_read_faults(faults: "list[Fault]", data: bytes) -> bytes:
    """Corrupt read data as the injected noise and stuck-bit faults say."""
    for fault in faults:
        if fault.name == "noise":
            data = fault.flip_bits(data, fault.probability(0.01))
        elif fault.name == "stuck_bits":
            and_mask = fault.mask("and_mask", 0xFF)
            or_mask = fault.mask("or_mask", 0x00)
            data = bytes((b & and_mask) | or_mask for b in data)
    return data


class SimI2CHandle:
    """One user's view of a shared SimI2CBus: closing it does not close the bus for others."""

    def __init__(self, bus: SimI2CBus) -> None:
        self.bus = bus
        self.name = bus.name
        self._closed = False

    def write(self, address: int, data: bytes) -> None:
        """See SimI2CBus.write."""
        check_open(self._closed, bus=self.name, address=address)
        self.bus.write(address, data)

    def read(self, address: int, length: int) -> bytes:
        """See SimI2CBus.read."""
        check_open(self._closed, bus=self.name, address=address)
        return self.bus.read(address, length)

    def write_read(self, address: int, data: bytes, length: int) -> bytes:
        """See SimI2CBus.write_read."""
        check_open(self._closed, bus=self.name, address=address)
        return self.bus.write_read(address, data, length)

    def close(self) -> None:
        """Close this handle only."""
        self._closed = True
