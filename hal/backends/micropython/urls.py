"""``mpy:`` URLs: build machine objects and wrap them in the adapters.

- I2C ``mpy:ID[?scl=PIN&sda=PIN&freq=HZ]``; SPI ``mpy:ID?cs=PIN[&mode=M&speed_hz=HZ]``;
  GPIO ``mpy:PIN``; UART ``mpy:ID[?baudrate=N&tx=PIN&rx=PIN]``; PWM ``mpy:PIN``;
  watchdog ``mpy:`` or ``mpy:0``.

``url`` is a parsed hal.open.Url (anything with ``target``, ``url`` and ``int_option``).
"""

import machine

from hal.backends.micropython.gpio import MpyGpioLine
from hal.backends.micropython.i2c import MpyI2CBus
from hal.backends.micropython.pwm import MpyPwm
from hal.backends.micropython.spi import MpySpiDevice
from hal.backends.micropython.uart import MpyUart
from hal.backends.micropython.watchdog import MpyWatchdog
from hal.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hal.open import Url

__all__ = ["open_gpio", "open_i2c", "open_pwm", "open_spi", "open_uart", "open_watchdog"]


def _number(url: "Url", text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ConfigError(url.url + ": " + repr(text) + " is not a number") from None


def _option(url: "Url", key: str, default: int) -> int:
    value = url.int_option(key, default)
    return default if value is None else value


def open_i2c(url: "Url") -> MpyI2CBus:
    """Open ``mpy:ID[?scl=&sda=&freq=]`` (scl and sda together, or neither)."""
    bus_id = _number(url, url.target)
    freq = _option(url, "freq", 400000)
    scl, sda = url.int_option("scl"), url.int_option("sda")
    if scl is None and sda is None:
        return MpyI2CBus(machine.I2C(bus_id, freq=freq), name=url.url)
    if scl is None or sda is None:
        raise ConfigError(url.url + ": give both scl and sda, or neither")
    i2c = machine.I2C(bus_id, scl=machine.Pin(scl), sda=machine.Pin(sda), freq=freq)
    return MpyI2CBus(i2c, name=url.url)


def open_spi(url: "Url") -> MpySpiDevice:
    """Open ``mpy:ID?cs=PIN[&mode=&speed_hz=]``."""
    cs = url.int_option("cs")
    if cs is None:
        raise ConfigError(url.url + ": SPI needs ?cs=PIN")
    device = MpySpiDevice(
        machine.SPI(_number(url, url.target)),
        machine.Pin(cs, machine.Pin.OUT, value=1),
        name=url.url,
    )
    device.configure(mode=_option(url, "mode", 0), speed_hz=_option(url, "speed_hz", 1000000))
    return device


def open_gpio(url: "Url") -> MpyGpioLine:
    """Open ``mpy:PIN`` as an input."""
    return MpyGpioLine(machine.Pin(_number(url, url.target), machine.Pin.IN), name=url.url)


def open_uart(url: "Url") -> MpyUart:
    """Open ``mpy:ID[?baudrate=&tx=&rx=]``."""
    tx, rx = url.int_option("tx"), url.int_option("rx")
    uart = machine.UART(
        _number(url, url.target),
        baudrate=_option(url, "baudrate", 9600),
        tx=None if tx is None else machine.Pin(tx),
        rx=None if rx is None else machine.Pin(rx),
    )
    return MpyUart(uart, name=url.url)


def open_pwm(url: "Url") -> MpyPwm:
    """Open ``mpy:PIN``."""
    return MpyPwm(machine.PWM(machine.Pin(_number(url, url.target))), name=url.url)


def open_watchdog(url: "Url") -> MpyWatchdog:
    """Return a watchdog adapter for ``mpy:[ID]`` (started by start())."""
    return MpyWatchdog(machine.WDT, wdt_id=_number(url, url.target or "0"), name=url.url)
