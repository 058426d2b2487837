"""Register-level model of the TI TMP117 temperature sensor, from its datasheet (SNOSD82).

Modelled: device ID 0x0117, configuration power-on value 0x0220, temperature result reading
0x8000 (-256 degC) until the first conversion, continuous / shutdown / one-shot modes with
the averaging-dependent active conversion time, Data_Ready set at the end of a conversion
and cleared by reading the configuration or result register, soft reset, limit registers.

Quantities: ``temperature_c``. Faults: ``stuck_conversion`` (Data_Ready never sets).
"""

from hal.backends.sim.models.base import WordRegisterModel

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Tmp117Model"]

REG_TEMP = 0x00
REG_CONFIG = 0x01
REG_THIGH = 0x02
REG_TLOW = 0x03
REG_OFFSET = 0x07
REG_DEVICE_ID = 0x0F
CONFIG_RESET = 0x0220
DATA_READY = 1 << 13
SOFT_RESET = 1 << 1
MOD_SHIFT = 10
AVG_SHIFT = 5
LSB_C = 0.0078125
CONVERSION_TIME_S = (0.0155, 0.125, 0.5, 1.0)  # by AVG code, datasheet table 7-7
MODE_ONE_SHOT = 0b11
MODE_SHUTDOWN = 0b01


class Tmp117Model(WordRegisterModel):
    """Simulated TMP117.

    Args:
        address: 0x48..0x4B.
        revision: Device revision in ID bits 15:12.
        clock: See SimModel.
    """

    name = "tmp117"
    QUANTITIES = (("temperature_c", 25.0),)
    FAULTS = ("stuck_conversion",)
    WRITABLE = ((REG_CONFIG, 0x0FFE), (REG_THIGH, 0xFFFF), (REG_TLOW, 0xFFFF), (REG_OFFSET, 0xFFFF))

    def __init__(
        self, *, address: int = 0x48, revision: int = 0, clock: "Callable[[], float] | None" = None
    ) -> None:
        self.RESET_VALUES = (
            (REG_TEMP, 0x8000),
            (REG_CONFIG, CONFIG_RESET),
            (REG_THIGH, 0x6000),
            (REG_TLOW, 0x8000),
            (REG_OFFSET, 0),
            (REG_DEVICE_ID, (revision << 12) | 0x0117),
        )
        super().__init__(address=address, clock=clock)
        self._conversion_end: float | None = None
        self._schedule()

    def _mode(self) -> int:
        return (self.regs[REG_CONFIG] >> MOD_SHIFT) & 0x03

    def _schedule(self) -> None:
        if self._mode() == MODE_SHUTDOWN:
            self._conversion_end = None
            return
        avg = (self.regs[REG_CONFIG] >> AVG_SHIFT) & 0x03
        self._conversion_end = self.now() + CONVERSION_TIME_S[avg]

    def _register_written(self, register: int, value: int) -> None:
        if register == REG_CONFIG:
            if value & SOFT_RESET:
                self.load_reset_values()
            self._schedule()

    def _register_read(self, register: int) -> int:
        value = self.regs[register]
        if register in (REG_CONFIG, REG_TEMP):
            self.regs[REG_CONFIG] &= ~DATA_READY
        return value

    def _update(self) -> None:
        if self._conversion_end is None or "stuck_conversion" in self.faults:
            return
        if self.now() < self._conversion_end:
            return
        celsius = float(self.quantities["temperature_c"])  # type: ignore[arg-type]
        raw = max(-32768, min(32767, round(celsius / LSB_C)))
        self.regs[REG_TEMP] = raw & 0xFFFF
        self.regs[REG_CONFIG] |= DATA_READY
        if self._mode() == MODE_ONE_SHOT:
            # One-shot: back to shutdown after the conversion (datasheet 7.4.2).
            self.regs[REG_CONFIG] = (self.regs[REG_CONFIG] & ~(0x03 << MOD_SHIFT)) | (
                MODE_SHUTDOWN << MOD_SHIFT
            )
            self._conversion_end = None
        else:
            # Continuous: the default 1 s cycle is at least the active time (table 7-7).
            self._conversion_end += max(1.0, CONVERSION_TIME_S[(self.regs[REG_CONFIG] >> 5) & 3])
