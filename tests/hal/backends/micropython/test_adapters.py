"""The MicroPython adapters, run under real MicroPython (the WebAssembly port under node).

That port has no ``machine`` module and this machine has no microcontroller, so the test
writes a small ``machine`` stand-in: an I2C controller with one register-file device whose
errors are the OSErrors real ports raise (EIO for a NACK on rp2, ETIMEDOUT), a loopback SPI,
a Pin with a callable IRQ, a UART with a receive buffer, PWM and WDT that record calls.
"""

from pathlib import Path

import pytest

from tests.support.micropython import run_micropython, unavailable_reason

pytestmark = pytest.mark.skipif(unavailable_reason() is not None, reason=str(unavailable_reason()))

ROOT = Path(__file__).resolve().parents[4]

MACHINE = """
class I2C:
    def __init__(self, bus_id, freq=400000, scl=None, sda=None):
        self.regs = bytearray(range(256))
        self.ptr = 0
        self.timeout = False
        self.log = []
    def writeto(self, addr, buf, stop=True):
        self.log.append(("w", addr, bytes(buf), stop))
        if self.timeout:
            raise OSError(110)
        if addr != 0x76:
            raise OSError(5)
        self.ptr = buf[0]
        for i, b in enumerate(buf[1:]):
            self.regs[self.ptr + i] = b
        return len(buf)
    def readfrom(self, addr, n, stop=True):
        self.log.append(("r", addr, n))
        if addr != 0x76:
            raise OSError(5)
        return bytes(self.regs[self.ptr:self.ptr + n])

class SPI:
    def __init__(self, bus_id=0):
        self.cfg = None
        self.cs_seen = None
    def init(self, baudrate, polarity, phase, bits):
        self.cfg = (baudrate, polarity, phase, bits)
    def write_readinto(self, out, into):
        self.cs_seen = CS_LEVEL[0]
        for i, b in enumerate(out):
            into[i] = (b + 1) & 0xFF

CS_LEVEL = [None]

class Pin:
    IN = 0
    OUT = 1
    PULL_UP = 1
    PULL_DOWN = 2
    IRQ_RISING = 4
    IRQ_FALLING = 8
    def __init__(self, pin_id, mode=0, pull=None, value=None):
        self.id = pin_id
        self.level = 0 if value is None else value
        self.handler = None
        self.mode = mode
        self.pull = pull
    def init(self, mode, pull=None):
        self.mode, self.pull = mode, pull
    def value(self, v=None):
        if v is None:
            return self.level
        self.level = v
        if self.id == "cs":
            CS_LEVEL[0] = v
    def irq(self, handler=None, trigger=0):
        self.handler, self.trigger = handler, trigger
    def fire(self, level):
        self.level = level
        if self.handler:
            self.handler(self)

class UART:
    def __init__(self, uart_id, baudrate=9600, tx=None, rx=None):
        self.rx = bytearray()
        self.tx = bytearray()
        self.baudrate = baudrate
    def init(self, baudrate):
        self.baudrate = baudrate
    def write(self, data):
        self.tx.extend(data)
        return len(data)
    def any(self):
        return len(self.rx)
    def read(self, n):
        out, self.rx = bytes(self.rx[:n]), self.rx[n:]
        return out
    def deinit(self):
        pass

class PWM:
    def __init__(self, pin):
        self.f = None
        self.d = None
    def freq(self, f):
        self.f = f
    def duty_u16(self, d):
        self.d = d
    def deinit(self):
        pass

class WDT:
    def __init__(self, id=0, timeout=5000):
        self.timeout = timeout
        self.feeds = 0
    def feed(self):
        self.feeds += 1
"""

SCRIPT = """
import machine
from hal.errors import NackError, BusTimeout, ConfigError, NotOpen
from hal.backends.micropython.i2c import MpyI2CBus
from hal.backends.micropython.spi import MpySpiDevice
from hal.backends.micropython.gpio import MpyGpioLine
from hal.backends.micropython.uart import MpyUart
from hal.backends.micropython.pwm import MpyPwm
from hal.backends.micropython.watchdog import MpyWatchdog

raw = machine.I2C(0)
bus = MpyI2CBus(raw, name="mpy:0")
bus.write(0x76, b"\\xf4\\x27")
assert bus.write_read(0x76, b"\\xf4", 2) == b"\\x27\\xf5"
assert raw.log[-2] == ("w", 0x76, b"\\xf4", False), raw.log  # repeated start: no stop
try:
    bus.read(0x77, 1)
    raise AssertionError("no NACK")
except NackError as e:
    assert e.address == 0x77 and e.cause.args[0] == 5
raw.timeout = True
try:
    bus.write_read(0x76, b"\\xd0", 1)
    raise AssertionError("no timeout")
except BusTimeout as e:
    assert e.register == 0xD0
bus.close()
try:
    bus.read(0x76, 1)
    raise AssertionError("not closed")
except NotOpen:
    pass

spi = machine.SPI(0)
dev = MpySpiDevice(spi, machine.Pin("cs", machine.Pin.OUT), name="mpy:0")
dev.configure(mode=3, speed_hz=500000)
assert spi.cfg == (500000, 1, 1, 8)
assert dev.transfer(b"\\x01\\x02") == b"\\x02\\x03"
assert spi.cs_seen == 0 and machine.CS_LEVEL[0] == 1  # asserted low during, released after

pin = machine.Pin(17)
line = MpyGpioLine(pin, name="mpy:17")
line.configure(direction="in", edge="both", bias="pull-up")
assert pin.pull == machine.Pin.PULL_UP and pin.trigger == 12
pin.fire(1)
pin.fire(0)
first = line.wait_edge(0.05)
second = line.wait_edge(0.05)
assert first[1] is True and second[1] is False and second[0] >= first[0]
assert line.wait_edge(0.02) is None
line.configure(direction="out")
line.set(1)
assert pin.level == 1

u = machine.UART(1)
uart = MpyUart(u)
assert uart.write(b"hi") == 2 and bytes(u.tx) == b"hi"
u.rx.extend(b"$GPGGA")
assert uart.read(4, 0.05) == b"$GPG"
assert uart.read(10, 0.02) == b"GA"
uart.configure(baudrate=115200)
assert u.baudrate == 115200

p = machine.PWM(machine.Pin(15))
pwm = MpyPwm(p)
pwm.configure(frequency_hz=50, duty_cycle=0.5)
assert p.d == 0  # not enabled yet
pwm.enable()
assert (p.f, p.d) == (50, 32768)
pwm.disable()
assert p.d == 0

wd = MpyWatchdog(machine.WDT)
try:
    wd.start(10)
    raise AssertionError("accepted 10 s")
except ConfigError:
    pass
wd.start(2)
wd.kick()
try:
    wd.stop()
    raise AssertionError("stopped")
except ConfigError:
    pass
print("adapters ok")
"""


def test_adapters_under_micropython(tmp_path: Path) -> None:
    machine = tmp_path / "machine.py"
    machine.write_text(MACHINE)
    result = run_micropython(
        SCRIPT, mounts={"/lib/hal": ROOT / "hal", "/lib/machine.py": machine}, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("adapters ok")
