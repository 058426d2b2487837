"""PUS service 11, time-based scheduling: telecommands released at their mission time.

Telecommands (N is u8; release times are CUC 4+2 without P-field, mission time; request IDs
are the embedded telecommand's first four octets, as service 1 reports them):

    11,1   enable the release function        11,2   disable it (activities wait)
    11,3   reset: delete every activity       11,4   insert N x (release time, TC packet)
    11,5   delete N x request ID              11,16  detail-report all -> 11,10
    11,17  summary-report all -> 11,13

Reports carry N (u16) then, per activity in release order, its release time and the whole
packet (11,10) or its request ID (11,13). An insert or delete is all or nothing: a malformed
embedded packet (`MALFORMED_PACKET`), a time not in the future (`RELEASE_TIME_PASSED`), a
request ID already scheduled (`DUPLICATE_REQUEST`), an unknown one (`UNKNOWN_REQUEST`) or
no room left (`SCHEDULE_FULL`) refuses the whole request at acceptance.

Every change is stored durably (A/B `Store`) before it takes effect, so the schedule
survives a restart. Due activities are released at the first tick of the service's rate
group at or after their release time, through the same router as a telecommand from the
ground, with their own verification reports; while the function is disabled they wait, and
run when it is enabled again.

An activity is *armed* in the stored schedule before it is released, so that after a power
cut it may be lost in release but never runs twice. Arming is a store write `ARM_AHEAD_S`
ahead of the release time (with the function enabled), so the release itself waits on no
storage: a store write can take a tenth of a second on a busy SD card, which would make the
activity late. An activity due but not yet armed (the store failed at arming) is armed and
released in one step, or held back while the store keeps failing. At start-up every armed
activity of the stored schedule is dropped, logged and reported (`lost`): it was released,
or was about to be, when the board stopped.
"""

import logging
from collections.abc import Callable

from flight.ccsds import CodecError, CucTime, PusTc
from flight.core.errors import CommandRejectedError, FailureCode, PersistenceError
from flight.core.persistence import Store
from flight.core.timekeeping import FINE_PER_SECOND, MissionTime
from flight.services.downlink import Downlink
from flight.services.reader import AppDataReader
from flight.services.router import Action, Request
from flight.services.schedule_store import Activity, decode_schedule, encode_schedule

__all__ = [
    "ARM_AHEAD_S",
    "DEFAULT_CAPACITY",
    "MAX_ACTIVITY_OCTETS",
    "REQUEST_ID_OCTETS",
    "TimeBasedSchedule",
]

log = logging.getLogger(__name__)

ARM_AHEAD_S = 0.5  # well over a slow store write, well under any sensible command lead
_ARM_AHEAD = int(ARM_AHEAD_S * FINE_PER_SECOND)
DEFAULT_CAPACITY = 64
MAX_ACTIVITY_OCTETS = 512  # keeps a full detail report (11,10) inside one packet
REQUEST_ID_OCTETS = 4
_CUC = 6
_TC_HEADER = 6


def _cuc(release: int) -> bytes:
    return CucTime(release >> 16, release & 0xFFFF).pack()


class TimeBasedSchedule:
    """Keeps, stores and releases time-tagged telecommands.

    Args:
        downlink: where reports go.
        time: the mission time release times are on.
        store: the A/B store the schedule lives in.
        release: what executes a released packet (the router's `handle`).
        capacity: activities held at most.
    """

    service = 11
    subtypes = frozenset({1, 2, 3, 4, 5, 16, 17})

    def __init__(
        self,
        downlink: Downlink,
        time: MissionTime,
        store: Store,
        release: Callable[[bytes], None],
        *,
        capacity: int = DEFAULT_CAPACITY,
    ) -> None:
        self._downlink = downlink
        self._time = time
        self._store = store
        self._release = release
        self.capacity = capacity
        self.enabled = True
        self.activities: list[Activity] = []
        self.lost: list[Activity] = []
        self.released = 0
        self.store_failures = 0
        self._armed_through = -1  # activities released by then are stored armed
        self._released_unstored = False  # released activities still in the record, armed

    def restore(self) -> int:
        """Load the stored schedule; return how many activities it holds.

        Armed activities are not kept: they go to `lost`, and off the record."""
        payload = self._store.load()
        if payload is None:
            return 0
        stored = decode_schedule(payload)
        self.enabled, self.activities = stored.enabled, stored.waiting[: self.capacity]
        self.lost = stored.armed
        for activity in self.lost:
            log.warning(
                "time-tagged command %s (release %.3f) was armed when the board stopped: "
                "dropped, it may have run",
                activity.req_id.hex(),
                activity.release / FINE_PER_SECOND,
            )
        if self.lost:
            try:
                self._commit(self.enabled, self.activities)
            except PersistenceError:
                self.store_failures += 1
                log.exception("cannot store the schedule without its lost activities")
        return len(self.activities)

    def now(self) -> int:
        """The mission time now, in 2^-16 s."""
        return int(self._time.timestamp() * FINE_PER_SECOND)

    # -- release ---------------------------------------------------------------------------

    def step(self) -> None:
        """Arm the activities coming due, release the due ones (a rate-group task).

        Released activities stay armed in the record until the next tick's write takes them
        off, so that the write never delays a release."""
        if not self.enabled:
            return
        now = self.now()
        horizon = now + _ARM_AHEAD
        idle = not self.activities or self.activities[0].release > horizon
        if idle and not self._released_unstored:
            return
        due = sum(1 for activity in self.activities if activity.release <= now)
        coming = [a for a in self.activities if self._armed_through < a.release <= horizon]
        if coming or (self._released_unstored and not due):
            try:
                self._commit(self.enabled, self.activities)
            except PersistenceError:
                self.store_failures += 1
                armed = sum(1 for a in self.activities[:due] if a.release <= self._armed_through)
                if armed < due:
                    log.exception(
                        "cannot store the schedule; %d due activities held back", due - armed
                    )
                due = armed
        released, self.activities = self.activities[:due], self.activities[due:]
        self._released_unstored |= bool(released)
        for activity in released:
            self.released += 1
            self._release(activity.packet)

    def _commit(self, enabled: bool, activities: list[Activity]) -> None:
        armed_through = self.now() + _ARM_AHEAD if enabled else -1
        self._store.save(encode_schedule(enabled, activities, armed_through))
        self.enabled, self.activities, self._armed_through = enabled, activities, armed_through
        self._released_unstored = False

    # -- telecommands ----------------------------------------------------------------------

    def accept(self, request: Request) -> Action:
        """Decode and check the request; the returned action stores and applies it."""
        reader = AppDataReader(request.tc.app_data)
        subtype = request.tc.subtype
        apid = request.app.apid
        if subtype == 4:
            return self._accept_insert(reader)
        if subtype == 5:
            return self._accept_delete(reader)
        reader.finish()
        if subtype in {1, 2}:
            return lambda: self._store_change(subtype == 1, list(self.activities))
        if subtype == 3:
            return lambda: self._store_change(self.enabled, [])
        if subtype == 16:
            return lambda: self._report(apid, detail=True)
        return lambda: self._report(apid, detail=False)

    def _accept_insert(self, reader: AppDataReader) -> Action:
        now = self.now()
        known = {activity.req_id for activity in self.activities}
        new: list[Activity] = []
        for _ in range(reader.uint(1)):
            release = CucTime.unpack(reader.take(_CUC))
            header = reader.take(_TC_HEADER)
            packet = header + reader.take(int.from_bytes(header[4:6], "big") + 1)
            if len(packet) > MAX_ACTIVITY_OCTETS:
                raise CommandRejectedError(
                    FailureCode.BAD_LENGTH, f"activity of {len(packet)} > {MAX_ACTIVITY_OCTETS}"
                )
            try:
                PusTc.unpack(packet)
            except CodecError as exc:
                raise CommandRejectedError(FailureCode.MALFORMED_PACKET, str(exc)) from exc
            activity = Activity((release.coarse << 16) | release.fine, packet)
            if activity.release <= now:
                raise CommandRejectedError(FailureCode.RELEASE_TIME_PASSED, data=_cuc(now))
            if activity.req_id in known:
                raise CommandRejectedError(FailureCode.DUPLICATE_REQUEST, data=activity.req_id)
            known.add(activity.req_id)
            new.append(activity)
        reader.finish()
        if len(self.activities) + len(new) > self.capacity:
            free = self.capacity - len(self.activities)
            raise CommandRejectedError(
                FailureCode.SCHEDULE_FULL,
                f"{len(new)} activities, room for {free}",
                data=free.to_bytes(2, "big"),
            )

        def insert() -> None:
            merged = sorted([*self.activities, *new], key=lambda activity: activity.release)
            self._store_change(self.enabled, merged)

        return insert

    def _accept_delete(self, reader: AppDataReader) -> Action:
        doomed = {reader.take(REQUEST_ID_OCTETS) for _ in range(reader.uint(1))}
        reader.finish()
        known = {activity.req_id for activity in self.activities}
        for req in sorted(doomed - known):
            raise CommandRejectedError(FailureCode.UNKNOWN_REQUEST, data=req)

        def delete() -> None:
            kept = [a for a in self.activities if a.req_id not in doomed]
            self._store_change(self.enabled, kept)

        return delete

    def _store_change(self, enabled: bool, activities: list[Activity]) -> None:
        try:
            self._commit(enabled, activities)
        except PersistenceError as exc:
            self.store_failures += 1
            raise CommandRejectedError(FailureCode.PERSISTENCE_FAILED, str(exc)) from exc

    def _report(self, apid: int, *, detail: bool) -> None:
        parts = [len(self.activities).to_bytes(2, "big")]
        for activity in self.activities:
            parts.append(_cuc(activity.release))
            parts.append(activity.packet if detail else activity.req_id)
        self._downlink.send(apid, 11, 10 if detail else 13, b"".join(parts))
