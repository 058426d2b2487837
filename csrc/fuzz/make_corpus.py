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
