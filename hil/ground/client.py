"""The ground client: sends telecommands, tracks their PUS 1 verification, collects telemetry.

Every telemetry packet it receives, whatever it was waiting for, is decoded with the
dictionary, archived (when an archive is attached) and offered to the `on_tm` listeners, so a
`send` also archives the housekeeping that happened to arrive meanwhile.

    client = GroundClient(dictionary, open_ground_link("udp:127.0.0.1:10015"), archive)
    outcome = client.execute(function_request(dictionary, "sample.SET_GAIN", {"gain": "4"}))
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flight.ccsds import CodecError, PusTc, PusTm
from flight.core import FailureCode
from flight.dictionary import MissionDictionary
from flight.services import request_id
from hil.ground.archive import Archive
from hil.ground.commands import Request
from hil.ground.decode import VERIFICATION_STAGES, Decoded, decode_tm
from hil.ground.errors import ReplyTimeoutError, VerificationFailedError
from hil.ground.link import GroundLink

__all__ = ["ACK_ALL", "GroundClient", "Outcome"]

log = logging.getLogger(__name__)

ACK_ALL = 0b1111  # ask for acceptance, start, progress and completion reports
_SEQ_MASK = 0x3FFF


@dataclass
class Outcome:
    """What came back for one telecommand.

    Attributes:
        packet: the telecommand as sent.
        request: what was asked.
        reports: its service 1 reports, in arrival order.
        replies: other telemetry that arrived while waiting (e.g. 17,2, 20,2), in order.
        elapsed: seconds from send to the final report.
    """

    packet: bytes
    request: Request
    reports: list[Decoded] = field(default_factory=list)
    replies: list[Decoded] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def req_id(self) -> bytes:
        """The request ID the reports carry."""
        return request_id(self.packet)

    def reply(self, service: int, subtype: int) -> Decoded | None:
        """The first reply (service, subtype) from the addressed APID, or None."""
        return next(
            (
                r
                for r in self.replies
                if (r.tm.service, r.tm.subtype) == (service, subtype)
                and r.tm.apid == self.request.apid
            ),
            None,
        )


class GroundClient:
    """Commands one flight over one link with one dictionary.

    Args:
        dictionary: encodes nothing itself; decodes every packet received.
        link: the ground end of the link (its `TcEncoder` applies any security layer).
        archive: where every received packet goes, or None.
        source_id: the PUS source ID telecommands carry.
    """

    def __init__(
        self,
        dictionary: MissionDictionary,
        link: GroundLink,
        archive: Archive | None = None,
        *,
        source_id: int = 0,
    ) -> None:
        self.dictionary = dictionary
        self.link = link
        self.archive = archive
        self.source_id = source_id
        last = archive.last_tc_seq() if archive is not None else None
        self._seq = (last + 1) & _SEQ_MASK if last is not None else int(time.time()) & _SEQ_MASK
        self.listeners: list[Callable[[Decoded], None]] = []
        self.received = 0
        self.undecodable = 0

    def pack(self, request: Request, *, ack_flags: int = ACK_ALL) -> bytes:
        """The telecommand packet for `request`, taking the next sequence count."""
        seq, self._seq = self._seq, (self._seq + 1) & _SEQ_MASK
        return PusTc(
            apid=request.apid,
            service=request.service,
            subtype=request.subtype,
            app_data=request.app_data,
            seq_count=seq,
            source_id=self.source_id,
            ack_flags=ack_flags,
        ).pack()

    def send_packet(self, packet: bytes, label: str) -> None:
        """Send a packed telecommand and record it."""
        self.link.send(packet)
        if self.archive is not None:
            self.archive.add_tc(packet, label)

    def poll(self, deadline: float) -> Decoded | None:
        """Receive, decode and archive one packet; None at `deadline`."""
        while True:
            data = self.link.receive(deadline)
            if data is None:
                return None
            try:
                tm = PusTm.unpack(data)
            except CodecError as exc:
                self.undecodable += 1
                log.warning("dropped %d octets that are no PUS-C TM: %s", len(data), exc)
                continue
            self.received += 1
            decoded = decode_tm(self.dictionary, tm)
            if self.archive is not None:
                self.archive.add_tm(decoded, data)
            for listener in self.listeners:
                listener(decoded)
            return decoded

    def collect(
        self, duration: float, until: Callable[[list[Decoded]], bool] | None = None
    ) -> list[Decoded]:
        """Everything received for `duration` seconds, or until `until(received)` holds."""
        deadline = time.monotonic() + duration
        received: list[Decoded] = []
        while until is None or not until(received):
            decoded = self.poll(deadline)
            if decoded is None:
                break
            received.append(decoded)
        return received

    def execute(
        self,
        request: Request,
        *,
        timeout: float = 5.0,
        reply: tuple[int, int] | None = None,
        ack_flags: int = ACK_ALL,
    ) -> Outcome:
        """Send `request` and wait for its completion report (and `reply`, when given).

        Raises:
            VerificationFailedError: a failure report came back (its code names why).
            ReplyTimeoutError: no completion (or reply) within `timeout` seconds.
        """
        packet = self.pack(request, ack_flags=ack_flags)
        outcome = Outcome(packet, request)
        started = time.monotonic()
        self.send_packet(packet, request.label)
        deadline = started + timeout
        completed = False
        while not (completed and (reply is None or outcome.reply(*reply) is not None)):
            decoded = self.poll(deadline)
            if decoded is None:
                what = "reply" if completed else "completion report"
                raise ReplyTimeoutError(f"{what} for {request.label}", timeout)
            if decoded.kind != "verification":
                outcome.replies.append(decoded)
                continue
            if bytes.fromhex(str(decoded.values["request_id"])) != outcome.req_id:
                continue
            outcome.reports.append(decoded)
            stage, ok = VERIFICATION_STAGES.get(decoded.tm.subtype, ("unknown", False))
            if not ok:
                code = int(decoded.values.get("code", 0))
                known = code in FailureCode._value2member_map_
                raise VerificationFailedError(
                    FailureCode(code) if known else code,
                    stage,
                    bytes.fromhex(str(decoded.values.get("data", ""))),
                )
            completed = completed or stage == "completion"
        outcome.elapsed = time.monotonic() - started
        return outcome
