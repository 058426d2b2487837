"""The public surface of `flight.ccsds` matches the contract in DESIGN.md."""

import importlib

import pytest

import flight.ccsds
from flight.ccsds import pure

# DESIGN.md, "Contracts other code relies on": names ground scripts and outside checks use.
CONTRACT = {
    "SpacePacketHeader",
    "PusTc",
    "PusTm",
    "CucTime",
    "split_packets",
    "crc16",
    "cobs_encode",
    "cobs_decode",
    "CodecError",
    "backend",
}
# The rest of the public surface: the error tree, the batch and packetizer named in the
# codec's brief, and the header enums and constants the values above take.
SUPPORTING = {
    "ChecksumError",
    "CodingError",
    "FieldRangeError",
    "FramingError",
    "HeaderError",
    "LengthError",
    "TruncatedError",
    "PacketBatch",
    "Packetizer",
    "PacketType",
    "SequenceFlags",
    "EPOCH_AGENCY",
    "EPOCH_CCSDS",
    "IDLE_APID",
    "MAX_PACKET_LENGTH",
}
LOW_LEVEL = {
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
    "unpack_header",
}
# transfer frames, CLTUs and the CLCW (flight.ccsds.frames builds its values on these)
LOW_LEVEL |= {
    "clcw_pack",
    "clcw_unpack",
    "cltu_decode",
    "cltu_encode",
    "tc_frame_pack",
    "tc_frame_unpack",
    "tc_randomize",
    "tm_demux",
    "tm_frame_pack",
    "tm_frame_unpack",
    "tm_mux",
    "tm_randomize",
    "tm_sync",
}


def test_all_holds_the_contract():
    assert set(flight.ccsds.__all__) >= CONTRACT
    assert set(flight.ccsds.__all__) == CONTRACT | SUPPORTING
    assert len(flight.ccsds.__all__) == len(set(flight.ccsds.__all__))


def test_everything_in_all_is_importable():
    module = importlib.import_module("flight.ccsds")
    for name in module.__all__:
        assert getattr(module, name) is not None, name
    namespace: dict = {}
    exec("from flight.ccsds import *", namespace)
    assert set(module.__all__) <= set(namespace)


def test_backend_names_the_codec_in_use():
    assert flight.ccsds.backend in {"c", "python"}


def test_values_are_immutable_with_pack_and_unpack():
    values = (
        flight.ccsds.SpacePacketHeader(flight.ccsds.PacketType.TM, 1, 0, 0),
        flight.ccsds.PusTc(apid=1, service=17, subtype=1),
        flight.ccsds.PusTm(apid=1, service=17, subtype=2),
        flight.ccsds.CucTime(),
    )
    for value in values:
        cls = type(value)
        assert cls.unpack(value.pack()) == value, cls
        assert isinstance(cls.__dict__["unpack"], classmethod), cls
        with pytest.raises(AttributeError):
            value.apid = 2
        with pytest.raises(AttributeError):
            value.coarse = 2


def test_backends_expose_the_same_function_set(codec):
    assert set(pure.__all__) == LOW_LEVEL | {"NAME"}
    assert set(codec.__all__) == set(pure.__all__)
    for name in LOW_LEVEL:
        assert callable(getattr(codec, name)), name
    assert codec.NAME in {"c", "python"}
