"""The ground client: link, command encoding from the dictionary, TM decoding, archive.

`open_session(mission)` gives a `GroundClient` that encodes telecommands from the mission
dictionary (`hil.ground.commands`), sends them through a `TcEncoder` (the seam where the
security layer plugs in), waits for their PUS 1 verification, decodes every telemetry packet
(`decode_tm`) and archives it in SQLite (`Archive`). `read_capture` reads raw streams and
pcap/pcapng captures; `plot_series` draws a housekeeping item over time.
"""

from hil.ground.archive import Archive, ArchivedTm, Selection, default_archive_path
from hil.ground.capture import CapturedPacket, read_capture, sniff_format
from hil.ground.client import ACK_ALL, GroundClient, Outcome
from hil.ground.commands import (
    Request,
    function_request,
    hk_report_request,
    params_get_request,
    params_set_request,
    parse_assignments,
    ping_request,
    resolve_app,
    schedule_delete_request,
    schedule_insert_request,
    schedule_report_request,
    time_report_request,
    time_set_request,
    unix_to_cuc,
)
from hil.ground.decode import VERIFICATION_STAGES, Decoded, decode_tm, describe, failure_name
from hil.ground.errors import (
    ArchiveError,
    CaptureError,
    CommandError,
    GroundError,
    GroundLinkError,
    ReplyTimeoutError,
    VerificationFailedError,
)
from hil.ground.framed import (
    FopCounters,
    FramedGroundLink,
    FrameLine,
    SerialFrameLine,
    UdpFrameLine,
)
from hil.ground.link import (
    GroundLink,
    OpenedGroundLink,
    PlainTcEncoder,
    TcEncoder,
    UdpGroundLink,
    open_ground_link,
)
from hil.ground.plot import plot_series
from hil.ground.session import (
    EncoderFactory,
    Session,
    load_dictionary,
    open_session,
    parse_time,
)
from hil.ground.watch import WatchView

__all__ = [
    "ACK_ALL",
    "VERIFICATION_STAGES",
    "Archive",
    "ArchiveError",
    "ArchivedTm",
    "CaptureError",
    "CapturedPacket",
    "CommandError",
    "Decoded",
    "EncoderFactory",
    "FopCounters",
    "FrameLine",
    "FramedGroundLink",
    "GroundClient",
    "GroundError",
    "GroundLink",
    "GroundLinkError",
    "OpenedGroundLink",
    "Outcome",
    "PlainTcEncoder",
    "ReplyTimeoutError",
    "Request",
    "Selection",
    "SerialFrameLine",
    "Session",
    "TcEncoder",
    "UdpFrameLine",
    "UdpGroundLink",
    "VerificationFailedError",
    "WatchView",
    "decode_tm",
    "default_archive_path",
    "describe",
    "failure_name",
    "function_request",
    "hk_report_request",
    "load_dictionary",
    "open_ground_link",
    "open_session",
    "params_get_request",
    "params_set_request",
    "parse_assignments",
    "parse_time",
    "ping_request",
    "plot_series",
    "read_capture",
    "resolve_app",
    "schedule_delete_request",
    "schedule_insert_request",
    "schedule_report_request",
    "sniff_format",
    "time_report_request",
    "time_set_request",
    "unix_to_cuc",
]
