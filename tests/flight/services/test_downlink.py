"""The downlink's packed telemetry is exactly what the codec's `PusTm.pack` makes of it."""

import struct

from hypothesis import given
from hypothesis import strategies as st
from spacepackets.ecss.tm import PusTm as PeerTm

from flight.ccsds import CucTime, PusTm
from flight.core import SimulatedClock
from flight.services import Downlink


@given(
    apid=st.integers(0, 0x7FF),
    service=st.integers(0, 255),
    subtype=st.integers(0, 255),
    data=st.binary(max_size=300),
    seconds=st.floats(0, 2**32 - 1, allow_nan=False),
    earlier=st.integers(0, 3),
)
def test_send_packs_like_the_codec(
    *, apid: int, service: int, subtype: int, data: bytes, seconds: float, earlier: int
) -> None:
    clock = SimulatedClock(epoch=seconds)
    downlink = Downlink(clock)
    for _ in range(earlier):  # move the sequence and message counters off zero
        downlink.send(apid, service, subtype)
    packet = downlink.send(apid, service, subtype, data)
    expected = PusTm(
        apid=apid,
        service=service,
        subtype=subtype,
        source_data=data,
        seq_count=earlier,
        msg_counter=earlier,
        time=CucTime.from_seconds(seconds),
    ).pack()
    assert packet == expected
    peer = PeerTm.unpack(packet, timestamp_len=6)  # and an independent decoder agrees
    assert (peer.apid, peer.service, peer.subservice, peer.source_data) == (
        apid,
        service,
        subtype,
        data,
    )


def test_counters_wrap() -> None:
    downlink = Downlink(SimulatedClock())
    for _ in range(0x4000):
        downlink.send(7, 3, 25)
    packet = downlink.send(7, 3, 25)
    assert struct.unpack_from(">H", packet, 2)[0] & 0x3FFF == 0
    assert struct.unpack_from(">H", packet, 9)[0] == 0x4000
