"""Every mode-transition command from every mode: allowed ones change the mode, the rest are
refused with REFUSED and change nothing."""

import struct

import pytest

from flight.apps.payload import Mode
from flight.apps.payload.messages import (
    PAYLOAD_HK,
    EnterSafe,
    ExitSafe,
    FlushProduct,
    PowerOff,
    PowerOn,
    StartScience,
    StopScience,
)
from flight.apps.payload.modes import TRANSITIONS, next_mode
from flight.core import BASE_EVENTS, Command, FailureCode
from tests.flight.apps.payload.rig import PAYLOAD, Rig, events, verification

MODE_CHANGED = 12
COMMAND_REJECTED = BASE_EVENTS[0].eid
TRANSITION_COMMANDS = (PowerOn, PowerOff, StartScience, StopScience, EnterSafe, ExitSafe)
# How to get from OFF to each mode.
ROUTES: dict[Mode, tuple[type[Command], ...]] = {
    Mode.OFF: (),
    Mode.STANDBY: (PowerOn,),
    Mode.SCIENCE: (PowerOn, StartScience),
    Mode.SAFE: (PowerOn, EnterSafe),
}


def _go(rig: Rig, mode: Mode) -> None:
    for command in ROUTES[mode]:
        assert verification(rig.command(PAYLOAD, command.CODE))[-1] == (7, None)
    assert rig.hk(PAYLOAD, PAYLOAD_HK)["mode"] == mode


def test_the_table_is_the_documented_one() -> None:
    allowed = {(c.__name__, m.name, t.name) for (c, m), t in TRANSITIONS.items()}
    assert allowed == {
        ("PowerOn", "OFF", "STANDBY"),
        ("PowerOff", "STANDBY", "OFF"),
        ("PowerOff", "SAFE", "OFF"),
        ("StartScience", "STANDBY", "SCIENCE"),
        ("StopScience", "SCIENCE", "STANDBY"),
        ("EnterSafe", "STANDBY", "SAFE"),
        ("EnterSafe", "SCIENCE", "SAFE"),
        ("ExitSafe", "SAFE", "STANDBY"),
    }


@pytest.mark.parametrize("mode", list(Mode), ids=lambda m: m.name)
@pytest.mark.parametrize("command", TRANSITION_COMMANDS, ids=lambda c: c.__name__)
def test_transition(rig: Rig, command: type[Command], mode: Mode) -> None:
    _go(rig, mode)
    before = rig.hk(PAYLOAD, PAYLOAD_HK)
    tms = rig.command(PAYLOAD, command.CODE)
    after = rig.hk(PAYLOAD, PAYLOAD_HK)
    target = next_mode(command, mode)
    if target is None:
        assert verification(tms) == [(1, None), (3, None), (8, FailureCode.REFUSED)]
        assert events(tms, PAYLOAD) == [(COMMAND_REJECTED, struct.pack(">H", FailureCode.REFUSED))]
        assert after["mode"] == mode
        assert after["err_count"] == before["err_count"] + 1
        assert after["cmd_count"] == before["cmd_count"] + 1  # the report before
    else:
        assert verification(tms) == [(1, None), (3, None), (7, None)]
        assert (MODE_CHANGED, bytes((mode, target, 0))) in events(tms, PAYLOAD)
        assert after["mode"] == target
        assert after["cmd_count"] == before["cmd_count"] + 2  # the report before counts too


@pytest.mark.parametrize("mode", [Mode.OFF, Mode.STANDBY, Mode.SAFE], ids=lambda m: m.name)
def test_flush_product_outside_science_is_refused(rig: Rig, mode: Mode) -> None:
    _go(rig, mode)
    tms = rig.command(PAYLOAD, FlushProduct.CODE)
    assert verification(tms)[-1] == (8, FailureCode.REFUSED)
    assert rig.science == []


def test_unknown_function_is_refused_at_acceptance(rig: Rig) -> None:
    tms = rig.command(PAYLOAD, 0x55)
    assert verification(tms) == [(2, FailureCode.UNKNOWN_FUNCTION)]
    assert rig.hk(PAYLOAD, PAYLOAD_HK)["mode"] == Mode.OFF
