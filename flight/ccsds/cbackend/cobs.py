"""COBS framing in C (csrc/cobs.c)."""

from typing import Any

from flight.ccsds import pure
from flight.ccsds.cbackend._glue import buffer, error, lib, new, new_unzeroed, raw

__all__ = ["cobs_decode", "cobs_encode"]


def cobs_encode(data: Any) -> Any:
    """Return `data` COBS-encoded: no zero bytes, no delimiter."""
    octs = raw(data)
    if octs is None:
        return pure.cobs_encode(data)
    n = len(octs)
    cap = n + n // 254 + 1  # a code octet per 254 data octets, plus the first
    out = new_unzeroed("uint8_t[]", cap)
    size = new("size_t *")
    err = new("ccsds_error *")
    status = lib.ccsds_cobs_encode(octs, n, out, cap, size, err)
    if status:
        raise error(status, err)
    return buffer(out, size[0])[:]


def cobs_decode(data: Any) -> Any:
    """Return the bytes a COBS frame (without delimiters) encodes; raises `FramingError`."""
    octs = raw(data)
    if octs is None:
        return pure.cobs_decode(data)
    n = len(octs)
    out = new_unzeroed("uint8_t[]", n)  # a frame never decodes to more octets than it holds
    size = new("size_t *")
    err = new("ccsds_error *")
    status = lib.ccsds_cobs_decode(octs, n, out, n, size, err)
    if status:
        raise error(status, err)
    return buffer(out, size[0])[:]
