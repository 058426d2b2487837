"""Codec bench measurements on whole streams: split, iterate, header walk, CRC, packetize."""

import binascii
import struct
from collections.abc import Sequence
from functools import partial
from types import ModuleType

from spacepackets.ccsds.spacepacket import (
    PacketId,
    PacketType,
    SpacePacketHeader,
    parse_space_packets,
)

from flight.ccsds import MAX_PACKET_LENGTH, PacketBatch, Packetizer, crc16, split_packets
from tools.starling.bench.case import Backend, Case, equal, prepared, scaled_backends
from tools.starling.bench.timing import Contender
from tools.starling.bench.workload import CodecWorkload

__all__ = ["CHUNK", "baseline_packetize", "stream_cases"]

CHUNK = 1017  # Packetizer's default: data octets per packet
PACKETIZE_APID = 42
_LENGTH_FIELD = struct.Struct(">H")
_HEADER = struct.Struct(">HHH")


def _api_split_count(buf: bytes) -> int:
    return split_packets(buf).count


def _api_headers(buf: bytes) -> tuple[object, object]:
    batch = split_packets(buf)
    return batch.apids, batch.seq_counts


def _low_batch(module: ModuleType, buf: bytes) -> PacketBatch:
    return PacketBatch(buf, *module.split(buf, MAX_PACKET_LENGTH, False))


def _low_split_count(module: ModuleType, buf: bytes) -> object:
    return module.split(buf, MAX_PACKET_LENGTH, False)[0]


def _low_headers(module: ModuleType, buf: bytes) -> tuple[object, object]:
    result = module.split(buf, MAX_PACKET_LENGTH, False)
    return result[5], result[6]


def _count_views(batch: PacketBatch) -> int:
    count = 0
    for _view in batch:
        count += 1
    return count


def _struct_loop(buf: bytes) -> int:
    """The plain-Python baseline: walk the length fields and slice each packet out."""
    unpack_from = _LENGTH_FIELD.unpack_from
    end = len(buf)
    pos = 0
    count = 0
    while pos < end:
        total = unpack_from(buf, pos + 4)[0] + 7
        _packet = buf[pos : pos + total]
        count += 1
        pos += total
    return count


def _peer_split_count(buf: bytes, ids: Sequence[PacketId]) -> int:
    return len(parse_space_packets(buf, ids).tm_list)


def _peer_headers(buf: bytes, ids: Sequence[PacketId]) -> tuple[list[int], list[int]]:
    apids: list[int] = []
    counts: list[int] = []
    for packet in parse_space_packets(buf, ids).tm_list:
        header = SpacePacketHeader.unpack(packet)
        apids.append(header.apid)
        counts.append(header.seq_count)
    return apids, counts


def baseline_packetize(payload: bytes, apid: int, chunk: int) -> bytes:
    """The plain-Python baseline: `struct` headers, `binascii` CRCs, one join."""
    pack = _HEADER.pack
    crc_hqx = binascii.crc_hqx
    n = len(payload)
    parts: list[bytes] = []
    count = 0
    for pos in range(0, n, chunk):
        size = min(chunk, n - pos)
        flags = (1 if pos == 0 else 0) | (2 if pos + size == n else 0)
        body = pack(apid, (flags << 14) | count, size + 1) + payload[pos : pos + size]
        parts.append(body + crc_hqx(body, 0xFFFF).to_bytes(2, "big"))
        count = (count + 1) & 0x3FFF
    return b"".join(parts)


def _api_packetize(payload: bytes) -> bytearray:
    return Packetizer(chunk=CHUNK).packetize(payload, apid=PACKETIZE_APID)


def _low_packetize(module: ModuleType, payload: bytes) -> object:
    return module.packetize(payload, PACKETIZE_APID, 0, CHUNK, 0, True)[0]


def _split_cases(w: CodecWorkload, backends: list[Backend]) -> list[Case]:
    n = len(w.apids)
    ids = [PacketId(PacketType(ptype), True, apid) for ptype, apid in w.packet_ids]
    headers = (w.apids, w.seq_counts)
    split = [Contender("api", "split_packets", partial(_api_split_count, w.stream), equal(n))]
    walk = [
        Contender("api", "split_packets .apids", partial(_api_headers, w.stream), equal(headers))
    ]
    iterate = [
        Contender(
            "api",
            "for view in batch",
            prepared(partial(split_packets, w.stream), _count_views),
            equal(n),
        )
    ]
    for b in backends:
        buf = w.stream if b.share == n else w.pure_stream
        share_headers = (w.apids[: b.share], w.seq_counts[: b.share])
        low_count = partial(_low_split_count, b.module, buf)
        split.append(Contender(b.key, b.name("split"), low_count, equal(b.share), b.scale))
        low_headers = partial(_low_headers, b.module, buf)
        walk.append(Contender(b.key, b.name("split"), low_headers, equal(share_headers), b.scale))
        # iterating is cheap whichever backend split the stream, so each walks all of it
        views = prepared(partial(_low_batch, b.module, w.stream), _count_views)
        iterate.append(Contender(b.key, "views of " + b.name("split"), views, equal(n)))
    split.append(
        Contender(
            "peer", "parse_space_packets", partial(_peer_split_count, w.stream, ids), equal(n)
        )
    )
    walk.append(
        Contender(
            "peer",
            "parse + SpacePacketHeader.unpack",
            partial(_peer_headers, w.stream, ids),
            equal(headers),
        )
    )
    iterate.append(Contender("peer", "struct loop", partial(_struct_loop, w.stream), equal(n)))
    return [
        Case(
            key="split",
            title=f"split {n:,} packets",
            peer_name="spacepackets",
            target=20,
            contenders=tuple(split),
            target_unit="x",
            items=n,
            item_unit="packet",
        ),
        Case(
            key="iterate",
            title=f"iterate {n:,} views",
            peer_name="struct",
            target=1.5,
            contenders=tuple(iterate),
            target_unit="x",
            items=n,
            item_unit="packet",
        ),
        Case(
            key="headers",
            title=f"header walk {n:,}",
            peer_name="spacepackets",
            target=50,
            contenders=tuple(walk),
            target_unit="x",
            items=n,
            item_unit="packet",
        ),
    ]


def _crc_case(w: CodecWorkload, c: ModuleType | None, pure: ModuleType) -> Case:
    data = w.crc_data
    size = len(data)
    want = binascii.crc_hqx(data, 0xFFFF)
    crc = [Contender("api", "crc16", partial(crc16, data), equal(want))]
    for b in scaled_backends(c, pure, items=size, pure_items=w.sizes.pure_crc_octets):
        part = data[: b.share]
        run = partial(b.module.crc16, part, 0xFFFF)
        crc.append(
            Contender(b.key, b.name("crc16"), run, equal(binascii.crc_hqx(part, 0xFFFF)), b.scale)
        )
    crc.append(
        Contender("peer", "binascii.crc_hqx", partial(binascii.crc_hqx, data, 0xFFFF), equal(want))
    )
    title = f"CRC-16 over {size >> 10:,} KiB"
    return Case(
        key="crc",
        title=title,
        peer_name="binascii",
        target=5,
        target_unit="x",
        items=size,
        item_unit="octet",
        contenders=tuple(crc),
        octets=size,
    )


def _packetize_case(w: CodecWorkload, c: ModuleType | None, pure: ModuleType) -> Case:
    payload = w.payload
    size = len(payload)
    want = baseline_packetize(payload, PACKETIZE_APID, CHUNK)
    cut = [Contender("api", "Packetizer.packetize", partial(_api_packetize, payload), equal(want))]
    # whole chunks, so the twin cuts full-size packets as the whole workload does
    pure_share = max(CHUNK, w.sizes.pure_packetize_octets // CHUNK * CHUNK)
    for b in scaled_backends(c, pure, items=size, pure_items=pure_share):
        part = payload[: b.share]
        run = partial(_low_packetize, b.module, part)
        expect = want if b.share == size else baseline_packetize(part, PACKETIZE_APID, CHUNK)
        cut.append(Contender(b.key, b.name("packetize"), run, equal(expect), b.scale))
    peer = partial(baseline_packetize, payload, PACKETIZE_APID, CHUNK)
    cut.append(Contender("peer", "struct + binascii loop", peer, equal(want)))
    title = f"packetize {size >> 20:,} MiB" if size >= 1 << 20 else f"packetize {size >> 10} KiB"
    return Case(
        key="packetize",
        title=title,
        peer_name="struct",
        target=1.0,
        target_unit="GB/s",
        items=size,
        item_unit="octet",
        contenders=tuple(cut),
        octets=size,
    )


def stream_cases(w: CodecWorkload, c: ModuleType | None, pure: ModuleType) -> list[Case]:
    """The stream measurements, each with its contenders."""
    backends = list(scaled_backends(c, pure, items=len(w.apids), pure_items=w.pure_count))
    return [*_split_cases(w, backends), _crc_case(w, c, pure), _packetize_case(w, c, pure)]
