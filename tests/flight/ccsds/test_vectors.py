"""Known-answer vectors (vectors.json) on every backend, low level and high level."""

import json
from pathlib import Path

import pytest

from flight.ccsds import (
    CucTime,
    PacketType,
    PusTc,
    PusTm,
    SequenceFlags,
    SpacePacketHeader,
    cobs_decode,
    cobs_encode,
    crc16,
)
from tests.support.ccsds_vectors import check_all

VECTORS = json.loads((Path(__file__).with_name("vectors.json")).read_text())


def _ids(kind):
    return [v["name"] for v in VECTORS[kind]]


def test_every_vector_names_its_source():
    for kind, entries in VECTORS.items():
        if kind.startswith("_"):
            continue
        assert entries, kind
        for v in entries:
            assert v.get("source") or v.get("generator"), (kind, v["name"])


def test_low_level_functions(codec):
    failures, checked = check_all(codec, VECTORS)
    assert failures == []
    assert checked == sum(len(v) for k, v in VECTORS.items() if not k.startswith("_"))


@pytest.mark.parametrize("v", VECTORS["crc16"], ids=_ids("crc16"))
def test_crc16(codec, v):
    assert crc16(bytes.fromhex(v["data"])) == int(v["crc"], 16)


@pytest.mark.parametrize("v", VECTORS["cobs"], ids=_ids("cobs"))
def test_cobs(codec, v):
    assert cobs_encode(bytes.fromhex(v["decoded"])).hex() == v["encoded"]
    assert cobs_decode(bytes.fromhex(v["encoded"])).hex() == v["decoded"]


@pytest.mark.parametrize("v", VECTORS["header"], ids=_ids("header"))
def test_header(codec, assert_codec, v):
    f = v["fields"]
    header = SpacePacketHeader(
        PacketType(f["packet_type"]),
        f["apid"],
        f["seq_count"],
        f["data_length"],
        bool(f["sec_header_flag"]),
        SequenceFlags(f["seq_flags"]),
    )
    assert_codec(codec, bytes.fromhex(v["raw"]), header)


@pytest.mark.parametrize("v", VECTORS["pus_tc"], ids=_ids("pus_tc"))
def test_pus_tc(codec, assert_codec, v):
    f = v["fields"]
    tc = PusTc(
        apid=f["apid"],
        service=f["service"],
        subtype=f["subtype"],
        app_data=bytes.fromhex(f["app_data"]),
        seq_count=f["seq_count"],
        source_id=f["source_id"],
        ack_flags=f["ack_flags"],
        seq_flags=SequenceFlags(f["seq_flags"]),
    )
    assert_codec(codec, bytes.fromhex(v["raw"]), tc)


@pytest.mark.parametrize("v", VECTORS["pus_tm"], ids=_ids("pus_tm"))
def test_pus_tm(codec, assert_codec, v):
    f, fmt = v["fields"], v["time_format"]
    time_raw = bytes.fromhex(f["time"])
    if fmt["pfield"]:
        time = CucTime.unpack(time_raw, pfield=True)
        kwargs = {"pfield": True}
    else:
        kwargs = {"coarse_octets": fmt["coarse_octets"], "fine_octets": fmt["fine_octets"]}
        time = CucTime.unpack(time_raw, **kwargs)
    tm = PusTm(
        apid=f["apid"],
        service=f["service"],
        subtype=f["subtype"],
        source_data=bytes.fromhex(f["source_data"]),
        seq_count=f["seq_count"],
        msg_counter=f["msg_counter"],
        dest_id=f["dest_id"],
        time=time,
        time_ref_status=f["time_ref"],
        seq_flags=SequenceFlags(f["seq_flags"]),
    )
    assert_codec(codec, bytes.fromhex(v["raw"]), tm, **kwargs)


@pytest.mark.parametrize("v", VECTORS["cuc"], ids=_ids("cuc"))
def test_cuc(codec, assert_codec, v):
    f = v["fields"]
    time = CucTime(**f)
    kwargs = (
        {"pfield": True}
        if f["pfield"]
        else {"coarse_octets": f["coarse_octets"], "fine_octets": f["fine_octets"]}
    )
    assert_codec(codec, bytes.fromhex(v["raw"]), time, **kwargs)
