"""The pure-Python codec twin: the reference the C backend is held to, and the fallback.

It keeps to the subset of Python that MicroPython runs (no typing, dataclasses or enum),
and works on bytes and integers only; `flight.ccsds` builds the immutable packet values
on top of whichever backend is in use. Both backends expose the same functions with the
same results, which the differential tests prove.
"""

from flight.ccsds.pure.cobs import cobs_decode, cobs_encode
from flight.ccsds.pure.crc import crc16
from flight.ccsds.pure.cuc import cuc_pack, cuc_unpack
from flight.ccsds.pure.packet import pack_header, packetize, split, unpack_header
from flight.ccsds.pure.pus import pus_tc_pack, pus_tc_unpack, pus_tm_pack, pus_tm_unpack

NAME = "python"

__all__ = [
    "NAME",
    "cobs_decode",
    "cobs_encode",
    "crc16",
    "cuc_pack",
    "cuc_unpack",
    "pack_header",
    "packetize",
    "pus_tc_pack",
    "pus_tc_unpack",
    "pus_tm_pack",
    "pus_tm_unpack",
    "split",
    "unpack_header",
]
