"""Packets out of a file: a raw byte stream of space packets, or a pcap/pcapng capture of UDP.

Raw streams go through `split_packets`, which skips junk and leaves a partial packet at the
end alone. Captures (tcpdump, Wireshark, tshark) are read without any capture library: every
UDP datagram over IPv4 or IPv6 on Ethernet, Linux cooked (v1, v2), BSD loopback or raw IP
links yields its payload, optionally only to or from one port. Every length is checked before
it is used; a truncated capture ends the iteration with what was read.
"""

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flight.ccsds import split_packets
from hil.ground.errors import CaptureError

__all__ = ["CapturedPacket", "read_capture", "sniff_format"]

_PCAP_MAGICS = {
    b"\xd4\xc3\xb2\xa1": ("<", 1e-6),
    b"\xa1\xb2\xc3\xd4": (">", 1e-6),
    b"\x4d\x3c\xb2\xa1": ("<", 1e-9),
    b"\xa1\xb2\x3c\x4d": (">", 1e-9),
}
_PCAPNG_SHB = b"\x0a\x0d\x0d\x0a"
_UDP = 17
_ETH_IPV4, _ETH_IPV6, _ETH_VLAN = 0x0800, 0x86DD, 0x8100


@dataclass(frozen=True)
class CapturedPacket:
    """One packet found in a file.

    Attributes:
        data: the packet octets.
        time: capture time in Unix seconds (None for raw streams).
        source: where it came from, e.g. ``127.0.0.1:10015 -> 127.0.0.1:50000``.
    """

    data: bytes
    time: float | None = None
    source: str = ""


def sniff_format(head: bytes) -> str:
    """``pcap``, ``pcapng`` or ``raw`` from a file's first four octets."""
    if head[:4] in _PCAP_MAGICS:
        return "pcap"
    if head[:4] == _PCAPNG_SHB:
        return "pcapng"
    return "raw"


def _udp_from_ip(frame: bytes, port: int | None) -> tuple[bytes, str] | None:
    if not frame:
        return None
    version = frame[0] >> 4
    if version == 4 and len(frame) >= 20:
        header = (frame[0] & 0x0F) * 4
        if frame[9] != _UDP or len(frame) < header + 8:
            return None
        src, dst = ".".join(map(str, frame[12:16])), ".".join(map(str, frame[16:20]))
        udp = frame[header:]
    elif version == 6 and len(frame) >= 48:
        if frame[6] != _UDP:  # extension headers are not followed: bench captures have none
            return None
        src, dst = frame[8:24].hex(), frame[24:40].hex()
        udp = frame[40:]
    else:
        return None
    sport, dport, length = struct.unpack(">HHH", udp[:6])
    if port is not None and port not in {sport, dport}:
        return None
    payload = udp[8:length] if 8 <= length <= len(udp) else udp[8:]
    return payload, f"{src}:{sport} -> {dst}:{dport}"


def _network_layer(linktype: int, frame: bytes) -> bytes | None:
    if linktype in {101, 228, 229, 12}:  # raw IP
        return frame
    if linktype == 0 and len(frame) >= 4:  # BSD loopback: 4-octet family
        return frame[4:]
    if linktype == 1 and len(frame) >= 14:  # Ethernet, with up to one VLAN tag
        ethertype, offset = int.from_bytes(frame[12:14], "big"), 14
        if ethertype == _ETH_VLAN and len(frame) >= 18:
            ethertype, offset = int.from_bytes(frame[16:18], "big"), 18
        return frame[offset:] if ethertype in {_ETH_IPV4, _ETH_IPV6} else None
    if linktype == 113 and len(frame) >= 16:  # Linux cooked v1
        return frame[16:]
    if linktype == 276 and len(frame) >= 20:  # Linux cooked v2
        return frame[20:]
    return None


def _datagram(linktype: int, frame: bytes, port: int | None, stamp: float) -> CapturedPacket | None:
    network = _network_layer(linktype, frame)
    found = _udp_from_ip(network, port) if network else None
    return CapturedPacket(found[0], stamp, found[1]) if found else None


def _pcap(data: bytes, port: int | None) -> Iterator[CapturedPacket]:
    order, unit = _PCAP_MAGICS[data[:4]]
    if len(data) < 24:
        raise CaptureError("pcap file shorter than its global header")
    linktype = struct.unpack(order + "I", data[20:24])[0] & 0x0FFFFFFF
    offset = 24
    while offset + 16 <= len(data):
        seconds, fraction, captured, _ = struct.unpack(order + "IIII", data[offset : offset + 16])
        offset += 16
        frame = data[offset : offset + captured]
        offset += captured
        if len(frame) < captured:
            return
        packet = _datagram(linktype, frame, port, seconds + fraction * unit)
        if packet is not None:
            yield packet


def _pcapng(data: bytes, port: int | None) -> Iterator[CapturedPacket]:
    order = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
    interfaces: list[tuple[int, float]] = []
    offset = 0
    while offset + 12 <= len(data):
        kind, length = struct.unpack(order + "II", data[offset : offset + 8])
        if length < 12 or offset + length > len(data):
            return
        body = data[offset + 8 : offset + length - 4]
        offset += length
        if kind == 0x0A0D0D0A:  # a new section may change the byte order
            order = "<" if body[:4] == b"\x4d\x3c\x2b\x1a" else ">"
            interfaces = []
        elif kind == 1 and len(body) >= 8:  # interface description (default 1 us resolution)
            interfaces.append((struct.unpack(order + "H", body[:2])[0], 1e-6))
        elif kind == 6 and len(body) >= 20:  # enhanced packet
            iface, high, low, captured = struct.unpack(order + "IIII", body[:16])
            if iface >= len(interfaces):
                continue
            linktype, unit = interfaces[iface]
            packet = _datagram(
                linktype, body[20 : 20 + captured], port, ((high << 32) | low) * unit
            )
            if packet is not None:
                yield packet
        elif kind == 3 and len(body) >= 4 and interfaces:  # simple packet, interface 0
            packet = _datagram(interfaces[0][0], body[4:], port, 0.0)
            if packet is not None:
                yield packet


def read_capture(path: Path, fmt: str = "auto", port: int | None = None) -> list[CapturedPacket]:
    """Every packet in `path` (``auto``, ``raw``, ``pcap`` or ``pcapng``).

    In a capture, each UDP payload is one packet as the links send them; in a raw stream,
    packets follow each other. `port` keeps only datagrams to or from that UDP port.

    Raises:
        CaptureError: the file cannot be read or is not in the format asked for.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CaptureError(f"cannot read {path}: {exc}") from exc
    kind = sniff_format(data) if fmt == "auto" else fmt
    if kind == "pcap":
        if data[:4] not in _PCAP_MAGICS:
            raise CaptureError(f"{path} is not a pcap file")
        return list(_pcap(data, port))
    if kind == "pcapng":
        if data[:4] != _PCAPNG_SHB:
            raise CaptureError(f"{path} is not a pcapng file")
        return list(_pcapng(data, port))
    if kind != "raw":
        raise CaptureError(f"unknown capture format {fmt!r}")
    batch = split_packets(data)
    return [CapturedPacket(bytes(view)) for view in batch]
