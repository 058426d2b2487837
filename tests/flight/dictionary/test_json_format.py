"""The JSON dictionary round-trips exactly and refuses what is not one."""

import json

import pytest

from flight.core import load_mission
from flight.dictionary import DictionaryError, build_dictionary, from_json, to_json


def test_round_trip_is_exact() -> None:
    dictionary = build_dictionary(load_mission("demo"))
    text = to_json(dictionary)
    assert from_json(text) == dictionary
    document = json.loads(text)
    assert document["format"] == "starling-dictionary"
    sample = next(a for a in document["apps"] if a["name"] == "sample")
    set_gain = next(c for c in sample["commands"] if c["name"] == "SET_GAIN")
    assert set_gain["args"][0] == {
        "name": "gain",
        "kind": "uint",
        "bits": 8,
        "low": 1,
        "high": 16,
        "unit": "",
        "description": "sensor gain, 1..16",
    }


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{", "not JSON"),
        ('{"format": "other"}', "not a starling-dictionary"),
        ('{"format": "starling-dictionary", "version": 99}', "version 99"),
        ('{"format": "starling-dictionary", "version": 1}', "malformed"),
    ],
)
def test_refuses_what_is_not_a_dictionary(text: str, reason: str) -> None:
    with pytest.raises(DictionaryError, match=reason):
        from_json(text)
