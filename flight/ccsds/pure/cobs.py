"""Consistent Overhead Byte Stuffing, without the frame delimiters.

Byte-compatible with the `cobs` package that tmtccmd's SerialCobsComIF uses; the serial link
adds the zero delimiters around each encoded frame (``00 <cobs> 00``).
"""

from flight.ccsds.errors import FramingError


def cobs_encode(data: bytes | bytearray | memoryview) -> bytes:
    """Return `data` COBS-encoded: no zero bytes, no delimiter."""
    data = bytes(data)
    out = bytearray()
    n = len(data)
    start = 0
    while True:
        # a block holds up to 254 non-zero bytes and ends at a zero, at 254 bytes, or at the end
        end = start
        limit = start + 254
        while end < n and end < limit and data[end] != 0:
            end += 1
        out.append(end - start + 1)
        out += data[start:end]
        if end == limit:
            # a full block (code 0xFF) consumes no zero byte
            start = end
            if start == n:
                break
            continue
        if end == n:
            break
        start = end + 1
    return bytes(out)


def cobs_decode(data: bytes | bytearray | memoryview) -> bytes:
    """Return the bytes a COBS frame (without delimiters) encodes.

    Raises:
        FramingError: a zero byte inside the frame, or a code that runs past its end.
    """
    data = bytes(data)
    out = bytearray()
    n = len(data)
    i = 0
    while i < n:
        code = data[i]
        if code == 0:
            raise FramingError("zero byte", i)
        end = i + code
        if end > n:
            raise FramingError("code runs past the end", i)
        block = data[i + 1 : end]
        for j in range(len(block)):
            if block[j] == 0:
                raise FramingError("zero byte", i + 1 + j)
        out += block
        i = end
        if code < 0xFF and i < n:
            out.append(0)
    return bytes(out)
