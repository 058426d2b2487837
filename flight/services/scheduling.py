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
survives a restart. A due activity is taken off the stored schedule first and released
second, through the same router as a telecommand from the ground, with its own
verification reports: after a power cut an activity may be lost in release, never run
twice. Due activities are released at the first tick of the service's rate group at or
after their release time; while the function is disabled they wait, and run when it is
enabled again.
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

__all__ = ["DEFAULT_CAPACITY", "MAX_ACTIVITY_OCTETS", "REQUEST_ID_OCTETS", "TimeBasedSchedule"]

log = logging.getLogger(__name__)

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
        self.released = 0
        self.store_failures = 0

    def restore(self) -> int:
        """Load the stored schedule; return how many activities it holds."""
        payload = self._store.load()
        if payload is not None:
            self.enabled, activities = decode_schedule(payload)
            self.activities = activities[: self.capacity]
        return len(self.activities)

    def now(self) -> int:
        """The mission time now, in 2^-16 s."""
        return int(self._time.timestamp() * FINE_PER_SECOND)

    # -- release ---------------------------------------------------------------------------

    def step(self) -> None:
        """Release every activity that is due (a rate-group task)."""
        if not self.enabled or not self.activities or self.activities[0].release > self.now():
            return
        now = self.now()
        due = [a for a in self.activities if a.release <= now]
        try:
            self._commit(self.enabled, self.activities[len(due) :])
        except PersistenceError:
            self.store_failures += 1
            log.exception("cannot store the schedule; %d due activities held back", len(due))
            return
        for activity in due:
            self.released += 1
            self._release(activity.packet)

    def _commit(self, enabled: bool, activities: list[Activity]) -> None:
        self._store.save(encode_schedule(enabled, activities))
        self.enabled, self.activities = enabled, activities

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
