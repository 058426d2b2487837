"""A short tour of the CCSDS/PUS codec: build a ping, split a noisy stream, COBS-frame a packet.

Run it with `python -m tools.demo_codec` (tools/demo does, after setting up the venv).
"""

from flight.ccsds import (
    CucTime,
    PusTc,
    PusTm,
    backend,
    cobs_decode,
    cobs_encode,
    split_packets,
)

APID = 100


def _hex(data: bytes | memoryview) -> str:
    return bytes(data).hex(" ")


def _title(text: str) -> None:
    print(f"\n-- {text}")


def _row(label: str, value: object) -> None:
    print(f"  {label:<16}{value}")


def show_ping() -> bytes:
    """Build a PUS 17,1 ping, print its octets by part and what unpacking reads back."""
    _title("PUS 17,1 ping telecommand")
    ping = PusTc(apid=APID, service=17, subtype=1, seq_count=1, source_id=7)
    raw = ping.pack()
    _row(f"{len(raw)} octets", _hex(raw))
    _row("primary header", f"{_hex(raw[:6])}   version 0, TC, sec. header, APID {APID}")
    _row("PUS header", f"{_hex(raw[6:11])}   PUS-C, ack 0b1111, service 17/1, source 7")
    _row("CRC-16", _hex(raw[-2:]))
    back = PusTc.unpack(raw)
    _row("unpacked", back)
    _row("round trip", "equal" if back == ping else "DIFFERENT")
    return raw


def show_split(ping: bytes) -> None:
    """Split a stream holding junk, two packets and the start of a third."""
    _title("splitting a noisy stream")
    reply = PusTm(apid=APID, service=17, subtype=2, seq_count=1, time=CucTime(coarse=1000))
    partial = reply.pack()[:9]
    stream = b"\xff\xfe junk" + ping + b"\xee" + reply.pack() + partial
    _row("stream", f"{len(stream)} octets: 7 junk, ping, 1 junk, ping reply, 9 of a third")
    batch = split_packets(stream)
    _row(
        "batch",
        f"count {batch.count}, consumed {batch.consumed}, skipped {batch.skipped}; "
        f"{len(stream) - batch.consumed} octets wait for the next read",
    )
    print("  offset  length  apid  seq  octets")
    for i, packet in enumerate(batch):
        print(
            f"  {batch.offsets[i]:>6}  {batch.lengths[i]:>6}  {batch.apids[i]:>4}  "
            f"{batch.seq_counts[i]:>3}  {_hex(packet[:8])} ..."
        )


def show_cobs(ping: bytes) -> None:
    """Frame a packet for a serial link as 00 <cobs> 00 and decode it back."""
    _title("COBS framing for a serial link")
    frame = b"\x00" + cobs_encode(ping) + b"\x00"
    _row("packet", _hex(ping))
    _row("frame", _hex(frame))
    decoded = cobs_decode(frame[1:-1])
    _row("decoded", "equal to the packet" if decoded == ping else "DIFFERENT")


def main() -> None:
    """Run the tour."""
    print(f"Starling codec demo (backend: {backend})")
    ping = show_ping()
    show_split(ping)
    show_cobs(ping)


if __name__ == "__main__":
    main()
