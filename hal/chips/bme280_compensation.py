"""BME280 trimming parameters and the datasheet's integer compensation formulas.

The formulas are transcribed from the BME280 datasheet (BST-BME280-DS002, section 4.2; the
32-bit pressure variant from appendix 8.2) and kept separate from the driver so they can be
checked against known-answer vectors without a bus. Pure integer arithmetic: runs on MicroPython
(the 64-bit pressure variant needs arbitrary-precision ints).
"""

from hal.errors import ConfigError
from hal.regmap import sign_extend

__all__ = [
    "Bme280Calibration",
    "compensate_humidity",
    "compensate_pressure_int32",
    "compensate_pressure_int64",
    "compensate_temperature",
]

_HUMIDITY_MAX_Q22_10 = 419430400


def _div_trunc(numerator: int, denominator: int) -> int:
    """C integer division (truncates toward zero)."""
    quotient = abs(numerator) // abs(denominator)
    return quotient if (numerator >= 0) == (denominator >= 0) else -quotient


def _u16(data: bytes, offset: int) -> int:
    return data[offset] | (data[offset + 1] << 8)


def _s16(data: bytes, offset: int) -> int:
    return sign_extend(_u16(data, offset), 16)


class Bme280Calibration:
    """The trimming parameters dig_T1..dig_H6 (datasheet table 16).

    Build one from register bytes with :meth:`from_registers`, or directly by keyword for
    known-answer tests.
    """

    NAMES = (
        "dig_T1",
        "dig_T2",
        "dig_T3",
        "dig_P1",
        "dig_P2",
        "dig_P3",
        "dig_P4",
        "dig_P5",
        "dig_P6",
        "dig_P7",
        "dig_P8",
        "dig_P9",
        "dig_H1",
        "dig_H2",
        "dig_H3",
        "dig_H4",
        "dig_H5",
        "dig_H6",
    )

    def __init__(self, **values: int) -> None:
        for name in self.NAMES:
            setattr(self, name, values.get(name, 0))
        for name in values:
            if name not in self.NAMES:
                raise ConfigError("unknown trimming parameter " + name)

    def __getattr__(self, name: str) -> int:
        # Only reached for names not set in __init__ (keeps mypy aware of dig_* attributes).
        raise AttributeError(name)

    @classmethod
    def from_registers(cls, tp: bytes, h: bytes) -> "Bme280Calibration":
        """Decode calib00..calib25 (``tp``, from 0x88) and calib26..calib32 (``h``, from 0xE1)."""
        values = {"dig_T1": _u16(tp, 0), "dig_P1": _u16(tp, 6), "dig_H1": tp[25]}
        for index, name in enumerate(("dig_T2", "dig_T3")):
            values[name] = _s16(tp, 2 + 2 * index)
        for index in range(8):
            values["dig_P" + str(index + 2)] = _s16(tp, 8 + 2 * index)
        values["dig_H2"] = _s16(h, 0)
        values["dig_H3"] = h[2]
        # dig_H4 = 0xE4[7:0] / 0xE5[3:0] and dig_H5 = 0xE6[7:0] / 0xE5[7:4], both signed 12-bit.
        values["dig_H4"] = sign_extend((h[3] << 4) | (h[4] & 0x0F), 12)
        values["dig_H5"] = sign_extend((h[5] << 4) | (h[4] >> 4), 12)
        values["dig_H6"] = sign_extend(h[6], 8)
        return cls(**values)


def compensate_temperature(cal: Bme280Calibration, adc_t: int) -> "tuple[int, int]":
    """Return ``(temperature in 0.01 degC, t_fine)`` (datasheet BME280_compensate_T_int32)."""
    var1 = (((adc_t >> 3) - (cal.dig_T1 << 1)) * cal.dig_T2) >> 11
    delta = (adc_t >> 4) - cal.dig_T1
    var2 = (((delta * delta) >> 12) * cal.dig_T3) >> 14
    t_fine = var1 + var2
    return (t_fine * 5 + 128) >> 8, t_fine


def compensate_pressure_int64(cal: Bme280Calibration, adc_p: int, t_fine: int) -> int:
    """Return pressure in Pa as Q24.8 (datasheet BME280_compensate_P_int64)."""
    var1 = t_fine - 128000
    var2 = var1 * var1 * cal.dig_P6
    var2 = var2 + ((var1 * cal.dig_P5) << 17)
    var2 = var2 + (cal.dig_P4 << 35)
    var1 = ((var1 * var1 * cal.dig_P3) >> 8) + ((var1 * cal.dig_P2) << 12)
    var1 = (((1 << 47) + var1) * cal.dig_P1) >> 33
    if var1 == 0:
        return 0  # the datasheet's guard against division by zero
    p = 1048576 - adc_p
    p = _div_trunc(((p << 31) - var2) * 3125, var1)
    var1 = (cal.dig_P9 * (p >> 13) * (p >> 13)) >> 25
    var2 = (cal.dig_P8 * p) >> 19
    return ((p + var1 + var2) >> 8) + (cal.dig_P7 << 4)


def compensate_pressure_int32(cal: Bme280Calibration, adc_p: int, t_fine: int) -> int:
    """Return pressure in Pa (datasheet appendix 8.2, BME280_compensate_P_int32)."""
    mask32 = 0xFFFFFFFF
    var1 = (t_fine >> 1) - 64000
    var2 = (((var1 >> 2) * (var1 >> 2)) >> 11) * cal.dig_P6
    var2 = var2 + ((var1 * cal.dig_P5) << 1)
    var2 = (var2 >> 2) + (cal.dig_P4 << 16)
    var1 = (
        ((cal.dig_P3 * (((var1 >> 2) * (var1 >> 2)) >> 13)) >> 3) + ((cal.dig_P2 * var1) >> 1)
    ) >> 18
    var1 = ((32768 + var1) * cal.dig_P1) >> 15
    if var1 == 0:
        return 0
    p = ((((1048576 - adc_p) & mask32) - (var2 >> 12)) * 3125) & mask32
    p = (p << 1) // var1 if p < 0x80000000 else (p // var1) * 2
    p &= mask32
    var1 = (cal.dig_P9 * ((((p >> 3) * (p >> 3)) >> 13) & mask32)) >> 12
    var2 = ((p >> 2) * cal.dig_P8) >> 13
    return (p + ((var1 + var2 + cal.dig_P7) >> 4)) & mask32


def compensate_humidity(cal: Bme280Calibration, adc_h: int, t_fine: int) -> int:
    """Return relative humidity in %RH as Q22.10 (datasheet BME280_compensate_H_int32)."""
    v = t_fine - 76800
    v = ((((adc_h << 14) - (cal.dig_H4 << 20) - (cal.dig_H5 * v)) + 16384) >> 15) * (
        (
            (((((v * cal.dig_H6) >> 10) * (((v * cal.dig_H3) >> 11) + 32768)) >> 10) + 2097152)
            * cal.dig_H2
            + 8192
        )
        >> 14
    )
    v = v - (((((v >> 15) * (v >> 15)) >> 7) * cal.dig_H1) >> 4)
    v = max(0, min(v, _HUMIDITY_MAX_Q22_10))
    return v >> 12
