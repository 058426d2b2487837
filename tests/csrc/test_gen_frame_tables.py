"""csrc/frame_tables.h is what csrc/gen_frame_tables.py generates, and agrees with the twin."""

import importlib.util
from pathlib import Path
from types import ModuleType

from flight.ccsds.pure import cltu

CSRC = Path(__file__).resolve().parents[2] / "csrc"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_frame_tables", CSRC / "gen_frame_tables.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_header_matches_the_generator() -> None:
    assert (CSRC / "frame_tables.h").read_text() == _generator().render()


def test_tables_agree_with_the_pure_twin() -> None:
    gen = _generator()
    assert tuple(gen.bch_table()) == cltu._TABLE
    assert bytes(gen.sequence(gen.TC_TAPS)) == cltu.TC_SEQUENCE
    assert bytes(gen.sequence(gen.TM_TAPS)) == cltu.TM_SEQUENCE
    syndromes = gen.syndrome_table()
    assert {s: bit for s, bit in enumerate(syndromes) if bit >= 0} == cltu._SYNDROMES


def test_every_single_bit_error_has_its_own_syndrome() -> None:
    syndromes = _generator().syndrome_table()
    assert syndromes[0] == -1
    assert sorted(bit for bit in syndromes if bit >= 0) == list(range(63))
