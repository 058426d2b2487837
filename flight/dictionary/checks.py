"""Uniqueness rules the ground relies on, checked over the whole dictionary.

APIDs and app names are unique in the mission; within an app, function IDs, structure IDs,
event IDs, parameter IDs and the names the ground types (commands, parameters) are unique;
within a command or structure, field names are unique. A duplicate would make the ground
encode or decode the wrong thing, so every one is reported at once.
"""

from collections import Counter
from collections.abc import Iterable

from flight.dictionary.errors import DuplicateIdError
from flight.dictionary.model import MissionDictionary, normalize_name

__all__ = ["check_unique", "duplicates"]


def duplicates(what: str, keys: Iterable[object]) -> list[str]:
    """One line per key that occurs more than once, e.g. ``sample: event ID 12 (2x)``."""
    counts = Counter(keys)
    return [f"{what} {key} ({n}x)" for key, n in counts.items() if n > 1]


def check_unique(dictionary: MissionDictionary) -> None:
    """Raise `DuplicateIdError` listing every collision in `dictionary`."""
    apps = dictionary.apps
    problems = duplicates("APID", (a.apid for a in apps))
    problems += duplicates("app name", (a.name for a in apps))
    for app in apps:
        name = app.name
        problems += duplicates(f"{name}: function ID", (c.function_id for c in app.commands))
        problems += duplicates(
            f"{name}: command name", (normalize_name(c.name) for c in app.commands)
        )
        problems += duplicates(f"{name}: structure ID", (s.sid for s in app.structures))
        problems += duplicates(f"{name}: event ID", (e.eid for e in app.events))
        problems += duplicates(f"{name}: parameter ID", (p.pid for p in app.parameters))
        problems += duplicates(
            f"{name}: parameter name", (normalize_name(p.name) for p in app.parameters)
        )
        for command in app.commands:
            problems += duplicates(
                f"{name}.{command.name}: argument", (normalize_name(a.name) for a in command.args)
            )
        for structure in app.structures:
            problems += duplicates(
                f"{name}.{structure.name}: item", (f.name for f in structure.fields)
            )
    if problems:
        raise DuplicateIdError(problems)
