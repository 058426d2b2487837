"""Watchdog over ``machine.WDT``.

A microcontroller watchdog starts when constructed and cannot be stopped or re-timed (the
RP2040's longest timeout is 8388 ms), so ``stop()`` raises ConfigError instead of pretending.
"""

from hal.errors import ConfigError, NotOpen

__all__ = ["MpyWatchdog"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from machine import WDT


class MpyWatchdog:
    """Adapter building a ``machine.WDT`` on ``start()``.

    Args:
        wdt_class: The WDT class (``machine.WDT``); injected so this module imports anywhere.
        wdt_id: Watchdog id (0 on every port with one).
        max_timeout_s: Longest timeout the chip supports.
    """

    def __init__(
        self,
        wdt_class: "type[WDT]",
        *,
        wdt_id: int = 0,
        max_timeout_s: float = 8.388,
        name: str = "mpy:watchdog",
    ) -> None:
        self._wdt_class = wdt_class
        self._wdt: WDT | None = None
        self._id = wdt_id
        self._timeout_s = 0.0
        self.max_timeout_s = max_timeout_s
        self.name = name

    @property
    def timeout_s(self) -> float:
        """The timeout in force (0.0 before start)."""
        return self._timeout_s

    def start(self, timeout_s: float) -> None:
        """Start the watchdog; it cannot be re-timed afterwards."""
        if not 0.001 <= timeout_s <= self.max_timeout_s:
            raise ConfigError("watchdog timeout out of range", bus=self.name)
        if self._wdt is not None:
            raise ConfigError("this watchdog cannot be re-timed once started", bus=self.name)
        self._wdt = self._wdt_class(id=self._id, timeout=int(timeout_s * 1000))
        self._timeout_s = timeout_s

    def kick(self) -> None:
        """Feed the watchdog."""
        if self._wdt is None:
            raise NotOpen("watchdog not started", bus=self.name)
        self._wdt.feed()

    def stop(self) -> None:
        """Refuse: machine.WDT cannot be stopped."""
        raise ConfigError("machine.WDT cannot be stopped once started", bus=self.name)

    def close(self) -> None:
        """Nothing to release; a started watchdog keeps running."""
