"""The ground archive: every telemetry packet any ground command receives, in one SQLite file.

Tables: ``tm`` holds each packet whole with its header fields, the ground's receive time and
the packet's own time (both Unix seconds); ``hk`` holds every decoded housekeeping item
(``app``, ``structure``, ``name``, ``value``, packet time) so a parameter can be selected and
plotted without decoding again; ``tc`` holds the telecommands sent, whose highest sequence
count seeds the next session's (so request IDs do not repeat across sessions).

SQLite in WAL mode lets `watch` write while `archive query` reads. The default location is
``$XDG_DATA_HOME/starling/archive.sqlite`` (``~/.local/share/starling/archive.sqlite``).
"""

import csv
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from flight.ccsds import PusTc
from hil.ground.decode import Decoded
from hil.ground.errors import ArchiveError

__all__ = ["Archive", "ArchivedTm", "Selection", "default_archive_path"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tm (
    id INTEGER PRIMARY KEY,
    received REAL NOT NULL,
    time REAL NOT NULL,
    apid INTEGER NOT NULL,
    service INTEGER NOT NULL,
    subtype INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    counter INTEGER NOT NULL,
    app TEXT NOT NULL,
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    packet BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS tm_select ON tm (apid, service, subtype, time);
CREATE TABLE IF NOT EXISTS hk (
    tm_id INTEGER NOT NULL REFERENCES tm (id),
    time REAL NOT NULL,
    app TEXT NOT NULL,
    structure TEXT NOT NULL,
    name TEXT NOT NULL,
    value REAL  -- NULL where the flight reported no reading (NaN)
);
CREATE INDEX IF NOT EXISTS hk_select ON hk (app, name, time);
CREATE TABLE IF NOT EXISTS tc (
    id INTEGER PRIMARY KEY,
    sent REAL NOT NULL,
    apid INTEGER NOT NULL,
    service INTEGER NOT NULL,
    subtype INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    label TEXT NOT NULL,
    packet BLOB NOT NULL
);
"""


def default_archive_path() -> Path:
    """``$XDG_DATA_HOME/starling/archive.sqlite``, ``~/.local/share/...`` by default."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "starling" / "archive.sqlite"


@dataclass(frozen=True)
class Selection:
    """Which packets a query, export or plot takes (every bound is optional).

    Attributes:
        apid: only this APID.
        service: only this service.
        subtype: only this subtype.
        since: packet time at or after (Unix seconds).
        until: packet time at or before (Unix seconds).
        limit: at most this many rows, newest last.
    """

    apid: int | None = None
    service: int | None = None
    subtype: int | None = None
    since: float | None = None
    until: float | None = None
    limit: int | None = None

    def where(self, table: str) -> tuple[str, list[object]]:
        """The WHERE clause (always at least ``1``) and its bound values."""
        clauses, values = ["1"], []
        for column in ("apid", "service", "subtype"):
            value = getattr(self, column)
            if value is not None and table == "tm":
                clauses.append(f"{column} = ?")
                values.append(value)
        if self.since is not None:
            clauses.append("time >= ?")
            values.append(self.since)
        if self.until is not None:
            clauses.append("time <= ?")
            values.append(self.until)
        return " AND ".join(clauses), values


@dataclass(frozen=True)
class ArchivedTm:
    """One archived telemetry packet."""

    id: int
    received: float
    time: float
    apid: int
    service: int
    subtype: int
    seq: int
    counter: int
    app: str
    kind: str
    summary: str
    packet: bytes


class Archive:
    """The SQLite archive.

    Args:
        path: the database file; its directory is created when missing.

    Raises:
        ArchiveError: the file cannot be opened or is not an archive.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=5.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(f"cannot open archive {self.path}: {exc}") from exc

    def close(self) -> None:
        """Commit and close."""
        self._db.commit()
        self._db.close()

    def add_tm(self, decoded: Decoded, packet: bytes, received: float | None = None) -> int:
        """Store one telemetry packet (and its housekeeping items); return its row ID."""
        tm = decoded.tm
        stamp = decoded.unix_time
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO tm (received, time, apid, service, subtype, seq, counter, app, kind,"
                " summary, packet) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    time.time() if received is None else received,
                    stamp,
                    tm.apid,
                    tm.service,
                    tm.subtype,
                    tm.seq_count,
                    tm.msg_counter,
                    decoded.app,
                    decoded.kind,
                    decoded.text,
                    packet,
                ),
            )
            row = int(cursor.lastrowid or 0)
            if decoded.kind == "housekeeping":
                self._db.executemany(
                    "INSERT INTO hk (tm_id, time, app, structure, name, value)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (row, stamp, decoded.app, decoded.name, name, float(value))
                        for name, value in decoded.values.items()
                        if not isinstance(value, str)
                    ],
                )
        return row

    def add_tc(self, packet: bytes, label: str) -> None:
        """Record a telecommand sent."""
        tc = PusTc.unpack(packet)
        with self._db:
            self._db.execute(
                "INSERT INTO tc (sent, apid, service, subtype, seq, label, packet)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (time.time(), tc.apid, tc.service, tc.subtype, tc.seq_count, label, packet),
            )

    def last_tc_seq(self) -> int | None:
        """The sequence count of the last telecommand sent, or None."""
        row = self._db.execute("SELECT seq FROM tc ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else int(row[0])

    def query(self, selection: Selection) -> list[ArchivedTm]:
        """Telemetry packets in `selection`, in packet time order."""
        where, values = selection.where("tm")
        sql = f"SELECT * FROM tm WHERE {where} ORDER BY time, id"  # noqa: S608 -- fixed clauses
        rows = self._run(sql, values)
        if selection.limit is not None:
            rows = rows[-selection.limit :]
        return [ArchivedTm(*row) for row in rows]

    def series(self, app: str, name: str, selection: Selection) -> list[tuple[float, float]]:
        """(packet time, value) of housekeeping item `name` of `app`, in time order."""
        where, values = selection.where("hk")
        sql = f"SELECT time, value FROM hk WHERE app = ? AND name = ? AND {where} ORDER BY time"  # noqa: S608
        rows = self._run(sql, [app, name, *values])
        if selection.limit is not None:
            rows = rows[-selection.limit :]
        return [(float(t), float("nan") if v is None else float(v)) for t, v in rows]

    def parameters(self) -> list[tuple[str, str]]:
        """Every (app, item) with archived values."""
        return [(a, n) for a, n in self._run("SELECT DISTINCT app, name FROM hk ORDER BY 1, 2", [])]

    def _run(self, sql: str, values: list[object]) -> list[tuple[Any, ...]]:
        try:
            return list(self._db.execute(sql, values))
        except sqlite3.Error as exc:
            raise ArchiveError(f"archive query failed: {exc}") from exc

    def export_csv(self, out: TextIO, selection: Selection) -> int:
        """Write the selected packets as CSV; return how many."""
        writer = csv.writer(out)
        writer.writerow(
            [
                *("time_utc", "received_utc", "apid", "app", "service", "subtype"),
                *("seq", "counter", "kind", "summary", "packet_hex"),
            ]
        )
        count = 0
        for tm in self.query(selection):
            writer.writerow(
                [
                    *(_iso(tm.time), _iso(tm.received), tm.apid, tm.app, tm.service, tm.subtype),
                    *(tm.seq, tm.counter, tm.kind, tm.summary, tm.packet.hex()),
                ]
            )
            count += 1
        return count

    def export_series_csv(self, out: TextIO, app: str, name: str, selection: Selection) -> int:
        """Write one housekeeping item's values as CSV (time, value); return how many."""
        writer = csv.writer(out)
        writer.writerow(["time_utc", "unix_time", f"{app}.{name}"])
        rows = self.series(app, name, selection)
        for stamp, value in rows:
            writer.writerow([_iso(stamp), f"{stamp:.6f}", value])
        return len(rows)


def _iso(unix_seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(unix_seconds)) + (
        f"{unix_seconds % 1:.3f}"[1:] + "Z"
    )
