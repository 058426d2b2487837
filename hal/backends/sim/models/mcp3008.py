"""Bit-level model of the Microchip MCP3008 SPI ADC, from its datasheet (DS21295).

The model clocks the transfer bit by bit, MSB first, as the chip does (figure 6-1): DOUT is
high-impedance (read as 1, through the pull-up) until the start bit and four configuration
bits are in; then comes the sample clock, a null bit (0), B9..B0, and after that the chip
keeps shifting B1..B9 out LSB first before DOUT floats again. Any byte alignment works.

Quantities: ``channel_volts`` (dict channel -> volts), ``vref_v``.
Faults: ``stuck_code`` (every conversion returns the given code: ``inject("stuck_code", 1023)``).
"""

from hal.backends.sim.models.base import SimModel

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Mcp3008Model"]

CODES = 1024
MAX_CODE = 1023
CONFIG_BITS = 4
RESULT_BITS = 10
# Differential pairs (datasheet table 5-2): D2..D0 -> (IN+, IN-).
DIFF_PAIRS = ((0, 1), (1, 0), (2, 3), (3, 2), (4, 5), (5, 4), (6, 7), (7, 6))


class Mcp3008Model(SimModel):
    """Simulated MCP3008.

    Args:
        vref_v: Reference voltage.
        clock: See SimModel.
    """

    name = "mcp3008"
    QUANTITIES = (("channel_volts", None), ("vref_v", 3.3))
    FAULTS = ("stuck_code",)

    def __init__(self, *, vref_v: float = 3.3, clock: "Callable[[], float] | None" = None) -> None:
        super().__init__(clock=clock)
        self.quantities["channel_volts"] = dict.fromkeys(range(8), 0.0)
        self.quantities["vref_v"] = vref_v

    def set(self, **quantities: object) -> None:
        """Set quantities; ``channel_volts`` merges into the current channel voltages."""
        volts = quantities.pop("channel_volts", None)
        if volts is not None:
            merged = dict(self.quantities["channel_volts"])  # type: ignore[call-overload]
            merged.update(volts)
            quantities["channel_volts"] = merged
        super().set(**quantities)

    def code(self, config: int) -> int:
        """Conversion result for the 4 configuration bits ``SGL/DIFF D2 D1 D0``."""
        stuck = self.faults.get("stuck_code")
        if isinstance(stuck, int):
            return stuck & MAX_CODE
        volts = self.quantities["channel_volts"]
        vref = float(self.quantities["vref_v"])  # type: ignore[arg-type]
        channel = config & 0x07
        if config & 0x08:
            vin = float(volts.get(channel, 0.0))  # type: ignore[attr-defined]
        else:
            plus, minus = DIFF_PAIRS[channel]
            vin = float(volts.get(plus, 0.0)) - float(volts.get(minus, 0.0))  # type: ignore[attr-defined]
        # Pseudo-differential: IN+ below IN- reads 0 (datasheet 5.1); clamp at full scale.
        return max(0, min(MAX_CODE, int(CODES * vin / vref)))

    def spi_transfer(self, data: bytes) -> bytes:
        """One chip-select assertion: clock ``data`` in, return what DOUT drove."""
        out_bits = []
        state = "idle"
        config = 0
        config_count = 0
        sequence: list[int] = []
        for byte in data:
            for bit_index in range(7, -1, -1):
                bit_in = (byte >> bit_index) & 1
                out_bits.append(sequence.pop(0) if sequence else 1)
                if state == "idle" and bit_in:
                    state = "config"
                elif state == "config":
                    config = (config << 1) | bit_in
                    config_count += 1
                    if config_count == CONFIG_BITS:
                        state = "converting"
                        code = self.code(config)
                        msb_first = [(code >> n) & 1 for n in range(RESULT_BITS - 1, -1, -1)]
                        # Sample clock (DOUT floats), null bit, B9..B0, then B1..B9 LSB first.
                        sequence = [1, 0] + msb_first + msb_first[-2::-1]  # noqa: RUF005 - MicroPython has no starred displays
        out = bytearray(len(data))
        for index, bit in enumerate(out_bits):
            out[index // 8] |= bit << (7 - index % 8)
        return bytes(out)
