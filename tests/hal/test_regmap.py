"""Register declarations and RegisterMap: decoding, range checks, read-modify-write, isolation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hal.backends.sim.i2c import SimI2CBus
from hal.backends.sim.models.tmp117 import Tmp117Model
from hal.errors import ConfigError
from hal.regmap import Bits, Register, RegisterMap, sign_extend

CONFIG = Register(name="CONFIG", address=0x01, width=2)
TEMP = Register(name="TEMP", address=0x00, width=2, signed=True, readonly=True)
AVG = Bits(name="AVG", reg=CONFIG, lsb=5, width=2)
MOD = Bits(name="MOD", reg=CONFIG, lsb=10, width=2)


def tmp117_map() -> tuple[Tmp117Model, RegisterMap]:
    bus = SimI2CBus("sim:i2c9")
    model = Tmp117Model()
    bus.attach(model)
    return model, RegisterMap(bus, address=model.address)


def test_decode_byteorder_and_sign() -> None:
    little = Register(name="L", address=0x28, width=2, byteorder="little", signed=True)
    assert little.decode(b"\xfe\xff") == -2
    assert CONFIG.decode(b"\x02\x20") == 0x0220
    three = Register(name="P", address=0xF7, width=3)
    assert three.decode(b"\x65\x5a\xc0") == 0x655AC0


@given(st.integers(min_value=-32768, max_value=32767))
def test_signed_encode_decode_round_trip(value: int) -> None:
    reg = Register(name="S", address=0, width=2, signed=True)
    buffer = bytearray(3)
    reg.encode_into(value, buffer, 1)
    assert reg.decode(bytes(buffer[1:])) == value


def test_sign_extend() -> None:
    assert sign_extend(0x800, 12) == -2048
    assert sign_extend(0x7FF, 12) == 2047


def test_bits_insert_extract() -> None:
    word = AVG.insert(0x0220, 3)
    assert AVG.extract(word) == 3
    assert word & ~AVG.mask == 0x0220 & ~AVG.mask


def test_declaration_errors() -> None:
    with pytest.raises(ConfigError):
        Register(name="X", address=0, width=5)
    with pytest.raises(ConfigError):
        Bits(name="Y", reg=CONFIG, lsb=15, width=2)


def test_read_and_read_modify_write() -> None:
    model, regs = tmp117_map()
    assert regs.read(CONFIG) == 0x0220  # TMP117 power-on value
    regs.write(AVG, 2)
    assert model.regs[0x01] & 0x0060 == 0x0040
    assert regs.read(MOD) == 0  # neighbouring field untouched


def test_write_fields_one_transaction_each() -> None:
    _, regs = tmp117_map()
    bus = regs.bus
    before = bus.transfers  # type: ignore[attr-defined]
    regs.write_fields((AVG, 1), (MOD, 1))
    assert bus.transfers - before == 2  # type: ignore[attr-defined]
    assert (regs.read(AVG), regs.read(MOD)) == (1, 1)


def test_out_of_range_and_readonly_writes_send_nothing() -> None:
    _, regs = tmp117_map()
    bus = regs.bus
    before = bus.transfers  # type: ignore[attr-defined]
    with pytest.raises(ConfigError) as info:
        regs.write(AVG, 4)
    assert (info.value.address, info.value.register) == (0x48, 0x01)
    with pytest.raises(ConfigError):
        regs.write(CONFIG, 0x10000)
    with pytest.raises(ConfigError):
        regs.write(TEMP, 1)
    with pytest.raises(ConfigError):
        regs.write_fields((AVG, 1), (Bits(name="Z", reg=TEMP, lsb=0), 1))
    assert bus.transfers == before  # type: ignore[attr-defined]


def test_maps_share_no_buffers() -> None:
    _, first = tmp117_map()
    _, second = tmp117_map()
    assert first._wbufs is not second._wbufs
    assert all(a is not b for a, b in zip(first._wbufs, second._wbufs, strict=True))
