"""Every telecommand gets a verification outcome; nothing from a link raises."""

import functools
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from spacepackets.ecss.tc import PusTc

from flight.apps import Flight, build_flight
from flight.core import FailureCode, SimulatedClock, load_mission

CORE, SAMPLE = 100, 101


def test_ping_is_verified_at_every_stage_and_answered(bench) -> None:  # type: ignore[no-untyped-def]
    tms = bench.tc(CORE, 17, 1)
    assert bench.kinds(tms) == [(1, 1), (1, 3), (17, 2), (1, 7)]
    sent = PusTc(17, 1, apid=CORE, seq_count=bench.seq).pack()
    for tm in (tms[0], tms[1], tms[3]):
        assert bench.verification(tm).tc_req_id.as_u32() == int.from_bytes(sent[:4], "big")
    assert all(tm.apid == CORE for tm in tms)


def test_ack_flags_choose_the_success_reports(bench) -> None:  # type: ignore[no-untyped-def]
    assert bench.kinds(bench.tc(CORE, 17, 1, ack_flags=0b1000)) == [(17, 2), (1, 7)]
    assert bench.kinds(bench.tc(CORE, 17, 1, ack_flags=0)) == [(17, 2)]


def test_malformed_packet_gets_acceptance_failure_and_is_counted(bench) -> None:  # type: ignore[no-untyped-def]
    packet = bytearray(PusTc(17, 1, apid=CORE).pack())
    packet[-1] ^= 0xFF  # CRC no longer matches
    tms = bench.raw(bytes(packet))
    assert bench.kinds(tms) == [(1, 2)]
    assert bench.failure_code(tms[0]) == FailureCode.MALFORMED_PACKET
    assert bench.flight.router.rejected == 1
    assert bench.flight.apps["core"].err_count == 1


def test_unknown_apid_and_service_are_refused_with_their_codes(bench) -> None:  # type: ignore[no-untyped-def]
    (unknown_apid,) = bench.tc(555, 17, 1)
    assert bench.failure_code(unknown_apid) == FailureCode.UNKNOWN_APID
    assert unknown_apid.apid == CORE
    (unknown_service,) = bench.tc(SAMPLE, 200, 1)
    assert bench.failure_code(unknown_service) == FailureCode.UNKNOWN_SERVICE
    (unknown_subtype,) = bench.tc(SAMPLE, 17, 9)
    assert bench.failure_code(unknown_subtype) == FailureCode.UNKNOWN_SERVICE
    assert unknown_subtype.apid == SAMPLE
    assert bench.flight.apps["sample"].err_count == 2


def test_ping_with_data_is_a_length_failure(bench) -> None:  # type: ignore[no-untyped-def]
    (tm,) = bench.tc(CORE, 17, 1, b"\x00")
    assert bench.failure_code(tm) == FailureCode.BAD_LENGTH


@functools.cache
def _shared_flight() -> Flight:
    # Hypothesis examples share one flight: building one per example would dominate the run.
    return build_flight(
        load_mission("open-bench"),
        data_dir=Path(tempfile.mkdtemp()),
        links=(),
        clock=SimulatedClock(),
    )


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    router = _shared_flight().router
    before = (router.received, router.rejected)
    router.handle(data)
    assert router.received == before[0] + 1
    assert router.rejected == before[1] + 1  # random bytes are never a valid telecommand
