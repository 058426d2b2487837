"""A hung app stops the watchdog keep-alives, and they resume when the loop is back.

Simulated units only: the rig is the flight's systemd (a NOTIFY_SOCKET listener) and hangs
the loop with the sample app's test-only `Hang` command.
"""

import math

import pytest

from hil.rig import Rig, RigGround

SLACK_S = 1.5


def test_hung_app_stops_the_watchdog_kicks(rig: Rig, ground: RigGround) -> None:
    notify = rig.dut.notify
    if notify is None:
        pytest.skip(f"{rig.spec.text}: the rig is not this unit's systemd")
    hang_s = math.ceil(rig.mission.heartbeat_timeout_s + SLACK_S)
    with rig.disturbing():
        start = ground.mark()
        ground.send_and_assert_command("sample.HANG", {"seconds": hang_s}, timeout=hang_s + 5)
        ground.drain(1.0)
    said = notify.since(start)
    messages = [n.message for n in said]
    stopped = next((i for i, m in enumerate(messages) if "not checking in" in m), None)
    assert stopped is not None, f"expected a 'not checking in' status, got {messages}"
    back = next((i for i, m in enumerate(messages) if i > stopped and m == "STATUS=flying"), None)
    assert back is not None, f"expected STATUS=flying after the hang, got {messages[stopped:]}"
    assert "WATCHDOG=1" not in messages[stopped:back], messages[stopped:back]
    assert "WATCHDOG=1" in messages[back:], f"keep-alives did not resume: {messages[back:]}"
    quiet = said[back].at - said[stopped].at
    assert quiet >= hang_s - rig.mission.heartbeat_timeout_s - 0.5, f"silent only {quiet:.2f} s"
    assert rig.dut.alive
