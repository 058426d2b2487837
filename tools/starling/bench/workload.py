"""The codec bench's deterministic workload, built with `struct` and `binascii` alone.

The packets are built without the codec under test so that no contender shapes its own
input, and from a fixed seed so that every run times the same bytes.
"""

import binascii
import random
import struct
from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["QUICK", "STANDARD", "CodecWorkload", "Sizes", "TmFields", "build_workload"]

PAYLOAD_MIN = 8
PAYLOAD_MAX = 256
APIDS = (1, 42, 100, 101, 200, 300, 0x3FF, 0x500)
PUS_VERSION = 2
TM_SHARE = 0.6  # a downlink carries more telemetry than echoed telecommands
_HEADER = struct.Struct(">HHH")
_TC_SEC = struct.Struct(">BBBH")
_TM_SEC = struct.Struct(">BBBHH")
_CUC = struct.Struct(">IH")  # the default CUC: 4 coarse and 2 fine octets, no P-field


@dataclass(frozen=True, slots=True)
class Sizes:
    """How much work each measurement does, and how much of it the pure twin does."""

    packets: int
    pus: int
    crc_octets: int
    packetize_octets: int
    pure_packets: int
    pure_pus: int
    pure_crc_octets: int
    pure_packetize_octets: int


STANDARD = Sizes(
    packets=200_000,
    pus=20_000,
    crc_octets=1 << 20,
    packetize_octets=16 << 20,
    pure_packets=20_000,
    pure_pus=2_000,
    pure_crc_octets=64 << 10,
    pure_packetize_octets=1 << 20,
)
QUICK = Sizes(
    packets=10_000,
    pus=1_000,
    crc_octets=64 << 10,
    packetize_octets=1 << 20,
    pure_packets=1_000,
    pure_pus=100,
    pure_crc_octets=8 << 10,
    pure_packetize_octets=64 << 10,
)


class TmFields(NamedTuple):
    """The fields of one telemetry packet to pack; the time is CUC coarse and fine counts."""

    apid: int
    service: int
    subtype: int
    source_data: bytes
    seq_count: int
    msg_counter: int
    dest_id: int
    coarse: int
    fine: int


@dataclass(frozen=True, slots=True)
class CodecWorkload:
    """Inputs for every codec measurement, and the answers the contenders must agree on.

    `stream` holds `len(apids)` PUS packets back to back, telemetry and telecommands mixed;
    `pure_stream` is its first `pure_count` packets. `packet_ids` lists the (packet type,
    APID) pairs present, which spacepackets' parser needs to be told.
    """

    seed: int
    sizes: Sizes
    stream: bytes
    apids: list[int]
    seq_counts: list[int]
    pure_stream: bytes
    pure_count: int
    packet_ids: tuple[tuple[int, int], ...]
    tcs: tuple[bytes, ...]
    tms: tuple[TmFields, ...]
    crc_data: bytes
    payload: bytes


def crc16(data: bytes | bytearray) -> int:
    """CRC-16/CCITT-FALSE, which is what `binascii.crc_hqx` computes from 0xFFFF."""
    return binascii.crc_hqx(data, 0xFFFF)


def header(ptype: int, apid: int, seq_flags: int, seq_count: int, data_field_octets: int) -> bytes:
    """A primary header with the secondary header flag set (every PUS packet has one)."""
    return _HEADER.pack(
        (ptype << 12) | (1 << 11) | apid, (seq_flags << 14) | seq_count, data_field_octets - 1
    )


def tc_packet(
    apid: int, seq_count: int, *, service: int, subtype: int, source_id: int, app_data: bytes
) -> bytes:
    """A PUS-C telecommand, acknowledgement flags all set, CRC appended."""
    body = header(1, apid, 3, seq_count, _TC_SEC.size + len(app_data) + 2)
    body += _TC_SEC.pack((PUS_VERSION << 4) | 0x0F, service, subtype, source_id) + app_data
    return body + crc16(body).to_bytes(2, "big")


def tm_packet(tm: TmFields) -> bytes:
    """A PUS-C telemetry packet with a 6-octet CUC time, CRC appended."""
    size = _TM_SEC.size + _CUC.size + len(tm.source_data) + 2
    body = header(0, tm.apid, 3, tm.seq_count, size)
    body += _TM_SEC.pack(PUS_VERSION << 4, tm.service, tm.subtype, tm.msg_counter, tm.dest_id)
    body += _CUC.pack(tm.coarse, tm.fine) + tm.source_data
    return body + crc16(body).to_bytes(2, "big")


class _Source:
    """Draws packet fields from one seeded generator, keeping a sequence count per APID."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = rng.randbytes(1 << 16)
        self.counts: dict[tuple[int, int], int] = {}

    def data(self) -> bytes:
        size = self.rng.randint(PAYLOAD_MIN, PAYLOAD_MAX)
        start = self.rng.randrange(len(self.pool) - size)
        return self.pool[start : start + size]

    def next_count(self, ptype: int, apid: int) -> int:
        count = self.counts.get((ptype, apid), 0)
        self.counts[ptype, apid] = (count + 1) & 0x3FFF
        return count

    def tc(self) -> tuple[int, int, bytes]:
        apid = self.rng.choice(APIDS)
        count = self.next_count(1, apid)
        service, subtype = self.rng.choice(((17, 1), (8, 1), (20, 1), (3, 27), (11, 4)))
        packet = tc_packet(
            apid, count, service=service, subtype=subtype, source_id=0x0101, app_data=self.data()
        )
        return apid, count, packet

    def tm(self) -> TmFields:
        apid = self.rng.choice(APIDS)
        count = self.next_count(0, apid)
        service, subtype = self.rng.choice(((3, 25), (5, 1), (1, 7), (17, 2), (20, 2)))
        coarse = 0x6000_0000 + count
        return TmFields(apid, service, subtype, self.data(), count, count, 7, coarse, count * 4)


def build_workload(sizes: Sizes, seed: int = 1) -> CodecWorkload:
    """Build every input of the codec bench from `seed`."""
    source = _Source(random.Random(seed))  # noqa: S311 - reproducible, not secret
    packets: list[bytes] = []
    apids: list[int] = []
    seq_counts: list[int] = []
    for _ in range(sizes.packets):
        if source.rng.random() < TM_SHARE:
            tm = source.tm()
            apid, count, packet = tm.apid, tm.seq_count, tm_packet(tm)
        else:
            apid, count, packet = source.tc()
        packets.append(packet)
        apids.append(apid)
        seq_counts.append(count)
    pure_count = min(sizes.pure_packets, sizes.packets)
    packet_ids = tuple(sorted(source.counts))
    return CodecWorkload(
        seed=seed,
        sizes=sizes,
        stream=b"".join(packets),
        apids=apids,
        seq_counts=seq_counts,
        pure_stream=b"".join(packets[:pure_count]),
        pure_count=pure_count,
        packet_ids=packet_ids,
        tcs=tuple(source.tc()[2] for _ in range(sizes.pus)),
        tms=tuple(source.tm() for _ in range(sizes.pus)),
        crc_data=source.rng.randbytes(sizes.crc_octets),
        payload=source.rng.randbytes(sizes.packetize_octets),
    )
