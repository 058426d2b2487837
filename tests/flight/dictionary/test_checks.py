"""IDs that must be unique are unique in every shipped mission, and collisions are all reported."""

from dataclasses import replace

import pytest

from flight.core import load_mission, shipped_missions
from flight.dictionary import DuplicateIdError, EventSpec, build_dictionary, check_unique


@pytest.mark.parametrize("name", shipped_missions())
def test_shipped_missions_have_unique_ids(name: str) -> None:
    dictionary = build_dictionary(load_mission(name))
    check_unique(dictionary)
    assert len({a.apid for a in dictionary.apps}) == len(dictionary.apps)
    for app in dictionary.apps:
        assert len({c.function_id for c in app.commands}) == len(app.commands)
        assert len({s.sid for s in app.structures}) == len(app.structures)
        assert len({e.eid for e in app.events}) == len(app.events)
        assert len({p.pid for p in app.parameters}) == len(app.parameters)


def test_every_collision_is_reported_at_once() -> None:
    dictionary = build_dictionary(load_mission("open-bench"))
    apps = {app.name: app for app in dictionary.apps}
    core, sample = apps["core"], apps["sample"]
    clash = EventSpec(10, "ALSO_TEN", "INFO", 1)
    broken = replace(
        dictionary,
        apps=(core, replace(sample, apid=core.apid, events=(*sample.events, clash))),
    )
    with pytest.raises(DuplicateIdError) as caught:
        check_unique(broken)
    assert "APID 100 (2x)" in caught.value.problems
    assert "sample: event ID 10 (2x)" in caught.value.problems
