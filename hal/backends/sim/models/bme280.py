"""Register-level model of the Bosch BME280, from its datasheet (BST-BME280-DS002).

The model holds trimming parameters in the calibration registers and produces raw ADC values
by numerically inverting the datasheet's double-precision compensation formulas (appendix
8.1), so a driver that applies the integer formulas (section 4.2.3) reads back the set
temperature, pressure and humidity within their resolution. The float formulas are a separate
implementation from the driver's integer ones, so the two check each other.

Modelled: chip ID, soft reset with the NVM-copy ``im_update`` bit, (register, value) pair
writes, burst reads with auto-increment, ctrl_hum taking effect on the next ctrl_meas write,
forced mode with the ``measuring`` bit set for the datasheet's maximum measurement time, then
sleep; normal mode; oversampling-dependent ADC resolution; skipped channels reading 0x80000 /
0x8000.

Faults: ``stuck_measuring`` (a conversion never finishes), ``out_of_range`` (the ADCs read
full scale, as with a damaged sensing element).
"""

from hal.backends.sim.models.base import ByteRegisterModel

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["DEFAULT_TRIMS", "Bme280Model"]

CHIP_ID = 0x60
RESET_COMMAND = 0xB6
REG_ID = 0xD0
REG_RESET = 0xE0
REG_CTRL_HUM = 0xF2
REG_STATUS = 0xF3
REG_CTRL_MEAS = 0xF4
REG_CONFIG = 0xF5
REG_DATA = 0xF7
STATUS_MEASURING = 0x08
STATUS_IM_UPDATE = 0x01
NVM_COPY_S = 0.002  # start-up time, datasheet table 1

# Temperature and pressure trims: the worked example in the BMP280 datasheet (same formulas,
# section 3.12). Humidity trims: a production BME280's values; any NVM content would do.
DEFAULT_TRIMS = {
    "dig_T1": 27504,
    "dig_T2": 26435,
    "dig_T3": -1000,
    "dig_P1": 36477,
    "dig_P2": -10685,
    "dig_P3": 3024,
    "dig_P4": 2855,
    "dig_P5": 140,
    "dig_P6": -7,
    "dig_P7": 15500,
    "dig_P8": -14600,
    "dig_P9": 6000,
    "dig_H1": 75,
    "dig_H2": 362,
    "dig_H3": 0,
    "dig_H4": 313,
    "dig_H5": 50,
    "dig_H6": 30,
}

_ADC20_MAX = (1 << 20) - 1
_ADC16_MAX = (1 << 16) - 1
_SKIPPED_20 = 0x80000
_SKIPPED_16 = 0x8000
_OSRS_FACTORS = (0, 1, 2, 4, 8, 16, 16, 16)


def _le16(value: int) -> "tuple[int, int]":
    value &= 0xFFFF
    return value & 0xFF, value >> 8


def _bisect(function: "Callable[[int], float]", target: float, high: int, rising: bool) -> int:
    """Return the integer in 0..high where a monotonic ``function`` comes closest to target."""
    low = 0
    top = high
    while low < top:
        middle = (low + top) // 2
        value = function(middle)
        if (value < target) if rising else (value > target):
            low = middle + 1
        else:
            top = middle
    if low > 0 and abs(function(low - 1) - target) <= abs(function(low) - target):
        return low - 1
    return low


class Bme280Model(ByteRegisterModel):
    """Simulated BME280.

    Quantities: ``temperature_c``, ``pressure_pa``, ``humidity_pct``.

    Args:
        address: 0x76 or 0x77.
        trims: Trimming parameters (``dig_T1`` .. ``dig_H6``); defaults to DEFAULT_TRIMS.
        clock: See SimModel.
    """

    name = "bme280"
    QUANTITIES = (("temperature_c", 22.0), ("pressure_pa", 101325.0), ("humidity_pct", 45.0))
    FAULTS = ("stuck_measuring", "out_of_range")
    WRITE_PAIRS = True
    WRITABLE = ((REG_RESET, 0xFF), (REG_CTRL_HUM, 0x07), (REG_CTRL_MEAS, 0xFF), (REG_CONFIG, 0xFD))
    RESET_VALUES = ((REG_ID, CHIP_ID), (REG_DATA, 0x80), (REG_DATA + 3, 0x80), (REG_DATA + 6, 0x80))

    def __init__(
        self,
        *,
        address: int = 0x76,
        trims: "dict[str, int] | None" = None,
        clock: "Callable[[], float] | None" = None,
    ) -> None:
        self.trims = dict(DEFAULT_TRIMS if trims is None else trims)
        self._osrs_h_active = 0
        self._conversion_end: float | None = None
        self._nvm_copy_end = 0.0
        super().__init__(address=address, clock=clock)
        self._write_trims()

    def _write_trims(self) -> None:
        t = self.trims
        block: list[int] = []
        for name in ("dig_T1", "dig_T2", "dig_T3"):
            block.extend(_le16(t[name]))
        for index in range(1, 10):
            block.extend(_le16(t["dig_P" + str(index)]))
        block.append(0)  # 0xA0 reserved
        block.append(t["dig_H1"] & 0xFF)
        self.regs[0x88 : 0x88 + len(block)] = bytes(block)
        h4 = t["dig_H4"] & 0xFFF
        h5 = t["dig_H5"] & 0xFFF
        h2_lsb, h2_msb = _le16(t["dig_H2"])
        self.regs[0xE1:0xE8] = bytes(
            [
                h2_lsb,
                h2_msb,
                t["dig_H3"] & 0xFF,
                h4 >> 4,
                ((h5 & 0x0F) << 4) | (h4 & 0x0F),
                h5 >> 4,
                t["dig_H6"] & 0xFF,
            ]
        )

    # Datasheet appendix 8.1, double precision.
    def _temperature(self, adc_t: int) -> "tuple[float, int]":
        t = self.trims
        var1 = (adc_t / 16384.0 - t["dig_T1"] / 1024.0) * t["dig_T2"]
        delta = adc_t / 131072.0 - t["dig_T1"] / 8192.0
        var2 = delta * delta * t["dig_T3"]
        return (var1 + var2) / 5120.0, int(var1 + var2)

    def _pressure(self, adc_p: int, t_fine: int) -> float:
        t = self.trims
        var1 = t_fine / 2.0 - 64000.0
        var2 = var1 * var1 * t["dig_P6"] / 32768.0
        var2 = var2 + var1 * t["dig_P5"] * 2.0
        var2 = var2 / 4.0 + t["dig_P4"] * 65536.0
        var1 = (t["dig_P3"] * var1 * var1 / 524288.0 + t["dig_P2"] * var1) / 524288.0
        var1 = (1.0 + var1 / 32768.0) * t["dig_P1"]
        if var1 == 0.0:
            return 0.0
        p = 1048576.0 - adc_p
        p = (p - var2 / 4096.0) * 6250.0 / var1
        var1 = t["dig_P9"] * p * p / 2147483648.0
        var2 = p * t["dig_P8"] / 32768.0
        return p + (var1 + var2 + t["dig_P7"]) / 16.0

    def _humidity(self, adc_h: int, t_fine: int) -> float:
        t = self.trims
        var_h = t_fine - 76800.0
        var_h = (adc_h - (t["dig_H4"] * 64.0 + t["dig_H5"] / 16384.0 * var_h)) * (
            t["dig_H2"]
            / 65536.0
            * (1.0 + t["dig_H6"] / 67108864.0 * var_h * (1.0 + t["dig_H3"] / 67108864.0 * var_h))
        )
        return var_h * (1.0 - t["dig_H1"] * var_h / 524288.0)

    def raw_values(self) -> "tuple[int, int, int]":
        """Return the ideal 20/20/16-bit ADC values for the current quantities."""
        if "out_of_range" in self.faults:
            return _ADC20_MAX, _ADC20_MAX, _ADC16_MAX
        target_t = float(self.quantities["temperature_c"])  # type: ignore[arg-type]
        adc_t = _bisect(lambda a: self._temperature(a)[0], target_t, _ADC20_MAX, rising=True)
        t_fine = self._temperature(adc_t)[1]
        target_p = float(self.quantities["pressure_pa"])  # type: ignore[arg-type]
        adc_p = _bisect(lambda a: self._pressure(a, t_fine), target_p, _ADC20_MAX, rising=False)
        target_h = float(self.quantities["humidity_pct"])  # type: ignore[arg-type]
        adc_h = _bisect(lambda a: self._humidity(a, t_fine), target_h, _ADC16_MAX, rising=True)
        return adc_t, adc_p, adc_h

    def _latch(self) -> None:
        """Copy one conversion's results into the data registers."""
        ctrl = self.regs[REG_CTRL_MEAS]
        osrs_t = _OSRS_FACTORS[ctrl >> 5]
        osrs_p = _OSRS_FACTORS[(ctrl >> 2) & 0x07]
        osrs_h = _OSRS_FACTORS[self._osrs_h_active]
        adc_t, adc_p, adc_h = self.raw_values()
        adc_t = self._quantise(adc_t, osrs_t)
        adc_p = self._quantise(adc_p, osrs_p)
        if not osrs_h:
            adc_h = _SKIPPED_16
        data = (
            adc_p >> 12,
            (adc_p >> 4) & 0xFF,
            (adc_p & 0x0F) << 4,
            adc_t >> 12,
            (adc_t >> 4) & 0xFF,
            (adc_t & 0x0F) << 4,
            adc_h >> 8,
            adc_h & 0xFF,
        )
        self.regs[REG_DATA : REG_DATA + len(data)] = bytes(data)

    @staticmethod
    def _quantise(adc: int, factor: int) -> int:
        """20-bit ADC value at the resolution oversampling gives (16 bits + log2(factor))."""
        if not factor:
            return _SKIPPED_20
        drop = 4
        while factor > 1 and drop:
            factor >>= 1
            drop -= 1
        return min(((adc + (1 << drop >> 1)) >> drop) << drop, _ADC20_MAX)

    def measurement_time_s(self) -> float:
        """Maximum measurement time for the active settings (datasheet appendix 9.1)."""
        ctrl = self.regs[REG_CTRL_MEAS]
        ms = 1.25 + 2.3 * _OSRS_FACTORS[ctrl >> 5]
        for factor in (_OSRS_FACTORS[(ctrl >> 2) & 0x07], _OSRS_FACTORS[self._osrs_h_active]):
            if factor:
                ms += 2.3 * factor + 0.575
        return ms / 1000.0

    def _register_written(self, register: int, value: int) -> None:
        if register == REG_RESET:
            self.regs[REG_RESET] = 0  # reads as 0x00
            if value == RESET_COMMAND:
                self._soft_reset()
        elif register == REG_CTRL_MEAS:
            self._osrs_h_active = self.regs[REG_CTRL_HUM] & 0x07
            mode = value & 0x03
            self._conversion_end = self.now() + self.measurement_time_s() if mode else None

    def _soft_reset(self) -> None:
        for register in (REG_CTRL_HUM, REG_CTRL_MEAS, REG_CONFIG):
            self.regs[register] = 0
        self.load_reset_values()
        self._osrs_h_active = 0
        self._conversion_end = None
        self._nvm_copy_end = self.now() + NVM_COPY_S

    def _update(self) -> None:
        now = self.now()
        status = 0
        if now < self._nvm_copy_end:
            status |= STATUS_IM_UPDATE
        if self._conversion_end is not None:
            if now >= self._conversion_end and "stuck_measuring" not in self.faults:
                self._latch()
                if self.regs[REG_CTRL_MEAS] & 0x03 == 0x03:
                    self._conversion_end = now + self.measurement_time_s()
                else:
                    self.regs[REG_CTRL_MEAS] &= 0xFC  # forced mode ends in sleep
                    self._conversion_end = None
            else:
                status |= STATUS_MEASURING
        self.regs[REG_STATUS] = status
