"""Parameters: set within range, refused outside it, and kept across a power cycle."""

import pytest

from flight.core import FailureCode
from hil.ground import Request, resolve_app
from hil.rig import Rig, RigGround, UnsupportedError
from hil.rig.generate import nearby


def _raw_set(ground: RigGround, app: str, pid: int, value: bytes) -> Request:
    spec = resolve_app(ground.dictionary, app)
    data = b"\x01" + pid.to_bytes(2, "big") + value
    return Request(spec.apid, 20, 3, data, f"{app} parameter {pid} set")


@pytest.mark.rig_early
def test_parameters_survive_a_power_cycle(rig: Rig, ground: RigGround) -> None:
    changed: dict[str, dict[str, int | float | bool]] = {}
    for app in ground.dictionary.apps:
        for parameter in app.parameters:
            value = nearby(parameter.value, parameter.default)
            ground.set_parameters(app.name, **{parameter.name: value})
            changed.setdefault(app.name, {})[parameter.name] = value
    if not changed:
        pytest.skip("the mission declares no parameters")
    try:
        rig.power_cycle()
    except UnsupportedError as exc:  # a bench board without a relay
        pytest.skip(str(exc))
    for app_name, values in changed.items():
        after = ground.parameters(app_name)
        for name, value in values.items():
            assert after[name] == value, f"{app_name}.{name}: set {value}, now {after}"


def test_out_of_range_parameter_is_refused_and_nothing_changes(ground: RigGround) -> None:
    for app in ground.dictionary.apps:
        for parameter in app.parameters:
            if parameter.value.kind not in {"uint", "int"} or parameter.value.high is None:
                continue
            before = ground.parameters(app.name)
            value = parameter.value.encode(int(parameter.value.high) + 1)
            ground.send_and_assert_failure(
                _raw_set(ground, app.name, parameter.pid, value),
                FailureCode.ARGUMENT_OUT_OF_RANGE,
                stage="acceptance",
            )
            assert ground.parameters(app.name) == before


def test_unknown_parameter_is_refused(ground: RigGround) -> None:
    app = next(a for a in ground.dictionary.apps if a.parameters)
    unused = max(p.pid for p in app.parameters) + 1
    ground.send_and_assert_failure(
        _raw_set(ground, app.name, unused, b"\x00\x01"),
        FailureCode.UNKNOWN_PARAMETER,
        stage="acceptance",
    )
