"""The wire formats declared with `construct` as an executable spec, and both backends held to it.

The declarations follow the standards' figures field by field: CCSDS 133.0-B-2 4.1.3 (primary
header), ECSS-E-ST-70-41C 7.4.3.1 and 7.4.4.1 (PUS-C TC and TM secondary headers) and CCSDS
301.0-B-4 3.2 (CUC). The CRC is computed by crcmod, not by us. Each test packs with our codec
and parses with the spec, or builds with the spec and unpacks with our codec.
"""

import construct as cs
import crcmod.predefined
import pytest
from construct import this
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flight.ccsds import CodecError, CucTime, HeaderError, PusTc, PusTm, SpacePacketHeader
from tests.support.ccsds import cuc_times, headers, pus_tcs, pus_tms, tm_unpack_kwargs

SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CRC16 = crcmod.predefined.mkPredefinedCrcFun("crc-ccitt-false")

# ---- the spec ----

PrimaryHeader = cs.BitStruct(
    "version" / cs.BitsInteger(3),
    "packet_type" / cs.BitsInteger(1),
    "sec_header_flag" / cs.Flag,
    "apid" / cs.BitsInteger(11),
    "seq_flags" / cs.BitsInteger(2),
    "seq_count" / cs.BitsInteger(14),
    "data_length" / cs.BitsInteger(16),
)

TcSecondaryHeader = cs.Struct(
    "flags" / cs.BitStruct("pus_version" / cs.BitsInteger(4), "ack_flags" / cs.BitsInteger(4)),
    "service" / cs.Int8ub,
    "subtype" / cs.Int8ub,
    "source_id" / cs.Int16ub,
)

TmSecondaryHeader = cs.Struct(
    "flags" / cs.BitStruct("pus_version" / cs.BitsInteger(4), "time_ref" / cs.BitsInteger(4)),
    "service" / cs.Int8ub,
    "subtype" / cs.Int8ub,
    "msg_counter" / cs.Int16ub,
    "dest_id" / cs.Int16ub,
    "time" / cs.Bytes(this._._params.time_len),
)


def _pus_packet(packet_type, secondary, secondary_len, data_name):
    """A whole PUS-C packet: the checks the standard imposes, then the CRC over the rest."""
    return cs.Struct(
        "body"
        / cs.RawCopy(
            cs.Struct(
                "header" / PrimaryHeader,
                cs.Check(this.header.version == 0),
                cs.Check(this.header.packet_type == packet_type),
                cs.Check(this.header.sec_header_flag),
                cs.Check(lambda ctx: ctx.header.data_length + 1 >= secondary_len(ctx) + 2),
                "secondary" / secondary,
                cs.Check(this.secondary.flags.pus_version == 2),
                data_name
                / cs.Bytes(lambda ctx: ctx.header.data_length + 1 - secondary_len(ctx) - 2),
            )
        ),
        "crc" / cs.Checksum(cs.Int16ub, CRC16, this.body.data),
        cs.Terminated,
    )


PusTcPacket = _pus_packet(1, TcSecondaryHeader, lambda ctx: 5, "app_data")
PusTmPacket = _pus_packet(
    0, TmSecondaryHeader, lambda ctx: 7 + ctx._._params.time_len, "source_data"
)

CucPField = cs.BitStruct(
    "extension" / cs.Flag,
    "time_code_id" / cs.BitsInteger(3),
    "coarse_minus_1" / cs.BitsInteger(2),
    "fine" / cs.BitsInteger(2),
    "second"
    / cs.If(
        this.extension,
        cs.Struct(
            "extension" / cs.Flag,
            "more_coarse" / cs.BitsInteger(2),
            "more_fine" / cs.BitsInteger(3),
            "reserved" / cs.BitsInteger(2),
        ),
    ),
)


def _octets(ctx, field, plus, more):
    # item access: while building, the P-field is the plain dict the caller gave
    pfield = ctx["pfield"]
    return pfield[field] + plus + (pfield["second"][more] if pfield["extension"] else 0)


CucWithPField = cs.Struct(
    "pfield" / CucPField,
    "coarse_octets" / cs.Computed(lambda ctx: _octets(ctx, "coarse_minus_1", 1, "more_coarse")),
    "fine_octets" / cs.Computed(lambda ctx: _octets(ctx, "fine", 0, "more_fine")),
    "coarse" / cs.BytesInteger(this.coarse_octets),
    "fine" / cs.If(this.fine_octets > 0, cs.BytesInteger(this.fine_octets)),
    cs.Terminated,
)

CucNoPField = cs.Struct(
    "coarse" / cs.BytesInteger(this._params.coarse_octets),
    "fine" / cs.If(this._params.fine_octets > 0, cs.BytesInteger(this._params.fine_octets)),
    cs.Terminated,
)

# ---- helpers ----


def _header_dict(h: SpacePacketHeader) -> dict:
    return {
        "version": 0,
        "packet_type": int(h.packet_type),
        "sec_header_flag": h.sec_header_flag,
        "apid": h.apid,
        "seq_flags": int(h.seq_flags),
        "seq_count": h.seq_count,
        "data_length": h.data_length,
    }


def _pfield_dict(t: CucTime) -> dict:
    base_coarse, base_fine = min(t.coarse_octets, 4), min(t.fine_octets, 3)
    extended = t.coarse_octets > 4 or t.fine_octets > 3
    second = None
    if extended:
        second = {
            "extension": False,
            "more_coarse": t.coarse_octets - base_coarse,
            "more_fine": t.fine_octets - base_fine,
            "reserved": 0,
        }
    return {
        "extension": extended,
        "time_code_id": t.time_code_id,
        "coarse_minus_1": base_coarse - 1,
        "fine": base_fine,
        "second": second,
    }


def _build_cuc(t: CucTime) -> bytes:
    fine = t.fine if t.fine_octets else None
    if t.pfield:
        return CucWithPField.build({"pfield": _pfield_dict(t), "coarse": t.coarse, "fine": fine})
    return CucNoPField.build(
        {"coarse": t.coarse, "fine": fine}, coarse_octets=t.coarse_octets, fine_octets=t.fine_octets
    )


def _parse_cuc(raw: bytes, t: CucTime):
    if t.pfield:
        return CucWithPField.parse(raw)
    return CucNoPField.parse(raw, coarse_octets=t.coarse_octets, fine_octets=t.fine_octets)


def _build_tc(tc: PusTc) -> bytes:
    header = _header_dict(tc.header)
    secondary = {
        "flags": {"pus_version": 2, "ack_flags": tc.ack_flags},
        "service": tc.service,
        "subtype": tc.subtype,
        "source_id": tc.source_id,
    }
    body = {"header": header, "secondary": secondary, "app_data": tc.app_data}
    return PusTcPacket.build({"body": {"value": body}})


def _build_tm(tm: PusTm) -> bytes:
    time = _build_cuc(tm.time)
    secondary = {
        "flags": {"pus_version": 2, "time_ref": tm.time_ref_status},
        "service": tm.service,
        "subtype": tm.subtype,
        "msg_counter": tm.msg_counter,
        "dest_id": tm.dest_id,
        "time": time,
    }
    body = {"header": _header_dict(tm.header), "secondary": secondary}
    body["source_data"] = tm.source_data
    return PusTmPacket.build({"body": {"value": body}}, time_len=len(time))


# ---- primary header ----


@SETTINGS
@given(headers)
def test_header_pack_parses_with_spec(codec, header):
    parsed = PrimaryHeader.parse(header.pack())
    assert {k: parsed[k] for k in _header_dict(header)} == _header_dict(header)


@SETTINGS
@given(headers)
def test_spec_built_header_unpacks(codec, header):
    assert SpacePacketHeader.unpack(PrimaryHeader.build(_header_dict(header))) == header


@SETTINGS
@given(st.binary(min_size=6, max_size=6))
def test_any_six_octets_decode_as_the_spec_says(codec, raw):
    spec = PrimaryHeader.parse(raw)
    if spec.version != 0:
        with pytest.raises(HeaderError):
            SpacePacketHeader.unpack(raw)
        return
    ours = _header_dict(SpacePacketHeader.unpack(raw))
    assert ours == {k: spec[k] for k in ours}


# ---- PUS-C telecommands ----


@SETTINGS
@given(pus_tcs)
def test_tc_pack_parses_with_spec(codec, tc):
    parsed = PusTcPacket.parse(tc.pack()).body.value
    assert _header_dict(tc.header).items() <= dict(parsed.header).items()
    assert parsed.secondary.flags.pus_version == 2
    assert parsed.secondary.flags.ack_flags == tc.ack_flags
    assert (parsed.secondary.service, parsed.secondary.subtype) == (tc.service, tc.subtype)
    assert parsed.secondary.source_id == tc.source_id
    assert parsed.app_data == tc.app_data


@SETTINGS
@given(pus_tcs)
def test_spec_built_tc_unpacks(codec, tc):
    assert PusTc.unpack(_build_tc(tc)) == tc


@SETTINGS
@given(
    pus_tcs,
    st.tuples(
        st.just(0) | st.integers(1, 7),
        st.integers(0, 1),
        st.booleans(),
        st.just(2) | st.integers(0, 15),
        st.just(0) | st.integers(-3, 3),
    ),
)
def test_tc_acceptance_matches_the_spec(codec, tc, framing):
    # build a packet whose framing fields may break the standard, with a correct CRC, and
    # check our decoder accepts exactly what the spec accepts
    version, ptype, sec, pus_version, length_delta = framing
    raw = bytearray(tc.pack()[:-2])
    raw[0] = (version << 5) | (ptype << 4) | (sec << 3) | (raw[0] & 0x07)
    raw[6] = (pus_version << 4) | (raw[6] & 0x0F)
    data_length = max(0, int.from_bytes(raw[4:6], "big") + length_delta)
    raw[4:6] = min(data_length, 0xFFFF).to_bytes(2, "big")
    raw += CRC16(bytes(raw)).to_bytes(2, "big")
    try:
        PusTcPacket.parse(bytes(raw))
        spec_accepts = True
    except cs.ConstructError:
        spec_accepts = False
    try:
        PusTc.unpack(bytes(raw))
        ours_accepts = True
    except CodecError:
        ours_accepts = False
    assert ours_accepts == spec_accepts


# ---- PUS-C telemetry ----


@SETTINGS
@given(pus_tms())
def test_tm_pack_parses_with_spec(codec, tm):
    raw = tm.pack()
    parsed = PusTmPacket.parse(raw, time_len=tm.time.length).body.value
    assert _header_dict(tm.header).items() <= dict(parsed.header).items()
    sec = parsed.secondary
    assert (sec.flags.pus_version, sec.flags.time_ref) == (2, tm.time_ref_status)
    assert (sec.service, sec.subtype) == (tm.service, tm.subtype)
    assert (sec.msg_counter, sec.dest_id) == (tm.msg_counter, tm.dest_id)
    time = _parse_cuc(sec.time, tm.time)
    assert (time.coarse, time.fine or 0) == (tm.time.coarse, tm.time.fine)
    assert parsed.source_data == tm.source_data


@SETTINGS
@given(pus_tms())
def test_spec_built_tm_unpacks(codec, tm):
    assert PusTm.unpack(_build_tm(tm), **tm_unpack_kwargs(tm)) == tm


# ---- CUC ----


@SETTINGS
@given(cuc_times())
def test_cuc_pack_parses_with_spec(codec, time):
    parsed = _parse_cuc(time.pack(), time)
    assert (parsed.coarse, parsed.fine or 0) == (time.coarse, time.fine)
    if time.pfield:
        assert (parsed.coarse_octets, parsed.fine_octets) == (time.coarse_octets, time.fine_octets)
        assert parsed.pfield.time_code_id == time.time_code_id
        assert parsed.pfield.second is None or parsed.pfield.second.extension is False


@SETTINGS
@given(cuc_times())
def test_spec_built_cuc_unpacks(codec, time):
    kwargs = (
        {"pfield": True}
        if time.pfield
        else {"coarse_octets": time.coarse_octets, "fine_octets": time.fine_octets}
    )
    assert CucTime.unpack(_build_cuc(time), **kwargs) == time


@SETTINGS
@given(st.binary(min_size=1, max_size=20))
def test_pfield_decoding_matches_the_spec(codec, raw):
    # where the spec reads a P-field Starling supports (IDs 1 and 2, at most 7+7 octets, no
    # third P-field octet), our decoder reads the same time; elsewhere it refuses
    try:
        spec = CucWithPField.parse(raw)
    except cs.ConstructError:
        spec = None
    supported = (
        spec is not None
        and spec.pfield.time_code_id in (1, 2)
        and spec.fine_octets <= 7
        and (spec.pfield.second is None or not spec.pfield.second.extension)
    )
    try:
        ours = CucTime.unpack(raw, pfield=True)
    except CodecError:
        assert not supported
        return
    assert supported
    assert (ours.coarse, ours.fine) == (spec.coarse, spec.fine or 0)
    assert (ours.coarse_octets, ours.fine_octets) == (spec.coarse_octets, spec.fine_octets)
