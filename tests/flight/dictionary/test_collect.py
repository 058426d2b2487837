"""The dictionary comes from the declarations of every app the mission runs."""

from dataclasses import dataclass

import construct
import pytest

from flight.apps.registry import REGISTRY
from flight.apps.sample.messages import SAMPLE_HK
from flight.core import App, Arg, Command, FailureCode, handles, load_mission, shipped_missions
from flight.dictionary import DictionaryError, build_dictionary, field_spec


@pytest.mark.parametrize("name", shipped_missions())
def test_every_shipped_mission_builds(name: str) -> None:
    mission = load_mission(name)
    dictionary = build_dictionary(mission)
    assert [a.apid for a in dictionary.apps] == sorted(a.apid for a in mission.apps)
    assert dictionary.authentication is mission.authentication


def test_sample_app_is_described_from_its_declarations() -> None:
    sample = build_dictionary(load_mission("open-bench")).app("sample")
    assert sample is not None
    assert (sample.apid, sample.kind, sample.rate_hz) == (101, "sample", 10)
    set_gain = sample.command("SetGain")
    assert set_gain is not None
    assert (set_gain.name, set_gain.function_id, set_gain.service, set_gain.subtype) == (
        "SET_GAIN",
        2,
        8,
        1,
    )
    (gain,) = set_gain.args
    assert (gain.kind, gain.bits, gain.low, gain.high) == ("uint", 8, 1, 16)
    hang = sample.command("hang")
    assert hang is not None
    assert hang.args[0].unit == "s"
    structure = sample.structure(1)
    assert structure is not None
    assert [f.name for f in structure.fields] == [a.name for a in SAMPLE_HK.fields]
    assert structure.interval_s == 5.0
    events = {e.eid: (e.name, e.severity, e.subtype) for e in sample.events}
    assert events[1] == ("COMMAND_REJECTED", "LOW", 2)  # the base app's, first
    assert events[13] == ("LEVEL_HIGH", "LOW", 2)
    threshold = sample.parameter("threshold")
    assert threshold is not None
    assert (threshold.pid, threshold.default, threshold.value.low, threshold.value.high) == (
        1,
        900,
        1,
        1000,
    )


def test_core_app_carries_the_executive_events() -> None:
    core = build_dictionary(load_mission("demo")).app("core")
    assert core is not None
    assert {"APP_FAILED", "APP_RESTARTED", "APP_DISABLED", "STARTED"} <= {
        e.name for e in core.events
    }


def test_every_wire_type_maps() -> None:
    cases = {
        construct.Int8ub: ("uint", 8),
        construct.Int64ub: ("uint", 64),
        construct.Int16sb: ("int", 16),
        construct.Float32b: ("float", 32),
        construct.Float64b: ("float", 64),
        construct.Flag: ("bool", 8),
    }
    for fmt, expected in cases.items():
        spec = field_spec(Arg("x", fmt))
        assert (spec.kind, spec.bits) == expected


def test_little_endian_fields_are_refused() -> None:
    with pytest.raises(DictionaryError, match="big-endian"):
        field_spec(Arg("x", construct.Int16ul))


def test_unknown_app_kind_is_refused() -> None:
    with pytest.raises(DictionaryError, match="unknown app kind"):
        build_dictionary(load_mission("open-bench"), registry={"core": REGISTRY["core"]})


@dataclass(frozen=True)
class _First(Command):
    CODE = 3


@dataclass(frozen=True)
class _Second(Command):
    CODE = 3


class _Clashing(App):
    COMMANDS = (_First, _Second)

    @handles(_First)
    def first(self, command: _First) -> None:
        """Never runs."""

    @handles(_Second)
    def second(self, command: _Second) -> None:
        """Never runs."""


def test_duplicate_function_ids_fail_the_build() -> None:
    registry = {**REGISTRY, "sample": _Clashing}
    with pytest.raises(DictionaryError, match="function ID 3"):
        build_dictionary(load_mission("open-bench"), registry=registry)


def test_failure_codes_are_stable() -> None:
    # The ground prints these names; the numbers are part of the interface.
    assert FailureCode.ARGUMENT_OUT_OF_RANGE == 6
    assert FailureCode.UNKNOWN_REQUEST == 18
