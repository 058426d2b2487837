"""Packets made readable with the mission dictionary: telemetry decoded, telecommands named.

`decode_tm` turns a telemetry packet into a `Decoded` record (housekeeping values, event
names, verification outcomes with failure code names, parameter values, time and schedule
reports); `describe` gives one line for any packet, telecommands included. Neither raises on
bad input: a packet that does not decode says why in its line.
"""

from dataclasses import dataclass, field

from flight.ccsds import CodecError, CucTime, PacketType, PusTc, PusTm, SpacePacketHeader
from flight.core import CCSDS_EPOCH_OFFSET, FailureCode
from flight.dictionary import AppSpec, DictionaryError, MissionDictionary

__all__ = ["VERIFICATION_STAGES", "Decoded", "decode_tm", "describe", "failure_name"]

Item = int | float | bool | str

VERIFICATION_STAGES = {
    1: ("acceptance", True),
    2: ("acceptance", False),
    3: ("start", True),
    4: ("start", False),
    5: ("progress", True),
    6: ("progress", False),
    7: ("completion", True),
    8: ("completion", False),
}


def failure_name(code: int) -> str:
    """The `FailureCode` name of `code`, or ``code N`` when this ground does not know it."""
    try:
        return FailureCode(code).name
    except ValueError:
        return f"code {code}"


@dataclass(frozen=True)
class Decoded:
    """A decoded telemetry packet.

    Attributes:
        tm: the packet.
        app: the app that sent it (by APID), or ``apid N``.
        kind: ``housekeeping``, ``event``, ``verification``, ``pong``, ``parameters``,
            ``time``, ``schedule``, ``other`` or ``undecodable``.
        name: the structure, event or report name.
        values: decoded items by name.
        text: one readable line.
    """

    tm: PusTm
    app: str
    kind: str
    name: str
    values: dict[str, Item] = field(default_factory=dict)
    text: str = ""

    @property
    def unix_time(self) -> float:
        """The packet's time stamp as Unix seconds."""
        return self.tm.time.seconds - CCSDS_EPOCH_OFFSET


def _verification(tm: PusTm) -> tuple[str, str, dict[str, Item]]:
    stage, ok = VERIFICATION_STAGES.get(tm.subtype, ("unknown", False))
    data = tm.source_data
    values: dict[str, Item] = {"request_id": data[:4].hex(), "stage": stage, "ok": ok}
    rest = data[4:]
    if tm.subtype in {5, 6} and rest:
        values["step"], rest = rest[0], rest[1:]
    if not ok and len(rest) >= 2:
        code = int.from_bytes(rest[:2], "big")
        values["code"] = code
        values["failure"] = failure_name(code)
        values["data"] = rest[2:].hex()
    outcome = "ok" if ok else f"FAILED {values.get('failure', '?')}"
    return f"{stage} {outcome}", f"request {values['request_id']}", values


def _housekeeping(app: AppSpec, data: bytes) -> tuple[str, dict[str, Item]]:
    sid = int.from_bytes(data[:2], "big")
    structure = app.structure(sid)
    if structure is None or len(data) < 2:
        raise DictionaryError(f"{app.name} has no structure {sid}")
    return structure.name, dict(structure.unpack(data[2:]))


def _event(app: AppSpec, tm: PusTm) -> tuple[str, dict[str, Item]]:
    eid = int.from_bytes(tm.source_data[:2], "big")
    event = app.event(eid)
    name = event.name if event else f"event {eid}"
    severity = event.severity if event else f"severity {tm.subtype}"
    return name, {"eid": eid, "severity": severity, "aux": tm.source_data[2:].hex()}


def _parameters(app: AppSpec, data: bytes) -> dict[str, Item]:
    values: dict[str, Item] = {}
    offset = 1
    for _ in range(data[0] if data else 0):
        pid = int.from_bytes(data[offset : offset + 2], "big")
        spec = app.parameter(pid)
        if spec is None:
            raise DictionaryError(f"{app.name} has no parameter {pid}")
        offset += 2
        values[spec.name] = spec.value.decode(data[offset : offset + spec.value.size])
        offset += spec.value.size
    return values


def _schedule(tm: PusTm) -> dict[str, Item]:
    data = tm.source_data
    values: dict[str, Item] = {"count": int.from_bytes(data[:2], "big")}
    offset = 2
    for index in range(int(values["count"])):
        release = CucTime.unpack(data[offset : offset + 6]).seconds - CCSDS_EPOCH_OFFSET
        offset += 6
        if tm.subtype == 10:
            length = 7 + int.from_bytes(data[offset + 4 : offset + 6], "big")
            packet = data[offset : offset + length]
            offset += length
            req = packet[:4]
        else:
            req, offset = data[offset : offset + 4], offset + 4
        values[f"{index}.request_id"] = req.hex()
        values[f"{index}.release"] = release
    return values


def _hk_record(app: AppSpec, tm: PusTm) -> Decoded:
    name, values = _housekeeping(app, tm.source_data)
    text = " ".join(f"{k}={v}" for k, v in values.items())
    return Decoded(tm, app.name, "housekeeping", name, values, f"{name} {text}")


def _event_record(app: AppSpec, tm: PusTm) -> Decoded:
    name, values = _event(app, tm)
    aux = f" aux={values['aux']}" if values["aux"] else ""
    return Decoded(tm, app.name, "event", name, values, f"{values['severity']} {name}{aux}")


def _parameter_record(app: AppSpec, tm: PusTm) -> Decoded:
    values = dict(_parameters(app, tm.source_data))
    text = " ".join(f"{k}={v}" for k, v in values.items())
    return Decoded(tm, app.name, "parameters", "PARAMETERS", values, f"parameters {text}")


def _pong_record(app: AppSpec, tm: PusTm) -> Decoded:
    return Decoded(tm, app.name, "pong", "PONG", {}, "pong (17,2)")


def _time_record(app: AppSpec, tm: PusTm) -> Decoded:
    stamp = CucTime.unpack(tm.source_data[1:], pfield=True).seconds
    values: dict[str, Item] = {"rate": tm.source_data[0], "time": stamp - CCSDS_EPOCH_OFFSET}
    return Decoded(tm, app.name, "time", "TIME", values, f"mission time {values['time']}")


def _schedule_record(app: AppSpec, tm: PusTm) -> Decoded:
    values = _schedule(tm)
    text = f"schedule: {values['count']} activities"
    return Decoded(tm, app.name, "schedule", "SCHEDULE", values, text)


_BY_TYPE = {
    (3, 25): _hk_record,
    (17, 2): _pong_record,
    (20, 2): _parameter_record,
    (9, 2): _time_record,
    (11, 10): _schedule_record,
    (11, 13): _schedule_record,
    **{(5, severity): _event_record for severity in (1, 2, 3, 4)},
}


def decode_tm(dictionary: MissionDictionary, tm: PusTm) -> Decoded:
    """Decode `tm` with the dictionary (never raises; see `Decoded.kind`)."""
    app = dictionary.app_by_apid(tm.apid)
    app_name = app.name if app else f"apid {tm.apid}"
    decoder = _BY_TYPE.get((tm.service, tm.subtype))
    try:
        if tm.service == 1:
            name, detail, values = _verification(tm)
            return Decoded(tm, app_name, "verification", name, values, f"{name} ({detail})")
        if app is not None and decoder is not None:
            return decoder(app, tm)
    except (CodecError, DictionaryError, IndexError, ValueError) as exc:
        text = f"{tm.service},{tm.subtype} does not decode: {exc}"
        return Decoded(tm, app_name, "undecodable", "", {}, text)
    text = f"{tm.service},{tm.subtype} {len(tm.source_data)} octets {tm.source_data[:16].hex()}"
    return Decoded(tm, app_name, "other", f"{tm.service},{tm.subtype}", {}, text)


def _describe_tc(dictionary: MissionDictionary, tc: PusTc) -> str:
    app = dictionary.app_by_apid(tc.apid)
    where = app.name if app else f"apid {tc.apid}"
    what = f"{tc.service},{tc.subtype}"
    if app is not None and (tc.service, tc.subtype) == (8, 1) and len(tc.app_data) >= 2:
        code = int.from_bytes(tc.app_data[:2], "big")
        command = next((c for c in app.commands if c.function_id == code), None)
        if command is not None:
            what = f"{app.name}.{command.name}"
            offset = 2
            parts = []
            for spec in command.args:
                chunk = tc.app_data[offset : offset + spec.size]
                offset += spec.size
                value = spec.decode(chunk) if len(chunk) == spec.size else "?"
                parts.append(f"{spec.name}={value}")
            what += (" " + " ".join(parts)) if parts else ""
    return f"TC {where} seq={tc.seq_count} {what} data={tc.app_data.hex()}"


def describe(dictionary: MissionDictionary, packet: bytes) -> str:
    """One readable line for a telecommand or telemetry packet (never raises)."""
    try:
        header = SpacePacketHeader.unpack(packet[:6])
        if header.packet_type == PacketType.TC:
            return _describe_tc(dictionary, PusTc.unpack(packet))
        tm = PusTm.unpack(packet)
    except (CodecError, ValueError) as exc:
        return f"not a PUS-C packet ({len(packet)} octets): {exc}"
    decoded = decode_tm(dictionary, tm)
    return (
        f"TM {decoded.app} seq={tm.seq_count} {tm.service},{tm.subtype} "
        f"t={decoded.unix_time:.3f} {decoded.text}"
    )
