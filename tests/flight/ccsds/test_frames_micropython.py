"""The frame twin (TC/TM frames, CLTU, CLCW, mux/demux) inside real MicroPython.

The same known answers as test_frames.py, computed by flight/ccsds/pure under MicroPython
(v1.27, WebAssembly under node), and compared with CPython's results octet for octet.
"""

import pytest

from flight.ccsds import pure
from tests.flight.ccsds.test_frames import DARIOLUCIA_CLTU, ZEPHYR_CLTU
from tests.flight.ccsds.test_micropython import twin_mounts  # noqa: F401 - fixture
from tests.support.micropython import run_micropython, unavailable_reason

pytestmark = pytest.mark.skipif(unavailable_reason() is not None, reason=str(unavailable_reason()))

SCRIPT = """
from flight.ccsds import pure
from flight.ccsds.errors import CodecError

frame = pure.tc_frame_pack(0, 0, 123, 1, 0, -1, bytes(range(1, 11)), False)
print(pure.cltu_encode(frame, True).hex())
data, start, end, corrected = pure.cltu_decode(bytes.fromhex("ZEPHYR"))
print(data.hex(), start, end, corrected)
print(pure.tc_frame_unpack(data, True, True))
bad = bytearray(bytes.fromhex("ZEPHYR"))
bad[5] ^= 0x10
print(pure.cltu_decode(bytes(bad))[3])
bad[6] ^= 0x01
try:
    pure.cltu_decode(bytes(bad))
except CodecError as exc:
    print(type(exc).__name__, exc.field, exc.offset)
print(pure.tm_randomize(bytes(8)).hex(), pure.tc_randomize(bytes(5)).hex())
print(pure.clcw_unpack(pure.clcw_pack(1, 1, 2, 0, 1, 1, 0, 1, 3, 165)))
stream = b"".join(pure.pus_tc_pack(5, 3, i, 15, 17, 1, 0, bytes([i]) * (10 + i)) for i in range(9))
frames = pure.tm_mux(stream, 0, 42, 3, 0, 0, 40, 16909060, True, True)
print(bytes(frames[0]).hex(), frames[1:])
out = pure.tm_demux(frames[0], 40, True, 3)
print(bytes(out[0]) == stream, out[2:])
print(pure.tm_sync(b"\\x00" + pure.tmframe.ASM + frames[0][:40], 40, True)[:3])
""".replace("ZEPHYR", ZEPHYR_CLTU.hex())


def test_frame_twin_matches_cpython_in_micropython(twin_mounts):  # noqa: F811
    result = run_micropython(SCRIPT, twin_mounts, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == DARIOLUCIA_CLTU.hex()
    data, start, end, corrected = pure.cltu_decode(ZEPHYR_CLTU)
    assert lines[1] == f"{data.hex()} {start} {end} {corrected}"
    assert lines[2] == str(pure.tc_frame_unpack(data, True, True))
    assert lines[3:5] == ["1", "CodingError code_block 2"]
    assert lines[5] == "ff480ec09a0d70bc ff399e5a68"
    assert lines[6] == str(pure.clcw_unpack(pure.clcw_pack(1, 1, 2, 0, 1, 1, 0, 1, 3, 165)))
    stream = b"".join(
        pure.pus_tc_pack(5, 3, i, 15, 17, 1, 0, bytes([i]) * (10 + i)) for i in range(9)
    )
    frames = pure.tm_mux(stream, 0, 42, 3, 0, 0, 40, 16909060, True, True)
    assert lines[7] == f"{bytes(frames[0]).hex()} {frames[1:]}"
    assert lines[8] == f"True {pure.tm_demux(frames[0], 40, True, 3)[2:]}"
    assert lines[9] == "(1, 45, 1)"
