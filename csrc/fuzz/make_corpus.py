"""Write the seed corpus csrc/fuzz/corpus/<harness>/ from the pure-Python twin.

Each harness reads its input as its C file documents (a few option octets, then the data);
the seeds here follow that layout: valid packets to start from, and a near miss or two.
Run from the project root: `python csrc/fuzz/make_corpus.py`.
"""

import hashlib
from pathlib import Path

from flight.ccsds import pure

CORPUS = Path(__file__).resolve().parent / "corpus"


def seeds() -> dict[str, list[bytes]]:
    """Return the seed inputs per harness."""
    ping = pure.pus_tc_pack(100, 3, 7, 0xF, 17, 1, 0, b"")
    cmd = pure.pus_tc_pack(0x7FF, 1, 0x3FFF, 0x9, 8, 128, 0xBEEF, b"\x00\x01\xff\x00payload")
    cuc = pure.cuc_pack(0x12345678, 0x9ABC, 4, 2, False, 1)
    cuc_p = pure.cuc_pack(0x0102030405, 0x060708, 5, 3, True, 2)
    tm = pure.pus_tm_pack(100, 3, 5, 0, 3, 25, 9, 0, cuc, b"\x10\x20\x00\x30")
    tm_p = pure.pus_tm_pack(42, 0, 16383, 7, 5, 1, 0xFFFF, 2, cuc_p, b"")
    bad_crc = ping[:-1] + bytes([ping[-1] ^ 1])
    stream, _ = pure.packetize(bytes(range(40)), 9, 16382, 16)
    return {
        "fuzz_header": [b"\x00" + ping[:6], b"\x02\xff\xff" + cmd[:6], b"\x00\xe0" + bytes(5)],
        "fuzz_split": [
            b"\x00\x00\x00" + b"junk" + ping + tm + ping[:5],
            b"\x01\x00\x00" + ping + bad_crc + cmd,
            b"\x00\x00\x14" + cmd + ping,
            b"\x01\x00\x00" + stream,
        ],
        "fuzz_pus_tc": [ping, cmd, bad_crc, ping[:-3], ping + b"\x00"],
        "fuzz_pus_tm": [b"\x06" + tm, bytes([len(cuc_p)]) + tm_p, b"\x06" + tm[:-1], b"\x41" + tm],
        "fuzz_cuc": [
            bytes([0b0010_1000, 0]) + cuc,
            bytes([0x01, 0]) + cuc_p,
            bytes([0x01, 1]) + b"\xaa" + bytes([0x9F, 0x7C]) + bytes(14),
            bytes([0x01, 0]) + b"\x4c",
        ],
        "fuzz_cobs": [
            b"",
            b"\x00",
            pure.cobs_encode(ping),
            pure.cobs_encode(b"\x01" * 300),
            b"\x05\x11\x00",
            b"\xff" + b"\x01" * 254 + b"\x01",
        ],
        "fuzz_packetize": [
            b"\x00\x2a\x3f\xfe\x10\x01" + bytes(range(50)),
            b"\x07\xff\x00\x00\x01\x03" + b"\x00\x01\x02",
            b"\x00\x01\x00\x00\xfa\x00" + b"x" * 20,
            b"\x08\x00\x00\x00\x10\x01" + b"y",
        ],
        "fuzz_crc": [b"\xff\xff\x00123456789", b"\xff\xff\x05" + stream, b"\x00\x00\x01" + cmd],
        **frame_seeds(ping, cmd, tm),
    }


def frame_seeds(ping: bytes, cmd: bytes, tm: bytes) -> dict[str, list[bytes]]:
    """Return the seed inputs of the transfer-frame harnesses."""
    tc = pure.tc_frame_pack(0, 0, 123, 1, 0, -1, bytes(range(1, 11)), True)
    seg = pure.tc_frame_pack(0, 0, 0x7B, 0, 0x1F, 0xC0, cmd, True)
    unlock = pure.tc_frame_pack(1, 1, 0x3FF, 63, 255, -1, b"\x00", True)
    set_vr = pure.tc_frame_pack(1, 1, 5, 2, 0, -1, b"\x82\x00\x2a", False)
    clcw = pure.clcw_pack(1, 1, 2, 0, 1, 1, 0, 1, 3, 0xA5)
    packets = ping + cmd + tm + ping
    ocf = int.from_bytes(clcw, "big")
    frames = pure.tm_mux(packets, 0, 42, 3, 0, 0, 64, ocf, True, True)[0]
    idle = pure.tm_mux(b"", 0, 42, 7, 9, 9, 32, -1, False, True)[0]
    asm = pure.tmframe.ASM
    wire = b"\x55\x1a\xcf" + asm + frames[:64] + b"\x00" + asm + frames[64:128] + asm[:2]
    return {
        "fuzz_tc_frame": [
            b"\x00" + tc[:-2],
            b"\x01" + tc,
            b"\x03" + seg,
            b"\x01" + unlock,
            b"\x00" + set_vr,
            b"\x01" + tc[:-1],
        ],
        "fuzz_clcw": [b"\x00" + clcw, b"\x02\xff\xff" + clcw + b"\x00", b"\x00\x80" + clcw[1:]],
        "fuzz_cltu": [
            b"\x01" + pure.cltu_encode(tc),
            b"\x03\x55\xaa" + pure.cltu_encode(seg, True),
            b"\x05" + bytes.fromhex("eb900102030405060700c5c5c5c5c5c5c579"),
            b"\x00" + pure.cltu_encode(unlock)[:-3],
        ],
        "fuzz_tm_frame": [b"\x01" + frames[:64], b"\x00" + idle, b"\x01" + frames[64:127]],
        "fuzz_tm_sync": [
            b"\x01\x00\x40" + wire,
            b"\x00\x00\x20" + asm + idle + asm + idle,
            b"\x00\x08\x01" + asm * 3,
        ],
        "fuzz_tm_mux": [
            b"\x07\x00\x40\x00\x03\x00\x00" + packets,
            b"\x02\x00\x14\x02\x01\xfe\xff" + ping[-2:] + tm,
            b"\x03\x00\x20\x00\x07\x00\x00",
            b"\x01\x08\x00\x00\x00\x00\x00" + cmd * 3,
        ],
        "fuzz_tm_demux": [
            b"\x01\x00\x40\x03\x00\x00" + frames,
            b"\x01\x00\x40\x03\x05\x03" + ping[:3] + frames[64:],
            b"\x00\x00\x20\x07\xff\x00" + idle,
        ],
    }


def main() -> None:
    """Replace the corpus directories' contents with the seeds."""
    for harness, inputs in seeds().items():
        folder = CORPUS / harness
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        for data in inputs:
            # named by content, as libFuzzer names its own finds
            (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)  # noqa: S324


if __name__ == "__main__":
    main()
