"""Replay a recorded rig session against a fresh simulated unit, to reproduce a failure.

The archive holds every telecommand the session sent (``tc``, with its send time) and every
report it received (``tm``). `replay_session` starts a simulated unit on the recorded
mission, sends the same packets with the same spacing (gaps capped at `MAX_GAP_S`), and
compares each request's verification reports (subtypes and failure codes) with the
recorded ones. Not replayed: link faults the proxy applied (the archive holds telecommands
as the ground sent them, before any damage), power cycles and stimulus; absolute times in
telecommands (a time-tagged release) are replayed as recorded, so they may have passed.
"""

import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from flight.ccsds import PusTm
from hil.rig.errors import ReplayError
from hil.rig.record import RecordedSession, recorded_sessions
from hil.rig.rig import Rig
from hil.rig.units import parse_dut

__all__ = ["MAX_GAP_S", "ReplayReport", "replay_session"]

MAX_GAP_S = 2.0
_MAX_WAIT_S = 30.0
_TAIL_S = 6.0  # s of silence after which outstanding requests are given up

Outcomes = dict[str, list[tuple[int, int]]]


@dataclass
class ReplayReport:
    """What the replay did and how it compares.

    Attributes:
        session: the recorded session.
        sent: telecommands replayed.
        differences: one line per request whose reports differ.
        failed_tests: the recorded session's failed tests.
    """

    session: RecordedSession
    sent: int
    differences: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        """Whether every request got the reports it got in the recording."""
        return not self.differences

    def text(self) -> str:
        """A readable account."""
        s = self.session
        lines = [
            f"session {s.id}: unit {s.serial} ({s.dut}), mission {s.mission}; "
            f"replayed {self.sent} telecommands on a simulated unit"
        ]
        lines += [f"  recorded failure: {nodeid}" for nodeid, _, _ in s.failed]
        lines += [f"  differs: {d}" for d in self.differences] or ["  same verification outcomes"]
        return "\n".join(lines)


def _outcomes(db: sqlite3.Connection, since: float, until: float) -> Outcomes:
    found: Outcomes = {}
    rows = db.execute(
        "SELECT subtype, packet FROM tm WHERE service = 1 AND received BETWEEN ? AND ? ORDER BY id",
        (since, until),
    )
    for subtype, packet in rows:
        data = PusTm.unpack(bytes(packet)).source_data
        code = int.from_bytes(data[4:6], "big") if subtype % 2 == 0 and len(data) >= 6 else 0
        found.setdefault(data[:4].hex(), []).append((int(subtype), code))
    return found


def _await_finals(rig: Rig, requests: set[str]) -> None:
    """Wait for each request's final report: up to `_TAIL_S` after the last verification
    report, and `_MAX_WAIT_S` in all."""
    waiting = set(requests)
    give_up = time.monotonic() + _MAX_WAIT_S
    quiet = time.monotonic() + _TAIL_S
    while waiting and (now := time.monotonic()) < min(quiet, give_up):
        decoded = rig.ground.client.poll(min(quiet, give_up))
        if decoded is None or decoded.kind != "verification":
            continue
        quiet = now + _TAIL_S
        values = decoded.values
        if values.get("stage") == "completion" or not values.get("ok"):
            waiting.discard(str(values.get("request_id")))
    rig.ground.drain(0.2)


def _pick(sessions: list[RecordedSession], wanted: int | None) -> RecordedSession:
    if not sessions:
        raise ReplayError("the archive holds no rig session")
    if wanted is not None:
        chosen = next((s for s in sessions if s.id == wanted), None)
        if chosen is None:
            raise ReplayError(f"no session {wanted} (sessions: {[s.id for s in sessions]})")
        return chosen
    return next((s for s in reversed(sessions) if s.failed), sessions[-1])


def replay_session(
    archive: Path,
    *,
    session: int | None = None,
    mission: str | None = None,
    workdir: Path | None = None,
) -> ReplayReport:
    """Replay one recorded session (default: the last that failed, else the last).

    Raises:
        ReplayError: no such session or nothing to replay.
        RigError: the simulated unit does not start.
    """
    chosen = _pick(recorded_sessions(archive), session)
    until = chosen.finished or time.time()
    db = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    try:
        sent = db.execute(
            "SELECT sent, packet FROM tc WHERE sent BETWEEN ? AND ? ORDER BY id",
            (chosen.started, until),
        ).fetchall()
        recorded = _outcomes(db, chosen.started, until)
    finally:
        db.close()
    if not sent:
        raise ReplayError(f"session {chosen.id} sent no telecommands")
    directory = Path(workdir or tempfile.mkdtemp(prefix="starling-replay-"))
    rig = Rig(
        parse_dut("sim", mission=mission or chosen.mission, serial=f"replay-{chosen.serial}"),
        directory,
    )
    rig.start()
    try:
        replay_start = time.time()
        previous = float(sent[0][0])
        for stamp, packet in sent:
            # read while waiting: unread telemetry would overflow the socket buffer
            rig.ground.drain(min(max(float(stamp) - previous, 0.0), MAX_GAP_S))
            previous = float(stamp)
            rig.ground.client.send_packet(bytes(packet), "replay")
        _await_finals(rig, {bytes(p)[:4].hex() for _, p in sent})
        rig.ground.close_archive()
        db = sqlite3.connect(rig.archive_path)
        replayed = _outcomes(db, replay_start, time.time())
        db.close()
    finally:
        rig.close()
    report = ReplayReport(chosen, len(sent))
    for request in sorted({bytes(p)[:4].hex() for _, p in sent}):
        # the set of outcomes: downlink duplicates and reordering change the recorded list
        if sorted(set(recorded.get(request, []))) != sorted(set(replayed.get(request, []))):
            report.differences.append(
                f"request {request}: recorded {recorded.get(request, [])},"
                f" replayed {replayed.get(request, [])}"
            )
    return report
