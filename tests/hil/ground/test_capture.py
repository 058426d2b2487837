"""Packets out of raw streams and pcap/pcapng captures, written here byte by byte."""

import struct
from pathlib import Path

import pytest

from flight.ccsds import PusTc, PusTm
from hil.ground import CaptureError, read_capture, sniff_format

TM = PusTm(apid=101, service=17, subtype=2).pack()
TC = PusTc(apid=101, service=17, subtype=1).pack()


def _ipv4_udp(payload: bytes, sport: int, dport: int) -> bytes:
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
    header = struct.pack(
        ">BBHHHBBH4s4s",
        0x45,
        0,
        20 + len(udp),
        0,
        0,
        64,
        17,
        0,
        bytes([127, 0, 0, 1]),
        bytes([127, 0, 0, 1]),
    )
    return header + udp


def _ethernet(ip: bytes) -> bytes:
    return b"\x00" * 12 + b"\x08\x00" + ip


def _pcap(frames: list[bytes], linktype: int = 1) -> bytes:
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype)
    for index, frame in enumerate(frames):
        out += struct.pack("<IIII", 1_700_000_000 + index, 250_000, len(frame), len(frame)) + frame
    return out


def _block(kind: int, body: bytes) -> bytes:
    body += b"\x00" * (-len(body) % 4)
    return struct.pack("<II", kind, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))


def _pcapng(frames: list[bytes]) -> bytes:
    out = _block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    out += _block(1, struct.pack("<HHI", 1, 0, 65535))
    for frame in frames:
        stamp = 1_700_000_000_000_000
        out += _block(
            6,
            struct.pack("<IIIII", 0, stamp >> 32, stamp & 0xFFFFFFFF, len(frame), len(frame))
            + frame,
        )
    return out


def test_raw_stream_with_junk(tmp_path: Path) -> None:
    path = tmp_path / "raw.bin"
    path.write_bytes(TC + TM + TM[:5])
    assert sniff_format(path.read_bytes()) == "raw"
    assert [p.data for p in read_capture(path)] == [TC, TM]


def test_pcap_udp_over_ethernet_filtered_by_port(tmp_path: Path) -> None:
    frames = [
        _ethernet(_ipv4_udp(TC, 50000, 10015)),
        _ethernet(_ipv4_udp(TM, 10015, 50000)),
        _ethernet(_ipv4_udp(b"other", 1, 2)),
    ]
    path = tmp_path / "c.pcap"
    path.write_bytes(_pcap(frames))
    packets = read_capture(path, port=10015)
    assert [p.data for p in packets] == [TC, TM]
    assert packets[1].source == "127.0.0.1:10015 -> 127.0.0.1:50000"
    assert packets[0].time == pytest.approx(1_700_000_000.25)


def test_pcapng_and_truncation(tmp_path: Path) -> None:
    path = tmp_path / "c.pcapng"
    data = _pcapng([_ethernet(_ipv4_udp(TM, 10015, 50000))])
    path.write_bytes(data + data[-30:])  # a torn block at the end is ignored
    packets = read_capture(path)
    assert [p.data for p in packets] == [TM]
    assert packets[0].time == pytest.approx(1_700_000_000)


def test_wrong_format_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.pcap"
    path.write_bytes(TM)
    with pytest.raises(CaptureError, match="not a pcap"):
        read_capture(path, "pcap")
    with pytest.raises(CaptureError, match="cannot read"):
        read_capture(tmp_path / "missing")
