"""CRC-16/CCITT-FALSE, the PUS packet error control (poly 0x1021, init 0xFFFF, no reflection).

Check value: crc16(b"123456789") == 0x29B1.
"""

from flight.ccsds.errors import FieldRangeError

_POLY = 0x1021


def _make_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ _POLY) if crc & 0x8000 else (crc << 1)
        table.append(crc & 0xFFFF)
    return tuple(table)


_TABLE = _make_table()


def crc16(data: bytes | bytearray | memoryview, crc: int = 0xFFFF) -> int:
    """Return the CRC-16/CCITT-FALSE of `data`, continuing from `crc`.

    Raises:
        FieldRangeError: `crc` is not a 16-bit value.
    """
    if crc < 0 or crc > 0xFFFF:
        # outside 16 bits the table index runs off the end, or wraps round when negative
        raise FieldRangeError("crc", 0, 0xFFFF, crc)
    table = _TABLE
    for byte in bytes(data):
        crc = ((crc << 8) & 0xFF00) ^ table[(crc >> 8) ^ byte]
    return crc


def crc16_bytes(data: bytes, size: int, crc: int) -> int:
    """The CRC of a `bytes` of `size` octets (its length) from `crc`, unchecked.

    The PUS values' hot path calls this once per packet; the C backend's is the C function
    itself, without the checks `crc16` makes (they cost half as much as a packet's CRC).
    """
    return crc16(data[:size], crc)
