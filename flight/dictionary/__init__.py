"""The mission dictionary: every app's declarations, collected once; JSON, XTCE and Markdown.

`build_dictionary(mission)` reads the declarations of every app the mission runs (commands,
housekeeping, events, parameters) into a `MissionDictionary` of plain values and checks that
every ID the ground relies on is unique. `to_json`/`from_json`, `to_xtce` and `to_markdown`
write it out; the ground encodes commands and decodes telemetry from it.
"""

from flight.dictionary.checks import check_unique, duplicates
from flight.dictionary.collect import build_dictionary, field_spec
from flight.dictionary.errors import DictionaryError, DuplicateIdError
from flight.dictionary.json_format import FORMAT, VERSION, from_json, to_json
from flight.dictionary.markdown import to_markdown
from flight.dictionary.model import (
    KINDS,
    AppSpec,
    CommandSpec,
    EventSpec,
    FieldSpec,
    MissionDictionary,
    ParameterSpec,
    StructureSpec,
    normalize_name,
)
from flight.dictionary.xtce import ROOT_CONTAINER, hk_parameter_name, to_xtce

__all__ = [
    "FORMAT",
    "KINDS",
    "ROOT_CONTAINER",
    "VERSION",
    "AppSpec",
    "CommandSpec",
    "DictionaryError",
    "DuplicateIdError",
    "EventSpec",
    "FieldSpec",
    "MissionDictionary",
    "ParameterSpec",
    "StructureSpec",
    "build_dictionary",
    "check_unique",
    "duplicates",
    "field_spec",
    "from_json",
    "hk_parameter_name",
    "normalize_name",
    "to_json",
    "to_markdown",
    "to_xtce",
]
