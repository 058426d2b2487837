"""The payload tracks its stimulus, a failed sensor sends it to SAFE with an event, and a
payload that crashes is reported and restarted by the executive.

Needs a mission that flies the payload app on the simulated board, and a flight that serves
the sim control channel.
"""

import pytest

from flight.apps.payload.sensors import SensorId
from hil.rig import Predicate, RigGround, Stimulus, event, hk, near

OFF, SAFE = 0, 3
HK_WAIT_S = 12.0
ALL_SENSORS_OK = sum(1 << sensor for sensor in SensorId)


def _payload(ground: RigGround) -> None:
    """Skip without a payload app; else make sure it is powered (STANDBY or beyond)."""
    if ground.dictionary.app("payload") is None:
        pytest.skip("the mission flies no payload app")
    mode = ground.housekeeping("payload", "PAYLOAD_HK")["mode"]
    if mode == SAFE:
        ground.send_and_assert_command("payload.EXIT_SAFE")
    elif mode == OFF:
        ground.send_and_assert_command("payload.POWER_ON")


def test_every_sensor_answers_once_powered(ground: RigGround) -> None:
    """A unit ships only when every payload sensor reads without a single error."""
    _payload(ground)
    start = ground.mark()
    errors = {f"{sensor.name.lower()}_errors": 0 for sensor in SensorId}
    ground.await_tlm(
        hk("payload", "PAYLOAD_HK", sensors_ok=ALL_SENSORS_OK, **errors),
        start=start,
        timeout=HK_WAIT_S,
    )


def test_housekeeping_tracks_the_stimulus(ground: RigGround, stimulus: Stimulus) -> None:
    _payload(ground)
    stimulus.set("tmp117", temperature_c=31.5)
    start = ground.mark()
    ground.await_tlm(
        hk("payload", "PAYLOAD_HK", detector_temperature_c=near(31.5, 0.1)),
        start=start,
        timeout=HK_WAIT_S,
    )


def test_sensor_failure_raises_an_event_and_enters_safe(
    ground: RigGround, stimulus: Stimulus
) -> None:
    _payload(ground)
    start = ground.mark()
    stimulus.inject("tmp117", "nack")
    ground.await_tlm(event("payload", "SENSOR_FAILED"), start=start, timeout=HK_WAIT_S)
    ground.await_tlm(hk("payload", "PAYLOAD_HK", mode=SAFE), start=start, timeout=HK_WAIT_S)


def _executive_event(name: str, apid: int) -> Predicate:
    """The executive's event `name` about the app on `apid` (the first two aux octets)."""
    return Predicate(
        lambda d: (
            d.kind == "event"
            and d.name == name
            and str(d.values.get("aux", "")).startswith(f"{apid:04x}")
        ),
        f"executive event {name} for APID {apid}",
    )


def test_a_crashing_app_is_reported_and_restarted(ground: RigGround, stimulus: Stimulus) -> None:
    """An app that raises what it was never written to expect (a driver bug, injected once on
    the TMP117's bus) is contained: the executive reports it, restarts it, and it serves."""
    _payload(ground)
    payload = ground.dictionary.app("payload")
    assert payload is not None
    start = ground.mark()
    stimulus.inject("tmp117", "crash", count=1)
    ground.await_tlm(_executive_event("APP_FAILED", payload.apid), start=start, timeout=HK_WAIT_S)
    ground.await_tlm(
        _executive_event("APP_RESTARTED", payload.apid), start=start, timeout=HK_WAIT_S
    )
    _payload(ground)
    ground.await_tlm(hk("payload", "PAYLOAD_HK"), start=ground.mark(), timeout=HK_WAIT_S)
