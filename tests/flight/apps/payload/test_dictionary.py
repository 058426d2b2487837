"""The payload and health apps' declarations go into the mission dictionary, JSON and XTCE."""

import xml.etree.ElementTree as ET
from pathlib import Path

from flight.apps.health import HealthApp
from flight.apps.payload import PayloadApp
from flight.apps.registry import REGISTRY
from flight.core import load_mission
from flight.dictionary import build_dictionary, from_json, to_json, to_xtce
from tests.flight.apps.payload.rig import HEALTH, MISSION, PAYLOAD


def test_declarations_export_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "mission.toml"
    path.write_text(MISSION.format(data_dir=tmp_path), encoding="utf-8")
    registry = {**REGISTRY, "payload": PayloadApp, "health": HealthApp}
    dictionary = build_dictionary(load_mission(str(path)), registry)
    apps = {app.apid: app for app in dictionary.apps}
    assert {e.eid for e in apps[PAYLOAD].events} >= set(range(10, 21))
    assert len(apps[PAYLOAD].commands) == 9
    assert len(apps[HEALTH].parameters) == 5
    assert from_json(to_json(dictionary)) == dictionary
    root = ET.fromstring(to_xtce(dictionary))
    names = {element.get("name") for element in root.iter()}
    assert any(name and "rail_current_a" in name for name in names)
