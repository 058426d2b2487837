"""MCP3008 driver against the bit-level model on A's simulated SPI bus."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hal.backends.sim.models.mcp3008 import Mcp3008Model
from hal.backends.sim.spi import SimSpiBus
from hal.chips.mcp3008 import Mcp3008
from hal.errors import ConfigError, DeviceNotFound


def make(spi: SimSpiBus, vref_v: float = 3.3) -> tuple[Mcp3008Model, Mcp3008]:
    model = Mcp3008Model(vref_v=vref_v)
    spi.attach(model, cs=0)
    return model, Mcp3008(spi.device(0), vref_v=vref_v)


def test_datasheet_transfer_layout(spi: SimSpiBus) -> None:
    # Datasheet figure 6-1: send 0x01, 0x80 (single-ended CH0), 0x00; get back
    # ?? / ?????0 B9 B8 / B7..B0 with the null bit at bit 2 of the second byte.
    model, _ = make(spi, vref_v=1.024)
    model.set(channel_volts={0: 0.5})  # 500 codes = 0b01_1111_0100
    rx = spi.device(0).transfer(b"\x01\x80\x00")
    assert rx[1] & 0x07 == 0b001
    assert rx[2] == 0xF4


def test_single_ended_channels(spi: SimSpiBus) -> None:
    model, adc = make(spi)
    model.set(channel_volts={3: 1.65, 7: 3.3})
    assert adc.raw(3) == 512
    assert adc.raw(7) == 1023  # full scale clamps at 1023
    assert adc.volts(3) == pytest.approx(1.65, abs=3.3 / 1024)


def test_differential_pairs(spi: SimSpiBus) -> None:
    model, adc = make(spi)
    model.set(channel_volts={0: 2.0, 1: 1.0})
    assert adc.volts(0, differential=True) == pytest.approx(1.0, abs=3.3 / 1024)
    assert adc.raw(1, differential=True) == 0  # IN+ below IN- reads zero


def test_misaligned_transfer_still_decodes(spi: SimSpiBus) -> None:
    # Start bit at the top of the first byte: result lands 7 bits earlier.
    model, _ = make(spi, vref_v=1.024)
    model.set(channel_volts={2: 0.25})  # 250 codes
    rx = spi.device(0).transfer(bytes([0b1101_0000, 0, 0]))
    bits = int.from_bytes(rx, "big")
    # start bit at clock 0, config clocks 1-4, sample 5, null 6, B9 at clock 7.
    assert (bits >> (23 - 6)) & 1 == 0
    assert (bits >> (23 - 16)) & 0x3FF == 250


@settings(max_examples=50, deadline=None)
@given(volts=st.floats(min_value=0.0, max_value=3.29), channel=st.integers(0, 7))
def test_round_trip_within_lsb(volts: float, channel: int) -> None:
    spi = SimSpiBus()
    model, adc = make(spi)
    model.set(channel_volts={channel: volts})
    assert adc.volts(channel) == pytest.approx(volts, abs=3.3 / 1024)
    assert adc.volts(channel) <= volts


def test_missing_chip_is_device_not_found(spi: SimSpiBus) -> None:
    with pytest.raises(DeviceNotFound) as info:
        Mcp3008(spi.device(1))  # nothing on CS1: MISO reads 0xFF
    assert info.value.got == 0x04


def test_stuck_code_fault(spi: SimSpiBus) -> None:
    model, adc = make(spi)
    model.inject("stuck_code", 1023)
    assert adc.raw(5) == 1023


def test_bad_arguments(spi: SimSpiBus) -> None:
    _, adc = make(spi)
    with pytest.raises(ConfigError):
        adc.raw(8)
    with pytest.raises(ConfigError):
        Mcp3008(spi.device(0), speed_hz=5_000_000)
