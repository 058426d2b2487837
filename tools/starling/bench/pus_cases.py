"""Codec bench measurements on single PUS packets: telecommand unpack, telemetry pack.

Each contender gets the time field in its own native form, built before the clock starts:
our API a `CucTime`, the backends and spacepackets the packed time octets.
"""

import struct
from collections.abc import Sequence
from functools import partial
from types import ModuleType

from spacepackets.ecss.tc import PusTc as PeerTc
from spacepackets.ecss.tm import PusTm as PeerTm

from flight.ccsds import CucTime, PusTc, PusTm
from tools.starling.bench.case import Case, equal, prepared, scaled_backends
from tools.starling.bench.timing import Contender
from tools.starling.bench.workload import CodecWorkload, TmFields, tm_packet

__all__ = ["pus_cases"]

_UNSEGMENTED = 3
_TC_OVERHEAD = 13  # primary and secondary headers, CRC
_CUC = struct.Struct(">IH")


def _api_tc_unpack(packets: Sequence[bytes]) -> list[PusTc]:
    unpack = PusTc.unpack
    return [unpack(packet) for packet in packets]


def _low_tc_unpack(module: ModuleType, packets: Sequence[bytes]) -> list[tuple[int, ...]]:
    unpack = module.pus_tc_unpack
    return [unpack(packet) for packet in packets]


def _peer_tc_unpack(packets: Sequence[bytes]) -> list[PeerTc]:
    unpack = PeerTc.unpack
    return [unpack(packet) for packet in packets]


def _repacks_to(packets: Sequence[bytes]) -> "partial[bool]":
    """A check that decoded packets pack back to `packets`, octet for octet."""
    return partial(_repacks, list(packets))


def _repacks(packets: list[bytes], decoded: object) -> bool:
    return [bytes(tc.pack()) for tc in decoded] == packets  # type: ignore[attr-defined]


def _data_lengths_match(packets: list[bytes], fields: object) -> bool:
    """The low-level unpack's last field is the application data length."""
    lengths = [row[-1] for row in fields]  # type: ignore[attr-defined]
    return lengths == [len(packet) - _TC_OVERHEAD for packet in packets]


def _api_times(tms: Sequence[TmFields]) -> list[CucTime]:
    return [CucTime(tm.coarse, tm.fine) for tm in tms]


def _api_tm_pack(tms: Sequence[TmFields], times: Sequence[CucTime]) -> list[bytes]:
    return [
        PusTm(
            apid=tm.apid,
            service=tm.service,
            subtype=tm.subtype,
            source_data=tm.source_data,
            seq_count=tm.seq_count,
            msg_counter=tm.msg_counter,
            dest_id=tm.dest_id,
            time=time,
        ).pack()
        for tm, time in zip(tms, times, strict=True)
    ]


def _low_tm_pack(
    module: ModuleType, tms: Sequence[TmFields], stamps: Sequence[bytes]
) -> list[bytes]:
    tm_pack = module.pus_tm_pack
    return [
        tm_pack(
            tm.apid,
            _UNSEGMENTED,
            tm.seq_count,
            0,
            tm.service,
            tm.subtype,
            tm.msg_counter,
            tm.dest_id,
            stamp,
            tm.source_data,
        )
        for tm, stamp in zip(tms, stamps, strict=True)
    ]


def _peer_tm_pack(tms: Sequence[TmFields], stamps: Sequence[bytes]) -> list[bytearray]:
    return [
        PeerTm(
            service=tm.service,
            subservice=tm.subtype,
            timestamp=stamp,
            source_data=tm.source_data,
            apid=tm.apid,
            seq_count=tm.seq_count,
            message_counter=tm.msg_counter,
            destination_id=tm.dest_id,
        ).pack()
        for tm, stamp in zip(tms, stamps, strict=True)
    ]


def _tc_case(w: CodecWorkload, c: ModuleType | None, pure: ModuleType) -> Case:
    tcs = list(w.tcs)
    n = len(tcs)
    unpack = [Contender("api", "PusTc.unpack", partial(_api_tc_unpack, tcs), _repacks_to(tcs))]
    for b in scaled_backends(c, pure, items=n, pure_items=w.sizes.pure_pus):
        share = tcs[: b.share]
        run = partial(_low_tc_unpack, b.module, share)
        check = partial(_data_lengths_match, share)
        unpack.append(Contender(b.key, b.name("pus_tc_unpack"), run, check, b.scale))
    peer = partial(_peer_tc_unpack, tcs)
    unpack.append(Contender("peer", "spacepackets PusTc.unpack", peer, _repacks_to(tcs)))
    title = f"PusTc.unpack {n:,}"
    return Case(
        key="tc_unpack",
        title=title,
        peer_name="spacepackets",
        target=10,
        target_unit="x",
        items=n,
        item_unit="packet",
        contenders=tuple(unpack),
    )


def _tm_case(w: CodecWorkload, c: ModuleType | None, pure: ModuleType) -> Case:
    tms = list(w.tms)
    n = len(tms)
    want = [tm_packet(tm) for tm in tms]
    stamps = [_CUC.pack(tm.coarse, tm.fine) for tm in tms]
    api = prepared(partial(_api_times, tms), partial(_api_tm_pack, tms))
    pack = [Contender("api", "PusTm(...).pack", api, equal(want))]
    for b in scaled_backends(c, pure, items=n, pure_items=w.sizes.pure_pus):
        run = partial(_low_tm_pack, b.module, tms[: b.share], stamps[: b.share])
        pack.append(Contender(b.key, b.name("pus_tm_pack"), run, equal(want[: b.share]), b.scale))
    peer = partial(_peer_tm_pack, tms, stamps)
    pack.append(Contender("peer", "spacepackets PusTm.pack", peer, equal(want)))
    title = f"PusTm.pack {n:,}"
    return Case(
        key="tm_pack",
        title=title,
        peer_name="spacepackets",
        target=5,
        target_unit="x",
        items=n,
        item_unit="packet",
        contenders=tuple(pack),
    )


def pus_cases(w: CodecWorkload, c: ModuleType | None, pure: ModuleType) -> list[Case]:
    """The PUS measurements, each with its contenders."""
    return [_tc_case(w, c, pure), _tm_case(w, c, pure)]
