"""The mission's board as driver objects: buses by URL, chip drivers, health, sim control.

A mission names its board (``board = "sim"``, ``"rpi4"``, ...). `Hardware.for_board` turns
that name into what apps need: each chip driver is opened on demand through `hal.open` from
the board's URLs, so the same payload app runs on the simulated board and on a Pi by changing
one name. Nothing is opened until an app asks, and a driver that cannot be opened raises the
HAL's typed errors for the app to handle.

On the ``sim`` board, `Hardware` builds its own `SimBoard` (registered under a unit name, so
several flights in one process never share chips) whose time follows the flight clock, and
exposes it as `sim` together with the simulated health source: the stimulus API tests and
the HIL rig drive::

    hardware = Hardware.for_board("sim", clock=flight_clock)
    hardware.sim.model("tmp117").set(temperature_c=31.0)
    hardware.sim.inject("bme280", "nack")
    hardware.health.temperature_c = 82.0

Apps that need devices subclass `HardwareApp`; the assembly hands them the mission's
`Hardware` next to their context.
"""

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

from flight.core import App, AppContext, Clock
from hal.backends.sim.board import SimBoard
from hal.backends.sim.clock import SimClock
from hal.backends.sim.urls import register_board, unregister_board
from hal.boards import Board, load_board
from hal.health import HealthSnapshot, LinuxHealth, SimHealth
from hal.interfaces import GpioLine, I2CBus, SpiDevice, Uart, Watchdog
from hal.open import open_gpio, open_i2c, open_spi, open_uart, open_watchdog

if TYPE_CHECKING:
    # Drivers and chip models load with the first chip opened (`hal.chips` imports lazily).
    from hal.backends.sim.models.base import SimModel
    from hal.chips import Bme280, Fram, Gnss, Ina219, Lsm6dsox, Mcp3008, Tmp117

__all__ = [
    "SIM_NOMINAL",
    "WIRING",
    "FlightSimClock",
    "Hardware",
    "HardwareApp",
    "HealthSource",
    "Wiring",
]

_units = itertools.count(1)


class HealthSource(Protocol):
    """What the health app reads: `LinuxHealth` on a board, `SimHealth` on the sim board."""

    def snapshot(self) -> HealthSnapshot:
        """Read everything once."""
        ...


@dataclass(frozen=True)
class Wiring:
    """Where the payload's devices sit on a board: bus names of `Board` and addresses.

    The defaults are the 40-pin Pi header and the shipped simulated board; other boards
    override the bus names (see `WIRING`).
    """

    i2c: str = "i2c1"
    spi: str = "spi0.0"
    uart: str = "uart0"
    enable_pin: str = "payload_enable"
    bme280: int = 0x76
    ina219: int = 0x40
    tmp117: int = 0x48
    lsm6dsox: int = 0x6A
    fram: int = 0x50
    gnss_baudrate: int = 9600


# Boards whose buses differ from the Pi header's.
WIRING = {"beaglebone-black": Wiring(i2c="i2c2", uart="uart1")}

# What the simulated payload reads before anyone sets stimulus: a healthy 5 V rail drawing
# 120 mA and a quiet detector (pulse heights near 1.2 V, 250 counts/s, 2 Gy so far); the
# chip models' own defaults are an unpowered rail, which would trip the brown-out limit.
SIM_NOMINAL: dict[str, dict[str, object]] = {
    "ina219": {"bus_voltage_v": 5.0, "current_a": 0.12},
    "mcp3008": {"channel_volts": {0: 1.2, 1: 0.25, 2: 0.52}},
}


class FlightSimClock(SimClock):
    """Simulated HAL time that follows the flight clock.

    Drivers sleep on it while they poll a conversion, which moves HAL time ahead of the
    flight clock by those few milliseconds; whenever the flight clock is ahead, HAL time
    catches up. So chip models see time pass as the flight sees it, on the simulated clock in
    tests and on the monotonic clock in a `starling flight` run on the sim board. The health
    monitor's thread reads it too (it kicks the board's watchdog), so catching up is locked.

    Attributes:
        flight: the flight clock followed.
    """

    def __init__(self, flight: Clock) -> None:
        super().__init__(flight.now())
        self.flight = flight
        self._catching_up = threading.Lock()

    def now_ns(self) -> int:
        """Simulated nanoseconds, never behind the flight clock."""
        with self._catching_up:
            lag = self.flight.now() - super().now()
            if lag > 0:
                self.advance(lag)
            return super().now_ns()

    def now(self) -> float:
        """Simulated seconds, never behind the flight clock."""
        return self.now_ns() / 1_000_000_000


class Hardware:
    """One board's devices for the apps; build it with `for_board`.

    Args:
        board: the board's URLs.
        wiring: where the payload's devices sit.
        health: the health source.
        sim: the simulated board, or None on real hardware.
        unit: the name `sim` is registered under (``sim:UNIT/i2c1``), or None.
    """

    def __init__(
        self,
        board: Board,
        *,
        wiring: Wiring,
        health: HealthSource,
        sim: SimBoard | None = None,
        unit: str | None = None,
    ) -> None:
        self.board = board
        self.wiring = wiring
        self.health = health
        self.sim = sim
        self.unit = unit
        self._i2c: I2CBus | None = None
        self._watchdog: Watchdog | None = None
        self._now: Callable[[], float] | None = None
        self._sleep: Callable[[float], object] | None = None
        if sim is not None:
            self._now, self._sleep = sim.clock.now, sim.clock.sleep

    @classmethod
    def for_board(
        cls, name: str, *, clock: Clock, unit: str | None = None, storage_path: str = "/"
    ) -> "Hardware":
        """Assemble the board called `name` (a `hal.boards` name, as a mission gives it).

        Args:
            name: the board name.
            clock: the flight clock; the sim board's time follows it.
            unit: name to register a sim board under (unique per flight when None).
            storage_path: the filesystem whose use the health source reports.

        Raises:
            hal.errors.ConfigError: an unknown board name.
        """
        board = load_board(name)
        wiring = WIRING.get(name, Wiring())
        if board.sim is None:
            return cls(board, wiring=wiring, health=LinuxHealth(storage_path=storage_path))
        unit = unit or f"flight{next(_units)}"
        sim_clock = FlightSimClock(clock)
        sim = register_board(SimBoard(board.sim, clock=sim_clock, name=unit), unit)
        for model, quantities in SIM_NOMINAL.items():
            cast("SimModel", sim.model(model)).set(**quantities)
        return cls(board, wiring=wiring, health=SimHealth(), sim=sim, unit=unit)

    @property
    def sim_health(self) -> SimHealth:
        """The simulated health source (sim board only), for setting stimulus.

        Raises:
            TypeError: the board is real.
        """
        if not isinstance(self.health, SimHealth):
            raise TypeError(f"board {self.board.name!r} reports real health")
        return self.health

    def url(self, url: str) -> str:
        """`url` from the board data, pointed at this unit's simulated board if there is one.

        >>> from flight.core import SimulatedClock
        >>> hw = Hardware.for_board("sim", clock=SimulatedClock(), unit="doc")
        >>> hw.url("sim:i2c1"), hw.url("sim:gpio0:17")
        ('sim:doc/i2c1', 'sim:doc/gpio0:17')
        >>> hw.close()
        """
        if self.unit is None or not url.startswith("sim:"):
            return url
        return f"sim:{self.unit}/{url[len('sim:') :]}"

    # -- buses -------------------------------------------------------------------------------

    def i2c(self) -> I2CBus:
        """The payload's I2C bus, opened once and shared by its drivers."""
        if self._i2c is None:
            self._i2c = open_i2c(self.url(self.board.i2c[self.wiring.i2c]))
        return self._i2c

    def spi(self) -> SpiDevice:
        """The ADC's SPI device."""
        return open_spi(self.url(self.board.spi[self.wiring.spi]))

    def uart(self) -> Uart:
        """The GNSS receiver's serial port."""
        uart = open_uart(self.url(self.board.uart[self.wiring.uart]))
        uart.configure(baudrate=self.wiring.gnss_baudrate)
        return uart

    def watchdog(self) -> Watchdog:
        """The board's hardware watchdog, opened once (closed with the board)."""
        if self._watchdog is None:
            self._watchdog = open_watchdog(self.url(self.board.watchdog))
        return self._watchdog

    def enable_line(self) -> GpioLine:
        """The payload power switch, configured as an output."""
        line = open_gpio(self.url(self.board.gpio_url(self.wiring.enable_pin)))
        line.configure(direction="out")
        return line

    # -- chip drivers (each probes its chip and raises the HAL's typed errors) ---------------

    def bme280(self) -> "Bme280":
        """Open the environment sensor."""
        from hal.chips import Bme280  # noqa: PLC0415 - only the chips opened get imported

        return Bme280(self.i2c(), address=self.wiring.bme280, clock=self._now, sleep=self._sleep)

    def ina219(self) -> "Ina219":
        """Open the payload rail monitor (0.1 ohm shunt, 2 A full scale)."""
        from hal.chips import Ina219  # noqa: PLC0415 - only the chips opened get imported

        return Ina219(self.i2c(), address=self.wiring.ina219, clock=self._now, sleep=self._sleep)

    def tmp117(self) -> "Tmp117":
        """Open the detector temperature sensor."""
        from hal.chips import Tmp117  # noqa: PLC0415 - only the chips opened get imported

        return Tmp117(self.i2c(), address=self.wiring.tmp117, clock=self._now, sleep=self._sleep)

    def lsm6dsox(self) -> "Lsm6dsox":
        """Open the IMU."""
        from hal.chips import Lsm6dsox  # noqa: PLC0415 - only the chips opened get imported

        return Lsm6dsox(
            self.i2c(), address=self.wiring.lsm6dsox, clock=self._now, sleep=self._sleep
        )

    def mcp3008(self) -> "Mcp3008":
        """Open the detector ADC."""
        from hal.chips import Mcp3008  # noqa: PLC0415 - only the chips opened get imported

        return Mcp3008(self.spi())

    def gnss(self) -> "Gnss":
        """Open the GNSS receiver."""
        from hal.chips import Gnss  # noqa: PLC0415 - only the chips opened get imported

        return Gnss(self.uart(), clock=self._now)

    def fram(self) -> "Fram":
        """Open the FRAM that keeps the persistent counters."""
        from hal.chips import Fram  # noqa: PLC0415 - only the chips opened get imported

        return Fram(self.i2c(), address=self.wiring.fram)

    def close(self) -> None:
        """Close the shared bus and the watchdog (as it is: stop it first to disarm it), and
        forget the simulated board's registration."""
        if self._i2c is not None:
            self._i2c.close()
            self._i2c = None
        if self._watchdog is not None:
            self._watchdog.close()
            self._watchdog = None
        if self.unit is not None:
            unregister_board(self.unit)


class HardwareApp(App):
    """An app that uses the board's devices: the assembly passes it the mission's `Hardware`.

    Args:
        ctx: what every app gets.
        hardware: the mission's board.
    """

    def __init__(self, ctx: AppContext, hardware: Hardware) -> None:
        super().__init__(ctx)
        self.hardware = hardware
