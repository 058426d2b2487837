"""Sensor faults injected through the SimBoard, and limits: events by number, SAFE, recovery.

A HAL error never leaves the app: the executive must not see a failure (no APP_FAILED on the
core APID) while the payload reports, counts and goes to SAFE.
"""

import math
import struct

import pytest

from flight.apps.payload import Mode
from flight.apps.payload.messages import PAYLOAD_HK, ExitSafe, PowerOn, StartScience
from flight.apps.payload.sensors import ErrorKind, SensorId
from flight.core import APP_FAILED, AppState, FailureCode
from tests.flight.apps.payload.rig import CORE, PAYLOAD, Rig, event_ids, events, verification

MODE_CHANGED, SENSOR_FAILED, SENSOR_RECOVERED = 12, 13, 14
LIMIT_VIOLATED, LIMIT_RECOVERED, PRODUCT_READY = 15, 16, 17
SENSOR_FAILURE, LIMIT_VIOLATION = 1, 2  # MODE_CHANGED causes


def _science(rig: Rig) -> None:
    for command in (PowerOn, StartScience):
        assert verification(rig.command(PAYLOAD, command.CODE))[-1] == (7, None)


def _assert_contained(rig: Rig, tms: list) -> None:  # type: ignore[type-arg]
    assert APP_FAILED.eid not in event_ids(tms, CORE)
    slot = rig.flight.executive.slot_of(rig.payload)
    assert (slot.state, slot.failures) == (AppState.RUNNING, 0)


@pytest.mark.parametrize(
    ("model", "inject", "sensor", "kind"),
    [
        ("tmp117", lambda sim: sim.inject("tmp117", "nack"), SensorId.TMP117, ErrorKind.NACK),
        ("bme280", lambda sim: sim.inject("bme280", "disappear"), SensorId.BME280, ErrorKind.NACK),
        ("ina219", lambda sim: sim.inject("ina219", "timeout"), SensorId.INA219, ErrorKind.TIMEOUT),
        (
            "mcp3008",
            lambda sim: sim.inject("mcp3008", "disconnected"),
            SensorId.MCP3008,
            ErrorKind.NOT_FOUND,
        ),
        (
            "lsm6dsox",
            lambda sim: sim.model("lsm6dsox").inject("no_data"),
            SensorId.LSM6DSOX,
            ErrorKind.TIMEOUT,
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_failed_sensor_raises_an_event_and_takes_the_payload_to_safe(
    rig: Rig, model: str, inject, sensor: SensorId, kind: ErrorKind
) -> None:
    _science(rig)
    inject(rig.hardware.sim)
    tms = rig.run(3.5)  # three failed reads in a row at 1 Hz (fault_persistence)
    found = events(tms, PAYLOAD)
    assert (SENSOR_FAILED, bytes((sensor, kind))) in found
    assert (MODE_CHANGED, bytes((Mode.SCIENCE, Mode.SAFE, SENSOR_FAILURE))) in found
    # What was gathered still goes down; with the detector's ADC gone nothing was gathered.
    assert (PRODUCT_READY in event_ids(tms, PAYLOAD)) is (sensor is not SensorId.MCP3008)
    hk = rig.hk(PAYLOAD, PAYLOAD_HK)
    assert hk["mode"] == Mode.SAFE
    assert not hk["sensors_ok"] & (1 << sensor)
    assert hk[f"{model}_errors"] == 3
    _assert_contained(rig, tms)
    # SAFE keeps monitoring what still works, and never re-reports the failed sensor.
    later = rig.run(5.0)
    assert SENSOR_FAILED not in event_ids(later, PAYLOAD)
    assert rig.hk(PAYLOAD, PAYLOAD_HK)["samples"] > hk["samples"]


def test_a_failed_sensor_reads_as_nan(rig: Rig) -> None:
    _science(rig)
    rig.hardware.sim.inject("tmp117", "nack")
    rig.run(3.5)
    assert math.isnan(rig.hk(PAYLOAD, PAYLOAD_HK)["detector_temperature_c"])


def test_a_transient_error_is_counted_but_does_not_trip(rig: Rig) -> None:
    _science(rig)
    rig.hardware.sim.inject("tmp117", "nack", count=1)
    tms = rig.run(5.0)
    assert SENSOR_FAILED not in event_ids(tms, PAYLOAD)
    hk = rig.hk(PAYLOAD, PAYLOAD_HK)
    assert (hk["mode"], hk["tmp117_errors"]) == (Mode.SCIENCE, 1)
    rig.command(PAYLOAD, 1)  # ResetCounters
    hk = rig.hk(PAYLOAD, PAYLOAD_HK)
    assert (hk["tmp117_errors"], hk["err_count"], hk["cmd_count"]) == (0, 0, 1)


def test_exit_safe_is_refused_until_the_sensor_answers_again(rig: Rig) -> None:
    _science(rig)
    sim = rig.hardware.sim
    sim.inject("bme280", "disappear")
    rig.run(3.5)
    tms = rig.command(PAYLOAD, ExitSafe.CODE)
    assert verification(tms)[-1] == (8, FailureCode.REFUSED)
    assert rig.hk(PAYLOAD, PAYLOAD_HK)["mode"] == Mode.SAFE
    sim.clear_faults("bme280")
    tms = rig.command(PAYLOAD, ExitSafe.CODE)
    assert verification(tms)[-1] == (7, None)
    found = events(tms, PAYLOAD)
    assert (SENSOR_RECOVERED, bytes((SensorId.BME280,))) in found
    assert (MODE_CHANGED, bytes((Mode.SAFE, Mode.STANDBY, 0))) in found
    assert rig.hk(PAYLOAD, PAYLOAD_HK)["sensors_ok"] == 0x7F


def test_the_gnss_and_fram_are_not_worth_a_safe_mode(rig: Rig) -> None:
    _science(rig)
    rig.set_parameter(PAYLOAD, 2, struct.pack(">H", 2))  # a product every 2 samples
    assert 18 in event_ids(rig.run(2.0), PAYLOAD)  # GNSS_FIX_ACQUIRED
    sim = rig.hardware.sim
    sim.inject("gnss", "drop", probability=1.0)  # nothing arrives: the fix goes stale
    sim.inject("fram", "nack")
    tms = rig.run(8.0)
    found = events(tms, PAYLOAD)
    assert 19 in event_ids(tms, PAYLOAD)  # GNSS_FIX_LOST
    assert (SENSOR_FAILED, bytes((SensorId.FRAM, ErrorKind.NACK))) in found
    numbers = [struct.unpack(">IH", aux)[0] for eid, aux in found if eid == PRODUCT_READY]
    assert len(numbers) >= 3
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))  # on from RAM
    hk = rig.hk(PAYLOAD, PAYLOAD_HK)
    assert (hk["mode"], hk["gnss_fix"]) == (Mode.SCIENCE, 0)


def test_detector_over_temperature_is_a_limit_violation_and_safe(rig: Rig) -> None:
    _science(rig)
    tmp117 = rig.hardware.sim.model("tmp117")
    tmp117.set(temperature_c=40.0)
    tms = rig.run(1.5)
    found = events(tms, PAYLOAD)
    assert (LIMIT_VIOLATED, struct.pack(">Bf", 0, 40.0)) in found
    assert (MODE_CHANGED, bytes((Mode.SCIENCE, Mode.SAFE, LIMIT_VIOLATION))) in found
    assert rig.hk(PAYLOAD, PAYLOAD_HK)["limits_violated"] == 1
    assert verification(rig.command(PAYLOAD, ExitSafe.CODE))[-1] == (8, FailureCode.REFUSED)
    tmp117.set(temperature_c=34.5)  # under the limit, but not by the 1 degC hysteresis
    assert LIMIT_RECOVERED not in event_ids(rig.run(2.0), PAYLOAD)
    tmp117.set(temperature_c=30.0)
    tms = rig.run(1.5)
    assert (LIMIT_RECOVERED, struct.pack(">Bf", 0, 30.0)) in events(tms, PAYLOAD)
    assert verification(rig.command(PAYLOAD, ExitSafe.CODE))[-1] == (7, None)


def test_the_limits_are_parameters(rig: Rig) -> None:
    _science(rig)
    tms = rig.set_parameter(PAYLOAD, 7, struct.pack(">f", 0.1))  # rail_current_max_a
    assert verification(tms)[-1] == (7, None)
    found = events(rig.run(1.5), PAYLOAD)
    assert (LIMIT_VIOLATED, struct.pack(">Bf", 2, 0.12)) in found
    assert rig.hk(PAYLOAD, PAYLOAD_HK)["mode"] == Mode.SAFE


def test_a_brown_out_takes_the_payload_to_safe(rig: Rig) -> None:
    _science(rig)
    rig.hardware.sim.model("ina219").set(bus_voltage_v=4.2)
    found = events(rig.run(1.5), PAYLOAD)
    assert (LIMIT_VIOLATED, struct.pack(">Bf", 3, 4.2)) in found
    assert rig.hk(PAYLOAD, PAYLOAD_HK)["mode"] == Mode.SAFE


def test_tumbling_is_reported_but_science_goes_on(rig: Rig) -> None:
    _science(rig)
    rig.hardware.sim.model("lsm6dsox").set(gyro_dps=(20.0, 0.0, 0.0))
    tms = rig.run(1.5)
    assert [eid for eid, aux in events(tms, PAYLOAD) if aux[:1] == b"\x04"] == [LIMIT_VIOLATED]
    hk = rig.hk(PAYLOAD, PAYLOAD_HK)
    assert (hk["mode"], hk["limits_violated"]) == (Mode.SCIENCE, 1 << 4)
