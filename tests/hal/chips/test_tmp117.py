"""TMP117 driver against the datasheet's data format table and the register-level model."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hal.backends.sim.clock import SimClock
from hal.backends.sim.i2c import SimI2CBus
from hal.backends.sim.models.tmp117 import Tmp117Model
from hal.chips.tmp117 import Tmp117, raw_to_celsius
from hal.errors import BusTimeout, ConfigError, DeviceNotFound
from hal.regmap import sign_extend
from tests.hal.chips.helpers import sim_timing

# TMP117 datasheet table 7-1, "Temperature Register Format".
DATASHEET_TABLE = [
    (0x8000, -256.0),
    (0xF380, -25.0),
    (0xFFF0, -0.125),
    (0xFFFF, -0.0078125),
    (0x0000, 0.0),
    (0x0001, 0.0078125),
    (0x0010, 0.125),
    (0x0080, 1.0),
    (0x0C80, 25.0),
    (0x3200, 100.0),
    (0x7FFF, 255.9921875),
]


def make(i2c: SimI2CBus, clock: SimClock, **options: int) -> tuple[Tmp117Model, Tmp117]:
    model = Tmp117Model(**options)  # type: ignore[arg-type]
    i2c.attach(model)
    return model, Tmp117(i2c, **sim_timing(clock))


@pytest.mark.parametrize(("register", "celsius"), DATASHEET_TABLE)
def test_datasheet_conversion_table(register: int, celsius: float) -> None:
    assert raw_to_celsius(sign_extend(register, 16)) == celsius


@pytest.mark.parametrize(("register", "celsius"), DATASHEET_TABLE[1:])
def test_model_produces_datasheet_codes(
    i2c: SimI2CBus, clock: SimClock, register: int, celsius: float
) -> None:
    model, sensor = make(i2c, clock)
    model.set(temperature_c=celsius)
    assert sensor.temperature_c() == celsius
    assert sensor.regs.read_block(0x00, 2) == register.to_bytes(2, "big")


def test_probe_accepts_any_revision(i2c: SimI2CBus, clock: SimClock) -> None:
    _, sensor = make(i2c, clock, revision=1)
    assert sensor.revision == 1


def test_probe_rejects_other_device(i2c: SimI2CBus, clock: SimClock) -> None:
    model = Tmp117Model()
    model.regs[0x0F] = 0x1116  # a TMP116's ID
    i2c.attach(model)
    with pytest.raises(DeviceNotFound) as info:
        Tmp117(i2c, **sim_timing(clock))
    assert (info.value.expected, info.value.got) == (0x0117, 0x116)


def test_one_shot_waits_for_averaged_conversion(i2c: SimI2CBus, clock: SimClock) -> None:
    model, sensor = make(i2c, clock)
    sensor.configure(averages=32)
    model.set(temperature_c=-12.5)
    start = clock.now()
    assert sensor.temperature_c() == -12.5
    assert clock.now() - start >= 0.5  # 32 averages: 500 ms active time


def test_continuous_mode(i2c: SimI2CBus, clock: SimClock) -> None:
    model, sensor = make(i2c, clock)
    sensor.configure(averages=1, continuous=True)
    model.set(temperature_c=37.0)
    assert sensor.read_ready() == 37.0


def test_data_ready_clears_on_read(i2c: SimI2CBus, clock: SimClock) -> None:
    from hal.chips.tmp117 import DATA_READY  # noqa: PLC0415

    _, sensor = make(i2c, clock)
    sensor.temperature_c()
    assert sensor.regs.read(DATA_READY) == 0


@settings(max_examples=40, deadline=None)
@given(celsius=st.floats(min_value=-55.0, max_value=150.0))
def test_round_trip_within_lsb(celsius: float) -> None:
    clock = SimClock()
    model, sensor = make(SimI2CBus(clock=clock), clock)
    model.set(temperature_c=celsius)
    assert sensor.temperature_c() == pytest.approx(celsius, abs=0.0078125 / 2 + 1e-12)


def test_stuck_conversion_times_out(i2c: SimI2CBus, clock: SimClock) -> None:
    model, sensor = make(i2c, clock)
    model.inject("stuck_conversion")
    with pytest.raises(BusTimeout):
        sensor.temperature_c()


def test_bad_averaging_rejected(i2c: SimI2CBus, clock: SimClock) -> None:
    _, sensor = make(i2c, clock)
    with pytest.raises(ConfigError):
        sensor.configure(averages=16)
