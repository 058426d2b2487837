"""Events fire once per cause, with their documented auxiliary data."""

import pytest

from hil.rig import RigGround, event


@pytest.mark.parametrize("app", ["core", "sample"])
def test_noop_raises_exactly_one_noop_event(ground: RigGround, app: str) -> None:
    start = ground.mark(settle=0.2)
    ground.send_and_assert_command(f"{app}.NOOP")
    ground.assert_event_count(1, event(app, "NOOP"), start=start, timeout=0.5)


def test_counter_reset_zeroes_the_counters_and_says_so(ground: RigGround) -> None:
    ground.send_and_assert_command("sample.NOOP")
    start = ground.mark(settle=0.2)
    ground.send_and_assert_command("sample.RESET_COUNTERS")
    ground.assert_event_count(1, event("sample", "COUNTERS_RESET"), start=start, timeout=0.5)
    values = ground.housekeeping("sample", "SAMPLE_HK")
    assert values["cmd_count"] == 1, values  # the reset itself counts, after zeroing


def test_gain_change_reports_the_new_gain(ground: RigGround) -> None:
    start = ground.mark(settle=0.2)
    ground.send_and_assert_command("sample.SET_GAIN", {"gain": 7})
    ground.assert_event_count(1, event("sample", "GAIN_SET", aux="07"), start=start, timeout=0.5)
    assert ground.housekeeping("sample", "SAMPLE_HK")["gain"] == 7
