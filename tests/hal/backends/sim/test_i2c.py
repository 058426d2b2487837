"""SimI2CBus against a tiny register-file device (the stimulus, not the thing under test)."""

import pytest

from hal.backends.sim.clock import SimClock
from hal.backends.sim.i2c import SimI2CBus, SimI2CHandle
from hal.errors import BusError, BusTimeout, ConfigError, NackError, NotOpen


class RegisterFile:
    """Auto-incrementing 256-byte register file, like most I2C sensors."""

    name = "regfile"

    def __init__(self, address: int = 0x42) -> None:
        self.address = address
        self.regs = bytearray(range(256))
        self.pointer = 0
        self.elapsed = 0.0
        self.nack_writes_to: int | None = None

    def i2c_write(self, data: bytes) -> None:
        self.pointer = data[0]
        if self.pointer == self.nack_writes_to:
            raise NackError("register is read-only")
        for i, b in enumerate(data[1:]):
            self.regs[(self.pointer + i) & 0xFF] = b

    def i2c_read(self, length: int) -> bytes:
        out = bytes(self.regs[(self.pointer + i) & 0xFF] for i in range(length))
        self.pointer = (self.pointer + length) & 0xFF
        return out

    def advance(self, dt_s: float) -> None:
        self.elapsed += dt_s


@pytest.fixture
def bus() -> SimI2CBus:
    b = SimI2CBus("sim:i2c1", clock=SimClock())
    b.attach(RegisterFile())
    return b


def test_write_then_read_with_repeated_start(bus: SimI2CBus) -> None:
    bus.write(0x42, b"\x10\xaa\xbb")
    assert bus.write_read(0x42, b"\x10", 3) == b"\xaa\xbb\x12"
    assert bus.read(0x42, 2) == b"\x13\x14"


def test_absent_address_nacks_with_context(bus: SimI2CBus) -> None:
    with pytest.raises(NackError) as info:
        bus.write_read(0x43, b"\xd0", 1)
    assert (info.value.bus, info.value.address, info.value.register) == ("sim:i2c1", 0x43, 0xD0)


def test_model_nack_gets_bus_context(bus: SimI2CBus) -> None:
    bus.device(0x42).nack_writes_to = 0x20
    with pytest.raises(NackError) as info:
        bus.write(0x42, b"\x20\x01")
    assert (info.value.bus, info.value.address, info.value.register) == ("sim:i2c1", 0x42, 0x20)


@pytest.mark.parametrize(
    ("fault", "error"), [("nack", NackError), ("disappear", NackError), ("timeout", BusTimeout)]
)
def test_transport_faults_raise_typed_errors(
    bus: SimI2CBus, fault: str, error: type[Exception]
) -> None:
    bus.inject(0x42, fault)
    with pytest.raises(error):
        bus.read(0x42, 1)
    with pytest.raises(error):
        bus.write(0x42, b"\x00\x01")
    bus.clear_faults(0x42)
    assert bus.write_read(0x42, b"\x05", 1) == b"\x05"


def test_disappeared_device_sees_no_writes(bus: SimI2CBus) -> None:
    bus.inject(0x42, "disappear")
    with pytest.raises(NackError):
        bus.write(0x42, b"\x00\x99")
    bus.clear_faults()
    assert bus.write_read(0x42, b"\x00", 1) == b"\x00"


def test_count_limits_a_fault(bus: SimI2CBus) -> None:
    bus.inject(0x42, "nack", count=2)
    for _ in range(2):
        with pytest.raises(NackError):
            bus.read(0x42, 1)
    assert bus.faults(0x42) == []
    bus.read(0x42, 1)


def test_crash_raises_outside_the_hal_error_tree(bus: SimI2CBus) -> None:
    bus.inject(0x42, "crash", count=1)
    with pytest.raises(RuntimeError, match="injected crash") as info:
        bus.read(0x42, 1)
    assert not isinstance(info.value, BusError)
    assert bus.read(0x42, 1) == b"\x00"


def test_stuck_bits_mask_read_data(bus: SimI2CBus) -> None:
    bus.inject(0x42, "stuck_bits", and_mask=0xF0, or_mask=0x01)
    assert bus.write_read(0x42, b"\x37", 2) == bytes([0x31, 0x31])


def test_noise_is_seeded_and_flips_bits(bus: SimI2CBus) -> None:
    clean = bus.write_read(0x42, b"\x00", 64)
    bus.inject(0x42, "noise", probability=0.2, seed=7)
    first = bus.write_read(0x42, b"\x00", 64)
    bus.clear_faults()
    bus.inject(0x42, "noise", probability=0.2, seed=7)
    second = bus.write_read(0x42, b"\x00", 64)
    assert first == second
    flipped = sum(bin(a ^ b).count("1") for a, b in zip(clean, first, strict=True))
    assert 40 < flipped < 170  # about 0.2 * 512 bits


def test_unknown_fault_and_bad_arguments_are_config_errors(bus: SimI2CBus) -> None:
    with pytest.raises(ConfigError):
        bus.inject(0x42, "gremlins")
    with pytest.raises(ConfigError):
        bus.inject(0x42, "noise", probability=2)
    with pytest.raises(ConfigError):
        bus.read(0x80, 1)
    with pytest.raises(ConfigError):
        bus.write(0x42, "text")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        bus.attach(RegisterFile())


def test_short_model_answer_is_a_bus_error(bus: SimI2CBus) -> None:
    bus.device(0x42).i2c_read = lambda length: b"\x00"
    with pytest.raises(BusError, match="returned 1 bytes"):
        bus.read(0x42, 4)


def test_models_are_advanced_by_elapsed_clock_time() -> None:
    clock = SimClock()
    bus = SimI2CBus("sim:i2c1", clock=clock)
    model = RegisterFile()
    bus.attach(model)
    clock.advance(0.25)
    bus.read(0x42, 1)
    clock.advance(0.5)
    bus.read(0x42, 1)
    assert model.elapsed == pytest.approx(0.75)


def test_closed_bus_and_handles(bus: SimI2CBus) -> None:
    handle = SimI2CHandle(bus)
    handle.close()
    with pytest.raises(NotOpen):
        handle.read(0x42, 1)
    assert bus.read(0x42, 1) == b"\x00"  # other users unaffected
    bus.close()
    with pytest.raises(NotOpen):
        bus.read(0x42, 1)
