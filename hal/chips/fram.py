"""Fujitsu MB85RC256V-class I2C FRAM, and a persistent counter that survives torn writes.

From the MB85RC256V datasheet (DS501-00017): 32 KiB, a two-byte memory address after the
device address, sequential reads and writes that roll over at the end of memory, and a
three-byte Device ID read through the reserved slave ID 0xF8/0xF9 (7-bit 0x7C): the master
writes the device's address word, then reads manufacturer ID 0x00A (12 bits), density 0x5 and
product 0x10 (bytes 0x00 0xA5 0x10).

:class:`PersistentCounter` keeps A/B copies, each ``sequence (4) | value (4) | CRC-16 (2)``,
and always overwrites the older copy, so a write cut short by a power loss leaves the newer
valid copy (the old value) in place.
"""

from hal.errors import ConfigError, DataError, DeviceNotFound, NackError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hal.regmap import I2CBus

__all__ = ["DEVICE_ID_MB85RC256V", "Fram", "PersistentCounter", "crc16_ccitt"]

DEFAULT_ADDRESS = 0x50
RESERVED_ID_ADDRESS = 0x7C  # 0xF8 >> 1
DEVICE_ID_MB85RC256V = b"\x00\xa5\x10"
DEVICE_ID_LENGTH = 3
DEFAULT_SIZE = 32768
SLOT_SIZE = 10
UINT32_MAX = 0xFFFFFFFF


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF).

    >>> hex(crc16_ccitt(b"123456789"))
    '0x29b1'
    """
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


class Fram:
    """I2C FRAM driver.

    Args:
        bus: I2C bus.
        address: 0x50..0x57.
        size: Memory size in bytes.
        device_id: Expected Device ID bytes, or None to skip the ID check (parts without the
            reserved-slave-ID command); then the probe is a one-byte read.

    Raises:
        DeviceNotFound: The Device ID differs, or nothing answers the ID command.
    """

    def __init__(
        self,
        bus: "I2CBus",
        *,
        address: int = DEFAULT_ADDRESS,
        size: int = DEFAULT_SIZE,
        device_id: bytes | None = DEVICE_ID_MB85RC256V,
    ) -> None:
        self.bus = bus
        self.bus_name = str(getattr(bus, "name", "i2c"))
        self.address = address
        self.size = size
        self.device_id = device_id
        self.probe()

    def probe(self) -> None:
        """Read the Device ID (or one byte of memory when no ID is expected)."""
        if self.device_id is None:
            self.read(0, 1)
            return
        try:
            got = bytes(
                self.bus.write_read(
                    RESERVED_ID_ADDRESS, bytes((self.address << 1,)), DEVICE_ID_LENGTH
                )
            )
        except NackError as exc:
            raise DeviceNotFound(
                "no answer to the FRAM Device ID command",
                expected=self.device_id,
                bus=self.bus_name,
                address=self.address,
            ) from exc
        if got != self.device_id:
            raise DeviceNotFound(
                "FRAM Device ID mismatch",
                expected=self.device_id,
                got=got,
                bus=self.bus_name,
                address=self.address,
            )

    def _check(self, offset: int, length: int) -> None:
        if offset < 0 or length < 0 or offset + length > self.size:
            raise ConfigError(
                f"range {offset}+{length} outside 0..{self.size}",
                bus=self.bus_name,
                address=self.address,
            )

    def read(self, offset: int, length: int) -> bytes:
        """Read ``length`` bytes at memory address ``offset``."""
        self._check(offset, length)
        pointer = bytes((offset >> 8, offset & 0xFF))
        return bytes(self.bus.write_read(self.address, pointer, length))

    def write(self, offset: int, data: bytes) -> None:
        """Write ``data`` at memory address ``offset`` (FRAM needs no erase or page waits)."""
        self._check(offset, len(data))
        self.bus.write(self.address, bytes((offset >> 8, offset & 0xFF)) + bytes(data))


class PersistentCounter:
    """A 32-bit counter in FRAM with two CRC-protected copies.

    Args:
        fram: The FRAM.
        offset: Where the two 10-byte slots start.
    """

    def __init__(self, fram: Fram, *, offset: int = 0) -> None:
        fram._check(offset, 2 * SLOT_SIZE)
        self.fram = fram
        self.offset = offset
        self.rejected_slots = 0
        self._sequence = 0
        self._value = 0
        self._newest_slot = 1  # so the first write goes to slot 0
        self.load()

    @staticmethod
    def _decode(slot: bytes) -> "tuple[int, int] | None":
        if crc16_ccitt(slot[:8]) != int.from_bytes(slot[8:10], "big"):
            return None
        return int.from_bytes(slot[0:4], "big"), int.from_bytes(slot[4:8], "big")

    def load(self) -> int:
        """Read both copies and take the valid one with the higher sequence number."""
        raw = self.fram.read(self.offset, 2 * SLOT_SIZE)
        best = None
        self.rejected_slots = 0
        for index in (0, 1):
            decoded = self._decode(raw[index * SLOT_SIZE : (index + 1) * SLOT_SIZE])
            if decoded is None:
                self.rejected_slots += 1
            elif best is None or decoded[0] > best[0]:
                best = (decoded[0], decoded[1], index)
        if best is None:
            self._sequence, self._value, self._newest_slot = 0, 0, 1
        else:
            self._sequence, self._value, self._newest_slot = best
        return self._value

    def value(self) -> int:
        """The current value (as last loaded or written)."""
        return self._value

    def set(self, value: int) -> None:
        """Store ``value`` in the older copy with the next sequence number."""
        if not 0 <= value <= UINT32_MAX:
            raise ConfigError("counter value must fit 32 bits")
        if self._sequence >= UINT32_MAX:
            raise DataError("counter sequence exhausted", reason="sequence")
        sequence = self._sequence + 1
        body = sequence.to_bytes(4, "big") + value.to_bytes(4, "big")
        slot = 1 - self._newest_slot
        self.fram.write(self.offset + slot * SLOT_SIZE, body + crc16_ccitt(body).to_bytes(2, "big"))
        self._sequence, self._value, self._newest_slot = sequence, value, slot

    def increment(self, by: int = 1) -> int:
        """Add ``by`` and store; return the new value."""
        self.set(self._value + by)
        return self._value
