"""tmtccmd as an independent ground commanding `open-bench` over UDP and over serial with COBS.

The ground side is all third-party: tmtccmd's own config objects and factory build its
communication interfaces (`UdpClient` from a `TcpipCfg`, `SerialCobsComIF` from a
`SerialCfgWrapper`), spacepackets encodes the telecommands and decodes the replies
(`Service1Tm` for verification). What it knows about Starling comes from the exported JSON
mission dictionary only: APIDs, function IDs, argument widths and ranges, event IDs. The board
is a real `starling flight` subprocess; the serial pair is a socat pty pair.

test_link_process.py already pings `open-bench` through `SerialCobsComIF`; here both
transports go through the same session: ping, a function-management command taken from the
dictionary, and the acceptance failures a bad argument or function ID earns.
"""

import contextlib
import itertools
import json
import signal
import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from spacepackets.ecss.pus_1_verification import Service1Tm, UnpackParams
from spacepackets.ecss.tc import PusTc
from spacepackets.ecss.tm import PusTm

from flight.core import load_mission
from flight.dictionary import build_dictionary, to_json
from tests.flight.links.helpers import TIME_LEN, FlightRun, socat_ptys, start_flight

tmtccmd_com = pytest.importorskip(
    "tmtccmd.config.com", reason="tmtccmd (test-only ground library) is not importable"
)
from tmtccmd.com import ComInterface  # noqa: E402 -- only once tmtccmd is known importable
from tmtccmd.com.serial_base import SerialCfg  # noqa: E402
from tmtccmd.com.tcpip_utils import EthAddr, TcpIpType  # noqa: E402
from tmtccmd.config.defs import CoreComInterfaces  # noqa: E402

MISSION = "open-bench"
ERROR_CODE_OCTETS = 2  # Starling's failure codes are u16 (flight.core.FailureCode)
ARGUMENT_OUT_OF_RANGE = 6  # flight.core.FailureCode; the ground knows it as a documented number
UNKNOWN_FUNCTION = 5
REPLY_TIMEOUT_S = 5.0
_VERIFY = UnpackParams(timestamp_len=TIME_LEN, bytes_err_code=ERROR_CODE_OCTETS)
_WIRE = {("uint", 8): ">B", ("uint", 16): ">H", ("uint", 32): ">I", ("int", 8): ">b"}
_seq = itertools.count(1)


def _dictionary() -> dict[str, Any]:
    """The mission dictionary as the ground gets it: the JSON `starling dict export` writes."""
    return json.loads(to_json(build_dictionary(load_mission(MISSION))))  # type: ignore[no-any-return]


def _app(dictionary: dict[str, Any], name: str) -> dict[str, Any]:
    return next(app for app in dictionary["apps"] if app["name"] == name)


def _command(app: dict[str, Any], name: str) -> dict[str, Any]:
    return next(command for command in app["commands"] if command["name"] == name)


def _function_tc(app: dict[str, Any], command: dict[str, Any], *values: int) -> PusTc:
    """Encode 8,1 from the dictionary alone: function ID (u16), then each argument."""
    assert (command["service"], command["subtype"]) == (8, 1)
    data = struct.pack(">H", command["function_id"])
    for arg, value in zip(command["args"], values, strict=True):
        data += struct.pack(_WIRE[arg["kind"], arg["bits"]], value)
    return PusTc(8, 1, apid=app["apid"], app_data=data, seq_count=next(_seq))


@dataclass
class Session:
    """A tmtccmd interface to a running flight, collecting every packet it receives."""

    com: ComInterface
    flight: FlightRun
    received: list[PusTm]

    def exchange(self, tc: PusTc, last: set[tuple[int, int]]) -> list[Service1Tm]:
        """Send `tc`; return its service 1 reports once one of subtype kinds `last` arrives."""
        self.com.send(tc.pack())
        request = int.from_bytes(tc.pack()[:4], "big")
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        reports: list[Service1Tm] = []
        while not {(1, r.subservice) for r in reports} & last:
            left = deadline - time.monotonic()
            assert left > 0, f"no {sorted(last)} for {tc}; got {[r.subservice for r in reports]}"
            if not self.com.data_available(min(left, 0.1)):
                continue
            for raw in self.com.receive():
                tm = PusTm.unpack(bytes(raw), timestamp_len=TIME_LEN)
                self.received.append(tm)
                if tm.service == 1:
                    report = Service1Tm.from_tm(tm, _VERIFY)
                    if report.tc_req_id.as_u32() == request:
                        reports.append(report)
        return reports

    def settle(self, seconds: float = 0.3) -> None:
        """Collect whatever else arrives for `seconds` (late reports, events)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self.com.data_available(min(left, 0.05)):
                self.received += [
                    PusTm.unpack(bytes(raw), timestamp_len=TIME_LEN) for raw in self.com.receive()
                ]


def _udp_interface(url: str) -> ComInterface:
    host, port = url.removeprefix("udp:").rsplit(":", 1)
    cfg = tmtccmd_com.TcpipCfg(
        if_type=TcpIpType.UDP,
        com_if_key=CoreComInterfaces.UDP.value,
        json_cfg_path="",  # only read by tmtccmd's interactive setup, which this bypasses
        send_addr=EthAddr(host, int(port)),
        space_packet_ids=None,
    )
    return tmtccmd_com.create_com_interface_default(cfg)


def _serial_interface(device: str) -> ComInterface:
    serial = SerialCfg(CoreComInterfaces.SERIAL_COBS.value, device, 115200, 0.1)
    cfg = tmtccmd_com.SerialCfgWrapper(CoreComInterfaces.SERIAL_COBS.value, "", serial)
    return tmtccmd_com.create_com_interface_default(cfg)


@pytest.fixture(scope="module", params=["udp", "serial"])
def session(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Session]:
    """One `open-bench` flight per transport, shared by this module's tests (flight start-up
    is the slow part); every test matches its replies by request ID."""
    data_dir = tmp_path_factory.mktemp(request.param)
    with contextlib.ExitStack() as stack:
        if request.param == "udp":
            flight = start_flight(data_dir, "--mission", MISSION, "--link", "udp:127.0.0.1:0")
            com = _udp_interface(flight.urls[0])
        else:
            board, ground = stack.enter_context(socat_ptys(data_dir))
            flight = start_flight(data_dir, "--mission", MISSION, "--link", f"serial:{board}")
            com = _serial_interface(str(ground))
        stack.callback(flight.stop, signal.SIGKILL)
        com.open()
        stack.callback(com.close)
        assert com.is_open()
        yield Session(com, flight, [])
        assert flight.process.poll() is None, flight.log.read_text()[-2000:]
        assert flight.stop() == 0


def test_ping_is_verified_and_answered(session: Session) -> None:
    ping = PusTc(17, 1, apid=_app(_dictionary(), "core")["apid"], seq_count=next(_seq))
    reports = session.exchange(ping, last={(1, 7)})
    assert [r.subservice for r in reports] == [1, 3, 7]
    assert all(r.apid == ping.apid and not r.has_failure_notice for r in reports)
    assert any(
        (tm.service, tm.subservice, tm.apid) == (17, 2, ping.apid) for tm in session.received
    )


def test_set_gain_from_the_dictionary_runs_and_reports(session: Session) -> None:
    dictionary = _dictionary()
    sample = _app(dictionary, "sample")
    set_gain = _command(sample, "SET_GAIN")
    gain = set_gain["args"][0]
    value = (gain["low"] + gain["high"]) // 2
    tc = _function_tc(sample, set_gain, value)

    reports = session.exchange(tc, last={(1, 7), (1, 8)})
    assert [r.subservice for r in reports] == [1, 3, 7]
    assert all(r.apid == sample["apid"] for r in reports)

    gain_set = next(e for e in sample["events"] if e["name"] == "GAIN_SET")
    session.settle()
    events = [tm for tm in session.received if (tm.service, tm.apid) == (5, sample["apid"])]
    expected = struct.pack(">HB", gain_set["eid"], value)  # event ID, aux = the new gain
    assert any(tm.source_data == expected for tm in events), [e.source_data for e in events]


@pytest.mark.parametrize(
    ("function", "argument", "code"),
    [
        ("SET_GAIN", "high+1", ARGUMENT_OUT_OF_RANGE),
        ("SET_GAIN", "low-1", ARGUMENT_OUT_OF_RANGE),
        (None, None, UNKNOWN_FUNCTION),
    ],
    ids=["gain-above-range", "gain-below-range", "unknown-function-id"],
)
def test_a_bad_command_fails_acceptance_with_its_code(
    session: Session, function: str | None, argument: str | None, code: int
) -> None:
    sample = _app(_dictionary(), "sample")
    if function is None:
        taken = {c["function_id"] for c in sample["commands"]}
        unused = next(n for n in range(0x10000) if n not in taken)
        tc = PusTc(
            8, 1, apid=sample["apid"], app_data=struct.pack(">H", unused), seq_count=next(_seq)
        )
    else:
        command = _command(sample, function)
        spec = command["args"][0]
        value = spec["high"] + 1 if argument == "high+1" else spec["low"] - 1
        tc = _function_tc(sample, command, value)

    reports = session.exchange(tc, last={(1, 2)})
    session.settle(0.2)  # a wrongly started command would report 1,3 / 1,7 by now
    late = [
        tm.subservice
        for tm in session.received
        if tm.service == 1 and tm.source_data[:4] == tc.pack()[:4] and tm.subservice != 2
    ]
    assert [r.subservice for r in reports] == [2]
    assert late == []
    failure = reports[0]
    assert failure.apid == sample["apid"]
    assert failure.error_code is not None
    assert failure.error_code.val == code
    assert failure.error_code.pfc == 8 * ERROR_CODE_OCTETS
