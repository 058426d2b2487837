"""CLTUs with BCH(63,56) code blocks (CCSDS 231.0-B-4) and the CCSDS pseudo-randomizers.

A CLTU is the start sequence ``EB 90``, one code block per 7 octets of the frame (the last
filled with ``55``), and the tail sequence ``C5 C5 C5 C5 C5 C5 C5 79``. A code block is the
7 information octets, then 7 parity bits (the remainder of info(x)·x^7 modulo
g(x) = x^7 + x^6 + x^2 + 1, complemented) and a filler bit 0. The code has minimum distance 4:
the decoder corrects one bit error per block (231.0-B's optional correction mode) and
refuses two.

The TC randomizer (231.0-B, h(x) = x^8+x^6+x^4+x^3+x^2+x+1) and the TM randomizer (131.0-B,
h(x) = x^8+x^7+x^5+x^3+1) both start from all ones and XOR their sequence into the data;
each sequence repeats after 255 bits, so 255 octets hold 8 periods and index by octet.
"""

from flight.ccsds.errors import CodingError, LengthError, TruncatedError

START_SEQUENCE = b"\xeb\x90"
TAIL_SEQUENCE = b"\xc5\xc5\xc5\xc5\xc5\xc5\xc5\x79"
FILL = 0x55
INFO_LEN = 7
BLOCK_LEN = 8
MAX_CLTU_DATA = 0xFFFF
_G = 0x45  # x^6 + x^2 + 1: g(x) without its x^7 term


def _lfsr_octets(taps: tuple[int, ...]) -> bytes:
    bits = [1] * 8
    while len(bits) < 255 * 8:
        value = 0
        for tap in taps:
            value ^= bits[len(bits) - 8 + tap]
        bits.append(value)
    out = bytearray()
    for i in range(255):
        octet = 0
        for bit in bits[i * 8 : i * 8 + 8]:
            octet = (octet << 1) | bit
        out.append(octet)
    return bytes(out)


# TC_SEQUENCE and TM_SEQUENCE, built on first use rather than at import (PEP 562): start-up
# should not pay for randomizers that a flight without a framed link never runs.
_TAPS = {"TC_SEQUENCE": (0, 1, 2, 3, 4, 6), "TM_SEQUENCE": (0, 3, 5, 7)}


def _sequence(name: str) -> bytes:
    sequence = globals().get(name)
    if sequence is None:
        sequence = _lfsr_octets(_TAPS[name])
        globals()[name] = sequence
    return sequence


def __getattr__(name: str) -> bytes:
    if name not in _TAPS:
        raise AttributeError("module 'flight.ccsds.pure.cltu' has no attribute " + repr(name))
    return _sequence(name)


def _make_table() -> tuple[int, ...]:
    # remainder register after shifting one octet through the divider from state 0
    table = []
    for octet in range(256):
        reg = 0
        for i in range(7, -1, -1):
            feedback = ((reg >> 6) & 1) ^ ((octet >> i) & 1)
            reg = (reg << 1) & 0x7F
            if feedback:
                reg ^= _G
        table.append(reg)
    return tuple(table)


_TABLE = _make_table()


def _remainder(data: bytes | bytearray | memoryview, start: int) -> int:
    # the register lines up with the next 7 data bits, so one lookup moves it a whole octet
    reg = 0
    table = _TABLE
    for i in range(start, start + INFO_LEN):
        reg = table[(reg << 1) ^ data[i]]
    return reg


def _syndromes() -> dict[int, int]:
    found = {}
    for bit in range(56):
        info = bytearray(INFO_LEN)
        info[bit // 8] = 0x80 >> (bit % 8)
        found[_remainder(info, 0)] = bit
    for bit in range(7):
        found[1 << (6 - bit)] = 56 + bit
    return found


_SYNDROMES = _syndromes()


def bch_parity(data: bytes | bytearray | memoryview, start: int = 0) -> int:
    """Return the parity octet (complemented parity bits, then the filler bit 0)."""
    return ((~_remainder(data, start)) & 0x7F) << 1


def randomize(data: bytes | bytearray | memoryview, sequence: bytes) -> bytes:
    """XOR `data` with a randomizer sequence (its own inverse)."""
    out = bytearray(data)
    for i in range(len(out)):
        out[i] ^= sequence[i % 255]
    return bytes(out)


def tc_randomize(data: bytes | bytearray | memoryview) -> bytes:
    """Apply (or remove) the TC randomizer of 231.0-B."""
    return randomize(data, _sequence("TC_SEQUENCE"))


def tm_randomize(data: bytes | bytearray | memoryview) -> bytes:
    """Apply (or remove) the TM pseudo-randomizer of 131.0-B."""
    return randomize(data, _sequence("TM_SEQUENCE"))


def cltu_encode(data: bytes | bytearray | memoryview, randomize_data: bool = False) -> bytes:
    """Return the CLTU that carries `data` (normally one TC Transfer Frame).

    With `randomize_data` the TC randomizer is applied to `data` before coding; the fill
    octets are added after it, unrandomized.

    Raises:
        LengthError: `data` is empty or longer than 65535 octets.
    """
    n = len(data)
    if n < 1 or n > MAX_CLTU_DATA:
        raise LengthError("data", -1, "1..65535", n)
    info = bytearray(tc_randomize(data) if randomize_data else bytes(data))
    while len(info) % INFO_LEN:
        info.append(FILL)
    out = bytearray(START_SEQUENCE)
    for start in range(0, len(info), INFO_LEN):
        out += info[start : start + INFO_LEN]
        out.append(bch_parity(info, start))
    out += TAIL_SEQUENCE
    return bytes(out)


def cltu_decode(
    buf: bytes | bytearray | memoryview, correct: bool = True, derandomize: bool = False
) -> tuple[bytes, int, int, int]:
    """Find the first CLTU in `buf` and decode it.

    Octets before the start sequence (an acquisition sequence, noise) are passed over. Each
    code block is checked; with `correct` a block with one bit error is repaired, otherwise
    any error refuses it. The CLTU ends at the tail sequence.

    Returns:
        (data, start, end, corrected): the information octets including any fill (the
        frame header says how many belong to the frame), derandomized with `derandomize`;
        the offset of the start sequence; the offset just past the tail; and how many code
        blocks were corrected.

    Raises:
        CodingError: no start sequence, no code block before the tail, or a code block the
            decoder cannot accept.
        TruncatedError: `buf` ends before the tail sequence.
    """
    n = len(buf)
    start = -1
    for i in range(n - 1):
        if buf[i] == 0xEB and buf[i + 1] == 0x90:
            start = i
            break
    if start < 0:
        raise CodingError("start_sequence", -1, "no start sequence")
    pos = start + 2
    out = bytearray()
    corrected = 0
    while True:
        if n - pos < BLOCK_LEN:
            raise TruncatedError("code_block", pos, BLOCK_LEN, n - pos)
        if bytes(buf[pos : pos + BLOCK_LEN]) == TAIL_SEQUENCE:
            break
        syndrome = _remainder(buf, pos) ^ ((~buf[pos + INFO_LEN] >> 1) & 0x7F)
        block = bytearray(buf[pos : pos + INFO_LEN])
        if syndrome:
            bit = _SYNDROMES.get(syndrome, -1)
            if not correct or bit < 0:
                raise CodingError("code_block", pos, "code block fails decoding")
            if bit < 56:
                block[bit // 8] ^= 0x80 >> (bit % 8)
            corrected += 1
        out += block
        pos += BLOCK_LEN
    if not out:
        raise CodingError("code_block", pos, "no code block before the tail sequence")
    if derandomize:
        out = bytearray(tc_randomize(out))
    return bytes(out), start, pos + BLOCK_LEN, corrected
