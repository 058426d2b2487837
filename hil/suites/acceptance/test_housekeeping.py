"""Every housekeeping structure: reported on request, and periodically at its configured rate."""

import itertools

import pytest

from hil.ground import hk_report_request, resolve_app
from hil.rig import Rig, RigGround, hk

RATE_TOLERANCE = 0.10
MIN_INTERVALS = 1
ONE_SHOT_WINDOW = 1.0  # s from a 3,27 request to its report, at most


def _structures(ground: RigGround) -> list[tuple[str, str, float]]:
    return [
        (app.name, s.name, s.interval_s)
        for app in ground.dictionary.apps
        for s in app.structures
        if s.enabled
    ]


def test_every_structure_answers_a_one_shot_request(ground: RigGround) -> None:
    for app in ground.dictionary.apps:
        if not app.structures:
            continue
        start = ground.mark()
        ground.execute(hk_report_request(resolve_app(ground.dictionary, app.name)))
        for structure in app.structures:
            report = ground.await_tlm(hk(app.name, structure.name), start=start, timeout=2)
            assert set(report.values) == {f.name for f in structure.fields}


def _clean_intervals(rig: Rig, ground: RigGround, app: str, name: str) -> list[float]:
    """Packet-time intervals between consecutive reports of `app`.`name` since the last boot,
    leaving out pairs near a disturbance or around a one-shot (3,27) report."""
    booted = rig.dut.booted_at
    wanted = hk(app, name)
    apid = resolve_app(ground.dictionary, app).apid
    asked = ground.sent_since(booted, apid=apid, service=(3, 27))
    seen = [s for s in ground.history if s.at >= booted and wanted(s.decoded)]
    return [
        b.decoded.unix_time - a.decoded.unix_time
        for a, b in itertools.pairwise(seen)
        if rig.undisturbed(a.at)
        and rig.undisturbed(b.at)
        and not any(a.at - ONE_SHOT_WINDOW <= t <= b.at for t in asked)
    ]


@pytest.mark.rig_late
def test_every_structure_arrives_at_its_configured_rate(rig: Rig, ground: RigGround) -> None:
    """Every interval between periodic reports since the last boot, outside link faults
    and hangs, is within 10 % of the configured one (at least one interval each)."""
    structures = _structures(ground)
    longest = max(interval for _, _, interval in structures)
    deadline = ground.mark() + longest * (MIN_INTERVALS + 1.5)
    for app, name, interval in structures:
        while len(measured := _clean_intervals(rig, ground, app, name)) < MIN_INTERVALS:
            left = deadline - ground.mark()
            assert left > 0, (
                f"expected {MIN_INTERVALS} clean interval(s) of {app}.{name} (every"
                f" {interval:g} s) since boot; got {measured}"
            )
            ground.client.poll(ground.mark() + min(left, 1.0))
        off = [m for m in measured if abs(m - interval) > RATE_TOLERANCE * interval]
        assert not off, (
            f"{app}.{name}: expected every {interval:g} s ± 10 %, measured "
            + ", ".join(f"{m:.3f}" for m in measured)
            + " s"
        )
