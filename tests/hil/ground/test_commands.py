"""Commands are encoded from the dictionary and refused, with a clear reason, before sending."""

import pytest

from flight.core import load_mission
from flight.dictionary import build_dictionary
from hil.ground import (
    CommandError,
    function_request,
    hk_report_request,
    params_get_request,
    params_set_request,
    parse_assignments,
    resolve_app,
    schedule_delete_request,
    time_set_request,
)

DICTIONARY = build_dictionary(load_mission("open-bench"))
SAMPLE = resolve_app(DICTIONARY, "sample")


def test_function_request_layout() -> None:
    request = function_request(DICTIONARY, "sample.set_gain", {"gain": "0x0c"})
    assert (request.apid, request.service, request.subtype) == (101, 8, 1)
    assert request.app_data == bytes.fromhex("00020c")
    assert request.label == "sample.SET_GAIN"
    noop = function_request(DICTIONARY, "core.NOOP", {})
    assert (noop.apid, noop.app_data) == (100, b"\x00\x00")


@pytest.mark.parametrize(
    ("dotted", "words", "reason"),
    [
        ("sample", [], "expected APP.COMMAND"),
        ("nope.NOOP", [], r"unknown app 'nope' \(apps: core, sample, payload, health\)"),
        ("sample.FLY", [], "unknown command 'FLY' of sample"),
        ("sample.SET_GAIN", [], r"missing argument gain \(takes gain=uint8\)"),
        ("sample.SET_GAIN", ["gain=3", "extra=1"], "unexpected argument extra"),
        ("sample.SET_GAIN", ["gain=17"], "gain must be <= 16, got 17"),
        ("sample.SET_GAIN", ["gain=0"], "gain must be >= 1, got 0"),
        ("sample.SET_GAIN", ["gain=two"], "'two' is not a uint8 value"),
    ],
)
def test_refusals_name_the_reason(dotted: str, words: list[str], reason: str) -> None:
    with pytest.raises(CommandError, match=reason):
        function_request(DICTIONARY, dotted, parse_assignments(words))


def test_assignments_must_be_name_value_once() -> None:
    with pytest.raises(CommandError, match="NAME=VALUE"):
        parse_assignments(["gain"])
    with pytest.raises(CommandError, match="twice"):
        parse_assignments(["a=1", "a=2"])


def test_service_requests() -> None:
    assert hk_report_request(SAMPLE).app_data == bytes.fromhex("010001")
    assert params_get_request(SAMPLE, ["threshold"]).app_data == bytes.fromhex("010001")
    assert params_set_request(SAMPLE, {"threshold": "500"}).app_data == bytes.fromhex("01000101f4")
    with pytest.raises(CommandError, match="threshold must be <= 1000"):
        params_set_request(SAMPLE, {"threshold": "1001"})
    with pytest.raises(CommandError, match="no parameter 'gain'"):
        params_get_request(SAMPLE, ["gain"])
    with pytest.raises(CommandError, match="4 octets"):
        schedule_delete_request(100, [b"\x01"])
    # 1970-01-01T00:00:10Z is 378691210 s after the CCSDS epoch
    assert time_set_request(100, 10.0).app_data == (378_691_210).to_bytes(4, "big") + b"\0\0"
