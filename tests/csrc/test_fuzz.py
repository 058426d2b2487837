"""The fuzz harnesses in csrc/fuzz/: their seed corpus through both codecs, and smoke runs.

Every corpus file is read the way its harness reads it and handed to the C backend and to
the pure twin, which must agree on the result or on the error (class, message, field,
offset, expected, actual). With clang present, every harness is built and fuzzed briefly.
"""

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flight.ccsds import pure
from flight.ccsds.errors import CodecError

ROOT = Path(__file__).resolve().parents[2]
FUZZ = ROOT / "csrc" / "fuzz"
CORPUS = FUZZ / "corpus"
HARNESSES = sorted(path.stem for path in FUZZ.glob("fuzz_*.c"))
SMOKE_SECONDS = 3

cbackend = pytest.importorskip("flight.ccsds.cbackend", reason="the C codec is not built")


def _u16(data: bytes) -> int:
    return (data[0] << 8) | data[1]


# (function name, arguments) the harness calls for one input, mirroring its C file; None
# when the harness ignores an input that short
Calls = list[tuple[str, tuple[Any, ...]]] | None


def _header(d: bytes) -> Calls:
    return [("unpack_header", (d[1:], d[0] % 8))] if d else None


def _split(d: bytes) -> Calls:
    if len(d) < 3:
        return None
    max_length = _u16(d[1:]) or 65542
    return [("split", (d[3:], max_length, bool(d[0] & 1)))]


def _pus_tc(d: bytes) -> Calls:
    return [("pus_tc_unpack", (d,))]


def _pus_tm(d: bytes) -> Calls:
    return [("pus_tm_unpack", (d[1:], d[0] % 72))] if d else None


def _cuc(d: bytes) -> Calls:
    if len(d) < 2:
        return None
    return [("cuc_unpack", (d[2:], d[1] % 4, (d[0] >> 1) & 7, d[0] >> 4, bool(d[0] & 1)))]


def _cobs(d: bytes) -> Calls:
    return [("cobs_decode", (d,)), ("cobs_encode", (d,))]


def _packetize(d: bytes) -> Calls:
    if len(d) < 6:
        return None
    chunk = 65530 + d[4] - 250 if d[4] >= 250 else d[4]
    return [("packetize", (d[6:], _u16(d), _u16(d[2:]), chunk, (d[5] >> 1) & 1, bool(d[5] & 1)))]


def _crc(d: bytes) -> Calls:
    return [("crc16", (d[3:], _u16(d)))] if len(d) >= 3 else None


def _tc_frame(d: bytes) -> Calls:
    return [("tc_frame_unpack", (d[1:], bool(d[0] & 1), bool(d[0] & 2)))] if d else None


def _clcw(d: bytes) -> Calls:
    return [("clcw_unpack", (d[1:], d[0] % 8))] if d else None


def _cltu(d: bytes) -> Calls:
    if not d:
        return None
    return [
        ("cltu_decode", (d[1:], bool(d[0] & 1), bool(d[0] & 2))),
        ("cltu_encode", (d[1:], bool(d[0] & 4))),
        ("tm_randomize" if d[0] & 8 else "tc_randomize", (d[1:],)),
    ]


def _tm_frame(d: bytes) -> Calls:
    return [("tm_frame_unpack", (d[1:], bool(d[0] & 1)))] if d else None


def _tm_sync(d: bytes) -> Calls:
    return [("tm_sync", (d[3:], _u16(d[1:]) or 7, bool(d[0] & 1)))] if len(d) >= 3 else None


def _tm_mux(d: bytes) -> Calls:
    if len(d) < 7:
        return None
    ocf = 0x01020304 if d[0] & 4 else -1
    args = (d[7:], d[3], 42, d[4], d[5], d[6], _u16(d[1:]) % 2100, ocf, bool(d[0] & 1))
    return [("tm_mux", (*args, bool(d[0] & 2)))]


def _tm_demux(d: bytes) -> Calls:
    if len(d) < 6 or len(d) - 6 < d[5]:
        return None
    frame_length = _u16(d[1:]) % 2100
    frames = d[6 + d[5] :]
    if frame_length:
        frames = frames[: len(frames) - len(frames) % frame_length]
    expected = -1 if d[4] == 255 else d[4]
    return [("tm_demux", (frames, frame_length, bool(d[0] & 1), d[3], expected, d[6 : 6 + d[5]]))]


READERS: dict[str, Callable[[bytes], Calls]] = {
    "fuzz_header": _header,
    "fuzz_split": _split,
    "fuzz_pus_tc": _pus_tc,
    "fuzz_pus_tm": _pus_tm,
    "fuzz_cuc": _cuc,
    "fuzz_cobs": _cobs,
    "fuzz_packetize": _packetize,
    "fuzz_crc": _crc,
    "fuzz_tc_frame": _tc_frame,
    "fuzz_clcw": _clcw,
    "fuzz_cltu": _cltu,
    "fuzz_tm_frame": _tm_frame,
    "fuzz_tm_sync": _tm_sync,
    "fuzz_tm_mux": _tm_mux,
    "fuzz_tm_demux": _tm_demux,
}


def _normal(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_normal(item) for item in value)
    if isinstance(value, memoryview) or hasattr(value, "typecode"):
        return list(value)
    return value


def _outcome(backend: Any, name: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    try:
        return ("ok", _normal(getattr(backend, name)(*args)))
    except CodecError as exc:
        return ("error", type(exc).__name__, str(exc), exc.field, exc.offset, exc.expected,
                exc.actual)  # fmt: skip


def _corpus_files() -> list[Path]:
    return sorted(path for path in CORPUS.glob("fuzz_*/*") if path.is_file())


def test_every_harness_has_a_reader_and_a_seed_corpus() -> None:
    assert sorted(READERS) == HARNESSES
    for name in HARNESSES:
        seeds = list((CORPUS / name).glob("*"))
        assert 3 <= len(seeds) <= 20, name
        assert all(path.stat().st_size <= 4096 for path in seeds), name


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: f"{p.parent.name}/{p.name[:8]}")
def test_corpus_gives_the_same_outcome_on_both_backends(path: Path) -> None:
    calls = READERS[path.parent.name](path.read_bytes())
    for name, args in calls or []:
        assert _outcome(cbackend, name, args) == _outcome(pure, name, args), name


@pytest.fixture(scope="module")
def built() -> Path:
    """Build every harness once (tools/fuzz --build-only); skip when clang is absent."""
    if shutil.which("clang") is None:
        pytest.skip("clang is not installed (apt-get install clang): fuzz harnesses not built")
    subprocess.run([ROOT / "tools" / "fuzz", "--build-only"], check=True, timeout=600)
    return FUZZ / "build"


@pytest.mark.slow
@pytest.mark.parametrize("name", HARNESSES)
def test_harness_survives_a_short_fuzz_run(built: Path, name: str) -> None:
    result = subprocess.run(
        [ROOT / "tools" / "fuzz", "--seconds", str(SMOKE_SECONDS), name],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (built / name).exists()
    assert "stat::number_of_executed_units" in result.stdout
