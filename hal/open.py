"""Open buses by URL: the one place where a backend is chosen.

A URL is ``SCHEME:TARGET[?key=value&...]``; the scheme names a backend, the target is what
that backend understands. Examples::

    open_i2c("linux:/dev/i2c-1")          open_i2c("sim:i2c1")        open_i2c("mpy:0?freq=400000")
    open_spi("linux:/dev/spidev0.0")      open_spi("sim:spi0.1")      open_spi("mpy:0?cs=17")
    open_gpio("linux:/dev/gpiochip0:17")  open_gpio("sim:gpio0:17")   open_gpio("mpy:17")
    open_uart("linux:/dev/serial0?baudrate=9600")  open_uart("sim:uart0")
    open_pwm("linux:/sys/class/pwm/pwmchip0:0")    open_pwm("sim:pwm0:0")
    open_watchdog("linux:/dev/watchdog")           open_watchdog("sim:watchdog")

Backends register a factory per (kind, scheme) as a dotted name, imported only when a URL
uses it, so a CPython host never imports ``machine`` and a sim run never touches /dev.
Unknown schemes, kinds and malformed URLs raise ConfigError.
"""

import importlib
from collections.abc import Callable
from typing import Any, cast

from hal.errors import ConfigError
from hal.interfaces import GpioLine, I2CBus, Pwm, SpiDevice, Uart, Watchdog

__all__ = [
    "KINDS",
    "Url",
    "open_gpio",
    "open_i2c",
    "open_pwm",
    "open_spi",
    "open_uart",
    "open_watchdog",
    "parse_url",
    "register_backend",
]

KINDS = ("i2c", "spi", "gpio", "uart", "pwm", "watchdog")

Factory = Callable[["Url"], Any]

_REGISTRY: dict[tuple[str, str], str | Factory] = {}

for _kind in KINDS:
    _REGISTRY[(_kind, "linux")] = f"hal.backends.linux.{_kind}:open_url"
    _REGISTRY[(_kind, "sim")] = f"hal.backends.sim.urls:open_{_kind}"
    _REGISTRY[(_kind, "mpy")] = f"hal.backends.micropython.urls:open_{_kind}"


class Url:
    """A parsed bus URL.

    Attributes:
        url: The original text.
        scheme: Backend name, e.g. "linux".
        target: Everything between the scheme and the query, e.g. "/dev/i2c-1".
        options: Query parameters as strings.
    """

    def __init__(self, url: str, scheme: str, target: str, options: dict[str, str]) -> None:
        self.url = url
        self.scheme = scheme
        self.target = target
        self.options = options

    def __repr__(self) -> str:
        return f"Url({self.url!r})"

    def split_index(self) -> tuple[str, int]:
        """Split a ``NAME:INDEX`` target (a GPIO line or PWM channel) into its parts.

        Raises:
            ConfigError: The target has no ``:INDEX`` or the index is not a non-negative int.
        """
        name, sep, index = self.target.rpartition(":")
        if not sep or not name:
            raise ConfigError(f"{self.url!r}: expected NAME:INDEX after the scheme")
        return name, self.int_value(index, what="index")

    def int_option(self, key: str, default: int | None = None) -> int | None:
        """Return the integer option ``key``, or ``default`` when absent."""
        text = self.options.get(key)
        if text is None:
            return default
        return self.int_value(text, what=key)

    def int_value(self, text: str, *, what: str) -> int:
        """Parse ``text`` as a non-negative integer (decimal or 0x-prefixed)."""
        try:
            value = int(text, 0)
        except ValueError:
            raise ConfigError(f"{self.url!r}: {what} {text!r} is not an integer") from None
        if value < 0:
            raise ConfigError(f"{self.url!r}: {what} must not be negative")
        return value


def parse_url(url: str) -> Url:
    """Split ``SCHEME:TARGET[?k=v&...]``.

    Raises:
        ConfigError: No scheme, or a query item without ``=``.

    >>> u = parse_url("linux:/dev/serial0?baudrate=9600")
    >>> (u.scheme, u.target, u.options)
    ('linux', '/dev/serial0', {'baudrate': '9600'})
    """
    if not isinstance(url, str):
        raise ConfigError(f"bus URL must be a string, not {type(url).__name__}")
    scheme, sep, rest = url.partition(":")
    if not sep or not scheme or not scheme.isidentifier():
        raise ConfigError(f"{url!r} is not a bus URL (expected SCHEME:TARGET, e.g. sim:i2c1)")
    target, _, query = rest.partition("?")
    options: dict[str, str] = {}
    if query:
        for item in query.split("&"):
            key, eq, value = item.partition("=")
            if not eq or not key:
                raise ConfigError(f"{url!r}: query item {item!r} is not key=value")
            options[key] = value
    return Url(url, scheme, target, options)


def register_backend(kind: str, scheme: str, factory: str | Factory) -> None:
    """Register (or replace) the factory that opens ``kind`` buses for ``scheme`` URLs.

    Args:
        kind: One of KINDS.
        scheme: URL scheme, e.g. "linux".
        factory: A callable taking a Url, or its dotted name "package.module:function".
    """
    if kind not in KINDS:
        raise ConfigError(f"unknown bus kind {kind!r}; expected one of {', '.join(KINDS)}")
    _REGISTRY[(kind, scheme)] = factory


def _resolve(kind: str, url: str) -> tuple[Factory, Url]:
    parsed = parse_url(url)
    entry = _REGISTRY.get((kind, parsed.scheme))
    if entry is None:
        schemes = sorted(s for (k, s) in _REGISTRY if k == kind)
        raise ConfigError(
            f"{url!r}: no {kind} backend for scheme {parsed.scheme!r}; known: {', '.join(schemes)}"
        )
    if isinstance(entry, str):
        module_name, _, attr = entry.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ConfigError(f"{url!r}: backend {module_name} is unavailable here: {exc}") from exc
        entry = cast(Factory, getattr(module, attr))
    return entry, parsed


def _open(kind: str, url: str) -> Any:
    factory, parsed = _resolve(kind, url)
    return factory(parsed)


def open_i2c(url: str) -> I2CBus:
    """Open the I2C bus named by ``url``."""
    return cast(I2CBus, _open("i2c", url))


def open_spi(url: str) -> SpiDevice:
    """Open the SPI device (bus and chip select) named by ``url``."""
    return cast(SpiDevice, _open("spi", url))


def open_gpio(url: str) -> GpioLine:
    """Open the GPIO line named by ``url``."""
    return cast(GpioLine, _open("gpio", url))


def open_uart(url: str) -> Uart:
    """Open the serial port named by ``url``."""
    return cast(Uart, _open("uart", url))


def open_pwm(url: str) -> Pwm:
    """Open the PWM output named by ``url``."""
    return cast(Pwm, _open("pwm", url))


def open_watchdog(url: str) -> Watchdog:
    """Open the hardware watchdog named by ``url``."""
    return cast(Watchdog, _open("watchdog", url))
