"""An in-process flight (open-bench apps, simulated clock, no link) and a spacepackets ground."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from spacepackets.ecss.pus_1_verification import Service1Tm, UnpackParams
from spacepackets.ecss.tc import PusTc
from spacepackets.ecss.tm import PusTm

from flight.apps import Flight, build_flight
from flight.core import SimulatedClock, load_mission

TIME_LEN = 6  # CUC 4+2 octets, no P-field
VERIFICATION = UnpackParams(timestamp_len=TIME_LEN, bytes_err_code=2, bytes_step_id=1)


@dataclass
class Bench:
    """Sends raw telecommands into the router and decodes what comes out with spacepackets."""

    flight: Flight
    sent: list[bytes] = field(default_factory=list)
    seq: int = 0

    def raw(self, packet: bytes) -> list[PusTm]:
        self.sent.clear()
        self.flight.router.handle(packet)
        return [PusTm.unpack(p, timestamp_len=TIME_LEN) for p in self.sent]

    def tc(
        self, apid: int, service: int, subtype: int, data: bytes = b"", **kw: int
    ) -> list[PusTm]:
        self.seq = (self.seq + 1) & 0x3FFF
        packet = PusTc(service, subtype, apid=apid, app_data=data, seq_count=self.seq, **kw)
        return self.raw(packet.pack())

    @staticmethod
    def kinds(tms: list[PusTm]) -> list[tuple[int, int]]:
        """(service, subtype) of each packet."""
        return [(tm.service, tm.subservice) for tm in tms]

    @staticmethod
    def verification(tm: PusTm) -> Service1Tm:
        """Decode a service 1 report with spacepackets."""
        return Service1Tm.unpack(tm.pack(), VERIFICATION)

    @classmethod
    def failure_code(cls, tm: PusTm) -> int:
        """The error code of a failure report."""
        code = cls.verification(tm).error_code
        assert code is not None, f"{tm} carries no failure notice"
        return int(code.val)

    def run(self, seconds: float) -> list[PusTm]:
        self.sent.clear()
        self.flight.run(seconds)
        return [PusTm.unpack(p, timestamp_len=TIME_LEN) for p in self.sent]


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    flight = build_flight(
        load_mission("open-bench"), data_dir=tmp_path, links=(), clock=SimulatedClock()
    )
    harness = Bench(flight)
    flight.downlink.add_sink(harness.sent.append)
    flight.executive.start()
    yield harness
    flight.close()
