"""LSM6DSOX driver against the register-level model."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hal.backends.sim.clock import SimClock
from hal.backends.sim.i2c import SimI2CBus
from hal.backends.sim.models.lsm6dsox import Lsm6dsoxModel
from hal.chips.lsm6dsox import Lsm6dsox
from hal.errors import BusTimeout, ConfigError, DeviceNotFound
from tests.hal.chips.helpers import sim_timing

G = 9.80665


def make(i2c: SimI2CBus, clock: SimClock) -> tuple[Lsm6dsoxModel, Lsm6dsox]:
    model = Lsm6dsoxModel()
    i2c.attach(model)
    return model, Lsm6dsox(i2c, **sim_timing(clock))


def test_sensitivity_known_answers(i2c: SimI2CBus, clock: SimClock) -> None:
    # Datasheet table 2: +-2 g is 0.061 mg/LSB, so 1 g reads round(1000/0.061) = 16393 LSB;
    # 250 dps is 8.75 mdps/LSB, so 100 dps reads 11429 LSB.
    model, imu = make(i2c, clock)
    imu.configure(accel_g=2, gyro_dps=250)
    model.set(accel_mps2=(0.0, 0.0, G), gyro_dps=(100.0, 0.0, 0.0))
    assert imu.raw_acceleration()[2] == 16393
    assert imu.raw_angular_rate()[0] == 11429


def test_reads_si_units(i2c: SimI2CBus, clock: SimClock) -> None:
    model, imu = make(i2c, clock)
    model.set(accel_mps2=(1.0, -2.0, 9.81), gyro_dps=(10.0, -250.0, 0.5), temperature_c=31.5)
    ax, ay, az = imu.acceleration_mps2()
    assert (ax, ay, az) == pytest.approx((1.0, -2.0, 9.81), abs=0.122e-3 * G)
    assert imu.angular_rate_dps() == pytest.approx((10.0, -250.0, 0.5), abs=17.5e-3)
    assert imu.temperature_c() == pytest.approx(31.5, abs=1 / 256)


def test_saturates_at_full_scale(i2c: SimI2CBus, clock: SimClock) -> None:
    model, imu = make(i2c, clock)
    imu.configure(accel_g=2)
    model.set(accel_mps2=(5 * G, -5 * G, 0.0))
    assert imu.raw_acceleration()[:2] == (32767, -32768)


@settings(max_examples=30, deadline=None)
@given(
    accel=st.tuples(*[st.floats(min_value=-15 * G, max_value=15 * G)] * 3),
    gyro=st.tuples(*[st.floats(min_value=-1900.0, max_value=1900.0)] * 3),
)
def test_round_trip_within_lsb(
    accel: tuple[float, float, float], gyro: tuple[float, float, float]
) -> None:
    clock = SimClock()
    model, imu = make(SimI2CBus(clock=clock), clock)
    imu.configure(accel_g=16, gyro_dps=2000, odr_hz=833)
    model.set(accel_mps2=accel, gyro_dps=gyro)
    assert imu.acceleration_mps2() == pytest.approx(accel, abs=0.488e-3 * G)
    assert imu.angular_rate_dps() == pytest.approx(gyro, abs=70e-3)


def test_probe_rejects_lsm6dso32(i2c: SimI2CBus, clock: SimClock) -> None:
    model = Lsm6dsoxModel()
    model.regs[0x0F] = 0x6B
    i2c.attach(model)
    with pytest.raises(DeviceNotFound) as info:
        Lsm6dsox(i2c, **sim_timing(clock))
    assert (info.value.expected, info.value.got) == (0x6C, 0x6B)


def test_dead_sensor_times_out(i2c: SimI2CBus, clock: SimClock) -> None:
    model, imu = make(i2c, clock)
    model.inject("no_data")
    with pytest.raises(BusTimeout):
        imu.acceleration_mps2()


def test_bad_scale_rejected(i2c: SimI2CBus, clock: SimClock) -> None:
    _, imu = make(i2c, clock)
    with pytest.raises(ConfigError):
        imu.configure(accel_g=3)
