"""BME280 driver against the datasheet's formulas and the register-level model."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hal.backends.sim.clock import SimClock
from hal.backends.sim.i2c import SimI2CBus
from hal.backends.sim.models.bme280 import Bme280Model
from hal.chips import bme280
from hal.chips.bme280 import (
    Bme280,
    Bme280Calibration,
    compensate_humidity,
    compensate_pressure_int32,
    compensate_pressure_int64,
    compensate_temperature,
)
from hal.errors import BusTimeout, ConfigError, DataError, DeviceNotFound
from tests.hal.chips.helpers import sim_timing

# Worked example of BMP280 datasheet (BST-BMP280-DS001) section 3.12: the BME280 uses the same
# temperature and pressure formulas and trimming layout.
DATASHEET_TRIMS = Bme280Calibration(
    dig_T1=27504,
    dig_T2=26435,
    dig_T3=-1000,
    dig_P1=36477,
    dig_P2=-10685,
    dig_P3=3024,
    dig_P4=2855,
    dig_P5=140,
    dig_P6=-7,
    dig_P7=15500,
    dig_P8=-14600,
    dig_P9=6000,
)
DATASHEET_ADC_T = 519888
DATASHEET_ADC_P = 415148


def make(i2c: SimI2CBus, clock: SimClock, **model_options: object) -> tuple[Bme280Model, Bme280]:
    model = Bme280Model(**model_options)  # type: ignore[arg-type]
    i2c.attach(model)
    return model, Bme280(i2c, address=model.address, **sim_timing(clock))


def test_datasheet_example_temperature() -> None:
    centi_c, t_fine = compensate_temperature(DATASHEET_TRIMS, DATASHEET_ADC_T)
    assert t_fine == 128422
    assert centi_c == 2508  # 25.08 degC


def test_datasheet_example_pressure_64bit() -> None:
    _, t_fine = compensate_temperature(DATASHEET_TRIMS, DATASHEET_ADC_T)
    q24_8 = compensate_pressure_int64(DATASHEET_TRIMS, DATASHEET_ADC_P, t_fine)
    # The datasheet gives 100653.27 Pa; the 64-bit integer formula resolves 1/256 Pa.
    assert q24_8 / 256 == pytest.approx(100653.27, abs=0.1)


def test_datasheet_example_pressure_32bit() -> None:
    _, t_fine = compensate_temperature(DATASHEET_TRIMS, DATASHEET_ADC_T)
    # Appendix 8.2: the 32-bit variant is accurate to about 1 Pa (1 sigma); allow 5 Pa.
    assert compensate_pressure_int32(DATASHEET_TRIMS, DATASHEET_ADC_P, t_fine) == pytest.approx(
        100653.27, abs=5
    )


def test_calibration_decoded_from_model_registers(i2c: SimI2CBus, clock: SimClock) -> None:
    model, sensor = make(i2c, clock)
    for name in Bme280Calibration.NAMES:
        assert getattr(sensor.calibration, name) == model.trims[name], name


def test_calibration_negative_h4_h5_nibbles(i2c: SimI2CBus, clock: SimClock) -> None:
    trims = dict(Bme280Model().trims, dig_H4=-300, dig_H5=-7, dig_H6=-2)
    _, sensor = make(i2c, clock, trims=trims)
    assert (sensor.calibration.dig_H4, sensor.calibration.dig_H5) == (-300, -7)
    assert sensor.calibration.dig_H6 == -2


def test_measure_reads_back_set_quantities(i2c: SimI2CBus, clock: SimClock) -> None:
    model, sensor = make(i2c, clock)
    sensor.configure(temperature_os=16, pressure_os=16, humidity_os=16)
    model.set(temperature_c=21.37, pressure_pa=98765.4, humidity_pct=55.5)
    reading = sensor.measure()
    assert reading.temperature_c == pytest.approx(21.37, abs=0.011)
    assert reading.pressure_pa == pytest.approx(98765.4, abs=0.5)
    assert reading.humidity_pct == pytest.approx(55.5, abs=0.05)


def test_32bit_pressure_agrees(i2c: SimI2CBus, clock: SimClock) -> None:
    model, _ = make(i2c, clock)
    sensor = Bme280(i2c, **sim_timing(clock), pressure_64bit=False)
    sensor.configure(pressure_os=16)
    model.set(pressure_pa=101325.0)
    assert sensor.measure().pressure_pa == pytest.approx(101325.0, abs=5)


def test_forced_measurement_takes_datasheet_time(i2c: SimI2CBus, clock: SimClock) -> None:
    _, sensor = make(i2c, clock)
    sensor.configure(temperature_os=2, pressure_os=16, humidity_os=1)
    start = clock.now()
    sensor.measure()
    # 1.25 + 2.3*2 + (2.3*16 + 0.575) + (2.3*1 + 0.575) = 46.1 ms, polled every 1 ms.
    assert 0.0461 <= clock.now() - start < 0.0461 + 0.003


@settings(max_examples=25, deadline=None)
@given(
    temperature=st.floats(min_value=-39.9, max_value=84.9),
    pressure=st.floats(min_value=30010.0, max_value=109990.0),
    humidity=st.floats(min_value=0.0, max_value=100.0),
)
def test_round_trip_within_resolution(temperature: float, pressure: float, humidity: float) -> None:
    clock = SimClock()
    i2c = SimI2CBus(clock=clock)
    model, sensor = make(i2c, clock)
    sensor.configure(temperature_os=16, pressure_os=16, humidity_os=16)
    model.set(temperature_c=temperature, pressure_pa=pressure, humidity_pct=humidity)
    reading = sensor.measure()
    assert reading.temperature_c == pytest.approx(temperature, abs=0.011)
    assert reading.pressure_pa == pytest.approx(pressure, abs=1.0)
    assert reading.humidity_pct == pytest.approx(humidity, abs=0.05)


def test_oversampling_x1_is_coarser(i2c: SimI2CBus, clock: SimClock) -> None:
    model, sensor = make(i2c, clock)
    model.set(pressure_pa=100000.0)
    raw_t, raw_p, _ = sensor.read_raw()
    assert raw_t & 0x0F == 0  # 16-bit resolution at x1
    assert raw_p & 0x0F == 0
    assert sensor.measure().pressure_pa == pytest.approx(100000.0, abs=3.0)


def test_skipped_humidity_is_none(i2c: SimI2CBus, clock: SimClock) -> None:
    _, sensor = make(i2c, clock)
    sensor.configure(humidity_os=0)
    reading = sensor.measure()
    assert reading.humidity_pct is None
    assert reading.pressure_pa is not None


def test_probe_wrong_chip_id(i2c: SimI2CBus, clock: SimClock) -> None:
    model = Bme280Model()
    model.regs[0xD0] = 0x58  # a BMP280 answers 0x58
    i2c.attach(model)
    with pytest.raises(DeviceNotFound) as info:
        Bme280(i2c, **sim_timing(clock))
    assert (info.value.expected, info.value.got) == (0x60, 0x58)
    assert info.value.address == 0x76


def test_stuck_conversion_times_out(i2c: SimI2CBus, clock: SimClock) -> None:
    model, sensor = make(i2c, clock)
    model.inject("stuck_measuring")
    with pytest.raises(BusTimeout):
        sensor.measure()


def test_out_of_range_reading_is_data_error(i2c: SimI2CBus, clock: SimClock) -> None:
    model, sensor = make(i2c, clock)
    model.inject("out_of_range")
    with pytest.raises(DataError) as info:
        sensor.measure()
    assert info.value.reason == "range"


def test_bad_oversampling_rejected_before_bus_traffic(i2c: SimI2CBus, clock: SimClock) -> None:
    _, sensor = make(i2c, clock)
    before = i2c.transfers
    with pytest.raises(ConfigError):
        sensor.configure(temperature_os=3)
    assert i2c.transfers == before


def test_soft_reset_restores_defaults(i2c: SimI2CBus, clock: SimClock) -> None:
    _, sensor = make(i2c, clock)
    sensor.configure(temperature_os=16)
    sensor.reset()
    assert sensor.regs.read(bme280.OSRS_T) == 0
    assert sensor.regs.read(bme280.REG_RESET) == 0


def test_humidity_formula_clamps() -> None:
    cal = Bme280Calibration(**Bme280Model().trims)
    _, t_fine = compensate_temperature(cal, 519888)
    assert compensate_humidity(cal, 0, t_fine) == 0
    assert compensate_humidity(cal, 0xFFFF, t_fine) == 100 * 1024
