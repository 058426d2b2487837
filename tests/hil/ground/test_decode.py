"""Telemetry decoded with the dictionary, and every packet described in one line."""

from flight.ccsds import CucTime, PusTc, PusTm
from flight.core import CCSDS_EPOCH_OFFSET, load_mission
from flight.dictionary import build_dictionary
from hil.ground import decode_tm, describe

DICTIONARY = build_dictionary(load_mission("open-bench"))


def test_housekeeping_and_time() -> None:
    items = bytes.fromhex("0003000107038402000001e240")
    tm = PusTm(
        apid=101,
        service=3,
        subtype=25,
        source_data=b"\x00\x01" + items,
        time=CucTime(CCSDS_EPOCH_OFFSET + 100, 0x8000),
    )
    decoded = decode_tm(DICTIONARY, tm)
    assert (decoded.app, decoded.kind, decoded.name) == ("sample", "housekeeping", "SAMPLE_HK")
    assert decoded.values == {
        "cmd_count": 3,
        "err_count": 1,
        "gain": 7,
        "threshold": 900,
        "level": 512,
        "samples": 123456,
    }
    assert decoded.unix_time == 100.5


def test_failure_report_names_the_code() -> None:
    tm = PusTm(apid=101, service=1, subtype=2, source_data=bytes.fromhex("1865dfd80006"))
    decoded = decode_tm(DICTIONARY, tm)
    assert decoded.values["failure"] == "ARGUMENT_OUT_OF_RANGE"
    assert decoded.text == "acceptance FAILED ARGUMENT_OUT_OF_RANGE (request 1865dfd8)"


def test_events_parameters_and_bad_data() -> None:
    event = decode_tm(
        DICTIONARY, PusTm(apid=101, service=5, subtype=1, source_data=b"\x00\x0c\x05")
    )
    assert event.text == "INFO GAIN_SET aux=05"
    params = decode_tm(
        DICTIONARY, PusTm(apid=101, service=20, subtype=2, source_data=bytes.fromhex("01000101f4"))
    )
    assert params.values == {"threshold": 500}
    short = decode_tm(DICTIONARY, PusTm(apid=101, service=3, subtype=25, source_data=b"\x00\x01"))
    assert short.kind == "undecodable"
    assert "need 13 octets, got 0" in short.text


def test_describe_names_telecommands() -> None:
    packet = PusTc(apid=101, service=8, subtype=1, app_data=b"\x00\x02\x04", seq_count=5).pack()
    assert describe(DICTIONARY, packet) == "TC sample seq=5 sample.SET_GAIN gain=4 data=000204"
    assert describe(DICTIONARY, b"\x00\x01").startswith("not a PUS-C packet")
