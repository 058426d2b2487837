"""The ground client's error tree, rooted at `GroundError`.

GroundError                anything the ground client refuses or cannot do
├── CommandError           a command cannot be encoded: unknown name, missing, extra or
│                          out-of-range argument (raised before anything is sent)
├── GroundLinkError        the link cannot be opened, or a send or receive failed
├── ReplyTimeoutError      the flight did not answer in time (`waited`, `what`)
├── VerificationFailedError   a PUS 1 failure report came back (`code`, `stage`)
├── CaptureError           a capture file is neither a raw stream, pcap nor pcapng
└── ArchiveError           the SQLite archive cannot be opened, queried or plotted
"""

from flight.core.errors import FailureCode

__all__ = [
    "ArchiveError",
    "CaptureError",
    "CommandError",
    "GroundError",
    "GroundLinkError",
    "ReplyTimeoutError",
    "VerificationFailedError",
]


class GroundError(Exception):
    """Root of the ground client's errors."""


class CommandError(GroundError):
    """A command cannot be encoded from the dictionary; nothing was sent."""


class GroundLinkError(GroundError):
    """The link cannot be opened, or a datagram cannot be sent or received."""


class ReplyTimeoutError(GroundError):
    """The flight did not answer in time.

    Attributes:
        what: what was awaited, e.g. ``"completion of sample.SET_GAIN"``.
        waited: seconds waited.
    """

    def __init__(self, what: str, waited: float) -> None:
        super().__init__(f"no {what} within {waited:g} s")
        self.what = what
        self.waited = waited


class VerificationFailedError(GroundError):
    """The flight reported a verification failure (1,2 acceptance, 1,4 start, 1,8 completion).

    Attributes:
        code: the failure code (an int when the flight sent one this ground does not know).
        stage: ``"acceptance"``, ``"start"``, ``"progress"`` or ``"completion"``.
        data: the failure data after the code.
    """

    def __init__(self, code: FailureCode | int, stage: str, data: bytes = b"") -> None:
        name = code.name if isinstance(code, FailureCode) else f"code {code}"
        extra = f" (data {data.hex()})" if data else ""
        super().__init__(f"{stage} failed: {name}{extra}")
        self.code = code
        self.stage = stage
        self.data = data


class CaptureError(GroundError):
    """A capture file is neither a raw packet stream, a pcap nor a pcapng file we can read."""


class ArchiveError(GroundError):
    """The SQLite archive cannot be opened, queried, exported or plotted."""
