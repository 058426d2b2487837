"""Boards as data: which bus, pin, LED and watchdog a mission's devices use on each board.

A mission config names its board; ``load_board(name)`` returns a :class:`Board` whose fields
are bus URLs for :mod:`hal.open`, so the same mission runs on a Pi 4, a BeagleBone or the
simulated board by changing one name::

    board = load_board("rpi4")
    bus = open_i2c(board.i2c["i2c1"])            # "linux:/dev/i2c-1"
    pps = open_gpio(board.gpio_url("gnss_pps"))  # "linux:pinctrl-bcm2711:4"
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from hal.boards import beaglebone, raspberry_pi, sim
from hal.errors import ConfigError

__all__ = ["BOARD_NAMES", "Board", "load_board"]

_DATA: dict[str, dict[str, Any]] = {**raspberry_pi.BOARDS, **beaglebone.BOARDS, **sim.BOARDS}

BOARD_NAMES = tuple(sorted(_DATA))


@dataclass(frozen=True)
class Board:
    """One board's hardware, as URLs and names.

    Attributes:
        name: Board name, e.g. "rpi5".
        description: Human-readable model.
        i2c: Bus name -> I2C URL.
        spi: Device name ("spi0.1") -> SPI URL.
        uart: Port name -> UART URL.
        gpio: GPIO chip alias -> (chip URL prefix, number of lines).
        pins: Pin name -> (chip alias, line offset).
        pwm: Output name -> PWM URL.
        leds: LED name -> sysfs LED directory.
        watchdog: Watchdog URL.
        watchdog_max_timeout_s: Longest timeout the watchdog supports.
        sim: The SimBoard spec, for the simulated board only.
    """

    name: str
    description: str
    i2c: Mapping[str, str]
    spi: Mapping[str, str]
    uart: Mapping[str, str]
    gpio: Mapping[str, tuple[str, int]]
    pins: Mapping[str, tuple[str, int]]
    pwm: Mapping[str, str]
    leds: Mapping[str, str]
    watchdog: str
    watchdog_max_timeout_s: int
    sim: Mapping[str, Any] | None = field(default=None)

    def gpio_url(self, pin: str) -> str:
        """Return the GPIO line URL of the pin called ``pin``.

        Raises:
            ConfigError: No such pin on this board.
        """
        try:
            chip, offset = self.pins[pin]
        except KeyError:
            raise ConfigError(
                f"board {self.name!r} has no pin {pin!r} (known: {', '.join(sorted(self.pins))})"
            ) from None
        return f"{self.gpio[chip][0]}:{offset}"


def load_board(name: str) -> Board:
    """Return the board called ``name``.

    Raises:
        ConfigError: Unknown board name.

    >>> load_board("rpi4").i2c["i2c1"]
    'linux:/dev/i2c-1'
    """
    data = _DATA.get(name)
    if data is None:
        raise ConfigError(f"unknown board {name!r}; known boards: {', '.join(BOARD_NAMES)}")
    return Board(
        name=name,
        description=data["description"],
        i2c=MappingProxyType(dict(data["i2c"])),
        spi=MappingProxyType(dict(data["spi"])),
        uart=MappingProxyType(dict(data["uart"])),
        gpio=MappingProxyType(dict(data["gpio"])),
        pins=MappingProxyType(dict(data["pins"])),
        pwm=MappingProxyType(dict(data["pwm"])),
        leds=MappingProxyType(dict(data["leds"])),
        watchdog=data["watchdog"],
        watchdog_max_timeout_s=data["watchdog_max_timeout_s"],
        sim=data.get("sim"),
    )
