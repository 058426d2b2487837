"""The Markdown documents every command, argument, item, event and parameter, units, ranges."""

from flight.core import load_mission
from flight.dictionary import build_dictionary, to_markdown


def test_documents_everything() -> None:
    dictionary = build_dictionary(load_mission("open-bench"))
    text = to_markdown(dictionary)
    for app in dictionary.apps:
        assert f"## App `{app.name}` (APID {app.apid})" in text
        for command in app.commands:
            assert f"`{app.name}.{command.name}` — function ID {command.function_id}" in text
        for structure in app.structures:
            for item in structure.fields:
                assert f"| `{item.name}` | {item.type_name} |" in text
        for event in app.events:
            assert (
                f"| {event.eid} | `{event.name}` | {event.severity} | 5,{event.subtype} |" in text
            )
    assert "| `gain` | uint8 | 1..16 |" in text
    assert "| `seconds` | uint8 | 1..30 | s |" in text
    assert "| 1 | `threshold` | uint16 | 1..1000 | — | 900 |" in text
    assert "UNAUTHENTICATED" in text
