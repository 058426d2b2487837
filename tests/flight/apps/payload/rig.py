"""A whole flight with the payload and health apps on the simulated board and clock.

The flight is assembled by `build_flight` from a mission file written into tmp_path, so
telecommands go through the real router, dispatcher and PUS services and telemetry comes out
of the real downlink, science products out of the flight's science relay.
"""

import contextlib
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flight.apps import Flight, build_flight
from flight.apps.hardware import Hardware
from flight.apps.payload import PayloadApp
from flight.apps.science import ScienceRelay
from flight.ccsds import PusTc, PusTm
from flight.core import Housekeeping, SimulatedClock, Value, load_mission

CORE, PAYLOAD, HEALTH = 100, 102, 103
SCIENCE_APID = PAYLOAD + 0x400

MISSION = """
[mission]
name = "payload-test"
board = "sim"
data_dir = "{data_dir}"
authentication = false

[executive]
rates_hz = [1, 10]
workers = 0

[[apps]]
name = "core"
kind = "core"
apid = 100
rate_hz = 10

[[apps]]
name = "payload"
kind = "payload"
apid = 102
rate_hz = 10

[[apps]]
name = "health"
kind = "health"
apid = 103
rate_hz = 1
"""


@dataclass
class Rig:
    """Commands the flight through its router and collects what comes out."""

    flight: Flight
    hardware: Hardware
    relay: ScienceRelay
    tm: list[bytes] = field(default_factory=list)
    science: list[bytes] = field(default_factory=list)
    startup: list[PusTm] = field(default_factory=list)
    seq: int = 0
    closed: bool = False

    def close(self) -> None:
        """Stop the flight (the apps release their lines), once."""
        if not self.closed:
            self.closed = True
            self.flight.close()

    @property
    def payload(self) -> PayloadApp:
        app = self.flight.apps["payload"]
        assert isinstance(app, PayloadApp)
        return app

    def tc(self, apid: int, service: int, subtype: int, data: bytes = b"") -> list[PusTm]:
        """Send one telecommand and fly 0.15 s (the event service reports what it caused).

        Returns:
            The telemetry since the telecommand: its verification reports first.
        """
        self.seq = (self.seq + 1) & 0x3FFF
        start = len(self.tm)
        packet = PusTc(
            apid=apid, service=service, subtype=subtype, app_data=data, seq_count=self.seq
        )
        self.flight.router.handle(packet.pack())
        # Longer than one 10 Hz tick, so at least one event-service step lies strictly inside.
        self.flight.run(0.15)
        return [PusTm.unpack(p) for p in self.tm[start:]]

    def command(self, apid: int, code: int, args: bytes = b"") -> list[PusTm]:
        """TC 8,1: function `code` of the app on `apid`."""
        return self.tc(apid, 8, 1, struct.pack(">H", code) + args)

    def set_parameter(self, apid: int, pid: int, value: bytes) -> list[PusTm]:
        """TC 20,3 with one parameter."""
        return self.tc(apid, 20, 3, struct.pack(">BH", 1, pid) + value)

    def run(self, seconds: float) -> list[PusTm]:
        """Fly `seconds` of simulated time; return the telemetry."""
        start = len(self.tm)
        self.flight.run(seconds)
        return [PusTm.unpack(p) for p in self.tm[start:]]

    def hk(self, apid: int, structure: Housekeeping) -> dict[str, Value]:
        """A one-shot report (3,27) of `structure`, decoded."""
        tms = self.tc(apid, 3, 27, struct.pack(">BH", 1, structure.sid))
        (report,) = [t for t in tms if (t.service, t.subtype) == (3, 25)]
        assert struct.unpack(">H", report.source_data[:2]) == (structure.sid,)
        return structure.unpack(report.source_data[2:])


def events(tms: list[PusTm], apid: int) -> list[tuple[int, bytes]]:
    """(event ID, aux) of every service 5 report from `apid`."""
    return [
        (struct.unpack(">H", t.source_data[:2])[0], t.source_data[2:])
        for t in tms
        if t.service == 5 and t.apid == apid
    ]


def event_ids(tms: list[PusTm], apid: int) -> list[int]:
    """The event IDs reported from `apid`, in order."""
    return [eid for eid, _ in events(tms, apid)]


def verification(tms: list[PusTm]) -> list[tuple[int, int | None]]:
    """(subtype, failure code or None) of every service 1 report."""
    out: list[tuple[int, int | None]] = []
    for t in tms:
        if t.service == 1:
            code = None
            if t.subtype in (2, 4, 6, 8):
                offset = 4 + (1 if t.subtype == 6 else 0)
                code = struct.unpack(">H", t.source_data[offset : offset + 2])[0]
            out.append((t.subtype, code))
    return out


@contextlib.contextmanager
def flying(tmp_path: Path, hardware: Hardware | None = None) -> Iterator[Rig]:
    """A started flight of the test mission, closed afterwards.

    Args:
        tmp_path: where the mission file and data directory go.
        hardware: the board to fly on (a reboot of an earlier flight, whose clock then goes
            on); by default a fresh simulated board, released afterwards.
    """
    path = tmp_path / "mission.toml"
    path.write_text(MISSION.format(data_dir=tmp_path / "data"), encoding="utf-8")
    mission = load_mission(str(path))
    owned = hardware is None
    if hardware is None:
        clock = SimulatedClock()
        hardware = Hardware.for_board(mission.board, clock=clock)
    else:
        clock = hardware.sim.clock.flight  # the board's time follows the clock it was built on
    flight = build_flight(mission, links=(), clock=clock, hardware=hardware)
    relay = flight.science
    assert relay is not None
    harness = Rig(flight, hardware, relay)
    flight.downlink.add_sink(harness.tm.append)
    relay.add_sink(harness.science.append)
    flight.executive.start()
    harness.startup = harness.run(0.15)  # the apps' start-up events
    try:
        yield harness
    finally:
        harness.close()
        if owned:
            hardware.close()
