"""Simulated hardware watchdog that expires if not kicked in time.

Expiry is evaluated against the injected clock whenever the watchdog is looked at, so with a
SimClock a test advances time and then asserts ``expired``. Like the Linux driver, timeouts are
whole seconds between 1 and ``max_timeout_s``; ``stop()`` is the magic close and is ignored
when the watchdog was built with ``nowayout=True``; ``close()`` without ``stop()`` leaves it
running.
"""

from hal.backends.sim._common import check_open
from hal.backends.sim.clock import RealClock, SimClock
from hal.errors import ConfigError

__all__ = ["SimWatchdog"]


class SimWatchdog:
    """A simulated watchdog; implements the Watchdog interface.

    Args:
        name: Name used in errors.
        clock: RealClock or SimClock.
        max_timeout_s: Largest timeout the hardware supports (15 s on the BCM2835 family).
        nowayout: If True, stop() cannot disarm it (the kernel's CONFIG_WATCHDOG_NOWAYOUT).
    """

    def __init__(
        self,
        name: str = "sim:watchdog",
        *,
        clock: RealClock | SimClock | None = None,
        max_timeout_s: int = 15,
        nowayout: bool = False,
    ) -> None:
        self.name = name
        self.clock = RealClock() if clock is None else clock
        self.max_timeout_s = max_timeout_s
        self.nowayout = nowayout
        self.kicks = 0
        self.expirations = 0
        self._timeout_s = max_timeout_s
        self._running = False
        self._last_kick = 0.0
        self._expired = False
        self._closed = False

    @property
    def timeout_s(self) -> float:
        """The timeout in force, in seconds."""
        return float(self._timeout_s)

    @property
    def running(self) -> bool:
        """Whether the watchdog is armed."""
        self._update()
        return self._running

    @property
    def expired(self) -> bool:
        """Whether it ran out (latched until ``reset_board()``)."""
        self._update()
        return self._expired

    def start(self, timeout_s: float) -> None:
        """Arm with ``timeout_s`` rounded to whole seconds (ConfigError outside 1..max)."""
        check_open(self._closed, bus=self.name)
        seconds = round(timeout_s)
        if not 1 <= seconds <= self.max_timeout_s:
            raise ConfigError(
                f"watchdog timeout {timeout_s!r} s is outside 1..{self.max_timeout_s} s",
                bus=self.name,
            )
        self._update()
        self._timeout_s = seconds
        self._running = True
        self._last_kick = self.clock.now()

    def kick(self) -> None:
        """Restart the countdown."""
        check_open(self._closed, bus=self.name)
        self._update()
        if self._running:
            self.kicks += 1
            self._last_kick = self.clock.now()

    def stop(self) -> None:
        """Disarm, unless built with nowayout."""
        check_open(self._closed, bus=self.name)
        self._update()
        if not self.nowayout:
            self._running = False

    def close(self) -> None:
        """Release the device; an armed watchdog keeps counting."""
        self._closed = True

    def reopen(self) -> None:
        """Allow use again after close() (a new process opening /dev/watchdog)."""
        self._closed = False

    def reset_board(self) -> None:
        """Acknowledge an expiry: the board 'rebooted', the watchdog is disarmed."""
        self._expired = False
        self._running = False
        self._closed = False

    def _update(self) -> None:
        if self._running and self.clock.now() - self._last_kick > self._timeout_s:
            self._running = False
            self._expired = True
            self.expirations += 1
