"""Randomizers and CLTUs with BCH(63,56) code blocks in C (csrc/cltu.c)."""

from typing import Any

from flight.ccsds import pure
from flight.ccsds.cbackend._glue import buffer, error, lib, new, new_unzeroed, octets

__all__ = ["cltu_decode", "cltu_encode", "tc_randomize", "tm_randomize"]


def _randomize(data: Any, tm: int) -> Any:
    octs = octets(data)
    if octs is None:
        return None
    n = len(data)
    out = new_unzeroed("uint8_t[]", max(n, 1))
    lib.ccsds_randomize(octs, n, tm, out)
    return buffer(out, n)[:]


def tc_randomize(data: Any) -> Any:
    """Apply (or remove) the TC randomizer of 231.0-B."""
    result = _randomize(data, 0)
    return pure.tc_randomize(data) if result is None else result


def tm_randomize(data: Any) -> Any:
    """Apply (or remove) the TM pseudo-randomizer of 131.0-B."""
    result = _randomize(data, 1)
    return pure.tm_randomize(data) if result is None else result


def cltu_encode(data: Any, randomize_data: Any = False) -> Any:
    """Return the CLTU that carries `data` (see `flight.ccsds.pure.cltu.cltu_encode`)."""
    octs = octets(data)
    if octs is None:
        return pure.cltu_encode(data, randomize_data)
    n = len(data)
    cap = max(lib.ccsds_cltu_encoded_len(n), 1)
    out = new_unzeroed("uint8_t[]", cap)
    size = new("size_t *")
    err = new("ccsds_error *")
    status = lib.ccsds_cltu_encode(octs, n, 1 if randomize_data else 0, out, cap, size, err)
    if status:
        raise error(status, err)
    return buffer(out, size[0])[:]


def cltu_decode(buf: Any, correct: Any = True, derandomize: Any = False) -> Any:
    """Find and decode the first CLTU in `buf` (see `flight.ccsds.pure.cltu.cltu_decode`)."""
    octs = octets(buf)
    if octs is None:
        return pure.cltu_decode(buf, correct, derandomize)
    n = len(buf)
    out = new_unzeroed("uint8_t[]", max(n, 1))
    res = new("ccsds_cltu_result *")
    err = new("ccsds_error *")
    flags = (1 if correct else 0, 1 if derandomize else 0)
    status = lib.ccsds_cltu_decode(octs, n, *flags, out, max(n, 1), res, err)
    if status:
        raise error(status, err)
    return buffer(out, res.out_len)[:], res.start, res.end, res.corrected
