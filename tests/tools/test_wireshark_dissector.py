"""tools/wireshark/starling.lua under tshark: every field it shows equals what our codec says.

The capture is written here with `struct` (classic pcap, Ethernet/IPv4/UDP) and holds real
Starling packets built with `flight.ccsds` and the ground's `Signer`: telecommands and
telemetry of several services, a secured telecommand, a corrupted CRC, a truncated packet,
two packets in one datagram, and a packet on a port the dissector does not claim. tshark runs
the dissector over it (``-X lua_script:``) and prints fields; each is held to the value our
own decoder gives for the same octets. Skipped when tshark is not installed (Debian package
`tshark`); the tables the dissector keeps are checked against the flight code without it.
"""

import re
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from flight import services
from flight.ccsds import ChecksumError, CodecError, CucTime, PusTc, PusTm, crc16
from flight.core import load_mission
from flight.core.errors import FailureCode
from flight.dictionary import build_dictionary
from flight.links.security import MAC_LENGTH, SECURED_APID, Signer, unseal

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "wireshark" / "starling.lua"
PORT, SECURED_PORT, OTHER_PORT = 10015, 10025, 10099
GROUND = 50_000
TSHARK_TIMEOUT_S = 30
KEY = bytes(range(32))
SPI = 3
TIME = CucTime(coarse=0x12345678, fine=0x4000)  # 305419896.25 s

FIELDS = [
    "frame.number",
    "starling.version",
    "starling.type",
    "starling.apid",
    "starling.seq_flags",
    "starling.seq_count",
    "starling.length",
    "starling.pus_version",
    "starling.tc.ack",
    "starling.tc.source_id",
    "starling.tm.time_ref_status",
    "starling.tm.msg_counter",
    "starling.tm.dest_id",
    "starling.tm.time.coarse",
    "starling.tm.time.fine",
    "starling.tm.time.seconds",
    "starling.service",
    "starling.subtype",
    "starling.subtype_name",
    "starling.data",
    "starling.verif.req_apid",
    "starling.verif.req_seq",
    "starling.verif.failure_code",
    "starling.event.id",
    "starling.function.id",
    "starling.hk.sid",
    "starling.crc",
    "starling.crc.computed",
    "starling.crc.status",
    "starling.sec.spi",
    "starling.sec.seq",
    "starling.sec.mac",
    "_ws.expert.message",
    "_ws.lua.error",
    "_ws.malformed",
    "udp.payload",
]
SEPARATOR, AGGREGATOR = "\t", "|"
FLOAT_FIELDS = {"starling.tm.time.seconds"}


@dataclass(frozen=True)
class Datagram:
    name: str
    payload: bytes
    port: int = PORT


def _sample() -> tuple[int, int, int]:
    """APID, SET_GAIN's function ID and GAIN_SET's event ID, from the mission dictionary."""
    sample = next(
        a for a in build_dictionary(load_mission("open-bench")).apps if a.name == "sample"
    )
    set_gain = next(c for c in sample.commands if c.name == "SET_GAIN")
    gain_set = next(e for e in sample.events if e.name == "GAIN_SET")
    return sample.apid, set_gain.function_id, gain_set.eid


def _datagrams() -> list[Datagram]:
    apid, set_gain, gain_set = _sample()
    ping = PusTc(apid=100, service=17, subtype=1, seq_count=9).pack()
    command = PusTc(
        apid=apid,
        service=8,
        subtype=1,
        app_data=struct.pack(">HB", set_gain, 5),
        seq_count=0x2ABC,
        source_id=42,
        ack_flags=0b1001,
    ).pack()
    refused = PusTc(apid=apid, service=8, subtype=1, app_data=struct.pack(">HB", set_gain, 99))
    failure = struct.pack(">H", FailureCode.ARGUMENT_OUT_OF_RANGE) + b"\x63"
    signer = Signer(SPI, KEY, None)
    signer.encode(ping)  # sequence 1 goes elsewhere; the capture shows number 2
    corrupted = bytearray(ping)
    corrupted[-1] ^= 0x01
    hk = PusTm(apid=100, service=3, subtype=25, source_data=b"\x00\x01" + bytes(range(12)))
    return [
        Datagram("ping", ping),
        Datagram("pong", PusTm(apid=100, service=17, subtype=2, time=TIME, msg_counter=7).pack()),
        Datagram("accepted", PusTm(apid=100, service=1, subtype=1, source_data=ping[:4]).pack()),
        Datagram("set_gain", command),
        Datagram(
            "refused",
            PusTm(
                apid=apid,
                service=1,
                subtype=2,
                source_data=refused.pack()[:4] + failure,
                seq_count=300,
                msg_counter=65535,
                dest_id=7,
                time=TIME,
                time_ref_status=5,
            ).pack(),
        ),
        Datagram(
            "event",
            PusTm(
                apid=apid, service=5, subtype=1, source_data=struct.pack(">HB", gain_set, 5)
            ).pack(),
        ),
        Datagram("housekeeping", hk.pack()),
        Datagram("secured", signer.encode(command), SECURED_PORT),
        Datagram("bad_crc", bytes(corrupted)),
        Datagram("truncated", ping[:-3]),
        Datagram("two_in_one", ping + command),
        Datagram("other_port", ping, OTHER_PORT),
    ]


def _ipv4_checksum(header: bytes) -> int:
    total = sum(struct.unpack(f">{len(header) // 2}H", header))
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _frame(payload: bytes, dport: int) -> bytes:
    """Ethernet II / IPv4 / UDP from 127.0.0.1:GROUND to 127.0.0.1:dport (no UDP checksum)."""
    udp = struct.pack(">HHHH", GROUND, dport, 8 + len(payload), 0) + payload
    loopback = bytes((127, 0, 0, 1))
    head = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, loopback, loopback)
    head = head[:10] + struct.pack(">H", _ipv4_checksum(head)) + head[12:]
    ethernet = bytes(6) + bytes(6) + struct.pack(">H", 0x0800)
    return ethernet + head + udp


def write_pcap(path: Path, datagrams: list[Datagram]) -> None:
    """Classic pcap (microseconds, LINKTYPE_ETHERNET), one datagram per second."""
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for second, datagram in enumerate(datagrams):
        frame = _frame(datagram.payload, datagram.port)
        out += struct.pack("<IIII", second, 0, len(frame), len(frame)) + frame
    path.write_bytes(out)


def _tshark(pcap: Path, *options: str) -> subprocess.CompletedProcess[str]:
    command = ["tshark", "-n", "-X", f"lua_script:{SCRIPT}", "-r", str(pcap), *options]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=TSHARK_TIMEOUT_S, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Lua" not in result.stderr, result.stderr  # a load error does not fail tshark
    return result


def dissect(pcap: Path, *options: str) -> dict[str, dict[str, list[str]]]:
    """Each frame's fields by name, every occurrence in order; frames keyed by datagram name."""
    flags = [f"-E{flag}" for flag in (f"separator={SEPARATOR}", "occurrence=a")]
    flags += [f"-Eaggregator={AGGREGATOR}", "-Tfields"]
    flags += [arg for name in FIELDS for arg in ("-e", name)]
    lines = _tshark(pcap, *options, *flags).stdout.splitlines()
    names = [d.name for d in _datagrams()]
    assert len(lines) == len(names), lines
    frames = {}
    for name, line in zip(names, lines, strict=True):
        values = line.split(SEPARATOR)
        frames[name] = {
            field: value.split(AGGREGATOR) if value else []
            for field, value in zip(FIELDS, values, strict=True)
        }
    return frames


@pytest.fixture(scope="module")
def pcap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wireshark") / "starling.pcap"
    write_pcap(path, _datagrams())
    return path


@pytest.fixture(scope="module")
def frames(pcap: Path) -> dict[str, dict[str, list[str]]]:
    if shutil.which("tshark") is None:
        pytest.skip("tshark is not installed (Debian package tshark)")
    return dissect(pcap)


def _payload(name: str) -> bytes:
    return next(d.payload for d in _datagrams() if d.name == name)


def _primary(raw: bytes) -> dict[str, list[str]]:
    word0, word1, length = struct.unpack_from(">HHH", raw)
    return {
        "starling.version": [str(word0 >> 13)],
        "starling.type": [str(word0 >> 12 & 1)],
        "starling.apid": [str(word0 & 0x7FF)],
        "starling.seq_flags": [str(word1 >> 14)],
        "starling.seq_count": [str(word1 & 0x3FFF)],
        "starling.length": [str(length)],
    }


def _crc(raw: bytes, status: int = 1) -> dict[str, list[str]]:
    return {
        "starling.crc": [f"0x{int.from_bytes(raw[-2:], 'big'):04x}"],
        "starling.crc.computed": [f"0x{crc16(raw[:-2]):04x}"],
        "starling.crc.status": [str(status)],
    }


def _expected_tc(raw: bytes) -> dict[str, list[str]]:
    tc = PusTc.unpack(raw)
    return {
        **_primary(raw),
        "starling.pus_version": ["2"],
        "starling.tc.ack": [f"0x{tc.ack_flags:02x}"],
        "starling.tc.source_id": [str(tc.source_id)],
        "starling.service": [str(tc.service)],
        "starling.subtype": [str(tc.subtype)],
        "starling.data": [tc.app_data.hex()] if tc.app_data else [],
        **_crc(raw),
    }


def _expected_tm(raw: bytes) -> dict[str, list[str]]:
    tm = PusTm.unpack(raw)
    return {
        **_primary(raw),
        "starling.pus_version": ["2"],
        "starling.tm.time_ref_status": [str(tm.time_ref_status)],
        "starling.tm.msg_counter": [str(tm.msg_counter)],
        "starling.tm.dest_id": [str(tm.dest_id)],
        "starling.tm.time.coarse": [str(tm.time.coarse)],
        "starling.tm.time.fine": [str(tm.time.fine)],
        "starling.tm.time.seconds": [repr(tm.time.seconds)],
        "starling.service": [str(tm.service)],
        "starling.subtype": [str(tm.subtype)],
        "starling.data": [tm.source_data.hex()] if tm.source_data else [],
        **_crc(raw),
    }


def _values(field: str, values: list[str]) -> list[str] | list[float]:
    """Doubles compared as numbers: tshark prints 0.0 as "0"."""
    return [float(v) for v in values] if field in FLOAT_FIELDS else values


def _check(frame: dict[str, list[str]], expected: dict[str, list[str]]) -> None:
    shown = {field: _values(field, frame[field]) for field in expected}
    assert shown == {field: _values(field, values) for field, values in expected.items()}
    assert frame["_ws.lua.error"] == []
    assert frame["_ws.malformed"] == []


@pytest.mark.parametrize("name", ["ping", "set_gain"])
def test_telecommands_match_the_codec(frames: dict[str, dict[str, list[str]]], name: str) -> None:
    frame = frames[name]
    _check(frame, _expected_tc(_payload(name)))
    assert frame["_ws.expert.message"] == []


@pytest.mark.parametrize("name", ["pong", "accepted", "refused", "event", "housekeeping"])
def test_telemetry_matches_the_codec(frames: dict[str, dict[str, list[str]]], name: str) -> None:
    frame = frames[name]
    _check(frame, _expected_tm(_payload(name)))
    assert frame["_ws.expert.message"] == []


def test_the_cuc_time_is_four_coarse_and_two_fine_octets(
    frames: dict[str, dict[str, list[str]]],
) -> None:
    pong = frames["pong"]
    assert pong["starling.tm.time.coarse"] == [str(0x12345678)]
    assert pong["starling.tm.time.fine"] == [str(0x4000)]
    assert float(pong["starling.tm.time.seconds"][0]) == TIME.seconds == 305419896.25


def test_names_and_the_service_data_starling_defines(
    frames: dict[str, dict[str, list[str]]],
) -> None:
    apid, set_gain, gain_set = _sample()
    assert frames["ping"]["starling.subtype_name"] == ["Are-you-alive connection test"]
    assert frames["pong"]["starling.subtype_name"] == ["Are-you-alive connection report"]
    assert frames["set_gain"]["starling.function.id"] == [str(set_gain)]
    assert frames["event"]["starling.event.id"] == [str(gain_set)]
    assert frames["housekeeping"]["starling.hk.sid"] == ["1"]

    ping = PusTc.unpack(_payload("ping"))
    accepted = frames["accepted"]
    assert accepted["starling.subtype_name"] == ["Successful acceptance verification"]
    assert accepted["starling.verif.req_apid"] == [str(ping.apid)]
    assert accepted["starling.verif.req_seq"] == [str(ping.seq_count)]
    assert accepted["starling.verif.failure_code"] == []

    refused = frames["refused"]
    tm = PusTm.unpack(_payload("refused"))
    assert refused["starling.subtype_name"] == ["Failed acceptance verification"]
    assert refused["starling.verif.req_apid"] == [str(apid)]
    code = int.from_bytes(tm.source_data[4:6], "big")
    assert refused["starling.verif.failure_code"] == [str(code)]
    assert code == FailureCode.ARGUMENT_OUT_OF_RANGE


def test_a_corrupted_crc_is_flagged(frames: dict[str, dict[str, list[str]]]) -> None:
    raw = _payload("bad_crc")
    with pytest.raises(ChecksumError):
        PusTc.unpack(raw)  # our codec refuses it ...
    frame = frames["bad_crc"]
    carried, computed = int.from_bytes(raw[-2:], "big"), crc16(raw[:-2])
    assert frame["starling.crc"] == [f"0x{carried:04x}"]  # ... and the dissector says why
    assert frame["starling.crc.computed"] == [f"0x{computed:04x}"]
    assert frame["starling.crc.status"] == ["0"]
    assert frame["_ws.expert.message"] == [
        f"Bad CRC-16: 0x{carried:04x}, computed 0x{computed:04x}"
    ]
    assert frame["starling.service"] == ["17"]  # the rest is still shown


def test_the_security_wrapper_and_the_telecommand_inside(
    frames: dict[str, dict[str, list[str]]],
) -> None:
    raw = _payload("secured")
    unsealed = unseal(raw, {SPI: KEY})
    assert not isinstance(unsealed, int), unsealed
    frame = frames["secured"]
    outer = _primary(raw)
    inner = _expected_tc(unsealed.packet)
    for field in outer:  # the envelope first, then the telecommand it carries
        assert frame[field] == outer[field] + inner[field]
    assert frame["starling.apid"] == [str(SECURED_APID), str(PusTc.unpack(unsealed.packet).apid)]
    assert frame["starling.sec.spi"] == [str(unsealed.spi)] == [str(SPI)]
    assert frame["starling.sec.seq"] == [str(unsealed.sequence)] == ["2"]
    assert frame["starling.sec.mac"] == [raw[-MAC_LENGTH:].hex()]
    for field in ("starling.tc.ack", "starling.service", "starling.data", "starling.crc.status"):
        assert frame[field] == inner[field]
    assert frame["_ws.expert.message"] == []


def test_a_truncated_packet_is_flagged_not_misread(
    frames: dict[str, dict[str, list[str]]],
) -> None:
    raw = _payload("truncated")
    with pytest.raises(CodecError):
        PusTc.unpack(raw)
    frame = frames["truncated"]
    assert frame["starling.apid"] == ["100"]
    assert frame["starling.service"] == []
    assert frame["_ws.expert.message"] == ["Packet shorter than its length field"]
    assert frame["_ws.lua.error"] == []


def test_every_packet_of_a_datagram_is_dissected(
    frames: dict[str, dict[str, list[str]]],
) -> None:
    ping, command = _expected_tc(_payload("ping")), _expected_tc(_payload("set_gain"))
    frame = frames["two_in_one"]
    for field in ("starling.apid", "starling.seq_count", "starling.service", "starling.crc"):
        assert frame[field] == ping[field] + command[field]


def test_other_ports_are_left_alone_until_the_preference_says(
    frames: dict[str, dict[str, list[str]]], pcap: Path
) -> None:
    assert frames["other_port"]["starling.apid"] == []
    assert frames["other_port"]["udp.payload"] == [_payload("other_port").hex()]

    moved = dissect(pcap, "-o", f"starling.udp_ports:{OTHER_PORT}")
    assert moved["other_port"]["starling.apid"] == ["100"]
    assert moved["ping"]["starling.apid"] == []  # 10015 is no longer claimed


def test_the_heuristic_claims_good_packets_on_any_port(
    frames: dict[str, dict[str, list[str]]], pcap: Path
) -> None:
    found = dissect(pcap, "-o", "starling.udp_ports:1", "-o", "starling.heuristic:TRUE")
    assert found["other_port"]["starling.apid"] == ["100"]
    assert found["secured"]["starling.sec.spi"] == [str(SPI)]
    assert found["bad_crc"]["starling.apid"] == []  # a wrong CRC is not evidence


def test_the_info_column_summarises(pcap: Path) -> None:
    if shutil.which("tshark") is None:
        pytest.skip("tshark is not installed (Debian package tshark)")
    lines = _tshark(pcap, "-Tfields", "-e", "_ws.col.Info").stdout.splitlines()
    info = dict(zip([d.name for d in _datagrams()], lines, strict=True))
    assert info["ping"] == "TC(17,1) Are-you-alive connection test, APID 100, seq 9"
    assert info["refused"].startswith("TM(1,2) Failed acceptance verification: code 6")
    assert info["bad_crc"].endswith("[bad CRC], APID 100, seq 9")
    assert info["secured"].startswith(f"Secured SPI {SPI} seq 2 [TC(8,1) Perform a function")


# The dissector's tables, held to the flight code (no tshark needed).

_LUA = SCRIPT.read_text()


def _lua_table(name: str) -> str:
    match = re.search(rf"^local {name} = \{{\n(.*?)^\}}", _LUA, re.MULTILINE | re.DOTALL)
    assert match, name
    return match.group(1)


def test_failure_codes_match_the_flight() -> None:
    table = dict(re.findall(r'\[(\d+)\] = "(\w+)"', _lua_table("FAILURE_CODES")))
    assert {int(k): v for k, v in table.items()} == {int(c): c.name for c in FailureCode}


def test_every_telecommand_the_flight_accepts_has_a_name() -> None:
    named = {
        (int(s), int(t))
        for s, t in re.findall(r"\[(\d+) \* 256 \+ (\d+)\]", _lua_table("SUBTYPES"))
    }
    service_names = {int(s) for s in re.findall(r"\[(\d+)\] =", _lua_table("SERVICES"))}
    accepted = {
        (service.service, subtype)
        for service in (
            services.EventService,
            services.FunctionService,
            services.HousekeepingService,
            services.ParameterService,
            services.TestService,  # imported through the package: pytest would collect it
            services.TimeBasedSchedule,
            services.TimeService,
        )
        for subtype in service.subtypes
    }
    assert accepted <= named
    assert {service for service, _ in named} == service_names
