"""The mission dictionary as Markdown: one page documenting everything an operator can use.

For each app: its APID and rate, then tables of its commands (function ID, arguments with
type, range and unit), housekeeping structures (every item with type, range and unit), events
(ID, severity, report subtype, meaning) and parameters (ID, type, range, unit, default).
"""

from flight.dictionary.model import AppSpec, FieldSpec, MissionDictionary

__all__ = ["to_markdown"]


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ") or "—"


def _row(*cells: object) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _range(spec: FieldSpec) -> str:
    if spec.kind == "bool":
        return "false..true"
    low, high = spec.limits()
    if spec.kind == "float" and spec.low is None and spec.high is None:
        return "any finite"
    return f"{low}..{high}"


def _commands(app: AppSpec) -> list[str]:
    lines = ["### Commands (PUS 8,1)", ""]
    if not app.commands:
        return [*lines, "None.", ""]
    for command in app.commands:
        lines += [
            f"#### `{app.name}.{command.name}` — function ID {command.function_id}",
            "",
            command.description or "(no description)",
            "",
        ]
        if not command.args:
            lines += ["No arguments.", ""]
            continue
        lines += [_row("Argument", "Type", "Range", "Unit", "Description")]
        lines += [_row("---", "---", "---", "---", "---")]
        lines += [
            _row(f"`{a.name}`", a.type_name, _range(a), a.unit, a.description) for a in command.args
        ]
        lines.append("")
    return lines


def _telemetry(app: AppSpec) -> list[str]:
    lines = ["### Housekeeping (PUS 3,25)", ""]
    if not app.structures:
        return [*lines, "None.", ""]
    for structure in app.structures:
        state = "enabled" if structure.enabled else "disabled"
        lines += [
            f"#### `{structure.name}` — structure ID {structure.sid}",
            "",
            f"Every {structure.interval_s:g} s by default ({state}); "
            f"{structure.size} octets after the 2-octet structure ID.",
            "",
            _row("Item", "Type", "Range", "Unit", "Description"),
            _row("---", "---", "---", "---", "---"),
        ]
        lines += [
            _row(f"`{f.name}`", f.type_name, _range(f), f.unit, f.description)
            for f in structure.fields
        ]
        lines.append("")
    return lines


def _events(app: AppSpec) -> list[str]:
    lines = ["### Events (PUS 5)", "", _row("ID", "Name", "Severity", "Report", "Description")]
    lines += [_row("---", "---", "---", "---", "---")]
    lines += [
        _row(e.eid, f"`{e.name}`", e.severity, f"5,{e.subtype}", e.description) for e in app.events
    ]
    return [*lines, ""]


def _parameters(app: AppSpec) -> list[str]:
    lines = ["### Parameters (PUS 20)", ""]
    if not app.parameters:
        return [*lines, "None.", ""]
    lines += [_row("ID", "Name", "Type", "Range", "Unit", "Default", "Description")]
    lines += [_row("---", "---", "---", "---", "---", "---", "---")]
    lines += [
        _row(
            p.pid,
            f"`{p.name}`",
            p.value.type_name,
            _range(p.value),
            p.value.unit,
            p.default,
            p.value.description,
        )
        for p in app.parameters
    ]
    return [*lines, ""]


def to_markdown(dictionary: MissionDictionary) -> str:
    """The dictionary as a Markdown document."""
    auth = "authenticated" if dictionary.authentication else "UNAUTHENTICATED (bench only)"
    lines = [
        f"# Mission dictionary: {dictionary.mission}",
        "",
        dictionary.description,
        "",
        f"- Telecommands: PUS-C over CCSDS space packets, {auth}.",
        f"- Links: {', '.join(f'`{url}`' for url in dictionary.links) or 'none'}.",
        f"- Telemetry time: {dictionary.time_format}.",
        "",
        _row("App", "Kind", "APID", "Rate (Hz)", "Description"),
        _row("---", "---", "---", "---", "---"),
    ]
    lines += [
        _row(f"`{a.name}`", a.kind, a.apid, a.rate_hz, a.description) for a in dictionary.apps
    ]
    lines.append("")
    for app in dictionary.apps:
        lines += [f"## App `{app.name}` (APID {app.apid})", "", app.description, ""]
        lines += _commands(app) + _telemetry(app) + _events(app) + _parameters(app)
    return "\n".join(lines).rstrip() + "\n"
