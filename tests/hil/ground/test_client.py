"""The client against a real flight: verification tracked, failures named, timeouts bounded."""

import time

import pytest

from flight.core import FailureCode
from hil.ground import (
    GroundClient,
    ReplyTimeoutError,
    Selection,
    Session,
    VerificationFailedError,
    function_request,
    open_ground_link,
    ping_request,
    resolve_app,
    schedule_delete_request,
)


def test_execute_waits_for_completion_and_archives(session: Session) -> None:
    request = function_request(session.dictionary, "sample.SET_GAIN", {"gain": "3"})
    outcome = session.client.execute(request, timeout=5)
    assert [r.name for r in outcome.reports] == ["acceptance ok", "start ok", "completion ok"]
    assert session.archive is not None
    assert len(session.archive.query(Selection(service=1))) == 3


def test_failure_report_raises_with_its_code(session: Session) -> None:
    with pytest.raises(VerificationFailedError) as caught:
        session.client.execute(schedule_delete_request(100, [b"\xde\xad\xbe\xef"]), timeout=5)
    assert caught.value.code is FailureCode.UNKNOWN_REQUEST
    assert caught.value.stage == "acceptance"


def test_reply_is_collected(session: Session) -> None:
    sample = resolve_app(session.dictionary, "sample")
    outcome = session.client.execute(ping_request(sample), timeout=5, reply=(17, 2))
    assert outcome.reply(17, 2) is not None


def test_silence_times_out_within_the_bound(session: Session) -> None:
    # A port nobody listens on: the ground gives up after its timeout, never hangs.
    link = open_ground_link("udp:127.0.0.1:9")
    client = GroundClient(session.dictionary, link)
    started = time.monotonic()
    with pytest.raises(ReplyTimeoutError, match="completion report for core ping"):
        client.execute(ping_request(resolve_app(session.dictionary, "core")), timeout=0.5)
    assert time.monotonic() - started < 2
    link.close()
