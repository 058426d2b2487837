"""Register-level model of the TI INA219 current/power monitor, from its datasheet (SBOS448).

Modelled: power-on values (configuration 0x399F), reset bit, PGA clipping of the shunt
register (10 uV LSB), bus register with CNVR/OVF flags (4 mV LSB), the current and power
registers computed from the calibration register exactly as the chip does (datasheet
equations 4 and 5), conversion timing from the ADC settings in continuous and triggered
modes, CNVR cleared by reading the power register or writing the configuration.

Quantities: ``bus_voltage_v``, ``shunt_voltage_v`` or ``current_a`` (through ``shunt_ohms``).
Faults: ``stuck_conversion`` (CNVR never sets and the results never update).
"""

from hal.backends.sim.models.base import WordRegisterModel

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Ina219Model"]

REG_CONFIG = 0x00
REG_SHUNT = 0x01
REG_BUS = 0x02
REG_POWER = 0x03
REG_CURRENT = 0x04
REG_CALIBRATION = 0x05
CONFIG_RESET = 0x399F
CONFIG_RST = 0x8000
CNVR = 0x02
OVF = 0x01
SHUNT_LSB_V = 10e-6
BUS_LSB_V = 4e-3
BUS_CODE_MAX = 0x1FFF
PGA_RANGE_CODES = (4000, 8000, 16000, 32000)  # +-40/80/160/320 mV in 10 uV steps
# Datasheet table 5, typical conversion times, by BADC/SADC code.
CONVERSION_TIMES_S = {
    0b0000: 84e-6, 0b0001: 148e-6, 0b0010: 276e-6, 0b0011: 532e-6,
    0b1000: 532e-6, 0b1001: 1.06e-3, 0b1010: 2.13e-3, 0b1011: 4.26e-3,
    0b1100: 8.51e-3, 0b1101: 17.02e-3, 0b1110: 34.05e-3, 0b1111: 68.10e-3,
}  # fmt: skip
_INT16_MIN = -32768
_INT16_MAX = 32767
_UINT16_MAX = 0xFFFF


def _conversion_time(code: int) -> float:
    # Codes 0b01xx repeat 0b00xx (datasheet table 5 marks bit 3 of 9-12-bit codes "X").
    return CONVERSION_TIMES_S[code if code & 0b1000 else code & 0b0011]


class Ina219Model(WordRegisterModel):
    """Simulated INA219.

    Args:
        address: 0x40..0x4F.
        shunt_ohms: Shunt resistance used when a current is set.
        clock: See SimModel.
    """

    name = "ina219"
    QUANTITIES = (("bus_voltage_v", 0.0), ("shunt_voltage_v", 0.0))
    FAULTS = ("stuck_conversion",)
    WRITABLE = ((REG_CONFIG, 0xBFFF), (REG_CALIBRATION, 0xFFFE))
    RESET_VALUES = (
        (REG_CONFIG, CONFIG_RESET),
        (REG_SHUNT, 0),
        (REG_BUS, 0),
        (REG_POWER, 0),
        (REG_CURRENT, 0),
        (REG_CALIBRATION, 0),
    )

    def __init__(
        self,
        *,
        address: int = 0x40,
        shunt_ohms: float = 0.1,
        clock: "Callable[[], float] | None" = None,
    ) -> None:
        self.shunt_ohms = shunt_ohms
        super().__init__(address=address, clock=clock)
        self._next_conversion: float | None = None
        self._schedule()

    def set(self, **quantities: object) -> None:
        """Set quantities; ``current_a`` is turned into a shunt voltage through ``shunt_ohms``."""
        current = quantities.pop("current_a", None)
        if current is not None:
            quantities["shunt_voltage_v"] = float(current) * self.shunt_ohms  # type: ignore[arg-type]
        super().set(**quantities)

    def get(self, name: str) -> object:
        """Return a quantity; ``current_a`` is derived from the shunt voltage."""
        if name == "current_a":
            return float(self.quantities["shunt_voltage_v"]) / self.shunt_ohms  # type: ignore[arg-type]
        return super().get(name)

    def conversion_time_s(self) -> float:
        """Shunt plus bus conversion time for the configured ADC modes."""
        config = self.regs[REG_CONFIG]
        return _conversion_time((config >> 7) & 0x0F) + _conversion_time((config >> 3) & 0x0F)

    def _schedule(self) -> None:
        mode = self.regs[REG_CONFIG] & 0x07
        # Modes 1-3 are triggered, 5-7 continuous, 0 and 4 power-down / ADC off.
        self._next_conversion = self.now() + self.conversion_time_s() if mode & 0x03 else None

    def _register_written(self, register: int, value: int) -> None:
        if register == REG_CONFIG:
            if value & CONFIG_RST:
                self.load_reset_values()
            self.regs[REG_BUS] &= ~CNVR
            self._schedule()

    def _register_read(self, register: int) -> int:
        value = self.regs[register]
        if register == REG_POWER:
            self.regs[REG_BUS] &= ~CNVR
        return value

    def _update(self) -> None:
        if self._next_conversion is None or "stuck_conversion" in self.faults:
            return
        now = self.now()
        if now < self._next_conversion:
            return
        self._convert()
        if self.regs[REG_CONFIG] & 0x04:
            while self._next_conversion <= now:
                self._next_conversion += self.conversion_time_s()
        else:
            self._next_conversion = None

    def _convert(self) -> None:
        config = self.regs[REG_CONFIG]
        limit = PGA_RANGE_CODES[(config >> 11) & 0x03]
        shunt_v = float(self.quantities["shunt_voltage_v"])  # type: ignore[arg-type]
        shunt = max(-limit, min(limit, round(shunt_v / SHUNT_LSB_V)))
        bus_v = float(self.quantities["bus_voltage_v"])  # type: ignore[arg-type]
        bus_code = max(0, min(BUS_CODE_MAX, round(bus_v / BUS_LSB_V)))
        calibration = self.regs[REG_CALIBRATION]
        overflow = False
        current = (shunt * calibration) // 4096 if shunt >= 0 else -((-shunt * calibration) // 4096)
        if not _INT16_MIN <= current <= _INT16_MAX:
            overflow = True
            current = max(_INT16_MIN, min(_INT16_MAX, current))
        power = abs(current) * bus_code // 5000
        if power > _UINT16_MAX:
            overflow = True
            power = _UINT16_MAX
        self.regs[REG_SHUNT] = shunt & 0xFFFF
        self.regs[REG_CURRENT] = current & 0xFFFF
        self.regs[REG_POWER] = power
        self.regs[REG_BUS] = (bus_code << 3) | CNVR | (OVF if overflow else 0)
