"""The rig's serial pty link damages frames as the UDP proxy damages datagrams.

The far end here is the slave side of the same pty, read and written with the flight's own
COBS framing: what a flight on ``serial:/dev/pts/N`` would see.
"""

import os
import select
import time

from flight.ccsds import PusTc, cobs_decode
from flight.links.serial import CobsDeframer, cobs_frame
from hil.rig import Faults
from hil.rig.links import PtyGroundLink


def _far_end(link: PtyGroundLink) -> int:
    return os.open(link.device, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)


def _frames(fd: int, deframer: CobsDeframer, wait: float = 0.3) -> list[bytes]:
    got: list[bytes] = []
    deadline = time.monotonic() + wait
    while (left := deadline - time.monotonic()) > 0:
        if not select.select([fd], [], [], left)[0]:
            break
        got += [cobs_decode(f) for f in deframer.feed(os.read(fd, 4096)) if f is not None]
    return got


def test_uplink_frames_are_dropped_duplicated_and_flipped_inside_intact_framing() -> None:
    link = PtyGroundLink()
    fd = _far_end(link)
    deframer = CobsDeframer()
    packets = [PusTc(apid=100, service=17, subtype=1, seq_count=n).pack() for n in range(40)]
    try:
        link.seed = 3
        link.configure(uplink=Faults(drop=0.2, duplicate=0.2, flip=0.3))
        for packet in packets:
            link.send(packet)
        link.settle()
        got = _frames(fd, deframer)
    finally:
        os.close(fd)
        link.close()
    up = link.snapshot()["uplink"]
    assert up["received"] == len(packets)
    assert min(up["dropped"], up["duplicated"], up["flipped"]) > 0, up
    assert len(got) == up["delivered"] == len(packets) - up["dropped"] + up["duplicated"]
    # every frame still decodes; a flipped one differs from its packet in exactly one bit
    damaged = [g for g in got if g not in packets]
    assert len(damaged) == up["flipped"]
    for frame in damaged:
        assert min(_bit_distance(frame, p) for p in packets if len(p) == len(frame)) == 1


def test_downlink_reorder_and_delay_then_clear_lets_everything_through() -> None:
    link = PtyGroundLink()
    fd = _far_end(link)
    packets = [PusTc(apid=100, service=17, subtype=2, seq_count=n).pack() for n in range(20)]
    try:
        link.configure(downlink=Faults(reorder=0.5, delay=0.01))
        os.write(fd, b"".join(cobs_frame(p) for p in packets))
        got = []
        while (packet := link.receive(time.monotonic() + 0.5)) is not None:
            got.append(packet)
        link.clear()
        while (packet := link.receive(time.monotonic() + 0.2)) is not None:
            got.append(packet)
    finally:
        os.close(fd)
        link.close()
    down = link.snapshot()["downlink"]
    assert down["reordered"] > 0
    assert sorted(got) == sorted(packets)  # reordered, none lost
    assert got != packets


def _bit_distance(a: bytes, b: bytes) -> int:
    return sum(bin(x ^ y).count("1") for x, y in zip(a, b, strict=True))
