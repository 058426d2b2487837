"""The core app on APID 100: answers for the flight process as a whole.

Its housekeeping gathers the executive's, the router's, the bus's and the links' counters
(`CORE_HK`), the links' and the authentication layer's in detail (`LINK_HK`), and the
transfer frame layer's: FARM-1's counters and CLCW (`FRAME_HK`); the
executive's events (`APP_FAILED`, ...) and the links' (`AUTH_BAD_MAC`, ...) are reported on
its APID.
"""

from collections.abc import Callable, Mapping

from flight.apps.core import events
from flight.apps.core.messages import CORE_HK, FRAME_HK, LINK_HK, Noop, ResetCounters
from flight.core import App, AppContext, Value, handles
from flight.links import LINK_EVENTS

__all__ = ["CoreApp"]

_U32 = 0xFFFFFFFF


class CoreApp(App):
    """The flight process's own app: NOOP, counter reset, system housekeeping."""

    COMMANDS = (Noop, ResetCounters)
    TELEMETRY = (CORE_HK, LINK_HK, FRAME_HK)
    EVENTS = (
        events.NOOP,
        events.COUNTERS_RESET,
        events.STARTED,
        events.AUTHENTICATION_OFF,
        events.SCHEDULED_DROPPED,
        *events.EXECUTIVE_EVENTS,
        *LINK_EVENTS,
    )

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self._stats: Callable[[], Mapping[str, int]] = dict
        self._link_stats: Callable[[], Mapping[str, int]] = dict
        self._frame_stats: Callable[[], Mapping[str, int]] = dict
        self.unauthenticated = False
        self.scheduled_dropped = 0
        self._started_at = ctx.clock.now()

    def attach_stats(
        self,
        stats: Callable[[], Mapping[str, int]],
        link_stats: Callable[[], Mapping[str, int]] = dict,
        frame_stats: Callable[[], Mapping[str, int]] = dict,
    ) -> None:
        """Give the app the functions that gather the system's, the links' and the transfer
        frame layer's counters."""
        self._stats = stats
        self._link_stats = link_stats
        self._frame_stats = frame_stats

    def start(self) -> None:
        """Announce the start (and, loudly, a missing authentication and time-tagged commands
        dropped at the restart)."""
        self._started_at = self.ctx.clock.now()
        self.emit(events.STARTED)
        if self.unauthenticated:
            self.emit(events.AUTHENTICATION_OFF)
        if self.scheduled_dropped:
            self.emit(events.SCHEDULED_DROPPED, min(self.scheduled_dropped, 0xFFFF).to_bytes(2))

    def hk_values(self, sid: int) -> dict[str, Value]:
        """Items of CORE_HK, LINK_HK or FRAME_HK, each clipped to its field."""
        structure, gather = {
            LINK_HK.sid: (LINK_HK, self._link_stats),
            FRAME_HK.sid: (FRAME_HK, self._frame_stats),
        }.get(sid, (CORE_HK, self._stats))
        values: dict[str, Value] = {name: min(value, _U32) for name, value in gather().items()}
        if structure is CORE_HK:
            values["uptime_s"] = int(self.ctx.clock.now() - self._started_at) & _U32
        for arg in structure.fields:
            if arg.size == 1 and arg.name in values:
                values[arg.name] = min(int(values[arg.name]), 0xFF)
            values.setdefault(arg.name, 0)
        return {arg.name: values[arg.name] for arg in structure.fields}

    @handles(Noop)
    def noop(self, command: Noop) -> None:
        """Answer with the NOOP event."""
        self.emit(events.NOOP)

    @handles(ResetCounters)
    def reset(self, command: ResetCounters) -> None:
        """Zero the counters."""
        self.reset_counters()
        self.emit(events.COUNTERS_RESET)
