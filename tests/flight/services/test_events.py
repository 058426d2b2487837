"""Service 5: event reports by severity; enable and disable per event ID."""

import struct

from flight.apps.core.events import AUTHENTICATION_OFF, STARTED
from flight.apps.sample.events import LEVEL_HIGH, NOOP
from flight.core import FailureCode

CORE, SAMPLE = 100, 101


def _events(tms: list) -> list[tuple[int, int, int]]:  # type: ignore[type-arg]
    return [
        (tm.apid, tm.subservice, struct.unpack(">H", tm.source_data[:2])[0])
        for tm in tms
        if tm.service == 5
    ]


def test_start_events_report_loudly_that_authentication_is_off(bench) -> None:  # type: ignore[no-untyped-def]
    assert _events(bench.run(0.1))[:2] == [
        (CORE, 1, STARTED.eid),
        (CORE, 4, AUTHENTICATION_OFF.eid),
    ]


def test_disable_and_enable_one_event(bench) -> None:  # type: ignore[no-untyped-def]
    bench.run(0.1)
    noop = struct.pack(">H", 0)
    bench.tc(SAMPLE, 5, 6, struct.pack(">BH", 1, NOOP.eid))
    bench.tc(SAMPLE, 8, 1, noop)
    assert _events(bench.run(0.1)) == []
    assert bench.flight.events.suppressed == 1
    bench.tc(SAMPLE, 5, 5, struct.pack(">BH", 1, NOOP.eid))
    bench.tc(SAMPLE, 8, 1, noop)
    assert _events(bench.run(0.1)) == [(SAMPLE, 1, NOOP.eid)]


def test_level_events_follow_the_parameter(bench) -> None:  # type: ignore[no-untyped-def]
    events = [e for e in _events(bench.run(300.0)) if e[::2] == (SAMPLE, LEVEL_HIGH.eid)]
    assert len(events) == 3  # the level ramps 0..999 every 100 s and crosses 900 once each
    assert {severity for _, severity, _ in events} == {2}


def test_unknown_event_id_is_refused(bench) -> None:  # type: ignore[no-untyped-def]
    (tm,) = bench.tc(SAMPLE, 5, 6, struct.pack(">BH", 1, 999))
    assert bench.failure_code(tm) == FailureCode.UNKNOWN_EVENT
