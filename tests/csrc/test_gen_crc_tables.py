"""csrc/crc_tables.h is what csrc/gen_crc_tables.py generates, and the tables are right."""

import importlib.util
from pathlib import Path
from types import ModuleType

from flight.ccsds import pure

CSRC = Path(__file__).resolve().parents[2] / "csrc"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_crc_tables", CSRC / "gen_crc_tables.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_header_matches_the_generator() -> None:
    assert (CSRC / "crc_tables.h").read_text() == _generator().render()


def test_first_table_is_the_octet_table_and_later_ones_append_zero_octets() -> None:
    tables = _generator().tables()
    for k, table in enumerate(tables):
        for byte in (0, 1, 0x80, 0xFF):
            # the contribution of `byte` followed by k zero octets, from a zero register
            assert table[byte] == pure.crc16(bytes([byte]) + bytes(k), 0), (k, byte)


def test_fold_constants_are_powers_of_x_modulo_the_polynomial() -> None:
    gen = _generator()
    for k in gen.FOLDS:
        # x^k mod P is the CRC (init 0) of a 1 bit followed by k - 16 zero bits
        bits = k - 16
        message = (1 << bits).to_bytes(bits // 8 + 1, "big")
        assert gen.x_pow_mod(k) == pure.crc16(message, 0), k
