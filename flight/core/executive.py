"""The executive: one thread, one deterministic loop over an injected clock.

Apps run in rate groups (e.g. 1, 10 and 50 Hz) whose deadlines sit on a fixed grid,
``start + k / rate``, so scheduling never drifts; a group whose work runs past its next
deadline counts an overrun and skips the slots it missed. Between deadlines the loop waits on
its I/O (links, the worker wake-up) with the next deadline as timeout.

A failing app is contained: its exception is logged, it is marked failed, `APP_FAILED` is
emitted, and it is restarted after an exponential backoff; after `max_failures` failures
within the health window it is disabled (`APP_DISABLED`) and the rest keeps flying.
SIGTERM and SIGINT stop the loop cleanly.
"""

import contextlib
import logging
import math
import selectors
import signal
import socket
from collections.abc import Callable
from types import FrameType
from typing import Any

from flight.core.app import App
from flight.core.bus import EVENT_MID, SoftwareBus
from flight.core.clock import Clock
from flight.core.declarations import EventDef, EventRecord, Severity
from flight.core.errors import CommandRejectedError, FailureCode
from flight.core.slots import AppSlot, AppState, RateGroup
from flight.core.workers import Workers

__all__ = [
    "APP_DISABLED",
    "APP_FAILED",
    "APP_RESTARTED",
    "EXECUTIVE_EVENTS",
    "AppSlot",
    "AppState",
    "Executive",
    "RateGroup",
]

log = logging.getLogger(__name__)

APP_FAILED = EventDef(20, "APP_FAILED", Severity.MEDIUM, "aux: APID (u16), failures (u8)")
APP_RESTARTED = EventDef(21, "APP_RESTARTED", Severity.INFO, "aux: APID (u16), restarts (u8)")
APP_DISABLED = EventDef(22, "APP_DISABLED", Severity.HIGH, "aux: APID (u16), failures (u8)")
EXECUTIVE_EVENTS = (APP_FAILED, APP_RESTARTED, APP_DISABLED)


def _aux(apid: int, count: int) -> bytes:
    return apid.to_bytes(2, "big") + min(count, 0xFF).to_bytes(1, "big")


class Executive:
    """Runs apps and tasks in rate groups on one thread over `clock`.

    Args:
        clock: the time source (`MonotonicClock` on a board, `SimulatedClock` in tests).
        bus: the software bus; the executive publishes its own events there.
        rates: the rate groups in Hz.
        apid: APID the executive's events are reported on (the core app's).
        max_failures: failures within `health_window` seconds that disable an app.
        backoff: seconds before the first restart; doubles with every further failure.
        max_backoff: the longest wait before a restart.
        health_window: seconds without failure after which an app's failure count resets.
        workers: the pool for blocking work, if any; collected every loop iteration.
    """

    def __init__(
        self,
        clock: Clock,
        bus: SoftwareBus,
        *,
        rates: tuple[int, ...] = (1, 10, 50),
        apid: int = 100,
        max_failures: int = 3,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        health_window: float = 600.0,
        workers: Workers | None = None,
    ) -> None:
        if not rates or any(hz <= 0 for hz in rates):
            raise ValueError(f"rate groups need positive rates, got {rates}")
        self.clock = clock
        self.bus = bus
        self.apid = apid
        self.max_failures = max_failures
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.health_window = health_window
        self.workers = workers
        self.groups = {hz: RateGroup(hz) for hz in sorted(set(rates), reverse=True)}
        self.slots: list[AppSlot] = []
        self._by_app: dict[int, AppSlot] = {}
        self._selector = selectors.DefaultSelector()
        self._readers = 0
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._selector.register(self._wake_r, selectors.EVENT_READ, None)
        if workers is not None:
            workers.set_wake(self.wake)
        self._active: list[RateGroup] = []
        self._failed = 0  # apps waiting for a restart; spares the loop a scan when none
        self._stop_requested = False
        self._started = False
        self.io_errors = 0
        self.task_errors = 0
        self.busy: AppSlot | None = None  # whose code the loop is running (health reports it)

    # -- assembly ------------------------------------------------------------------------

    def add_app(self, app: App, rate_hz: int) -> AppSlot:
        """Schedule `app.step` in the `rate_hz` group."""
        group = self._group(rate_hz)
        slot = AppSlot(app, rate_hz)
        group.slots.append(slot)
        self.slots.append(slot)
        self._by_app[id(app)] = slot
        return slot

    def add_task(self, rate_hz: int, name: str, fn: Callable[[], None]) -> None:
        """Schedule a system task (e.g. periodic housekeeping) in the `rate_hz` group."""
        self._group(rate_hz).tasks.append((name, fn))

    def add_reader(self, fileobj: Any, on_readable: Callable[[], None]) -> None:
        """Call `on_readable()` from the loop whenever `fileobj` has input."""
        self._selector.register(fileobj, selectors.EVENT_READ, on_readable)
        self._readers += 1

    def _group(self, rate_hz: int) -> RateGroup:
        group = self.groups.get(rate_hz)
        if group is None:
            raise ValueError(f"no {rate_hz} Hz rate group; the groups are {sorted(self.groups)}")
        return group

    # -- the loop --------------------------------------------------------------------------

    def start(self) -> None:
        """Put the grid at the clock's current reading and start every app."""
        now = self.clock.now()
        for group in self.groups.values():
            group.start = now
            group.move_to(0)
        # An empty group would only wake the loop for nothing.
        self._active = [g for g in self.groups.values() if g.slots or g.tasks]
        for slot in self.slots:
            slot.checked_in = now
            self._guard(slot, slot.app.start, now)
        self._started = True

    def run(self, duration: float | None = None) -> None:
        """Run the loop until `request_stop()` (or a signal), or for `duration` seconds."""
        if not self._started:
            self.start()
        clock = self.clock
        until = math.inf if duration is None else clock.now() + duration
        while not self._stop_requested:
            now = clock.now()
            if now >= until:
                break
            deadline = min(self._next_deadline(), until)
            if deadline > now:
                clock.wait_until(deadline, self._poll)
            else:
                self._poll(0.0)
            if self.workers is not None:
                self.workers.collect()
            self._run_due(clock.now())

    def _next_deadline(self) -> float:
        deadline = math.inf
        for group in self._active:
            deadline = min(deadline, group.deadline)
        if self._failed:
            for slot in self.slots:
                if slot.state is AppState.FAILED and slot.restart_at < deadline:
                    deadline = slot.restart_at
        return deadline

    def _poll(self, timeout: float) -> None:
        if timeout <= 0.0 and not self._readers:
            return  # nothing to poll: keeps simulated flight at millions of ticks per minute
        for key, _ in self._selector.select(timeout):
            if key.data is None:
                self._drain_wake()
                continue
            try:
                key.data()
            except Exception:
                # Link handlers turn bad input into counted rejections; reaching here is a bug.
                self.io_errors += 1
                log.exception("I/O handler for %r failed", key.fileobj)

    def _run_due(self, now: float) -> None:
        if self._failed:
            for slot in self.slots:
                if slot.state is AppState.FAILED and slot.restart_at <= now:
                    self._restart(slot, now)
        for group in self._active:
            if now < group.deadline:
                continue
            for slot in group.slots:
                if slot.state is AppState.RUNNING:
                    self.busy = slot
                    try:
                        slot.app.step()
                    except Exception as exc:
                        self._fail(slot, exc, now)
                    else:
                        slot.checked_in = now  # the heartbeat: its step came back
            self.busy = None
            for name, task in group.tasks:
                try:
                    task()
                except Exception:
                    self.task_errors += 1
                    log.exception("task %s failed", name)
            group.ticks += 1
            group.move_to(group.slot_index + 1)
            finished = self.clock.now()
            if finished >= group.deadline:
                group.overruns += 1
                group.move_to(math.floor((finished - group.start) * group.hz) + 1)

    # -- containment -----------------------------------------------------------------------

    def slot_of(self, app: App) -> AppSlot:
        """The executive's record of `app`."""
        return self._by_app[id(app)]

    def is_available(self, app: App) -> bool:
        """True while `app` is running (not failed, not disabled)."""
        return self._by_app[id(app)].state is AppState.RUNNING

    def execute(self, app: App, action: Callable[[], None]) -> None:
        """Run a command's `action` for `app`, containing a crash like a failing step.

        Raises:
            CommandRejectedError: the handler refused (its own code) or crashed
                (`EXECUTION_FAILED`).
        """
        slot = self._by_app[id(app)]
        outer, self.busy = self.busy, slot
        try:
            action()
        except CommandRejectedError:
            raise
        except Exception as exc:
            self._fail(slot, exc, self.clock.now())
            raise CommandRejectedError(FailureCode.EXECUTION_FAILED, repr(exc)) from exc
        finally:
            self.busy = outer

    def _guard(self, slot: AppSlot, fn: Callable[[], None], now: float) -> bool:
        try:
            fn()
        except Exception as exc:
            self._fail(slot, exc, now)
            return False
        return True

    def _fail(self, slot: AppSlot, exc: Exception, now: float) -> None:
        log.error("app %s failed: %r", slot.app.name, exc, exc_info=exc)
        if slot.state is not AppState.RUNNING:
            return  # already contained (e.g. its housekeeping raised while it was down)
        if now - slot.last_failure > self.health_window:
            slot.failures = 0
        slot.failures += 1
        slot.last_failure = now
        self._event(APP_FAILED, _aux(slot.app.apid, slot.failures))
        if slot.failures >= self.max_failures:
            slot.state = AppState.DISABLED
            self._event(APP_DISABLED, _aux(slot.app.apid, slot.failures))
            log.critical("app %s disabled after %d failures", slot.app.name, slot.failures)
            return
        slot.state = AppState.FAILED
        self._failed += 1
        delay = min(self.backoff * 2 ** (slot.failures - 1), self.max_backoff)
        slot.restart_at = now + delay

    def _restart(self, slot: AppSlot, now: float) -> None:
        slot.state = AppState.RUNNING
        self._failed -= 1
        if self._guard(slot, slot.app.start, now):
            slot.restarts += 1
            self._event(APP_RESTARTED, _aux(slot.app.apid, slot.restarts))

    def _event(self, event: EventDef, aux: bytes) -> None:
        record = EventRecord(self.apid, "executive", event, self.clock.now(), aux)
        self.bus.publish(EVENT_MID, record, "executive")

    # -- stopping --------------------------------------------------------------------------

    def wake(self) -> None:
        """Interrupt the loop's wait (safe from other threads and signal handlers)."""
        # A full socket already holds wake-ups: the loop wakes anyway.
        with contextlib.suppress(BlockingIOError):
            self._wake_w.send(b"\0")

    def _drain_wake(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while self._wake_r.recv(4096):
                pass

    def request_stop(self) -> None:
        """Make `run` return after the current iteration."""
        self._stop_requested = True
        self.wake()

    def install_signal_handlers(self) -> None:
        """Stop cleanly on SIGTERM and SIGINT (call from the main thread)."""

        def on_signal(signum: int, _frame: FrameType | None) -> None:
            log.info("received %s, stopping", signal.Signals(signum).name)
            self.request_stop()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)

    def shutdown(self) -> None:
        """Stop every app, the workers and the loop's own I/O."""
        for slot in self.slots:
            if slot.state is AppState.RUNNING:
                self._guard(slot, slot.app.stop, self.clock.now())
        if self.workers is not None:
            self.workers.shutdown()
        self._selector.close()
        self._wake_r.close()
        self._wake_w.close()

    @property
    def overruns(self) -> int:
        """Overruns summed over all rate groups."""
        return sum(group.overruns for group in self.groups.values())
