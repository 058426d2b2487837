"""The pure-Python codec twin: the reference the C backend is held to, and the fallback.

It keeps to the subset of Python that MicroPython runs (no typing, dataclasses or enum),
and works on bytes and integers only; `flight.ccsds` builds the immutable packet values
on top of whichever backend is in use. Both backends expose the same functions with the
same results, which the differential tests prove.
"""

from flight.ccsds.pure.cltu import cltu_decode, cltu_encode, tc_randomize, tm_randomize
from flight.ccsds.pure.cobs import cobs_decode, cobs_encode
from flight.ccsds.pure.crc import crc16, crc16_bytes
from flight.ccsds.pure.cuc import cuc_pack, cuc_unpack
from flight.ccsds.pure.packet import pack_header, packetize, split, unpack_header
from flight.ccsds.pure.pus import pus_tc_pack, pus_tc_unpack, pus_tm_pack, pus_tm_unpack
from flight.ccsds.pure.tcframe import clcw_pack, clcw_unpack, tc_frame_pack, tc_frame_unpack
from flight.ccsds.pure.tmframe import tm_frame_pack, tm_frame_unpack, tm_sync
from flight.ccsds.pure.tmmux import tm_demux, tm_mux

NAME = "python"

__all__ = [
    "NAME",
    "clcw_pack",
    "clcw_unpack",
    "cltu_decode",
    "cltu_encode",
    "cobs_decode",
    "cobs_encode",
    "crc16",
    "crc16_bytes",
    "cuc_pack",
    "cuc_unpack",
    "pack_header",
    "packetize",
    "pus_tc_pack",
    "pus_tc_unpack",
    "pus_tm_pack",
    "pus_tm_unpack",
    "split",
    "tc_frame_pack",
    "tc_frame_unpack",
    "tc_randomize",
    "tm_demux",
    "tm_frame_pack",
    "tm_frame_unpack",
    "tm_mux",
    "tm_randomize",
    "tm_sync",
    "unpack_header",
]
