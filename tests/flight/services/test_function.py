"""Service 8: app commands by function ID, checked by the dispatcher before the handler."""

import struct

from flight.apps.sample.events import GAIN_SET, NOOP
from flight.core import FailureCode

SAMPLE = 101


def test_set_gain_in_range_runs_the_handler(bench) -> None:  # type: ignore[no-untyped-def]
    tms = bench.tc(SAMPLE, 8, 1, struct.pack(">HB", 2, 16))
    assert bench.kinds(tms) == [(1, 1), (1, 3), (1, 7)]
    sample = bench.flight.apps["sample"]
    assert sample.gain == 16
    assert sample.cmd_count == 1
    events = bench.run(0.1)
    assert (5, 1) in bench.kinds(events)
    report = next(tm for tm in events if tm.service == 5 and tm.apid == SAMPLE)
    assert report.source_data == struct.pack(">HB", GAIN_SET.eid, 16)


def test_out_of_range_argument_is_an_acceptance_failure_and_the_handler_never_runs(bench) -> None:  # type: ignore[no-untyped-def]
    sample = bench.flight.apps["sample"]
    for gain in (0, 17, 255):
        (tm,) = bench.tc(SAMPLE, 8, 1, struct.pack(">HB", 2, gain))
        assert (tm.service, tm.subservice) == (1, 2)
        assert bench.failure_code(tm) == FailureCode.ARGUMENT_OUT_OF_RANGE
    assert sample.gain == 1
    assert (sample.cmd_count, sample.err_count) == (0, 3)
    assert bench.flight.router.rejected == 3


def test_unknown_function_and_bad_length(bench) -> None:  # type: ignore[no-untyped-def]
    (unknown,) = bench.tc(SAMPLE, 8, 1, struct.pack(">H", 99))
    assert bench.failure_code(unknown) == FailureCode.UNKNOWN_FUNCTION
    (short,) = bench.tc(SAMPLE, 8, 1, b"\x00")
    assert bench.failure_code(short) == FailureCode.BAD_LENGTH
    (long,) = bench.tc(SAMPLE, 8, 1, struct.pack(">HBB", 2, 3, 4))
    assert bench.failure_code(long) == FailureCode.BAD_LENGTH


def test_noop_and_reset_counters(bench) -> None:  # type: ignore[no-untyped-def]
    bench.tc(SAMPLE, 8, 1, struct.pack(">H", 0))
    bench.tc(SAMPLE, 8, 1, struct.pack(">H", 77))
    sample = bench.flight.apps["sample"]
    assert (sample.cmd_count, sample.err_count) == (1, 1)
    events = [tm.source_data[:2] for tm in bench.run(0.1) if tm.service == 5]
    assert NOOP.eid.to_bytes(2, "big") in events
    bench.tc(SAMPLE, 8, 1, struct.pack(">H", 1))
    assert (sample.cmd_count, sample.err_count) == (1, 0)  # the reset itself counts


def test_crashing_handler_fails_the_command_and_contains_the_app(bench) -> None:  # type: ignore[no-untyped-def]
    sample = bench.flight.apps["sample"]

    def broken(command: object) -> None:
        raise ZeroDivisionError("bug in a handler")

    sample.set_gain = broken  # a real bug would be in the app's code; the path is the same
    sample.dispatcher._routes[2] = type(sample.dispatcher._routes[2])(
        sample.dispatcher._routes[2].command,
        broken,
    )
    tms = bench.tc(SAMPLE, 8, 1, struct.pack(">HB", 2, 3))
    assert bench.kinds(tms) == [(1, 1), (1, 3), (1, 8)]
    assert bench.failure_code(tms[-1]) == FailureCode.EXECUTION_FAILED
    # The app is now failed: the next command is refused at start until it is restarted.
    tms = bench.tc(SAMPLE, 17, 1)
    assert bench.kinds(tms) == [(1, 1), (1, 4)]
    assert bench.failure_code(tms[-1]) == FailureCode.APP_UNAVAILABLE
    bench.run(1.5)  # backoff is 1 s in open-bench
    assert bench.kinds(bench.tc(SAMPLE, 17, 1)) == [(1, 1), (1, 3), (17, 2), (1, 7)]
