"""The C codec backend: the functions of `flight.ccsds.pure`, run by csrc/ through cffi.

Each function is one call into C and returns exactly what the pure twin returns, raising the
same errors with the same fields; `flight.ccsds.selection` picks this backend when the
extension `flight.ccsds._ccsds_c` is built. Batch results (`split`) are memoryviews over
arrays C filled, not one Python object per packet.
"""

from flight.ccsds.cbackend.cltu import cltu_decode, cltu_encode, tc_randomize, tm_randomize
from flight.ccsds.cbackend.cobs import cobs_decode, cobs_encode
from flight.ccsds.cbackend.cuc import cuc_pack, cuc_unpack
from flight.ccsds.cbackend.packet import (
    crc16,
    crc16_bytes,
    pack_header,
    packetize,
    split,
    unpack_header,
)
from flight.ccsds.cbackend.pus import pus_tc_pack, pus_tc_unpack, pus_tm_pack, pus_tm_unpack
from flight.ccsds.cbackend.tcframe import clcw_pack, clcw_unpack, tc_frame_pack, tc_frame_unpack
from flight.ccsds.cbackend.tmframe import tm_frame_pack, tm_frame_unpack, tm_sync
from flight.ccsds.cbackend.tmmux import tm_demux, tm_mux

NAME = "c"

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
