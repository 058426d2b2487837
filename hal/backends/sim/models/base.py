"""What every simulated chip shares: a name, model time, physical quantities and faults.

Model time moves only by ``advance(dt_s)``: the simulated buses call it with the time elapsed
since they last touched the model (``hal.backends.sim.clock.ModelTimer``), so the same model
runs in real time on a RealClock board and deterministically on a SimClock one. A model used
without a bus can be given a ``clock`` instead.

Runs on MicroPython: no typing, dataclasses or enum at run time.
"""

from hal.errors import ConfigError, NackError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["ByteRegisterModel", "SimModel", "WordRegisterModel"]


class SimModel:
    """Base of every chip model.

    Subclasses set ``name``, list their quantities as ``(name, default)`` pairs in
    ``QUANTITIES`` and their fault names in ``FAULTS``, and override ``_on_set`` or
    ``_on_advance`` when a change must take effect in registers at once.

    Args:
        clock: Callable returning monotonic seconds, added to the advanced time; None (the
            default) for a model whose time moves only by ``advance``.
    """

    name = "model"
    QUANTITIES: "tuple[tuple[str, object], ...]" = ()
    FAULTS: "tuple[str, ...]" = ()

    def __init__(self, *, clock: "Callable[[], float] | None" = None) -> None:
        self._clock = clock
        self._offset = 0.0
        self.quantities: dict[str, object] = dict(self.QUANTITIES)
        self.faults: dict[str, object] = {}

    def now(self) -> float:
        """Return model time in seconds."""
        if self._clock is None:
            return self._offset
        return self._clock() + self._offset

    def advance(self, dt_s: float) -> None:
        """Move model time forward by ``dt_s`` seconds and run whatever is due."""
        if dt_s < 0:
            raise ConfigError("cannot advance time backwards")
        self._offset += dt_s
        self._on_advance()

    def set(self, **quantities: object) -> None:
        """Set physical quantities by their SI-unit names, e.g. ``set(temperature_c=21.5)``.

        Raises:
            ConfigError: An unknown quantity name.
        """
        for key in quantities:
            if key not in self.quantities:
                raise ConfigError(
                    self.name
                    + " has no quantity "
                    + repr(key)
                    + "; known: "
                    + ", ".join(sorted(self.quantities))
                )
        self.quantities.update(quantities)
        self._on_set()

    def get(self, name: str) -> object:
        """Return a quantity set with ``set`` (or its default)."""
        if name not in self.quantities:
            raise ConfigError(self.name + " has no quantity " + repr(name))
        return self.quantities[name]

    def inject(self, fault: str, value: object = True) -> None:
        """Turn on a model-level fault (one of ``FAULTS``), with an optional parameter.

        Raises:
            ConfigError: An unknown fault name.
        """
        if fault not in self.FAULTS:
            raise ConfigError(
                self.name + " has no fault " + repr(fault) + "; known: " + ", ".join(self.FAULTS)
            )
        self.faults[fault] = value

    def clear_faults(self) -> None:
        """Turn every model-level fault off."""
        self.faults.clear()

    def _on_set(self) -> None:
        """Hook: quantities changed."""

    def _on_advance(self) -> None:
        """Hook: time moved forward."""


class ByteRegisterModel(SimModel):
    """An I2C device with 256 byte-wide registers and a one-byte register pointer.

    ``i2c_write`` takes the pointer, then data; ``i2c_read`` reads from the pointer. Subclasses
    set ``WRITABLE`` (register -> mask of writable bits; everything else is read-only, and
    writes to it are ignored as on the real parts), ``RESET_VALUES``, and override
    ``_register_written`` / ``_register_read`` for side effects, ``_increment`` for the
    chip's auto-increment rule, and ``WRITE_PAIRS`` for chips whose multi-byte writes are
    (register, value) pairs rather than a burst.

    Args:
        address: 7-bit I2C address.
        clock: See SimModel.
    """

    WRITABLE: "tuple[tuple[int, int], ...]" = ()
    RESET_VALUES: "tuple[tuple[int, int], ...]" = ()
    WRITE_PAIRS = False

    def __init__(self, *, address: int, clock: "Callable[[], float] | None" = None) -> None:
        super().__init__(clock=clock)
        self.address = address
        self.regs = bytearray(256)
        self.pointer = 0
        self._writable = dict(self.WRITABLE)
        self.load_reset_values()

    def load_reset_values(self) -> None:
        """Put every register in its power-on state."""
        for register, value in self.RESET_VALUES:
            self.regs[register] = value

    def i2c_write(self, data: bytes) -> None:
        """Handle one write transaction: pointer, then data per the chip's rules."""
        self._update()
        if not data:
            return
        if self.WRITE_PAIRS:
            for index in range(0, len(data), 2):
                self.pointer = data[index]
                if index + 1 < len(data):
                    self._store(data[index], data[index + 1])
            return
        self.pointer = data[0]
        for value in data[1:]:
            self._store(self.pointer, value)
            self.pointer = self._increment(self.pointer)

    def i2c_read(self, length: int) -> bytes:
        """Handle one read transaction from the register pointer."""
        self._update()
        out = bytearray(length)
        for index in range(length):
            out[index] = self._register_read(self.pointer)
            self.pointer = self._increment(self.pointer)
        return bytes(out)

    def _store(self, register: int, value: int) -> None:
        mask = self._writable.get(register)
        if mask is None:
            return
        self.regs[register] = (self.regs[register] & ~mask & 0xFF) | (value & mask)
        self._register_written(register, value)

    def _increment(self, register: int) -> int:
        return (register + 1) & 0xFF

    def _register_read(self, register: int) -> int:
        return self.regs[register]

    def _register_written(self, register: int, value: int) -> None:
        """Hook: a writable register was written (``value`` as sent, before masking)."""

    def _update(self) -> None:
        """Hook: bring registers up to model time (conversions that finished)."""

    def _on_advance(self) -> None:
        self._update()


class WordRegisterModel(SimModel):
    """An I2C device with 16-bit big-endian registers behind a one-byte pointer (TI style).

    A write is the pointer, optionally followed by MSB and LSB; a read returns the pointed
    register, MSB first, and repeats it if more bytes are clocked (no auto-increment).
    Subclasses set ``WRITABLE`` (pointer -> writable-bit mask) and ``RESET_VALUES`` and
    override ``_register_written`` / ``_register_read``; writes to an unknown pointer NACK.

    Args:
        address: 7-bit I2C address.
        clock: See SimModel.
    """

    WRITABLE: "tuple[tuple[int, int], ...]" = ()
    RESET_VALUES: "tuple[tuple[int, int], ...]" = ()

    def __init__(self, *, address: int, clock: "Callable[[], float] | None" = None) -> None:
        super().__init__(clock=clock)
        self.address = address
        self.regs: dict[int, int] = {}
        self.pointer = 0
        self._writable = dict(self.WRITABLE)
        self.load_reset_values()

    def load_reset_values(self) -> None:
        """Put every register in its power-on state."""
        self.regs = dict(self.RESET_VALUES)

    def i2c_write(self, data: bytes) -> None:
        """Handle a write: pointer, then an optional 16-bit value."""
        self._update()
        if not data:
            return
        if data[0] not in self.regs:
            raise NackError("pointer to a register that does not exist", register=data[0])
        self.pointer = data[0]
        if len(data) >= 3:
            value = (data[1] << 8) | data[2]
            mask = self._writable.get(self.pointer, 0)
            self.regs[self.pointer] = (self.regs[self.pointer] & ~mask) | (value & mask)
            self._register_written(self.pointer, value)

    def i2c_read(self, length: int) -> bytes:
        """Handle a read of the pointed register."""
        self._update()
        value = self._register_read(self.pointer)
        word = bytes(((value >> 8) & 0xFF, value & 0xFF))
        return (word * ((length + 1) // 2))[:length]

    def _register_read(self, register: int) -> int:
        return self.regs[register]

    def _register_written(self, register: int, value: int) -> None:
        """Hook: a register was written (``value`` as sent, before masking)."""

    def _update(self) -> None:
        """Hook: bring registers up to model time."""

    def _on_advance(self) -> None:
        self._update()
