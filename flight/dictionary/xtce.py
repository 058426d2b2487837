"""The mission dictionary as XTCE 1.2 (OMG, namespace ``http://www.omg.org/spec/XTCE/20180204``).

One `SpaceSystem` named after the mission. Telemetry: an abstract-free root container
``CCSDSPacket`` (the primary header), ``PUS_TM`` under it (the PUS-C TM secondary header with
the CUC 4+2 time, restricted to TM packets with a secondary header), and under that, selected
by restriction criteria on APID, service, subtype and structure ID:

- ``<app>_HK`` (APID, 3,25) holding the structure ID, then one container per structure
  (``<app>_<STRUCT>``, restricted on the structure ID) holding its items and the packet
  error control;
- ``<app>_EVENT`` (APID, service 5) holding the event ID, enumerated with the event names;
- ``VERIFICATION_SUCCESS_<n>`` / ``VERIFICATION_FAILURE_<n>`` (service 1) holding the request
  ID and, for failures, the failure code enumerated with `FailureCode`'s names;
- ``<app>_PONG`` (17,2).

Commands: an abstract ``PUS_TC`` meta-command lays out the primary and PUS-C TC secondary
headers; ``PUS_FUNCTION`` (8,1) adds the function ID; every app command is a meta-command
under it with its APID and function ID assigned and its arguments typed, with units and valid
ranges; every app gets ``<app>_PING`` (17,1) and one ``<app>_SET_<PARAMETER>`` (20,3 with one
value) per parameter. The packet length, sequence count and the CRC (packet error control)
are left to the ground system, as XTCE cannot express a CRC over a command.

Parameter names are ``<app>_<STRUCT>_<item>``, unique across the mission.
"""

import datetime
from xml.etree import ElementTree as ET

from flight.core.errors import FailureCode
from flight.dictionary._xtce_types import (
    NS,
    argument_type,
    enumerated_type,
    integer_type,
    parameter_type,
    sub,
    xtce_name,
)
from flight.dictionary.model import AppSpec, MissionDictionary

__all__ = ["ROOT_CONTAINER", "hk_parameter_name", "to_xtce"]

ROOT_CONTAINER = "CCSDSPacket"
_PRIMARY = (
    ("CCSDS_VERSION", 3, "packet version number (0)"),
    ("CCSDS_TYPE", 1, "packet type (0 telemetry, 1 telecommand)"),
    ("CCSDS_SEC_HDR_FLAG", 1, "secondary header flag"),
    ("CCSDS_APID", 11, "application process identifier"),
    ("CCSDS_SEQ_FLAGS", 2, "sequence flags (3: unsegmented)"),
    ("CCSDS_SEQ_COUNT", 14, "packet sequence count"),
    ("CCSDS_LENGTH", 16, "packet data length minus one"),
)
_PUS_TM = (
    ("PUS_VERSION", 4, "PUS version number (2: PUS-C)"),
    ("PUS_TIME_REF", 4, "spacecraft time reference status"),
    ("PUS_SERVICE", 8, "service type"),
    ("PUS_SUBTYPE", 8, "message subtype"),
    ("PUS_MSG_COUNTER", 16, "message type counter"),
    ("PUS_DEST_ID", 16, "destination ID"),
    ("PUS_TIME_COARSE", 32, "CUC coarse time, seconds since 1958-01-01"),
    ("PUS_TIME_FINE", 16, "CUC fine time, 2^-16 s"),
)
_OTHER = (
    ("PUS_PEC", 16, "packet error control (CRC-16/CCITT-FALSE)"),
    ("HK_SID", 16, "housekeeping structure ID"),
    ("VERIFICATION_PACKET_ID", 16, "request ID: packet ID of the telecommand"),
    ("VERIFICATION_SEQ_CONTROL", 16, "request ID: sequence control of the telecommand"),
)
_TC_ARGS = (
    ("CCSDS_APID", 11),
    ("CCSDS_SEQ_COUNT", 14),
    ("CCSDS_LENGTH", 16),
    ("PUS_ACK_FLAGS", 4),
    ("PUS_SERVICE", 8),
    ("PUS_SUBTYPE", 8),
    ("PUS_SOURCE_ID", 16),
    ("FUNCTION_ID", 16),
)


def hk_parameter_name(app: str, structure: str, item: str) -> str:
    """The XTCE parameter name of a housekeeping item."""
    return xtce_name(app, structure, item)


def _container(
    parent: ET.Element,
    name: str,
    entries: list[str],
    *,
    base: str | None = None,
    restrict: dict[str, int] | None = None,
    description: str = "",
) -> None:
    element = sub(parent, "SequenceContainer", name=name)
    if description:
        element.set("shortDescription", description)
    listing = sub(element, "EntryList")
    for entry in entries:
        sub(listing, "ParameterRefEntry", parameterRef=entry)
    if base is not None:
        base_element = sub(element, "BaseContainer", containerRef=base)
        if restrict:
            criteria = sub(sub(base_element, "RestrictionCriteria"), "ComparisonList")
            for ref, value in restrict.items():
                sub(criteria, "Comparison", parameterRef=ref, value=str(value))


def _parameter(params: ET.Element, name: str, type_name: str, description: str = "") -> None:
    element = sub(params, "Parameter", name=name, parameterTypeRef=type_name)
    if description:
        element.set("shortDescription", description)


def _telemetry(root: ET.Element, dictionary: MissionDictionary) -> None:
    tm = sub(root, "TelemetryMetaData")
    types, params, containers = (
        sub(tm, "ParameterTypeSet"),
        sub(tm, "ParameterSet"),
        sub(tm, "ContainerSet"),
    )

    for name, bits, description in (*_PRIMARY, *_PUS_TM, *_OTHER):
        integer_type(types, f"{name}_T", bits, description=description)
        _parameter(params, name, f"{name}_T", description)
    codes = {int(code): code.name for code in FailureCode}
    enumerated_type(types, "FAILURE_CODE_T", 16, codes, "why a telecommand failed")
    _parameter(params, "VERIFICATION_FAILURE_CODE", "FAILURE_CODE_T", "why the telecommand failed")

    _container(containers, ROOT_CONTAINER, [n for n, _, _ in _PRIMARY], description="primary")
    _container(
        containers,
        "PUS_TM",
        [n for n, _, _ in _PUS_TM],
        base=ROOT_CONTAINER,
        restrict={"CCSDS_TYPE": 0, "CCSDS_SEC_HDR_FLAG": 1},
        description="PUS-C telemetry secondary header",
    )
    request = ["VERIFICATION_PACKET_ID", "VERIFICATION_SEQ_CONTROL"]
    for subtype in (1, 3, 7):
        _container(
            containers,
            f"VERIFICATION_SUCCESS_{subtype}",
            [*request, "PUS_PEC"],
            base="PUS_TM",
            restrict={"PUS_SERVICE": 1, "PUS_SUBTYPE": subtype},
        )
    for subtype in (2, 4, 8):
        _container(
            containers,
            f"VERIFICATION_FAILURE_{subtype}",
            [*request, "VERIFICATION_FAILURE_CODE"],
            base="PUS_TM",
            restrict={"PUS_SERVICE": 1, "PUS_SUBTYPE": subtype},
            description="failure data and packet error control follow",
        )
    for app in dictionary.apps:
        _app_telemetry(app, types, params, containers)


def _app_telemetry(
    app: AppSpec,
    types: ET.Element,
    params: ET.Element,
    containers: ET.Element,
) -> None:
    event_type = xtce_name(app.name, "EVENT_ID_T")
    enumerated_type(types, event_type, 16, {e.eid: e.name for e in app.events}, "event IDs")
    event_id = xtce_name(app.name, "EVENT_ID")
    _parameter(params, event_id, event_type, f"event ID of {app.name}")
    _container(
        containers,
        xtce_name(app.name, "EVENT"),
        [event_id],
        base="PUS_TM",
        restrict={"CCSDS_APID": app.apid, "PUS_SERVICE": 5},
        description="auxiliary data and packet error control follow",
    )
    _container(
        containers,
        xtce_name(app.name, "PONG"),
        ["PUS_PEC"],
        base="PUS_TM",
        restrict={"CCSDS_APID": app.apid, "PUS_SERVICE": 17, "PUS_SUBTYPE": 2},
    )
    if not app.structures:
        return
    hk_base = xtce_name(app.name, "HK")
    _container(
        containers,
        hk_base,
        ["HK_SID"],
        base="PUS_TM",
        restrict={"CCSDS_APID": app.apid, "PUS_SERVICE": 3, "PUS_SUBTYPE": 25},
    )
    for structure in app.structures:
        names = []
        for spec in structure.fields:
            name = hk_parameter_name(app.name, structure.name, spec.name)
            parameter_type(types, f"{name}_T", spec)
            _parameter(params, name, f"{name}_T", spec.description)
            names.append(name)
        _container(
            containers,
            xtce_name(app.name, structure.name),
            [*names, "PUS_PEC"],
            base=hk_base,
            restrict={"HK_SID": structure.sid},
            description=f"structure {structure.sid}, every {structure.interval_s:g} s",
        )


def _meta_command(
    parent: ET.Element,
    name: str,
    *,
    base: str | None = None,
    assign: dict[str, int] | None = None,
    args: list[tuple[str, str]] | None = None,
    entries: list[tuple[str, str, int]] | None = None,
    abstract: bool = False,
    description: str = "",
) -> None:
    """One MetaCommand; `entries` are (``"arg"``, name, 0) or (``"fixed"``, value hex, bits)."""
    element = sub(parent, "MetaCommand", name=name)
    if abstract:
        element.set("abstract", "true")
    if description:
        element.set("shortDescription", description)
    if base is not None:
        base_element = sub(element, "BaseMetaCommand", metaCommandRef=base)
        if assign:
            listing = sub(base_element, "ArgumentAssignmentList")
            for arg, value in assign.items():
                sub(listing, "ArgumentAssignment", argumentName=arg, argumentValue=str(value))
    if args:
        listing = sub(element, "ArgumentList")
        for arg_name, type_name in args:
            sub(listing, "Argument", name=arg_name, argumentTypeRef=type_name)
    container = sub(element, "CommandContainer", name=name)
    entry_list = sub(container, "EntryList")
    for kind, text, bits in entries or []:
        if kind == "arg":
            sub(entry_list, "ArgumentRefEntry", argumentRef=text)
        else:
            sub(entry_list, "FixedValueEntry", binaryValue=text, sizeInBits=str(bits))
    if base is not None:
        sub(container, "BaseContainer", containerRef=base)


def _commands(root: ET.Element, dictionary: MissionDictionary) -> None:
    cmd = sub(root, "CommandMetaData")
    types, commands = sub(cmd, "ArgumentTypeSet"), sub(cmd, "MetaCommandSet")
    for name, bits in _TC_ARGS:
        sub(
            types, "IntegerArgumentType", name=f"{name}_AT", signed="false", sizeInBits=str(bits)
        ).append(ET.Element(f"{{{NS}}}IntegerDataEncoding", sizeInBits=str(bits)))
    header = [
        ("fixed", "00", 3),  # version 0
        ("fixed", "01", 1),  # telecommand
        ("fixed", "01", 1),  # secondary header present
        ("arg", "CCSDS_APID", 0),
        ("fixed", "03", 2),  # unsegmented
        ("arg", "CCSDS_SEQ_COUNT", 0),
        ("arg", "CCSDS_LENGTH", 0),
        ("fixed", "02", 4),  # PUS-C
        ("arg", "PUS_ACK_FLAGS", 0),
        ("arg", "PUS_SERVICE", 0),
        ("arg", "PUS_SUBTYPE", 0),
        ("arg", "PUS_SOURCE_ID", 0),
    ]
    tc_args = [(n, f"{n}_AT") for n, _ in _TC_ARGS if n != "FUNCTION_ID"]
    _meta_command(
        commands,
        "PUS_TC",
        args=tc_args,
        entries=header,
        abstract=True,
        description="CCSDS primary and PUS-C TC secondary header; the CRC-16 PEC ends it",
    )
    _meta_command(
        commands,
        "PUS_FUNCTION",
        base="PUS_TC",
        assign={"PUS_SERVICE": 8, "PUS_SUBTYPE": 1},
        args=[("FUNCTION_ID", "FUNCTION_ID_AT")],
        entries=[("arg", "FUNCTION_ID", 0)],
        abstract=True,
        description="PUS 8,1 perform a function",
    )
    for app in dictionary.apps:
        _meta_command(
            commands,
            xtce_name(app.name, "PING"),
            base="PUS_TC",
            assign={"CCSDS_APID": app.apid, "PUS_SERVICE": 17, "PUS_SUBTYPE": 1},
            description="PUS 17,1 are-you-alive",
        )
        for command in app.commands:
            name = xtce_name(app.name, command.name)
            args = []
            for spec in command.args:
                type_name = xtce_name(name, spec.name, "AT")
                argument_type(types, type_name, spec)
                args.append((spec.name, type_name))
            _meta_command(
                commands,
                name,
                base="PUS_FUNCTION",
                assign={"CCSDS_APID": app.apid, "FUNCTION_ID": command.function_id},
                args=args,
                entries=[("arg", a, 0) for a, _ in args],
                description=command.description,
            )
        for param in app.parameters:
            name = xtce_name(app.name, "SET", param.name.upper())
            type_name = xtce_name(name, "AT")
            argument_type(types, type_name, param.value)
            _meta_command(
                commands,
                name,
                base="PUS_TC",
                assign={"CCSDS_APID": app.apid, "PUS_SERVICE": 20, "PUS_SUBTYPE": 3},
                args=[("value", type_name)],
                entries=[
                    ("fixed", "01", 8),
                    ("fixed", f"{param.pid:04x}", 16),
                    ("arg", "value", 0),
                ],
                description=f"PUS 20,3 set {param.name} (ID {param.pid})",
            )


def to_xtce(dictionary: MissionDictionary) -> str:
    """The dictionary as an XTCE 1.2 document (UTF-8 XML text)."""
    ET.register_namespace("xtce", NS)
    root = ET.Element(f"{{{NS}}}SpaceSystem", name=xtce_name(dictionary.mission))
    if dictionary.description:
        root.set("shortDescription", dictionary.description)
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    sub(root, "Header", validationStatus="Working", version="1", date=today)
    _telemetry(root, dictionary)
    _commands(root, dictionary)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
