"""Model of a Fujitsu MB85RC256V I2C FRAM, from its datasheet (DS501-00017).

Modelled: 32 KiB memory behind a two-byte address (upper bit ignored), sequential read and
write with roll-over at the end of memory, and the Device ID command through the reserved
slave ID 0xF8 (7-bit 0x7C), served by :meth:`FramModel.id_port` which a bus hosts at 0x7C.

Faults: ``torn_write`` with a byte count: the next write transaction stores only that many
data bytes, as when power fails part-way through (then the fault clears itself).
"""

from hal.backends.sim.models.base import SimModel
from hal.errors import NackError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["FramIdPort", "FramModel"]

DEVICE_ID = b"\x00\xa5\x10"
RESERVED_ID_ADDRESS = 0x7C
ADDRESS_BYTES = 2


class FramModel(SimModel):
    """Simulated MB85RC256V.

    Args:
        address: 0x50..0x57.
        size: Memory size (a power of two).
        clock: See SimModel.
    """

    name = "fram"
    FAULTS = ("torn_write",)

    def __init__(
        self,
        *,
        address: int = 0x50,
        size: int = 32768,
        clock: "Callable[[], float] | None" = None,
    ) -> None:
        super().__init__(clock=clock)
        self.address = address
        self.size = size
        self.memory = bytearray(size)
        self.pointer = 0

    def i2c_write(self, data: bytes) -> None:
        """Memory address (2 bytes), then data bytes stored with roll-over."""
        if len(data) < ADDRESS_BYTES:
            return
        self.pointer = ((data[0] << 8) | data[1]) & (self.size - 1)
        payload = data[ADDRESS_BYTES:]
        torn = self.faults.pop("torn_write", None)
        if isinstance(torn, int) and not isinstance(torn, bool):
            payload = payload[:torn]
        for byte in payload:
            self.memory[self.pointer] = byte
            self.pointer = (self.pointer + 1) & (self.size - 1)

    def i2c_read(self, length: int) -> bytes:
        """Sequential read from the address pointer, rolling over at the end."""
        out = bytearray(length)
        for index in range(length):
            out[index] = self.memory[self.pointer]
            self.pointer = (self.pointer + 1) & (self.size - 1)
        return bytes(out)

    def id_port(self) -> "FramIdPort":
        """The responder for the reserved slave ID; attach it to the same bus."""
        return FramIdPort(self)


class FramIdPort:
    """Answers the Device ID command at 0x7C for the FRAMs at the given addresses.

    Args:
        *frams: FRAM models on the bus.
        addresses: Further FRAM addresses (for wiring from a board spec, which builds models
            from options alone).
    """

    name = "fram-id"

    def __init__(self, *frams: FramModel, addresses: "tuple[int, ...] | list[int]" = ()) -> None:
        self.address = RESERVED_ID_ADDRESS
        self.addresses = [fram.address for fram in frams] + list(addresses)
        self._selected: int | None = None

    def i2c_write(self, data: bytes) -> None:
        """The device address word selects which FRAM answers (R/W bit don't care)."""
        self._selected = None
        if data and data[0] >> 1 in self.addresses:
            self._selected = data[0] >> 1
        if self._selected is None:
            raise NackError("no FRAM with that device address", register=data[0] if data else None)

    def i2c_read(self, length: int) -> bytes:
        """Device ID bytes, repeating from the first after the third (datasheet)."""
        if self._selected is None:
            raise NackError("Device ID read without a device address word")
        return (DEVICE_ID * (length // len(DEVICE_ID) + 1))[:length]
