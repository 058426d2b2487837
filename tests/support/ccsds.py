"""Hypothesis strategies for CCSDS/PUS-C codec values, shared by the codec's test modules."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from flight.ccsds import CucTime, PacketType, PusTc, PusTm, SequenceFlags, SpacePacketHeader

__all__ = [
    "cuc_times",
    "headers",
    "pus_tcs",
    "pus_tms",
    "tm_unpack_kwargs",
]

apids = st.integers(0, 0x7FF)
seq_counts = st.integers(0, 0x3FFF)
seq_flags = st.sampled_from(list(SequenceFlags))
u8 = st.integers(0, 0xFF)
u16 = st.integers(0, 0xFFFF)
nibbles = st.integers(0, 0x0F)

headers = st.builds(
    SpacePacketHeader,
    packet_type=st.sampled_from(list(PacketType)),
    apid=apids,
    seq_count=seq_counts,
    data_length=u16,
    sec_header_flag=st.booleans(),
    seq_flags=seq_flags,
)


@st.composite
def cuc_times(draw: Any, *, pfield: bool | None = None, max_coarse: int = 7) -> CucTime:
    """Any CUC time Starling supports: 1..7 coarse, 0..7 fine octets, with or without P-field.

    Without a P-field the time code ID is not transmitted, so it is left at its default.
    """
    coarse_octets = draw(st.integers(1, max_coarse))
    fine_octets = draw(st.integers(0, 7))
    with_pfield = draw(st.booleans()) if pfield is None else pfield
    return CucTime(
        coarse=draw(st.integers(0, (1 << (8 * coarse_octets)) - 1)),
        fine=draw(st.integers(0, (1 << (8 * fine_octets)) - 1)),
        coarse_octets=coarse_octets,
        fine_octets=fine_octets,
        pfield=with_pfield,
        time_code_id=draw(st.sampled_from([1, 2])) if with_pfield else 1,
    )


pus_tcs = st.builds(
    PusTc,
    apid=apids,
    service=u8,
    subtype=u8,
    app_data=st.binary(max_size=80),
    seq_count=seq_counts,
    source_id=u16,
    ack_flags=nibbles,
    seq_flags=seq_flags,
)


def pus_tms(time: st.SearchStrategy[CucTime] | None = None) -> st.SearchStrategy[PusTm]:
    """PUS-C telemetry packets; `time` defaults to any CUC format."""
    return st.builds(
        PusTm,
        apid=apids,
        service=u8,
        subtype=u8,
        source_data=st.binary(max_size=80),
        seq_count=seq_counts,
        msg_counter=u16,
        dest_id=u16,
        time=cuc_times() if time is None else time,
        time_ref_status=nibbles,
        seq_flags=seq_flags,
    )


def tm_unpack_kwargs(tm: PusTm) -> dict[str, Any]:
    """The `PusTm.unpack` arguments that describe `tm`'s time format."""
    if tm.time.pfield:
        return {"pfield": True}
    return {"coarse_octets": tm.time.coarse_octets, "fine_octets": tm.time.fine_octets}
