"""Registers declared as data, and a per-device map that reads and writes them over I2C.

A driver declares its registers and bit fields once, at module level, as immutable values::

    CONFIG = Register(name="CONFIG", address=0x00, width=2)
    GAIN = Bits(name="GAIN", reg=CONFIG, lsb=11, width=2)

and each driver instance owns a :class:`RegisterMap` that does the bus traffic::

    regs = RegisterMap(bus, address=0x40)
    regs.write(GAIN, 3)          # read-modify-write of CONFIG, range-checked
    gain = regs.read(GAIN)

Unlike descriptor-based register libraries, access goes through explicit ``read``/``write``
calls on the map (no attribute assignment with a bus transaction hidden behind it), every
write is range-checked (:class:`~hal.errors.ConfigError`), and the scratch buffers belong to
the map, so two devices never share mutable state.

This module runs on MicroPython: no typing, dataclasses or enum at run time, and no
``int.from_bytes(..., signed=True)`` (MicroPython ignores the flag), so sign extension is
done here.
"""

from hal.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    class I2CBus(Protocol):
        """The part of the I2C bus interface a register map uses."""

        def write(self, address: int, data: bytes) -> None:
            """Write ``data`` to the device at ``address``."""

        def write_read(self, address: int, data: bytes, length: int) -> bytes:
            """Write ``data``, then read ``length`` bytes after a repeated start."""


__all__ = ["Bits", "Register", "RegisterMap", "sign_extend"]

_BIG = "big"
_LITTLE = "little"
_MAX_WIDTH = 4
_BITS_PER_BYTE = 8


def sign_extend(value: int, bits: int) -> int:
    """Interpret the low ``bits`` bits of ``value`` as a two's-complement number.

    >>> sign_extend(0xFFFE, 16)
    -2
    >>> sign_extend(0x7FFF, 16)
    32767
    """
    value &= (1 << bits) - 1
    if value & (1 << (bits - 1)):
        return value - (1 << bits)
    return value


class Register:
    """One device register: where it is, how wide, and how its bytes map to an integer.

    Args:
        name: Name for error messages (the datasheet's).
        address: Register address (the pointer byte sent before the data).
        width: Size in bytes, 1 to 4.
        byteorder: ``"big"`` (MSB at the lower address) or ``"little"``.
        signed: Two's-complement value.
        readonly: Writes raise ConfigError without touching the bus.
    """

    def __init__(
        self,
        *,
        name: str,
        address: int,
        width: int = 1,
        byteorder: str = _BIG,
        signed: bool = False,
        readonly: bool = False,
    ) -> None:
        if not 1 <= width <= _MAX_WIDTH:
            raise ConfigError("register width must be 1 to 4 bytes: " + name)
        if byteorder not in (_BIG, _LITTLE):
            raise ConfigError("byteorder must be 'big' or 'little': " + name)
        if not 0 <= address <= 0xFF:
            raise ConfigError("register address must fit one byte: " + name)
        self.name = name
        self.address = address
        self.width = width
        self.byteorder = byteorder
        self.signed = signed
        self.readonly = readonly
        # Immutable, so sharing it between devices is safe; saves an allocation per read.
        self.pointer = bytes((address,))
        self.bits = width * _BITS_PER_BYTE
        if signed:
            self.min_value = -(1 << (self.bits - 1))
            self.max_value = (1 << (self.bits - 1)) - 1
        else:
            self.min_value = 0
            self.max_value = (1 << self.bits) - 1

    def decode(self, data: bytes) -> int:
        """Return the register value held in ``data`` (exactly ``width`` bytes)."""
        raw = int.from_bytes(bytes(data), "big" if self.byteorder == _BIG else "little")
        return sign_extend(raw, self.bits) if self.signed else raw

    def encode_into(self, value: int, buffer: bytearray, offset: int) -> None:
        """Write ``value`` into ``buffer[offset:offset + width]``; range-checked.

        Raises:
            ConfigError: ``value`` does not fit the register.
        """
        if not self.min_value <= value <= self.max_value:
            raise ConfigError(
                f"value {value} out of range {self.min_value}..{self.max_value} for {self.name}",
                register=self.address,
            )
        raw = value & ((1 << self.bits) - 1)
        for i in range(self.width):
            shift = (
                (self.width - 1 - i) * _BITS_PER_BYTE
                if self.byteorder == _BIG
                else i * _BITS_PER_BYTE
            )
            buffer[offset + i] = (raw >> shift) & 0xFF

    def __repr__(self) -> str:
        return f"Register({self.name}, 0x{self.address:02X})"


class Bits:
    """A bit field inside a register.

    Args:
        name: Name for error messages (the datasheet's).
        reg: The register holding the field.
        lsb: Bit number of the field's least significant bit (0 = register LSB).
        width: Number of bits.
        signed: Two's-complement field.
        readonly: Writes raise ConfigError.
    """

    def __init__(
        self,
        *,
        name: str,
        reg: Register,
        lsb: int,
        width: int = 1,
        signed: bool = False,
        readonly: bool = False,
    ) -> None:
        if width < 1 or lsb < 0 or lsb + width > reg.bits:
            raise ConfigError("bit field outside its register: " + name, register=reg.address)
        self.name = name
        self.reg = reg
        self.lsb = lsb
        self.width = width
        self.signed = signed
        self.readonly = readonly or reg.readonly
        self.mask = ((1 << width) - 1) << lsb
        if signed:
            self.min_value = -(1 << (width - 1))
            self.max_value = (1 << (width - 1)) - 1
        else:
            self.min_value = 0
            self.max_value = (1 << width) - 1

    def extract(self, word: int) -> int:
        """Return this field's value from a whole-register value.

        >>> CONFIG = Register(name="CONFIG", address=0, width=2)
        >>> Bits(name="GAIN", reg=CONFIG, lsb=11, width=2).extract(0x399F)
        3
        """
        raw = (word & ((1 << self.reg.bits) - 1) & self.mask) >> self.lsb
        return sign_extend(raw, self.width) if self.signed else raw

    def insert(self, word: int, value: int) -> int:
        """Return ``word`` with this field replaced by ``value``; range-checked.

        Raises:
            ConfigError: ``value`` does not fit the field.
        """
        if not self.min_value <= value <= self.max_value:
            raise ConfigError(
                f"value {value} out of range {self.min_value}..{self.max_value} for {self.name}",
                register=self.reg.address,
            )
        field = (value << self.lsb) & self.mask
        return (word & ~self.mask) | field

    def __repr__(self) -> str:
        return f"Bits({self.name})"


class RegisterMap:
    """Reads and writes declared registers and fields of one I2C device.

    Reads use one ``write_read`` (pointer, repeated start, data); writes send the pointer and
    the data in one ``write``. Field writes are read-modify-write of the whole register.

    Args:
        bus: An I2C bus (``write``, ``write_read``).
        address: The device's 7-bit address.
        bus_name: Name used in error context; defaults to the bus's ``name`` attribute.
    """

    def __init__(self, bus: "I2CBus", *, address: int, bus_name: str | None = None) -> None:
        self.bus = bus
        self.address = address
        self.bus_name = bus_name if bus_name is not None else str(getattr(bus, "name", "i2c"))
        # One write buffer per payload length: pointer byte plus up to four data bytes.
        self._wbufs = [bytearray(n + 1) for n in range(_MAX_WIDTH + 1)]

    def read(self, field: "Register | Bits") -> int:
        """Return the value of a register or bit field."""
        if isinstance(field, Bits):
            return field.extract(self._read_register(field.reg))
        return self._read_register(field)

    def write(self, field: "Register | Bits", value: int) -> None:
        """Write a register, or read-modify-write a bit field.

        Raises:
            ConfigError: The value is out of range or the register is read-only; nothing is
                sent on the bus.
        """
        if field.readonly:
            raise self._readonly(field)
        if isinstance(field, Bits):
            self._check(field, value)
            self._write_register(field.reg, field.insert(self._read_register(field.reg), value))
        else:
            self._write_register(field, value)

    def write_fields(self, *pairs: "tuple[Bits, int]") -> None:
        """Set several fields of one register with one read and one write.

        Args:
            *pairs: ``(field, value)`` tuples, all fields in the same register.

        Raises:
            ConfigError: Fields from different registers, a read-only field, or a value out of
                range; nothing is written.
        """
        if not pairs:
            return
        reg = pairs[0][0].reg
        for field, value in pairs:
            if field.reg is not reg:
                raise ConfigError("fields span registers", register=reg.address)
            if field.readonly:
                raise self._readonly(field)
            self._check(field, value)
        word = self._read_register(reg)
        for field, value in pairs:
            word = field.insert(word, value)
        self._write_register(reg, word)

    def read_block(self, start: int, length: int) -> bytes:
        """Read ``length`` bytes from consecutive registers starting at ``start`` (burst)."""
        return bytes(self.bus.write_read(self.address, bytes((start,)), length))

    def write_block(self, start: int, data: bytes) -> None:
        """Write ``data`` to consecutive registers starting at ``start`` (burst)."""
        self.bus.write(self.address, bytes([start]) + bytes(data))

    def _read_register(self, reg: Register) -> int:
        return reg.decode(self.bus.write_read(self.address, reg.pointer, reg.width))

    def _write_register(self, reg: Register, value: int) -> None:
        if reg.readonly:
            raise self._readonly(reg)
        buffer = self._wbufs[reg.width]
        buffer[0] = reg.address
        try:
            reg.encode_into(value, buffer, 1)
        except ConfigError as exc:
            raise self._with_context(exc, reg) from exc
        # Bus interfaces take immutable bytes; a backend may keep or queue what it is given.
        self.bus.write(self.address, bytes(buffer))

    def _check(self, field: Bits, value: int) -> None:
        """Range-check a field value before any bus traffic."""
        try:
            field.insert(0, value)
        except ConfigError as exc:
            raise self._with_context(exc, field.reg) from exc

    def _with_context(self, exc: ConfigError, reg: Register) -> ConfigError:
        return ConfigError(
            exc.message, bus=self.bus_name, address=self.address, register=reg.address
        )

    def _readonly(self, field: "Register | Bits") -> ConfigError:
        reg = field.reg if isinstance(field, Bits) else field
        return ConfigError(
            field.name + " is read-only",
            bus=self.bus_name,
            address=self.address,
            register=reg.address,
        )
