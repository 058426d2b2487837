"""Rig sessions recorded next to their telemetry: who was tested, with what, and what failed.

The ground archive (`hil.ground.Archive`) already keeps every telecommand sent (``tc``) and
every telemetry packet received (``tm``). The rig adds two tables to the same SQLite file:
``rig_session`` (unit, DUT, mission, link seed, start and end) and ``rig_test`` (each
test's node ID, outcome and its start and end times), so a failure can be found in the
archive and its telecommands replayed (`hil.rig.replay`).
"""

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from hil.rig.errors import ReplayError

__all__ = ["RecordedSession", "SessionRecorder", "recorded_sessions"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS rig_session (
    id INTEGER PRIMARY KEY,
    started REAL NOT NULL,
    finished REAL,
    serial TEXT NOT NULL,
    dut TEXT NOT NULL,
    mission TEXT NOT NULL,
    seed INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rig_test (
    session INTEGER NOT NULL REFERENCES rig_session (id),
    nodeid TEXT NOT NULL,
    outcome TEXT NOT NULL,
    started REAL NOT NULL,
    finished REAL NOT NULL,
    detail TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class RecordedSession:
    """One recorded rig session (times are Unix seconds, as the archive's ``tc.sent``)."""

    id: int
    started: float
    finished: float | None
    serial: str
    dut: str
    mission: str
    seed: int
    failed: tuple[tuple[str, float, float], ...]


class SessionRecorder:
    """Opens a session row in `archive` and records test outcomes into it.

    Args:
        archive: the SQLite archive file (created if missing).
        serial: the unit's serial number.
        dut: the ``--dut`` value.
        mission: the mission flown.
        seed: the link fault seed.
    """

    def __init__(self, archive: Path, *, serial: str, dut: str, mission: str, seed: int) -> None:
        self._db = sqlite3.connect(archive, timeout=5.0)
        self._db.executescript(_SCHEMA)
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO rig_session (started, serial, dut, mission, seed)"
                " VALUES (?, ?, ?, ?, ?)",
                (time.time(), serial, dut, mission, seed),
            )
        self.id = int(cursor.lastrowid or 0)

    def test(self, nodeid: str, outcome: str, started: float, detail: str = "") -> None:
        """Record one test (`started` in Unix seconds; it ends now)."""
        with self._db:
            self._db.execute(
                "INSERT INTO rig_test VALUES (?, ?, ?, ?, ?, ?)",
                (self.id, nodeid, outcome, started, time.time(), detail[:2000]),
            )

    def close(self) -> None:
        """Mark the session finished."""
        with self._db:
            self._db.execute(
                "UPDATE rig_session SET finished = ? WHERE id = ?", (time.time(), self.id)
            )
        self._db.close()


def recorded_sessions(archive: Path) -> list[RecordedSession]:
    """Every rig session in `archive`, oldest first.

    Raises:
        ReplayError: the file is not an archive with rig sessions.
    """
    if not Path(archive).is_file():
        raise ReplayError(f"no archive at {archive}")
    try:
        db = sqlite3.connect(f"file:{archive}?mode=ro", uri=True, timeout=5.0)
        rows = db.execute("SELECT * FROM rig_session ORDER BY id").fetchall()
        sessions = []
        for row in rows:
            failed = db.execute(
                "SELECT nodeid, started, finished FROM rig_test"
                " WHERE session = ? AND outcome = 'failed' ORDER BY started",
                (row[0],),
            ).fetchall()
            ident, started, finished, serial, dut, mission, seed = row
            sessions.append(
                RecordedSession(ident, started, finished, serial, dut, mission, seed, tuple(failed))
            )
        db.close()
    except sqlite3.Error as exc:
        raise ReplayError(f"{archive} holds no rig sessions: {exc}") from exc
    return sessions
