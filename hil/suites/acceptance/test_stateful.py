"""Random command sequences against the unit, checked against a model after every step.

A hypothesis state machine sends the sample app good and bad commands and parameter
changes; after each it reads SAMPLE_HK and the parameters and checks them against the
model: command and error counters, the gain, the threshold, and the verification outcome
(completed, or refused with ARGUMENT_OUT_OF_RANGE) of every telecommand.
"""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from flight.core import FailureCode
from hil.ground import Request, resolve_app
from hil.rig import RigGround

SAMPLE = "sample"


class SampleModel(RuleBasedStateMachine):
    """What the sample app's housekeeping must say after each command."""

    ground: RigGround

    def __init__(self) -> None:
        super().__init__()
        ground = self.ground
        self.apid = resolve_app(ground.dictionary, SAMPLE).apid
        ground.send_and_assert_command("sample.RESET_COUNTERS")
        self.cmd_count, self.err_count = 1, 0  # the reset zeroes, then counts itself
        values = self._hk()
        self.gain, self.threshold = int(values["gain"]), int(values["threshold"])

    def _hk(self) -> dict[str, int | float | bool | str]:
        values = self.ground.housekeeping(SAMPLE, "SAMPLE_HK")
        self.cmd_count += 1  # the report request counts once it completes (after reporting)
        return values

    @rule(gain=st.integers(1, 16))
    def set_gain(self, gain: int) -> None:
        self.ground.send_and_assert_command("sample.SET_GAIN", {"gain": gain})
        self.gain = gain
        self.cmd_count += 1

    @rule(gain=st.sampled_from([0, 17, 255]))
    def set_gain_out_of_range(self, gain: int) -> None:
        bad = Request(self.apid, 8, 1, b"\x00\x02" + bytes([gain]), "sample.SET_GAIN raw")
        self.ground.send_and_assert_failure(bad, FailureCode.ARGUMENT_OUT_OF_RANGE)
        self.err_count += 1

    @rule()
    def noop(self) -> None:
        self.ground.send_and_assert_command("sample.NOOP")
        self.cmd_count += 1

    @rule(threshold=st.integers(1, 1000))
    def set_threshold(self, threshold: int) -> None:
        self.ground.set_parameters(SAMPLE, threshold=threshold)
        self.threshold = threshold
        self.cmd_count += 1

    @invariant()
    def housekeeping_matches_the_model(self) -> None:
        expected = {
            "cmd_count": self.cmd_count,
            "err_count": self.err_count,
            "gain": self.gain,
            "threshold": self.threshold,
        }
        values = self._hk()
        seen = {name: values[name] for name in expected}
        assert seen == expected, f"expected {expected}, housekeeping says {seen}"


def test_random_command_sequences_keep_the_model(ground: RigGround) -> None:
    SampleModel.ground = ground
    run_state_machine_as_test(
        SampleModel,
        settings=settings(
            max_examples=4,
            stateful_step_count=8,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        ),
    )
