"""ST LSM6DSOX 6-axis IMU (accelerometer and gyroscope) over I2C.

From the LSM6DSOX datasheet (DS12814): WHO_AM_I 0x6C at 0x0F; CTRL1_XL / CTRL2_G select
output data rate and full scale; CTRL3_C holds BDU, IF_INC (auto-increment) and SW_RESET;
STATUS_REG has XLDA / GDA; outputs are little-endian two's complement, gyroscope at 0x22 and
accelerometer at 0x28. Sensitivities are the datasheet's table 2 typical values.
"""

from hal.deadline import poll_until
from hal.errors import ConfigError, DeviceNotFound
from hal.regmap import Bits, Register, RegisterMap, sign_extend

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from hal.regmap import I2CBus

__all__ = ["WHO_AM_I_VALUE", "Lsm6dsox"]

DEFAULT_ADDRESS = 0x6A
WHO_AM_I_VALUE = 0x6C
STANDARD_GRAVITY = 9.80665

REG_WHO_AM_I = Register(name="WHO_AM_I", address=0x0F, readonly=True)
REG_CTRL1_XL = Register(name="CTRL1_XL", address=0x10)
REG_CTRL2_G = Register(name="CTRL2_G", address=0x11)
REG_CTRL3_C = Register(name="CTRL3_C", address=0x12)
REG_STATUS = Register(name="STATUS_REG", address=0x1E, readonly=True)
OUT_TEMP_L = 0x20
OUTX_L_G = 0x22
OUTX_L_A = 0x28

ODR_XL = Bits(name="ODR_XL", reg=REG_CTRL1_XL, lsb=4, width=4)
FS_XL = Bits(name="FS_XL", reg=REG_CTRL1_XL, lsb=2, width=2)
ODR_G = Bits(name="ODR_G", reg=REG_CTRL2_G, lsb=4, width=4)
FS_G = Bits(name="FS_G", reg=REG_CTRL2_G, lsb=2, width=2)
FS_125 = Bits(name="FS_125", reg=REG_CTRL2_G, lsb=1)
BDU = Bits(name="BDU", reg=REG_CTRL3_C, lsb=6)
IF_INC = Bits(name="IF_INC", reg=REG_CTRL3_C, lsb=2)
SW_RESET = Bits(name="SW_RESET", reg=REG_CTRL3_C, lsb=0)
XLDA = Bits(name="XLDA", reg=REG_STATUS, lsb=0)
GDA = Bits(name="GDA", reg=REG_STATUS, lsb=1)

# Full scale (g) -> (FS_XL code, sensitivity in mg/LSB), datasheet table 2 and 51.
ACCEL_SCALES = {2: (0b00, 0.061), 4: (0b10, 0.122), 8: (0b11, 0.244), 16: (0b01, 0.488)}
# Full scale (dps) -> (FS_G code, FS_125, sensitivity in mdps/LSB).
GYRO_SCALES = {
    125: (0b00, 1, 4.375),
    250: (0b00, 0, 8.75),
    500: (0b01, 0, 17.5),
    1000: (0b10, 0, 35.0),
    2000: (0b11, 0, 70.0),
}
# Output data rate (Hz) -> ODR code, datasheet tables 52 and 55 (high-performance mode).
ODR_CODES = {0: 0, 12.5: 1, 26: 2, 52: 3, 104: 4, 208: 5, 416: 6, 833: 7, 1666: 8, 3332: 9}
TEMP_SENSITIVITY = 256.0  # LSB/degC, 0 LSB = 25 degC (datasheet table 4)
TEMP_OFFSET_C = 25.0
_RESET_S = 0.001


def _axes(data: bytes) -> "tuple[int, int, int]":
    return (
        sign_extend(data[0] | (data[1] << 8), 16),
        sign_extend(data[2] | (data[3] << 8), 16),
        sign_extend(data[4] | (data[5] << 8), 16),
    )


class Lsm6dsox:
    """LSM6DSOX driver: probe, software reset, configure, read in m/s^2 and dps.

    Args:
        bus: I2C bus.
        address: 0x6A (SA0 low) or 0x6B.
        timeout_s: Extra time allowed beyond one output-data-rate period.
        clock: Monotonic clock for deadlines; a simulation passes its own.
        sleep: Sleep function used between polls.
    """

    def __init__(
        self,
        bus: "I2CBus",
        *,
        address: int = DEFAULT_ADDRESS,
        timeout_s: float = 0.05,
        clock: "Callable[[], float] | None" = None,
        sleep: "Callable[[float], object] | None" = None,
    ) -> None:
        self.regs = RegisterMap(bus, address=address)
        self.timeout_s = timeout_s
        self._clock = clock
        self._sleep = sleep
        self.accel_mg_per_lsb = ACCEL_SCALES[2][1]
        self.gyro_mdps_per_lsb = GYRO_SCALES[250][2]
        self.odr_hz: float = 0
        self.probe()
        self.reset()
        self.configure()

    def _poll(self, predicate: "Callable[[], object]", timeout_s: float, message: str) -> None:
        poll_until(
            predicate,
            timeout_s,
            message=message,
            bus=self.regs.bus_name,
            address=self.regs.address,
            clock=self._clock,
            sleep=self._sleep,
        )

    def probe(self) -> None:
        """Check WHO_AM_I.

        Raises:
            DeviceNotFound: ``expected=0x6C`` and the value read.
        """
        got = self.regs.read(REG_WHO_AM_I)
        if got != WHO_AM_I_VALUE:
            raise DeviceNotFound(
                "not an LSM6DSOX",
                expected=WHO_AM_I_VALUE,
                got=got,
                bus=self.regs.bus_name,
                address=self.regs.address,
                register=REG_WHO_AM_I.address,
            )

    def reset(self) -> None:
        """Software reset; waits for SW_RESET to self-clear, then sets BDU and IF_INC."""
        self.regs.write(SW_RESET, 1)
        self._poll(lambda: self.regs.read(SW_RESET) == 0, _RESET_S + self.timeout_s, "reset stuck")
        self.regs.write_fields((BDU, 1), (IF_INC, 1))

    def configure(self, *, odr_hz: float = 104, accel_g: int = 4, gyro_dps: int = 500) -> None:
        """Set the output data rate (both sensors) and the full scales.

        Raises:
            ConfigError: A value not in the datasheet's tables.
        """
        if odr_hz not in ODR_CODES:
            raise ConfigError("odr_hz must be one of " + str(sorted(ODR_CODES)))
        if accel_g not in ACCEL_SCALES:
            raise ConfigError("accel_g must be 2, 4, 8 or 16")
        if gyro_dps not in GYRO_SCALES:
            raise ConfigError("gyro_dps must be 125, 250, 500, 1000 or 2000")
        fs_xl, self.accel_mg_per_lsb = ACCEL_SCALES[accel_g]
        fs_g, fs_125, self.gyro_mdps_per_lsb = GYRO_SCALES[gyro_dps]
        self.regs.write_fields((ODR_XL, ODR_CODES[odr_hz]), (FS_XL, fs_xl))
        self.regs.write_fields((ODR_G, ODR_CODES[odr_hz]), (FS_G, fs_g), (FS_125, fs_125))
        self.odr_hz = odr_hz

    def _wait(self, flag: Bits) -> None:
        if not self.odr_hz:
            raise ConfigError("sensors are powered down (odr_hz=0)")
        self._poll(
            lambda: self.regs.read(flag), 2.0 / self.odr_hz + self.timeout_s, "no new sample"
        )

    def raw_acceleration(self) -> "tuple[int, int, int]":
        """Wait for XLDA and return the raw X, Y, Z accelerometer outputs."""
        self._wait(XLDA)
        return _axes(self.regs.read_block(OUTX_L_A, 6))

    def raw_angular_rate(self) -> "tuple[int, int, int]":
        """Wait for GDA and return the raw X, Y, Z gyroscope outputs."""
        self._wait(GDA)
        return _axes(self.regs.read_block(OUTX_L_G, 6))

    def acceleration_mps2(self) -> "tuple[float, float, float]":
        """Acceleration in m/s^2."""
        scale = self.accel_mg_per_lsb / 1000.0 * STANDARD_GRAVITY
        x, y, z = self.raw_acceleration()
        return x * scale, y * scale, z * scale

    def angular_rate_dps(self) -> "tuple[float, float, float]":
        """Angular rate in degrees per second."""
        scale = self.gyro_mdps_per_lsb / 1000.0
        x, y, z = self.raw_angular_rate()
        return x * scale, y * scale, z * scale

    def temperature_c(self) -> float:
        """Die temperature in degrees Celsius."""
        data = self.regs.read_block(OUT_TEMP_L, 2)
        return TEMP_OFFSET_C + sign_extend(data[0] | (data[1] << 8), 16) / TEMP_SENSITIVITY
