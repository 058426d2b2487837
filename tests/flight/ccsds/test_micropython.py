"""The pure codec twin inside real MicroPython (v1.27, WebAssembly under node).

The same vectors.json and the same checks (tests/support/ccsds_vectors.py) as test_vectors.py.
The real `flight/ccsds/__init__.py` needs dataclasses, so the twin is mounted under empty
stand-ins for the `flight` and `flight.ccsds` packages.
"""

import json
from pathlib import Path

import pytest

from tests.support.micropython import run_micropython, unavailable_reason

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
CCSDS = REPO / "flight" / "ccsds"

pytestmark = pytest.mark.skipif(unavailable_reason() is not None, reason=str(unavailable_reason()))


@pytest.fixture
def twin_mounts(tmp_path):
    """Mounts that give MicroPython `flight.ccsds.pure` and `flight.ccsds.errors` only."""
    empty = tmp_path / "empty.py"
    empty.write_text("")
    return {
        "/lib/flight/__init__.py": empty,
        "/lib/flight/ccsds/__init__.py": empty,
        "/lib/flight/ccsds/errors.py": CCSDS / "errors.py",
        "/lib/flight/ccsds/pure": CCSDS / "pure",
        "/lib/ccsds_vectors.py": REPO / "tests" / "support" / "ccsds_vectors.py",
        "/data/vectors.json": HERE / "vectors.json",
    }


VECTOR_SCRIPT = """
import json
import sys
from flight.ccsds import pure
from ccsds_vectors import check_all

assert sys.implementation.name == "micropython"
with open("/data/vectors.json") as f:
    vectors = json.load(f)
failures, checked = check_all(pure, vectors)
for kind, name, message in failures:
    print("FAIL", kind, name, message)
print("CHECKED", checked, "FAILED", len(failures))
"""


def test_vectors_pass_in_micropython(twin_mounts):
    result = run_micropython(VECTOR_SCRIPT, twin_mounts, timeout=60)
    assert result.returncode == 0, result.stderr
    vectors = json.loads((HERE / "vectors.json").read_text())
    total = sum(len(v) for k, v in vectors.items() if not k.startswith("_"))
    assert result.stdout.splitlines()[-1] == f"CHECKED {total} FAILED 0", result.stdout


ERROR_SCRIPT = """
from flight.ccsds import pure
from flight.ccsds.errors import CodecError, ChecksumError, TruncatedError, FramingError

ping = pure.pus_tc_pack(100, 3, 0, 15, 17, 1, 0, b"")
bad = bytearray(ping)
bad[-1] ^= 1
for call, args in (
    (pure.pus_tc_unpack, (bytes(bad),)),
    (pure.pus_tc_unpack, (ping[:5],)),
    (pure.cobs_decode, (b"\\x03\\x11\\x00",)),
    (pure.cuc_pack, (1, 0, 9, 0, False, 1)),
):
    try:
        call(*args)
        print("ACCEPTED")
    except CodecError as exc:
        print(type(exc).__name__, exc.field, exc.offset)
batch = pure.split(b"\\xff" + ping + ping[:4], 65542, True)
print(batch[0], batch[1], batch[2], list(batch[3]), list(batch[4]))
"""


def test_errors_and_split_in_micropython(twin_mounts):
    result = run_micropython(ERROR_SCRIPT, twin_mounts)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "ChecksumError packet_error_control 11",
        "TruncatedError primary_header 0",
        "FramingError cobs 2",
        "FieldRangeError coarse_octets -1",
        "1 14 1 [1] [13]",
    ]


def test_runner_reports_an_uncaught_exception(twin_mounts):
    result = run_micropython("from flight.ccsds import pure\npure.cobs_decode(b'\\x00')\n",
                             twin_mounts)  # fmt: skip
    assert result.returncode == 1
    assert "FramingError" in result.stderr


def test_twin_needs_nothing_micropython_lacks(twin_mounts):
    # importing each module of the twin on its own catches a stray CPython-only import
    modules = sorted(p.stem for p in (CCSDS / "pure").glob("*.py") if p.stem != "__init__")
    script = "\n".join(f"import flight.ccsds.pure.{m}" for m in modules) + "\nprint('ok')\n"
    result = run_micropython(script, twin_mounts)
    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr
