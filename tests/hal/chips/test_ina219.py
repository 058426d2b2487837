"""INA219 driver against the datasheet's calibration procedure and the register-level model."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hal.backends.sim.clock import SimClock
from hal.backends.sim.i2c import SimI2CBus
from hal.backends.sim.models.ina219 import Ina219Model
from hal.chips.ina219 import REG_SHUNT, Ina219, calibration_for
from hal.errors import BusTimeout, ConfigError, DataError, DeviceNotFound
from tests.hal.chips.helpers import sim_timing


def make(i2c: SimI2CBus, clock: SimClock, **options: float) -> tuple[Ina219Model, Ina219]:
    model = Ina219Model()
    i2c.attach(model)
    return model, Ina219(i2c, **sim_timing(clock), **options)


def test_datasheet_calibration_procedure() -> None:
    # Datasheet section 8.5.1 worked through for VBUS_MAX = 32 V, VSHUNT_MAX = 0.32 V,
    # R_SHUNT = 0.1 ohm, 2 A expected (the case Adafruit_INA219's setCalibration_32V_2A walks
    # through): Minimum_LSB = 2 / 32768 = 61.0 uA, rounded up to 100 uA; Cal = 4096.
    cal, lsb = calibration_for(shunt_ohms=0.1, max_expected_current_a=2.0)
    assert lsb == pytest.approx(100e-6)
    assert cal == 4096


def test_calibration_out_of_range_is_config_error() -> None:
    with pytest.raises(ConfigError):
        calibration_for(shunt_ohms=0.0001, max_expected_current_a=0.001, current_lsb_a=1e-7)


def test_shunt_register_full_scale_values(i2c: SimI2CBus, clock: SimClock) -> None:
    # Datasheet shunt voltage register format, PGA /8: +320 mV = 0x7D00, -320 mV = 0x8300.
    model, monitor = make(i2c, clock)
    model.set(shunt_voltage_v=0.32)
    monitor.read()
    assert monitor.regs.read_block(0x01, 2) == b"\x7d\x00"
    model.set(shunt_voltage_v=-0.5)  # clipped by the PGA range
    monitor.read()
    assert monitor.regs.read_block(0x01, 2) == b"\x83\x00"


def test_probe_reads_power_on_configuration(i2c: SimI2CBus, clock: SimClock) -> None:
    model, monitor = make(i2c, clock)
    assert monitor.regs.read_block(0x05, 2) == (4096).to_bytes(2, "big")
    assert model.regs[0x00] == 0x399F


def test_probe_fails_on_other_chip(i2c: SimI2CBus, clock: SimClock) -> None:
    model = Ina219Model()
    model.RESET_VALUES = ((0x00, 0x4127), *model.RESET_VALUES[1:])  # an INA226's reset value
    model.load_reset_values()
    i2c.attach(model)
    with pytest.raises(DeviceNotFound) as info:
        Ina219(i2c, **sim_timing(clock))
    assert (info.value.expected, info.value.got) == (0x399F, 0x4127)


def test_reads_current_voltage_power(i2c: SimI2CBus, clock: SimClock) -> None:
    model, monitor = make(i2c, clock)
    model.set(bus_voltage_v=12.0, current_a=1.5)
    reading = monitor.read()
    assert reading.bus_voltage_v == pytest.approx(12.0, abs=0.004)
    assert reading.shunt_voltage_v == pytest.approx(0.15, abs=10e-6)
    assert reading.current_a == pytest.approx(1.5, abs=100e-6)
    assert reading.power_w == pytest.approx(18.0, abs=0.002)


@settings(max_examples=40, deadline=None)
@given(
    bus=st.floats(min_value=0.0, max_value=26.0),
    current=st.floats(min_value=-3.2, max_value=3.2),
)
def test_round_trip_within_lsb(bus: float, current: float) -> None:
    clock = SimClock()
    model, monitor = make(SimI2CBus(clock=clock), clock)
    model.set(bus_voltage_v=bus, current_a=current)
    reading = monitor.read()
    assert reading.bus_voltage_v == pytest.approx(bus, abs=0.002 + 1e-9)
    assert reading.current_a == pytest.approx(current, abs=100e-6 + 1e-9)
    # Power = |Current| * BusVoltage / 5000 in register units (datasheet equation 5).
    assert reading.power_w == pytest.approx(
        abs(current) * bus, abs=0.002 * 2 + abs(current) * 0.004
    )


def test_waits_for_conversion_ready(i2c: SimI2CBus, clock: SimClock) -> None:
    _, monitor = make(i2c, clock)
    monitor.configure(adc_code=0b1111, continuous=False)  # 128 samples: 68.1 ms each channel
    start = clock.now()
    monitor.read()
    assert clock.now() - start >= 2 * 68.10e-3


def test_stuck_conversion_times_out(i2c: SimI2CBus, clock: SimClock) -> None:
    model, monitor = make(i2c, clock)
    model.inject("stuck_conversion")
    with pytest.raises(BusTimeout):
        monitor.read()


def test_overflow_flag_is_data_error(i2c: SimI2CBus, clock: SimClock) -> None:
    model, monitor = make(i2c, clock, current_lsb_a=10e-6)  # full scale 0.33 A
    model.set(current_a=2.0, bus_voltage_v=5.0)
    with pytest.raises(DataError) as info:
        monitor.read()
    assert info.value.reason == "overflow"


def test_bad_configuration_rejected(i2c: SimI2CBus, clock: SimClock) -> None:
    _, monitor = make(i2c, clock)
    with pytest.raises(ConfigError):
        monitor.configure(shunt_range_v=0.1)
    with pytest.raises(ConfigError):
        monitor.regs.write(REG_SHUNT, 5)  # read-only
