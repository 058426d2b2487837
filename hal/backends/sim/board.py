"""SimBoard: named device models wired onto simulated buses, and the stimulus API.

This is what tests and the HIL rig drive::

    board = SimBoard(spec, clock=SimClock())
    board.model("bme280").set(temperature_c=21.5)
    board.inject("bme280", "nack", count=2)
    board.advance(0.5)

A spec is plain data (hal/boards/sim.py holds the shipped one)::

    {
        "i2c": ["i2c1"], "spi": ["spi0"], "uart": ["uart0"],
        "gpio": {"gpio0": 32}, "pwm": {"pwm0": 2}, "watchdog": {"max_timeout_s": 15},
        "models": [
            {"name": "bme280", "class": "hal.backends.sim.models.bme280.Bme280Model",
             "kind": "i2c", "bus": "i2c1", "address": 0x76, "options": {}},
            {"name": "mcp3008", "class": "...", "kind": "spi", "bus": "spi0", "cs": 0},
            {"name": "gnss", "class": "...", "kind": "uart", "bus": "uart0"},
        ],
    }

Model classes are imported by dotted name and built with ``cls(**options)``; an I2C model's
own ``address`` must match the wiring's. Runs on MicroPython (``__import__``, no importlib).
"""

from hal.backends.sim.clock import ModelTimer, RealClock, SimClock
from hal.backends.sim.gpio import SimGpioChip
from hal.backends.sim.i2c import SimI2CBus
from hal.backends.sim.pwm import SimPwmChip
from hal.backends.sim.spi import SimSpiBus
from hal.backends.sim.uart import SimUart
from hal.backends.sim.watchdog import SimWatchdog
from hal.errors import ConfigError

# True for mypy only: MicroPython has no typing module (see hal.deadline).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, TypeVar

    T = TypeVar("T")
    Spec = Mapping[str, Any]

__all__ = ["SimBoard", "import_class"]


def import_class(dotted: str) -> "Any":
    """Import ``package.module.ClassName`` and return the class (ConfigError if missing)."""
    module_name, _, class_name = dotted.rpartition(".")
    if not module_name:
        raise ConfigError(f"model class {dotted!r} is not a dotted name")
    try:
        module = __import__(module_name, None, None, [class_name])
    except ImportError as exc:
        raise ConfigError(f"cannot import {module_name}: {exc}") from exc
    cls = getattr(module, class_name, None)
    if cls is None:
        raise ConfigError(f"{module_name} has no {class_name}")
    return cls


class SimBoard:
    """A simulated board built from a spec (see the module docstring).

    Args:
        spec: The board's buses and models; None for an empty board.
        clock: SimClock for simulated time (the default for tests); RealClock for real time.
        name: Board name used in bus names, e.g. "sim:i2c1" for the default board.
    """

    def __init__(
        self,
        spec: "Spec | None" = None,
        *,
        clock: RealClock | SimClock | None = None,
        name: str = "default",
    ) -> None:
        spec = {} if spec is None else spec
        self.name = name
        self.clock = SimClock() if clock is None else clock
        self._timer = ModelTimer(self.clock)
        self._prefix = "sim:" if name == "default" else "sim:" + name + "/"
        self._i2c: dict[str, SimI2CBus] = {}
        self._spi: dict[str, SimSpiBus] = {}
        self._uart: dict[str, SimUart] = {}
        self._gpio: dict[str, SimGpioChip] = {}
        self._pwm: dict[str, SimPwmChip] = {}
        self._models: dict[str, tuple[object, Spec]] = {}
        for bus in spec.get("i2c", ()):
            self._i2c[bus] = SimI2CBus(self._prefix + bus, clock=self.clock, timer=self._timer)
        for bus in spec.get("spi", ()):
            self._spi[bus] = SimSpiBus(self._prefix + bus, clock=self.clock, timer=self._timer)
        for port in spec.get("uart", ()):
            self._uart[port] = SimUart(self._prefix + port, clock=self.clock, timer=self._timer)
        for chip, lines in spec.get("gpio", {}).items():
            self._gpio[chip] = SimGpioChip(self._prefix + chip, num_lines=lines, clock=self.clock)
        for chip, channels in spec.get("pwm", {}).items():
            self._pwm[chip] = SimPwmChip(self._prefix + chip, num_channels=channels)
        self.watchdog = SimWatchdog(
            self._prefix + "watchdog", clock=self.clock, **spec.get("watchdog", {})
        )
        for wiring in spec.get("models", ()):
            cls = import_class(wiring["class"])
            model = cls(**wiring.get("options", {}))
            self.add_model(model, wiring=wiring)

    # --- wiring --------------------------------------------------------------------------
    def add_model(self, model: object, *, wiring: "Spec") -> None:
        """Wire ``model`` as described by ``wiring`` (name, kind, bus, address or cs)."""
        name = wiring.get("name") or getattr(model, "name", None)
        if not name or name in self._models:
            raise ConfigError(f"model name {name!r} is missing or already used")
        kind = wiring.get("kind")
        bus = wiring.get("bus")
        if not isinstance(bus, str):
            raise ConfigError(f"model {name!r}: wiring needs the name of its bus")
        if kind == "i2c":
            address = wiring.get("address")
            if address is not None and getattr(model, "address", None) != address:
                raise ConfigError(
                    f"model {name!r} answers at {getattr(model, 'address', None)!r}"
                    f", wiring says {address!r}"
                )
            self.i2c(bus).attach(model)
        elif kind == "spi":
            self.spi(bus).attach(model, cs=wiring.get("cs", 0))
        elif kind == "uart":
            self.uart(bus).attach(model)
        else:
            raise ConfigError(f"model {name!r}: kind {kind!r} must be i2c, spi or uart")
        self._models[name] = (model, wiring)

    # --- buses ---------------------------------------------------------------------------
    def i2c(self, bus: str) -> SimI2CBus:
        """Return the simulated I2C bus ``bus``."""
        return self._lookup(self._i2c, bus, "I2C bus")

    def spi(self, bus: str) -> SimSpiBus:
        """Return the simulated SPI bus ``bus``."""
        return self._lookup(self._spi, bus, "SPI bus")

    def uart(self, port: str) -> SimUart:
        """Return the simulated UART ``port``."""
        return self._lookup(self._uart, port, "UART")

    def gpio(self, chip: str) -> SimGpioChip:
        """Return the simulated GPIO chip ``chip``."""
        return self._lookup(self._gpio, chip, "GPIO chip")

    def pwm(self, chip: str) -> SimPwmChip:
        """Return the simulated PWM chip ``chip``."""
        return self._lookup(self._pwm, chip, "PWM chip")

    # --- stimulus ------------------------------------------------------------------------
    def model(self, name: str) -> object:
        """Return the model called ``name``."""
        return self._model(name)[0]

    def models(self) -> list[str]:
        """Names of all wired models."""
        return sorted(self._models)

    def inject(self, name: str, fault: str, **options: object) -> None:
        """Inject a bus fault on the model called ``name`` (the fault names of its bus kind)."""
        _, wiring = self._model(name)
        kind, bus = wiring["kind"], wiring["bus"]
        if kind == "i2c":
            self.i2c(bus).inject(wiring["address"], fault, **options)
        elif kind == "spi":
            self.spi(bus).inject(wiring.get("cs", 0), fault, **options)
        else:
            self.uart(bus).inject(fault, **options)  # type: ignore[arg-type]

    def clear_faults(self, name: str | None = None) -> None:
        """Clear the faults of one model, or of every bus."""
        if name is None:
            for buses in (self._i2c, self._spi, self._uart):
                for bus in buses.values():
                    bus.clear_faults()
            return
        _, wiring = self._model(name)
        kind, bus = wiring["kind"], wiring["bus"]
        if kind == "i2c":
            self.i2c(bus).clear_faults(wiring["address"])
        elif kind == "spi":
            self.spi(bus).clear_faults(wiring.get("cs", 0))
        else:
            self.uart(bus).clear_faults()

    def advance(self, dt_s: float) -> None:
        """Move simulated time forward (a SimClock board only)."""
        if not isinstance(self.clock, SimClock):
            raise ConfigError("advance() needs a board built with a SimClock")
        self.clock.advance(dt_s)

    def _model(self, name: str) -> "tuple[object, Spec]":
        try:
            return self._models[name]
        except KeyError:
            known = ", ".join(sorted(self._models)) or "none"
            raise ConfigError(f"no model {name!r} on this board (known: {known})") from None

    def _lookup(self, table: "dict[str, T]", key: str, what: str) -> "T":
        try:
            return table[key]
        except KeyError:
            known = ", ".join(sorted(table)) or "none"
            raise ConfigError(
                f"no {what} {key!r} on sim board {self.name!r} (known: {known})"
            ) from None
