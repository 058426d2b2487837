"""The health app: board health in housekeeping, with events on limits and on recovery.

Every `sample_period_ms` it takes one `HealthSnapshot` from the board's health source (the
Linux /sys and /proc readings on a Pi, `SimHealth` on the simulated board): SoC temperature,
the firmware's throttling and under-voltage flags, CPU load, memory and storage. A reading
above its limit parameter raises `LIMIT_EXCEEDED` once; `LIMIT_RECOVERED` follows when it is
back below by the limit's hysteresis. Throttling raises `THROTTLING` when any current-state
flag comes on and `THROTTLING_ENDED` when all are off. A failed read is counted and reported
once (`READ_FAILED`), never raised into the loop.
"""

import math
import struct

import construct

from flight.apps.hardware import Hardware, HardwareApp
from flight.apps.health import events
from flight.apps.health.limits import LIMITS, nan_if_none
from flight.apps.health.messages import COMMANDS, HEALTH_HK, Noop, ResetCounters
from flight.apps.health.params import PARAMETERS, SAMPLE_PERIOD
from flight.core import AppContext, Value, handles
from hal.errors import HalError
from hal.health import HealthSnapshot

__all__ = ["HealthApp"]

_CURRENT_FLAGS = 0x0000F  # get_throttled bits 0-3: what is happening now
_OCCURRED_FLAGS = 0xF0000  # bits 16-19: what happened since boot


# HEALTH_HK before the first reading: NaN for measurements, zero for sizes and flags.
_UNKNOWN: dict[str, Value] = {
    arg.name: math.nan if arg.fmt is construct.Float32b else 0 for arg in HEALTH_HK.fields
}


class HealthApp(HardwareApp):
    """Reports the board's health and raises events on its limits."""

    COMMANDS = COMMANDS
    TELEMETRY = (HEALTH_HK,)
    EVENTS = events.ALL
    PARAMETERS = PARAMETERS

    def __init__(self, ctx: AppContext, hardware: Hardware) -> None:
        super().__init__(ctx, hardware)
        self.read_errors = 0
        self.samples = 0
        self._reset()

    def _reset(self) -> None:
        self.snapshot: HealthSnapshot | None = None
        self.exceeded: set[int] = set()
        self.throttling = False
        self.reading_failed = False
        self._next_sample = self.ctx.clock.now()

    def start(self) -> None:
        """Start with no reading and no limit exceeded (also after a restart)."""
        self._reset()

    def step(self) -> None:
        """Take a reading when one is due."""
        now = self.ctx.clock.now()
        if now < self._next_sample:
            return
        period = int(self.param(SAMPLE_PERIOD.name)) / 1000.0
        self._next_sample += period
        if self._next_sample <= now:  # the loop stalled: no burst of catch-up readings
            self._next_sample = now + period
        try:
            snapshot = self.hardware.health.snapshot()
        except (HalError, OSError):
            self.read_errors += 1
            if not self.reading_failed:
                self.reading_failed = True
                self.emit(events.READ_FAILED)
            return
        if self.reading_failed:
            self.reading_failed = False
            self.emit(events.READ_RECOVERED)
        self.samples += 1
        self.snapshot = snapshot
        self._check_limits(snapshot)
        self._check_throttling(snapshot)

    def _check_limits(self, snapshot: HealthSnapshot) -> None:
        for limit in LIMITS:
            value = limit.value(snapshot)
            if math.isnan(value):
                continue
            threshold = float(self.param(limit.parameter.name))
            aux = struct.pack(">Bf", limit.ident, value)
            if limit.ident not in self.exceeded and value > threshold:
                self.exceeded.add(limit.ident)
                self.emit(events.LIMIT_EXCEEDED, aux)
            elif limit.ident in self.exceeded and value < threshold - limit.hysteresis:
                self.exceeded.discard(limit.ident)
                self.emit(events.LIMIT_RECOVERED, aux)

    def _check_throttling(self, snapshot: HealthSnapshot) -> None:
        raw = snapshot.throttled.raw if snapshot.throttled is not None else 0
        active = bool(raw & _CURRENT_FLAGS)
        if active != self.throttling:
            self.throttling = active
            event = events.THROTTLING if active else events.THROTTLING_ENDED
            self.emit(event, struct.pack(">I", raw & 0xFFFFFFFF))

    def hk_values(self, sid: int) -> dict[str, Value]:
        """Items of HEALTH_HK (NaN and zero until the first reading)."""
        common: dict[str, Value] = {
            "limits_exceeded": sum(1 << ident for ident in self.exceeded),
            "read_errors": min(self.read_errors, 0xFFFF),
            "samples": self.samples & 0xFFFFFFFF,
        }
        s = self.snapshot
        if s is None:
            return _UNKNOWN | common
        raw = s.throttled.raw if s.throttled is not None else 0
        return common | {
            "soc_temperature_c": nan_if_none(s.soc_temperature_c),
            "throttled": raw & 0xFFFFFFFF,
            "throttle_flags": (raw & _CURRENT_FLAGS) | (raw & _OCCURRED_FLAGS) >> 12,
            "load_1m": s.cpu.load_1m,
            "load_5m": s.cpu.load_5m,
            "load_15m": s.cpu.load_15m,
            "cpu_utilisation": nan_if_none(s.cpu.utilisation),
            "memory_total": s.memory.total,
            "memory_available": s.memory.available,
            "memory_used": s.memory.used_fraction,
            "storage_total": s.storage.total,
            "storage_free": s.storage.free,
            "storage_used": s.storage.used_fraction,
        }

    @handles(Noop)
    def noop(self, command: Noop) -> None:
        """Answer with the NOOP event."""
        self.emit(events.NOOP)

    @handles(ResetCounters)
    def reset(self, command: ResetCounters) -> None:
        """Zero the command, error and read error counters."""
        self.reset_counters()
        self.read_errors = 0
        self.emit(events.COUNTERS_RESET)
