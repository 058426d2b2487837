"""Register-level model of the ST LSM6DSOX IMU, from its datasheet (DS12814).

Modelled: WHO_AM_I 0x6C, CTRL3_C reset value 0x04 (IF_INC set), auto-increment only while
IF_INC is set, SW_RESET self-clearing after 50 us, output data rate and full-scale selection,
saturating 16-bit little-endian outputs, XLDA / GDA set once per ODR period and cleared when
the high byte of an axis is read, temperature at 256 LSB/degC around 25 degC.

Quantities: ``accel_mps2`` (x, y, z), ``gyro_dps`` (x, y, z), ``temperature_c``.
Faults: ``no_data`` (the data-ready flags never set, as with a dead sensing element).
"""

from hal.backends.sim.models.base import ByteRegisterModel

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Lsm6dsoxModel"]

REG_WHO_AM_I = 0x0F
REG_CTRL1_XL = 0x10
REG_CTRL2_G = 0x11
REG_CTRL3_C = 0x12
REG_STATUS = 0x1E
OUT_TEMP_L = 0x20
OUTX_L_G = 0x22
OUTX_L_A = 0x28
CTRL3_C_RESET = 0x04
IF_INC = 0x04
SW_RESET = 0x01
XLDA = 0x01
GDA = 0x02
RESET_TIME_S = 50e-6
GRAVITY = 9.80665
ODR_HZ = (0, 12.5, 26, 52, 104, 208, 416, 833, 1666, 3332, 6667)
ACCEL_MG_PER_LSB = {0b00: 0.061, 0b10: 0.122, 0b11: 0.244, 0b01: 0.488}
GYRO_MDPS_PER_LSB = {0b00: 8.75, 0b01: 17.5, 0b10: 35.0, 0b11: 70.0}
GYRO_125_MDPS_PER_LSB = 4.375


def _clamp16(value: float) -> int:
    return max(-32768, min(32767, round(value)))


class Lsm6dsoxModel(ByteRegisterModel):
    """Simulated LSM6DSOX.

    Args:
        address: 0x6A or 0x6B.
        clock: See SimModel.
    """

    name = "lsm6dsox"
    QUANTITIES = (
        ("accel_mps2", (0.0, 0.0, GRAVITY)),
        ("gyro_dps", (0.0, 0.0, 0.0)),
        ("temperature_c", 25.0),
    )
    FAULTS = ("no_data",)
    WRITABLE = ((REG_CTRL1_XL, 0xFE), (REG_CTRL2_G, 0xFE), (REG_CTRL3_C, 0xFF))
    RESET_VALUES = ((REG_WHO_AM_I, 0x6C), (REG_CTRL3_C, CTRL3_C_RESET))

    def __init__(self, *, address: int = 0x6A, clock: "Callable[[], float] | None" = None) -> None:
        self._reset_end: float | None = None
        self._next_xl: float | None = None
        self._next_g: float | None = None
        super().__init__(address=address, clock=clock)

    def _increment(self, register: int) -> int:
        if self.regs[REG_CTRL3_C] & IF_INC:
            return (register + 1) & 0xFF
        return register

    def _register_written(self, register: int, value: int) -> None:
        now = self.now()
        if register == REG_CTRL3_C and value & SW_RESET:
            for reg in (REG_CTRL1_XL, REG_CTRL2_G):
                self.regs[reg] = 0
            self.regs[REG_CTRL3_C] = CTRL3_C_RESET | SW_RESET
            self._reset_end = now + RESET_TIME_S
            self._next_xl = self._next_g = None
        elif register == REG_CTRL1_XL:
            self._next_xl = self._next_sample(now, self.regs[REG_CTRL1_XL])
        elif register == REG_CTRL2_G:
            self._next_g = self._next_sample(now, self.regs[REG_CTRL2_G])

    @staticmethod
    def _next_sample(now: float, ctrl: int) -> float | None:
        code = ctrl >> 4
        if code == 0 or code >= len(ODR_HZ):
            return None
        return now + 1.0 / ODR_HZ[code]

    def _register_read(self, register: int) -> int:
        value = self.regs[register]
        if OUTX_L_A + 1 <= register <= OUTX_L_A + 5 and register % 2:
            self.regs[REG_STATUS] &= ~XLDA
        elif OUTX_L_G + 1 <= register <= OUTX_L_G + 5 and register % 2:
            self.regs[REG_STATUS] &= ~GDA
        return value

    def _update(self) -> None:
        now = self.now()
        if self._reset_end is not None and now >= self._reset_end:
            self.regs[REG_CTRL3_C] &= ~SW_RESET
            self._reset_end = None
        if "no_data" in self.faults:
            return
        if self._next_xl is not None and now >= self._next_xl:
            self._sample_accel()
            self._next_xl = self._next_sample(now, self.regs[REG_CTRL1_XL])
        if self._next_g is not None and now >= self._next_g:
            self._sample_gyro()
            self._next_g = self._next_sample(now, self.regs[REG_CTRL2_G])

    def _store_axes(self, start: int, values: "tuple[float, ...]", scale: float) -> None:
        for index, value in enumerate(values):
            raw = _clamp16(value / scale) & 0xFFFF
            self.regs[start + 2 * index] = raw & 0xFF
            self.regs[start + 2 * index + 1] = raw >> 8

    def _sample_accel(self) -> None:
        mg = ACCEL_MG_PER_LSB[(self.regs[REG_CTRL1_XL] >> 2) & 0x03]
        accel = self.quantities["accel_mps2"]
        self._store_axes(OUTX_L_A, tuple(accel), mg / 1000.0 * GRAVITY)  # type: ignore[arg-type]
        celsius = float(self.quantities["temperature_c"])  # type: ignore[arg-type]
        raw_t = _clamp16((celsius - 25.0) * 256.0) & 0xFFFF
        self.regs[OUT_TEMP_L] = raw_t & 0xFF
        self.regs[OUT_TEMP_L + 1] = raw_t >> 8
        self.regs[REG_STATUS] |= XLDA

    def _sample_gyro(self) -> None:
        ctrl = self.regs[REG_CTRL2_G]
        mdps = GYRO_125_MDPS_PER_LSB if ctrl & 0x02 else GYRO_MDPS_PER_LSB[(ctrl >> 2) & 0x03]
        gyro = self.quantities["gyro_dps"]
        self._store_axes(OUTX_L_G, tuple(gyro), mdps / 1000.0)  # type: ignore[arg-type]
        self.regs[REG_STATUS] |= GDA
