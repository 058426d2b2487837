"""PUS service 1, request verification: acceptance, start, progress and completion reports.

Success reports go out only when the telecommand's acknowledgement flags ask for them;
failure reports always go out and carry a 16-bit `FailureCode` naming the reason, then
optional failure data. The request ID is the telecommand's first four octets (packet ID and
sequence control), as PUS-C defines it.
"""

from flight.core.errors import FailureCode
from flight.services.downlink import Downlink

__all__ = [
    "ACK_ACCEPTANCE",
    "ACK_COMPLETION",
    "ACK_PROGRESS",
    "ACK_START",
    "ERROR_CODE_OCTETS",
    "STEP_ID_OCTETS",
    "Verifier",
    "request_id",
]

SERVICE = 1
# Acknowledgement flags: ECSS numbers the field's bits from the most significant, so its
# "bit 3" (acceptance) is the least significant one, as FSFW and tmtccmd use it.
ACK_ACCEPTANCE = 0b0001
ACK_START = 0b0010
ACK_PROGRESS = 0b0100
ACK_COMPLETION = 0b1000
ERROR_CODE_OCTETS = 2
STEP_ID_OCTETS = 1


def request_id(packet: bytes) -> bytes:
    """The request ID of a telecommand: its packet ID and sequence control (4 octets)."""
    return packet[:4]


class Verifier:
    """Sends service 1 reports for telecommands on behalf of the app they address.

    Args:
        downlink: where reports go.
    """

    def __init__(self, downlink: Downlink) -> None:
        self._downlink = downlink
        self.failures_reported = 0

    def _success(self, subtype: int, apid: int, req: bytes, extra: bytes = b"") -> None:
        self._downlink.send(apid, SERVICE, subtype, req + extra)

    def _failure(
        self, subtype: int, apid: int, req: bytes, code: FailureCode, data: bytes, *, step: bytes
    ) -> None:
        self.failures_reported += 1
        notice = step + int(code).to_bytes(ERROR_CODE_OCTETS, "big") + data
        self._downlink.send(apid, SERVICE, subtype, req + notice)

    def accepted(self, apid: int, req: bytes, ack_flags: int) -> None:
        """1,1 when the flags ask for it."""
        if ack_flags & ACK_ACCEPTANCE:
            self._success(1, apid, req)

    def acceptance_failed(
        self, apid: int, req: bytes, code: FailureCode, data: bytes = b""
    ) -> None:
        """1,2, always."""
        self._failure(2, apid, req, code, data, step=b"")

    def started(self, apid: int, req: bytes, ack_flags: int) -> None:
        """1,3 when the flags ask for it."""
        if ack_flags & ACK_START:
            self._success(3, apid, req)

    def start_failed(self, apid: int, req: bytes, code: FailureCode, data: bytes = b"") -> None:
        """1,4, always."""
        self._failure(4, apid, req, code, data, step=b"")

    def progressed(self, apid: int, req: bytes, ack_flags: int, step: int) -> None:
        """1,5 for execution step `step` when the flags ask for it."""
        if ack_flags & ACK_PROGRESS:
            self._success(5, apid, req, step.to_bytes(STEP_ID_OCTETS, "big"))

    def progress_failed(
        self, apid: int, req: bytes, step: int, code: FailureCode, data: bytes = b""
    ) -> None:
        """1,6 for execution step `step`, always."""
        self._failure(6, apid, req, code, data, step=step.to_bytes(STEP_ID_OCTETS, "big"))

    def completed(self, apid: int, req: bytes, ack_flags: int) -> None:
        """1,7 when the flags ask for it."""
        if ack_flags & ACK_COMPLETION:
            self._success(7, apid, req)

    def completion_failed(
        self, apid: int, req: bytes, code: FailureCode, data: bytes = b""
    ) -> None:
        """1,8, always."""
        self._failure(8, apid, req, code, data, step=b"")
