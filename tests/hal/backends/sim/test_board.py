"""SimBoard wiring and stimulus API, with a test model defined here (not one of the chips)."""

import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from hal.backends.sim import urls
from hal.backends.sim.board import SimBoard, import_class
from hal.backends.sim.clock import SimClock
from hal.errors import ConfigError, NackError
from hal.open import open_gpio, open_i2c, open_pwm, open_spi, open_uart, open_watchdog


class Thermo:
    """An I2C thermometer model: register 0 holds the temperature in whole degrees."""

    name = "thermo"

    def __init__(self, address: int = 0x48) -> None:
        self.address = address
        self.temperature_c = 20.0
        self.reg = 0

    def set(self, **quantities: float) -> None:
        self.temperature_c = quantities["temperature_c"]

    def get(self, name: str) -> float:
        assert name == "temperature_c"
        return self.temperature_c

    def i2c_write(self, data: bytes) -> None:
        self.reg = data[0]

    def i2c_read(self, length: int) -> bytes:
        return bytes([int(self.temperature_c) & 0xFF]) * length


class Adc:
    """An SPI model returning a constant."""

    name = "adc"

    def spi_transfer(self, data: bytes) -> bytes:
        return b"\x5a" * len(data)


class Beacon:
    """A UART model sending a fixed sentence."""

    name = "beacon"

    def uart_receive(self, data: bytes) -> None:
        pass

    def uart_transmit(self, max_bytes: int) -> bytes:
        return b"$HI*00\r\n"[:max_bytes]


@pytest.fixture
def test_models_module() -> Iterator[types.ModuleType]:
    # A module importable by dotted name, as hal/boards names B's models.
    module = types.ModuleType("starling_test_models")
    module.Thermo = Thermo  # type: ignore[attr-defined]
    module.Adc = Adc  # type: ignore[attr-defined]
    module.Beacon = Beacon  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    yield module
    del sys.modules[module.__name__]


SPEC = {
    "i2c": ["i2c1"],
    "spi": ["spi0"],
    "uart": ["uart0"],
    "gpio": {"gpio0": 8},
    "pwm": {"pwm0": 1},
    "watchdog": {"max_timeout_s": 10},
    "models": [
        {
            "name": "thermo",
            "class": "starling_test_models.Thermo",
            "kind": "i2c",
            "bus": "i2c1",
            "address": 0x49,
            "options": {"address": 0x49},
        },
        {"name": "adc", "class": "starling_test_models.Adc", "kind": "spi", "bus": "spi0", "cs": 1},
        {"name": "beacon", "class": "starling_test_models.Beacon", "kind": "uart", "bus": "uart0"},
    ],
}


@pytest.mark.usefixtures("test_models_module")
def test_board_wires_models_from_the_spec() -> None:
    board = SimBoard(SPEC, clock=SimClock())
    assert board.models() == ["adc", "beacon", "thermo"]
    board.model("thermo").set(temperature_c=31.0)  # type: ignore[attr-defined]
    assert board.i2c("i2c1").write_read(0x49, b"\x00", 1) == b"\x1f"
    assert board.spi("spi0").device(1).transfer(b"\x00") == b"\x5a"
    assert board.uart("uart0").read(6, timeout_s=0.01) == b"$HI*00"
    board.inject("thermo", "nack")
    with pytest.raises(NackError):
        board.i2c("i2c1").read(0x49, 1)
    board.clear_faults("thermo")
    board.i2c("i2c1").read(0x49, 1)
    board.inject("adc", "disconnected")
    assert board.spi("spi0").device(1).transfer(b"\x00") == b"\xff"
    board.clear_faults()
    assert board.spi("spi0").device(1).transfer(b"\x00") == b"\x5a"


@pytest.mark.usefixtures("test_models_module")
def test_sim_urls_reach_a_registered_board() -> None:
    board = urls.register_board(SimBoard(SPEC, clock=SimClock()), "unit7")
    try:
        i2c = open_i2c("sim:unit7/i2c1")
        board.model("thermo").set(temperature_c=5.0)  # type: ignore[attr-defined]
        assert i2c.write_read(0x49, b"\x00", 2) == b"\x05\x05"
        assert open_spi("sim:unit7/spi0.1?mode=1").transfer(b"\x00") == b"\x5a"
        assert open_uart("sim:unit7/uart0").read(3, timeout_s=0.01) == b"$HI"
        line = open_gpio("sim:unit7/gpio0:3")
        line.configure(direction="out")
        line.set(1)
        assert board.gpio("gpio0").level(3) == 1
        pwm = open_pwm("sim:unit7/pwm0:0")
        pwm.configure(frequency_hz=50, duty_cycle=0.1)
        wd = open_watchdog("sim:unit7/watchdog")
        wd.start(10)
        board.advance(11)
        assert board.watchdog.expired
        with pytest.raises(ConfigError):
            open_i2c("sim:unit7/i2c9")
        with pytest.raises(ConfigError):
            open_spi("sim:unit7/spi0")
        with pytest.raises(ConfigError):
            open_i2c("sim:nosuchboard/i2c1")
    finally:
        urls.unregister_board("unit7")


@pytest.mark.usefixtures("test_models_module")
def test_wiring_mistakes_are_config_errors() -> None:
    bad_address = dict(SPEC, models=[dict(SPEC["models"][0], address=0x4A)])  # type: ignore[index]
    with pytest.raises(ConfigError, match="wiring says"):
        SimBoard(bad_address)
    board = SimBoard(SPEC)
    with pytest.raises(ConfigError, match="known: adc, beacon, thermo"):
        board.model("bme280")
    with pytest.raises(ConfigError):
        board.inject("thermo", "gremlins")
    with pytest.raises(ConfigError):
        import_class("no_such_module_xyz.Model")
    with pytest.raises(ConfigError):
        import_class("starling_test_models.Missing")


MPY_MODEL = """
class Thermo:
    name = "thermo"
    def __init__(self, address=0x48):
        self.address = address
        self.t = 20
        self.elapsed = 0.0
    def set(self, **q):
        self.t = q["temperature_c"]
    def get(self, name):
        return self.t
    def i2c_write(self, data):
        pass
    def i2c_read(self, n):
        return bytes([self.t]) * n
    def advance(self, dt):
        self.elapsed += dt

"""

MPY_SCRIPT = """
from hal.backends.sim import SimBoard, SimClock
from hal.deadline import poll_until
from hal.errors import NackError, BusTimeout

spec = {"i2c": ["i2c1"], "models": [{"name": "thermo", "class": "mpy_models.Thermo",
        "kind": "i2c", "bus": "i2c1", "address": 0x48}]}
board = SimBoard(spec, clock=SimClock())
bus = board.i2c("i2c1")
board.model("thermo").set(temperature_c=33)
assert bus.write_read(0x48, b"\\x00", 2) == b"!!"
board.inject("thermo", "stuck_bits", and_mask=0x0F)
assert bus.read(0x48, 1) == b"\\x01"
board.inject("thermo", "nack", count=1)
try:
    bus.read(0x48, 1)
    raise AssertionError("no nack")
except NackError as e:
    assert e.address == 0x48
board.clear_faults()
board.advance(0.5)
bus.read(0x48, 1)
assert board.model("thermo").elapsed == 0.5
board.watchdog.start(2)
board.advance(3)
assert board.watchdog.expired
try:
    poll_until(lambda: False, 0.01)
except BusTimeout:
    print("sim ok")
"""


def test_sim_backend_runs_under_micropython(tmp_path: Path) -> None:
    from tests.support.micropython import run_micropython, unavailable_reason  # noqa: PLC0415

    if unavailable_reason() is not None:
        pytest.skip(str(unavailable_reason()))
    root = Path(__file__).resolve().parents[4]
    (tmp_path / "mpy_models.py").write_text(MPY_MODEL)
    mounts = {"/lib/hal": root / "hal", "/lib/mpy_models.py": tmp_path / "mpy_models.py"}
    result = run_micropython(MPY_SCRIPT, mounts=mounts, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sim ok"
