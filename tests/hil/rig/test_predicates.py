"""Predicates match what they say, and say what they expect."""

from flight.ccsds import CucTime, PusTm
from hil.ground import Decoded
from hil.rig import at_least, between, event, hk, near, packet, verification


def _hk(**values: object) -> Decoded:
    tm = PusTm(apid=101, service=3, subtype=25, time=CucTime(0, 0))
    return Decoded(tm, "sample", "housekeeping", "SAMPLE_HK", dict(values))  # type: ignore[arg-type]


def test_housekeeping_predicate() -> None:
    wanted = hk("sample", "SAMPLE_HK", gain=3, level=at_least(10))
    assert str(wanted) == "sample.SAMPLE_HK housekeeping with gain == 3, level >= 10"
    assert wanted(_hk(gain=3, level=12))
    assert not wanted(_hk(gain=3, level=9))
    assert not wanted(_hk(gain=4, level=12))
    assert not wanted(_hk(gain=3))  # a missing item never matches
    assert not hk("sample", "OTHER")(_hk(gain=3))


def test_checks_and_combinations() -> None:
    assert str(near(31.5, 0.1))
    assert near(31.5, 0.1).test(31.55)
    assert str(hk("a", "S", t=between(1, 2))) == "a.S housekeeping with t in [1, 2]"
    both = hk("sample", "SAMPLE_HK") & packet(3, 25, apid=101)
    assert both(_hk())
    assert "packet 3,25 from APID 101" in str(both)
    assert not event("sample", "NOOP")(_hk())
    assert str(verification(b"\x01\x02\x03\x04", stage="completion", ok=True)) == (
        "verification report with request_id == '01020304', stage == 'completion', ok == True"
    )
