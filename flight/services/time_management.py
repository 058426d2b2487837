"""PUS service 9, time management: CUC time reports, their rate, and setting the mission time.

TM 9,2 (the CUC time report) carries the rate exponential value (u8) then the mission time
as CUC with its P-field (1 + 4 coarse + 2 fine octets, CCSDS epoch), as PUS-C lays it out.
It is sent every 2^n seconds, where TC 9,1 sets n (u8, 0..16; `RATE_OFF` = 255 stops the
periodic report, the default), and on request. The mission-specific subtypes:

    9,128  report the time now (answered by 9,2)
    9,129  set the mission time: CUC 4+2 without P-field, the time it is "now"
    9,130  correlate: move the mission time by a signed i64 count of 2^-16 s

A set or correlation changes the offset `MissionTime` adds to every time stamp (telemetry and
the time-based schedule); the offset is stored durably before it takes effect, so a failed
store fails the command (1,8 `PERSISTENCE_FAILED`) and changes nothing.
"""

from flight.ccsds import CucTime
from flight.core.clock import Clock
from flight.core.errors import CommandRejectedError, FailureCode, PersistenceError
from flight.core.timekeeping import FINE_PER_SECOND, MissionTime
from flight.services.downlink import Downlink
from flight.services.reader import AppDataReader
from flight.services.router import Action, Request

__all__ = ["CUC_OCTETS", "MAX_RATE_EXPONENT", "RATE_OFF", "TimeService"]

CUC_OCTETS = 6  # 4 coarse + 2 fine, no P-field, on the telecommand side
MAX_RATE_EXPONENT = 16  # every 2^16 s (about 18 h) at the slowest
RATE_OFF = 0xFF
_LIMIT = 1 << 32  # the 4 coarse octets' range, in seconds


def _in_range(seconds: float) -> None:
    if not 0 <= seconds < _LIMIT:
        raise CommandRejectedError(
            FailureCode.ARGUMENT_OUT_OF_RANGE, f"mission time {seconds} s outside CUC 4+2"
        )


class TimeService:
    """Reports the mission time and lets the ground set and correlate it.

    Args:
        downlink: where reports go.
        time: the mission time it reports and adjusts.
        clock: the executive's clock, which decides when periodic reports are due.
        apid: the APID periodic reports go out on (the core app's).
    """

    service = 9
    subtypes = frozenset({1, 128, 129, 130})

    def __init__(self, downlink: Downlink, time: MissionTime, clock: Clock, apid: int) -> None:
        self._downlink = downlink
        self._time = time
        self._clock = clock
        self._apid = apid
        self.rate_exponent = RATE_OFF
        self._due = float("inf")
        self.reports = 0

    def step(self) -> None:
        """Send the periodic report when it is due (a rate-group task)."""
        now = self._clock.now()
        if now < self._due:
            return
        period = float(1 << self.rate_exponent)
        self._due += period
        if self._due <= now:  # the loop stalled: skip the missed reports, keep the grid
            self._due = now + period
        self.report(self._apid)

    def report(self, apid: int) -> None:
        """Send a 9,2 with the mission time now on `apid`."""
        seconds = self._time.timestamp()
        stamp = CucTime.from_seconds(min(max(seconds, 0.0), _LIMIT - 1.0), pfield=True)
        self._downlink.send(apid, 9, 2, bytes((self.rate_exponent,)) + stamp.pack())
        self.reports += 1

    def accept(self, request: Request) -> Action:
        """Decode and range-check the subtype's application data."""
        reader = AppDataReader(request.tc.app_data)
        subtype = request.tc.subtype
        apid = request.app.apid
        if subtype == 1:
            exponent = reader.uint(1)
            reader.finish()
            if exponent > MAX_RATE_EXPONENT and exponent != RATE_OFF:
                raise CommandRejectedError(
                    FailureCode.ARGUMENT_OUT_OF_RANGE, f"rate exponent {exponent}"
                )
            return lambda: self._set_rate(exponent)
        if subtype == 128:
            reader.finish()
            return lambda: self.report(apid)
        if subtype == 129:
            target = CucTime.unpack(reader.take(CUC_OCTETS)).seconds
            reader.finish()
            return lambda: self._adjust(lambda: self._time.set_time(target))
        delta = int.from_bytes(reader.take(8), "big", signed=True) / FINE_PER_SECOND
        reader.finish()
        _in_range(self._time.timestamp() + delta)
        return lambda: self._adjust(lambda: self._time.correlate(delta))

    def _set_rate(self, exponent: int) -> None:
        self.rate_exponent = exponent
        self._due = float("inf") if exponent == RATE_OFF else self._clock.now() + (1 << exponent)

    @staticmethod
    def _adjust(change: Action) -> None:
        try:
            change()
        except PersistenceError as exc:
            raise CommandRejectedError(FailureCode.PERSISTENCE_FAILED, str(exc)) from exc
