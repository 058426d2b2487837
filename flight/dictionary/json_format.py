"""The dictionary as JSON, and back: the form third-party tools and the ground read.

The document is the dataclasses' fields, nested, with ``"format": "starling-dictionary"`` and a
``"version"`` on top. `from_json` rebuilds exactly the `MissionDictionary` that `to_json` wrote
(a test holds it to that), so the ground can work from a dictionary file alone.
"""

import json
from dataclasses import asdict
from typing import Any

from flight.dictionary.checks import check_unique
from flight.dictionary.errors import DictionaryError
from flight.dictionary.model import (
    AppSpec,
    CommandSpec,
    EventSpec,
    FieldSpec,
    MissionDictionary,
    ParameterSpec,
    StructureSpec,
)

__all__ = ["FORMAT", "VERSION", "from_json", "to_json"]

FORMAT = "starling-dictionary"
VERSION = 1


def to_json(dictionary: MissionDictionary) -> str:
    """The dictionary as an indented JSON document."""
    document = {"format": FORMAT, "version": VERSION, **asdict(dictionary)}
    return json.dumps(document, indent=2) + "\n"


def _fields(items: list[dict[str, Any]]) -> tuple[FieldSpec, ...]:
    return tuple(FieldSpec(**item) for item in items)


def _app(item: dict[str, Any]) -> AppSpec:
    commands = tuple(CommandSpec(**{**c, "args": _fields(c["args"])}) for c in item["commands"])
    structures = tuple(
        StructureSpec(**{**s, "fields": _fields(s["fields"])}) for s in item["structures"]
    )
    parameters = tuple(
        ParameterSpec(p["pid"], FieldSpec(**p["value"]), p["default"]) for p in item["parameters"]
    )
    return AppSpec(
        **{
            **item,
            "commands": commands,
            "structures": structures,
            "events": tuple(EventSpec(**e) for e in item["events"]),
            "parameters": parameters,
        }
    )


def from_json(text: str) -> MissionDictionary:
    """Read a dictionary written by `to_json`.

    Raises:
        DictionaryError: not JSON, not a Starling dictionary, or inconsistent.
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DictionaryError(f"not JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DictionaryError(f"not a {FORMAT} document")
    if document.get("version") != VERSION:
        raise DictionaryError(f"dictionary version {document.get('version')!r}, need {VERSION}")
    try:
        dictionary = MissionDictionary(
            mission=document["mission"],
            description=document["description"],
            authentication=document["authentication"],
            links=tuple(document["links"]),
            apps=tuple(_app(a) for a in document["apps"]),
            time_format=document["time_format"],
        )
    except (KeyError, TypeError) as exc:
        raise DictionaryError(f"malformed dictionary: {exc!r}") from exc
    check_unique(dictionary)
    return dictionary
