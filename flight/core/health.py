"""Health: app heartbeats -> systemd ``WATCHDOG=1`` -> the hardware watchdog.

Every app checks in each cycle: the executive stamps `AppSlot.checked_in` whenever the app's
step returns. The monitor, on its own thread, looks at those stamps; only while every app
that is meant to run has checked in within `stale_after` seconds does it kick the hardware
watchdog and send ``WATCHDOG=1``. A handler that blocks stalls the whole loop, so every
heartbeat ages; an app stuck failing is as silent. Either way the kicking stops, ``STATUS=``
names the silent apps and what the loop is busy with, and systemd (then the hardware) resets
what the flight cannot recover from itself. Apps the executive has disabled are not waited
for: it contained them on purpose, and says so in events and housekeeping.

The hardware watchdog is any object with ``start(timeout_s)``, ``kick()`` and ``stop()``
(the HAL's `Watchdog`); `stop` runs only on a clean shutdown.
"""

import logging
import threading
from typing import Protocol

from flight.core.clock import Clock
from flight.core.executive import Executive
from flight.core.notify import SystemdNotifier
from flight.core.slots import AppState

__all__ = ["HardwareWatchdog", "HealthMonitor"]

log = logging.getLogger(__name__)


class HardwareWatchdog(Protocol):
    """What the monitor needs from a hardware watchdog (the HAL's `Watchdog` fits)."""

    def start(self, timeout_s: float) -> None:
        """Arm with `timeout_s`."""
        ...

    def kick(self) -> None:
        """Restart the countdown."""
        ...

    def stop(self) -> None:
        """Disarm (clean shutdown only)."""
        ...


class HealthMonitor:
    """Chains the apps' heartbeats to systemd's watchdog and the hardware watchdog.

    Args:
        clock: the executive's clock (the heartbeats are its readings).
        executive: whose apps must check in.
        notifier: systemd's notification socket, or None.
        watchdog: the hardware watchdog, or None.
        watchdog_timeout_s: what the hardware watchdog is armed with; kicked at a third of it.
        stale_after: seconds without a check-in after which an app counts as hung.
    """

    def __init__(
        self,
        clock: Clock,
        executive: Executive,
        *,
        notifier: SystemdNotifier | None = None,
        watchdog: HardwareWatchdog | None = None,
        watchdog_timeout_s: float = 15.0,
        stale_after: float = 2.0,
    ) -> None:
        if stale_after <= 0 or watchdog_timeout_s <= 0:
            raise ValueError("heartbeat and watchdog timeouts must be positive")
        self._clock = clock
        self._executive = executive
        self.notifier = notifier
        self.watchdog = watchdog
        self.watchdog_timeout_s = watchdog_timeout_s
        self.stale_after = stale_after
        self.kicks = 0
        self.keepalives = 0
        self.withheld = 0  # checks that found a silent app and kicked nothing
        self.silent: tuple[str, ...] = ()
        self._notify_due = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def period(self) -> float:
        """Seconds between checks: often enough for every consumer."""
        candidates = [self.stale_after / 2, self.watchdog_timeout_s / 3]
        if self.notifier is not None and self.notifier.watchdog_interval is not None:
            candidates.append(self.notifier.watchdog_interval)
        return min(candidates)

    def silent_apps(self, now: float) -> tuple[str, ...]:
        """Names of the apps that should have checked in by `now` and have not."""
        return tuple(
            slot.app.name
            for slot in self._executive.slots
            if slot.state is not AppState.DISABLED and now - slot.checked_in > self.stale_after
        )

    def ready(self) -> None:
        """Arm the hardware watchdog and tell systemd the flight is up."""
        if self.watchdog is not None:
            self.watchdog.start(self.watchdog_timeout_s)
        if self.notifier is not None:
            self.notifier.notify(READY="1", STATUS="flying")
        self._notify_due = self._clock.now()

    def check(self) -> bool:
        """Kick and keep alive if every app checked in recently; return whether it did."""
        now = self._clock.now()
        silent = self.silent_apps(now)
        if silent != self.silent:
            self.silent = silent
            self._status(silent)
        if silent:
            self.withheld += 1
            return False
        if self.watchdog is not None:
            self.watchdog.kick()
            self.kicks += 1
        interval = None if self.notifier is None else self.notifier.watchdog_interval
        if self.notifier is not None and interval is not None and now >= self._notify_due:
            self.notifier.notify(WATCHDOG="1")
            self.keepalives += 1
            # On a grid from `ready`, so a late check does not push every later one back.
            self._notify_due += interval
            if self._notify_due <= now:
                self._notify_due = now + interval
        return True

    def _status(self, silent: tuple[str, ...]) -> None:
        if not silent:
            log.warning("every app checks in again; keeping the watchdogs alive")
            text = "flying"
        else:
            busy = self._executive.busy
            where = f"; loop busy in {busy.app.name}" if busy is not None else ""
            text = f"not checking in: {', '.join(silent)}{where}"
            log.error("%s: withholding the watchdog keep-alive", text)
        if self.notifier is not None:
            self.notifier.notify(STATUS=text)

    # -- the thread ------------------------------------------------------------------------

    def start_thread(self) -> None:
        """Check on a daemon thread until `stop`; it must not share the loop's fate."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="starling-health", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        period = self.period
        while True:
            healthy = False
            try:
                healthy = self.check()
            except Exception:
                # A watchdog that raises must not end the monitoring; kicking just stops.
                log.exception("health check failed")
            wait = period
            if healthy and self.notifier is not None and self.notifier.watchdog_interval:
                # Wake when the next keep-alive is due, so it goes out at half WATCHDOG_USEC.
                wait = min(period, max(0.001, self._notify_due - self._clock.now()))
            if self._stop.wait(wait):
                return

    def stop(self) -> None:
        """End the thread, disarm the hardware watchdog and tell systemd the flight stops."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            self._thread = None
        if self.watchdog is not None:
            self.watchdog.stop()
        if self.notifier is not None:
            self.notifier.notify(STOPPING="1", STATUS="stopping")
