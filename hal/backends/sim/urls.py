"""``sim:`` URLs for hal.open: buses of a registered SimBoard.

Targets name a bus of a board, optionally prefixed by the board's name: ``sim:i2c1`` is bus
``i2c1`` of the default board, ``sim:unit7/i2c1`` that of the board registered as "unit7"
(the HIL rig runs several simulated units in one process). When no default board has been
registered, the first ``sim:`` URL builds one from the shipped ``sim`` board spec.

- I2C ``sim:i2c1``; SPI ``sim:spi0.1`` (bus spi0, chip select 1); UART ``sim:uart0``;
  GPIO ``sim:gpio0:17``; PWM ``sim:pwm0:1``; watchdog ``sim:watchdog``.
"""

from typing import TYPE_CHECKING

from hal.backends.sim.board import SimBoard
from hal.backends.sim.gpio import SimGpioLine
from hal.backends.sim.i2c import SimI2CHandle
from hal.backends.sim.pwm import SimPwm
from hal.backends.sim.spi import SimSpiDevice
from hal.backends.sim.uart import SimUart
from hal.backends.sim.watchdog import SimWatchdog
from hal.errors import ConfigError

if TYPE_CHECKING:
    from hal.open import Url

__all__ = [
    "get_board",
    "open_gpio",
    "open_i2c",
    "open_pwm",
    "open_spi",
    "open_uart",
    "open_watchdog",
    "register_board",
    "registered_boards",
    "unregister_board",
]

_BOARDS: dict[str, SimBoard] = {}


def register_board(board: SimBoard, name: str = "default") -> SimBoard:
    """Make ``board`` reachable as ``sim:[NAME/]BUS``; returns it."""
    _BOARDS[name] = board
    return board


def unregister_board(name: str = "default") -> None:
    """Forget the board registered under ``name``."""
    _BOARDS.pop(name, None)


def registered_boards() -> list[str]:
    """The names boards are registered under, in the order they were."""
    return list(_BOARDS)


def get_board(name: str = "default") -> SimBoard:
    """Return the board registered as ``name``, building the default one on first use."""
    board = _BOARDS.get(name)
    if board is None:
        if name != "default":
            raise ConfigError(f"no simulated board registered as {name!r}")
        from hal.boards import load_board  # noqa: PLC0415 - CPython only, loaded on demand

        board = register_board(SimBoard(load_board("sim").sim))
    return board


def _split(url: "Url") -> tuple[SimBoard, str]:
    board_name, sep, bus = url.target.rpartition("/")
    if not url.target or (sep and not board_name):
        raise ConfigError(f"{url.url!r}: expected sim:[BOARD/]BUS")
    return get_board(board_name or "default"), bus


def open_i2c(url: "Url") -> SimI2CHandle:
    """Open ``sim:[BOARD/]BUS`` as an I2C bus handle."""
    board, bus = _split(url)
    return SimI2CHandle(board.i2c(bus))


def open_spi(url: "Url") -> SimSpiDevice:
    """Open ``sim:[BOARD/]BUS.CS`` as an SPI device."""
    board, target = _split(url)
    bus, sep, cs = target.rpartition(".")
    if not sep:
        raise ConfigError(f"{url.url!r}: expected sim:BUS.CS, e.g. sim:spi0.0")
    device = board.spi(bus).device(url.int_value(cs, what="chip select"))
    device.configure(
        mode=url.int_option("mode", 0) or 0,
        speed_hz=url.int_option("speed_hz", 1_000_000) or 1_000_000,
    )
    return device


def open_uart(url: "Url") -> SimUart:
    """Open ``sim:[BOARD/]PORT[?baudrate=N]``."""
    board, port = _split(url)
    uart = board.uart(port)
    uart._closed = False
    baudrate = url.int_option("baudrate")
    if baudrate is not None:
        uart.configure(baudrate=baudrate)
    return uart


def open_gpio(url: "Url") -> SimGpioLine:
    """Open ``sim:[BOARD/]CHIP:LINE``."""
    chip, line = url.split_index()
    board_name, _, chip = chip.rpartition("/")
    return get_board(board_name or "default").gpio(chip).line(line)


def open_pwm(url: "Url") -> SimPwm:
    """Open ``sim:[BOARD/]CHIP:CHANNEL``."""
    chip, channel = url.split_index()
    board_name, _, chip = chip.rpartition("/")
    return get_board(board_name or "default").pwm(chip).channel(channel)


def open_watchdog(url: "Url") -> SimWatchdog:
    """Open ``sim:[BOARD/]watchdog``."""
    board, name = _split(url)
    if name != "watchdog":
        raise ConfigError(f"{url.url!r}: the simulated watchdog is sim:[BOARD/]watchdog")
    board.watchdog.reopen()
    return board.watchdog
