"""CCSDS Unsegmented Time Code (CUC, CCSDS 301.0-B-4 section 3.2).

P-field, first octet (bit 7 is the most significant):
    extension:1 | time_code_id:3 | coarse_octets-1:2 | fine_octets:2
and, when the extension flag is set, a second octet:
    extension:1 | additional_coarse:2 | additional_fine:3 | reserved:2
Time code ID 0b001 counts from the CCSDS epoch (1958-01-01 TAI), 0b010 from an
agency-defined epoch. Starling supports 1..7 coarse and 0..7 fine octets.
"""

from flight.ccsds.errors import FieldRangeError, HeaderError, TruncatedError

MAX_COARSE = 7
MAX_FINE = 7
TIME_CODE_IDS = (1, 2)


def _pfield(coarse_octets: int, fine_octets: int, time_code_id: int) -> bytes:
    base_coarse = min(coarse_octets, 4)
    base_fine = min(fine_octets, 3)
    extra_coarse = coarse_octets - base_coarse
    extra_fine = fine_octets - base_fine
    extended = extra_coarse or extra_fine
    first = (time_code_id << 4) | ((base_coarse - 1) << 2) | base_fine
    if not extended:
        return bytes((first,))
    return bytes((0x80 | first, (extra_coarse << 5) | (extra_fine << 2)))


def cuc_pack(
    coarse: int, fine: int, coarse_octets: int, fine_octets: int, pfield: bool, time_code_id: int
) -> bytes:
    """Return the CUC octets (P-field first when `pfield`) for `coarse` and `fine` counts."""
    if coarse_octets < 1 or coarse_octets > MAX_COARSE:
        raise FieldRangeError("coarse_octets", 1, MAX_COARSE, coarse_octets)
    if fine_octets < 0 or fine_octets > MAX_FINE:
        raise FieldRangeError("fine_octets", 0, MAX_FINE, fine_octets)
    if time_code_id not in TIME_CODE_IDS:
        raise FieldRangeError("time_code_id", 1, 2, time_code_id)
    coarse_max = (1 << (8 * coarse_octets)) - 1
    fine_max = (1 << (8 * fine_octets)) - 1
    if coarse < 0 or coarse > coarse_max:
        raise FieldRangeError("coarse", 0, coarse_max, coarse)
    if fine < 0 or fine > fine_max:
        raise FieldRangeError("fine", 0, fine_max, fine)
    out = bytearray(_pfield(coarse_octets, fine_octets, time_code_id) if pfield else b"")
    out += coarse.to_bytes(coarse_octets, "big")
    if fine_octets:
        out += fine.to_bytes(fine_octets, "big")
    return bytes(out)


def cuc_unpack(
    data: bytes | bytearray | memoryview,
    offset: int,
    coarse_octets: int,
    fine_octets: int,
    pfield: bool,
) -> tuple[int, int, int, int, int, int]:
    """Read a CUC starting at `offset` in `data`; error offsets count from the start of `data`.

    With `pfield`, the octet counts come from the P-field and the arguments are ignored.

    Returns:
        (coarse, fine, coarse_octets, fine_octets, time_code_id, length); time_code_id is 0
        when there is no P-field to carry it.
    """
    if offset < 0:
        # a negative offset would index from the end of `data`
        raise FieldRangeError("offset", 0, len(data), offset)
    n = len(data) - offset
    pos = offset
    time_code_id = 0
    if pfield:
        if n < 1:
            raise TruncatedError("pfield", offset, 1, max(n, 0))
        first = data[pos]
        time_code_id = (first >> 4) & 0x07
        if time_code_id not in TIME_CODE_IDS:
            raise HeaderError("time_code_id", offset, "1 or 2", time_code_id)
        coarse_octets = ((first >> 2) & 0x03) + 1
        fine_octets = first & 0x03
        pos += 1
        if first & 0x80:
            if n < 2:
                raise TruncatedError("pfield", offset, 2, n)
            second = data[pos]
            if second & 0x80:
                raise HeaderError("pfield_extension", offset + 1, 0, 1)
            coarse_octets += (second >> 5) & 0x03
            fine_octets += (second >> 2) & 0x07
            pos += 1
            if fine_octets > MAX_FINE:
                raise HeaderError("fine_octets", offset + 1, "<= %d" % MAX_FINE, fine_octets)
    else:
        if coarse_octets < 1 or coarse_octets > MAX_COARSE:
            raise FieldRangeError("coarse_octets", 1, MAX_COARSE, coarse_octets)
        if fine_octets < 0 or fine_octets > MAX_FINE:
            raise FieldRangeError("fine_octets", 0, MAX_FINE, fine_octets)
    length = pos - offset + coarse_octets + fine_octets
    if n < length:
        raise TruncatedError("cuc_time", offset, length, max(n, 0))
    coarse = int.from_bytes(bytes(data[pos : pos + coarse_octets]), "big")
    pos += coarse_octets
    fine = int.from_bytes(bytes(data[pos : pos + fine_octets]), "big") if fine_octets else 0
    return (coarse, fine, coarse_octets, fine_octets, time_code_id, length)
