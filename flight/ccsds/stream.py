"""Batch work on packet streams: split a buffer into packets, cut a payload into packets."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from flight.ccsds.errors import FieldRangeError
from flight.ccsds.selection import codec

__all__ = ["MAX_PACKET_LENGTH", "PacketBatch", "Packetizer", "split_packets"]

MAX_PACKET_LENGTH = 65542
Buffer = bytes | bytearray | memoryview


@dataclass(frozen=True, slots=True)
class PacketBatch:
    """The packets found in one buffer, as arrays rather than one object per packet.

    `offsets`, `lengths`, `apids` and `seq_counts` are array-likes (typecodes I, I, H, H) with
    `count` entries. Iterating yields a zero-copy memoryview into the buffer per packet.
    `consumed` counts the octets used, packets and skipped junk alike: a partial packet at the
    end is not consumed and waits for the next read.
    """

    buffer: Buffer
    count: int
    consumed: int
    skipped: int
    offsets: Any
    lengths: Any
    apids: Any
    seq_counts: Any

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[memoryview]:
        view = memoryview(self.buffer)
        for start, length in zip(self.offsets, self.lengths, strict=True):
            yield view[start : start + length]

    def __getitem__(self, index: int) -> memoryview:
        start = self.offsets[index]
        return memoryview(self.buffer)[start : start + self.lengths[index]]


def split_packets(
    buffer: Buffer, *, max_length: int = MAX_PACKET_LENGTH, check_crc: bool = False
) -> PacketBatch:
    """Locate every complete Space Packet in `buffer` in one pass.

    Junk (a version other than 0, a length above `max_length`, or with `check_crc` a failed
    CRC-16) is skipped an octet at a time and counted, so a noisy stream resynchronises.
    Setting `max_length` to the link's largest packet bounds how long a corrupted length
    field can hold up the stream.

    >>> from flight.ccsds import PusTc
    >>> ping = PusTc(apid=100, service=17, subtype=1).pack()
    >>> batch = split_packets(b"junk" + ping + ping[:3])
    >>> batch.count, batch.consumed, batch.skipped, list(batch.apids)
    (1, 17, 4, [100])
    """
    count, consumed, skipped, offsets, lengths, apids, counts = codec.split(
        buffer, max_length, check_crc
    )
    return PacketBatch(buffer, count, consumed, skipped, offsets, lengths, apids, counts)


@dataclass(slots=True)
class Packetizer:
    """Cuts large payloads (science data) into CRC-protected packets, one call per payload.

    Keeps a sequence count per APID across calls.

    >>> p = Packetizer(chunk=1000)
    >>> stream = p.packetize(bytes(2500), apid=42)
    >>> split_packets(stream).count, p.seq_counts[42]
    (3, 3)
    """

    chunk: int = 1017
    crc: bool = True
    seq_counts: dict[int, int] = field(default_factory=dict)

    def packetize(self, payload: Buffer, *, apid: int) -> bytearray:
        """Return the packet stream for `payload` and advance `apid`'s sequence count."""
        if not 0 <= apid <= 0x7FF:
            raise FieldRangeError("apid", 0, 0x7FF, apid)
        stream, following = codec.packetize(
            payload, apid, self.seq_counts.get(apid, 0), self.chunk, 0, self.crc
        )
        self.seq_counts[apid] = following
        return stream  # type: ignore[no-any-return]
