"""CCSDS Unsegmented Time Code in C (csrc/cuc.c)."""

from typing import Any

from flight.ccsds import pure
from flight.ccsds.cbackend._glue import (
    ARG_ERRORS,
    NULL,
    buffer,
    fail,
    lib,
    new,
    new_unzeroed,
    octets,
)

__all__ = ["cuc_pack", "cuc_unpack"]

_MAX_LEN = 2 + 7 + 7  # extended P-field, coarse, fine


def cuc_pack(  # noqa: PLR0917 - the twin's positional signature
    coarse: Any, fine: Any, coarse_octets: Any, fine_octets: Any, pfield: Any, time_code_id: Any
) -> Any:
    """Return the CUC octets (P-field first when `pfield`) for `coarse` and `fine` counts."""
    args = (coarse, fine, coarse_octets, fine_octets, pfield, time_code_id)
    flag = 1 if pfield else 0
    out = new_unzeroed("uint8_t[]", _MAX_LEN)
    size = new("size_t *")
    try:
        status = lib.ccsds_cuc_pack(
            coarse, fine, coarse_octets, fine_octets, flag, time_code_id, out, size, NULL
        )
    except ARG_ERRORS:
        return pure.cuc_pack(*args)
    if status:
        fail(
            status,
            lambda err: lib.ccsds_cuc_pack(
                coarse, fine, coarse_octets, fine_octets, flag, time_code_id, out, size, err
            ),
            pure.cuc_pack,
            *args,
        )
    return buffer(out, size[0])[:]


def cuc_unpack(data: Any, offset: Any, coarse_octets: Any, fine_octets: Any, pfield: Any) -> Any:
    """Read a CUC starting at `offset` in `data`; error offsets count from the start of `data`.

    Returns:
        (coarse, fine, coarse_octets, fine_octets, time_code_id, length)
    """
    args = (data, offset, coarse_octets, fine_octets, pfield)
    octs = octets(data)
    flag = 1 if pfield else 0
    # without a P-field the twin hands the octet counts back as given, so only plain ints
    # may take the C path
    if (
        octs is None
        or type(offset) is not int
        or not 0 <= offset <= len(data)
        or not (flag or (type(coarse_octets) is int and type(fine_octets) is int))
    ):
        return pure.cuc_unpack(*args)
    n = len(data)
    # with a P-field the twin never looks at the octet counts given, so C gets none
    coarse, fine = (0, 0) if flag else (coarse_octets, fine_octets)
    out = new("ccsds_cuc *")
    try:
        status = lib.ccsds_cuc_unpack(octs, n, offset, coarse, fine, flag, out, NULL)
    except ARG_ERRORS:
        return pure.cuc_unpack(*args)
    if status:
        fail(
            status,
            lambda err: lib.ccsds_cuc_unpack(octs, n, offset, coarse, fine, flag, out, err),
            pure.cuc_unpack,
            *args,
        )
    return (out.coarse, out.fine, out.coarse_octets, out.fine_octets, out.time_code_id, out.length)
