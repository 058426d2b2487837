"""The flight framework's error tree, rooted at `FlightError`, and the failure codes.

    FlightError                anything the flight framework refuses or cannot do
    ├── ConfigError            a mission config is missing, malformed or inconsistent
    ├── DeclarationError       an app's declarations contradict each other (duplicate ID, ...)
    ├── CommandRejectedError        a telecommand is refused; carries the `FailureCode` naming why
    ├── WorkerBusyError             every worker slot is taken; the job was not queued
    ├── LinkError              a link cannot be opened (bad URL, address in use)
    └── PersistenceError       the store cannot save
        └── DurabilityError    a write, fsync or rename failed: the new state is not durable

`FailureCode` is the one list of reasons a PUS verification failure report (1,2 / 1,4 / 1,8)
carries; the numbers are part of the ground interface and never change meaning.
"""

from enum import IntEnum

__all__ = [
    "CommandRejectedError",
    "ConfigError",
    "DeclarationError",
    "DurabilityError",
    "FailureCode",
    "FlightError",
    "LinkError",
    "PersistenceError",
    "WorkerBusyError",
]


class FailureCode(IntEnum):
    """Why a telecommand failed; sent as a 16-bit error code in service 1 failure reports."""

    MALFORMED_PACKET = 1  # the codec refused the packet (length, CRC, header fields)
    UNKNOWN_APID = 2  # no application answers on the packet's APID
    UNKNOWN_SERVICE = 3  # the service or subtype is not implemented by this application
    BAD_LENGTH = 4  # the application data is shorter or longer than the request needs
    UNKNOWN_FUNCTION = 5  # service 8 function ID not declared by the application
    ARGUMENT_OUT_OF_RANGE = 6  # an argument or parameter value is outside its declared range
    UNKNOWN_PARAMETER = 7  # service 20 parameter ID not declared
    UNKNOWN_STRUCTURE = 8  # service 3 housekeeping structure ID not declared
    UNKNOWN_EVENT = 9  # service 5 event ID not declared
    APP_UNAVAILABLE = 10  # the application is failed (awaiting restart) or disabled
    EXECUTION_FAILED = 11  # the handler raised; the application was marked failed
    PERSISTENCE_FAILED = 12  # the new state could not be stored durably; nothing changed
    BUSY = 13  # no worker slot free for the requested job
    UNAUTHENTICATED = 14  # the mission requires authentication and the command carried none
    REFUSED = 15  # the application refused the command in its current state
    SCHEDULE_FULL = 16  # service 11: the time-based schedule has no room for the activities
    RELEASE_TIME_PASSED = 17  # service 11: a release time is not in the future
    UNKNOWN_REQUEST = 18  # service 11: no scheduled activity has this request ID
    DUPLICATE_REQUEST = 19  # service 11: an activity with this request ID is already scheduled


class FlightError(Exception):
    """Root of the flight framework's errors."""


class ConfigError(FlightError):
    """A mission config is missing, malformed or inconsistent.

    Attributes:
        source: the file or mission name the config came from.
        key: the offending key path, e.g. ``"apps[1].apid"`` (empty when not tied to one).
    """

    def __init__(self, message: str, *, source: str = "", key: str = "") -> None:
        where = f"{source}: " if source else ""
        at = f" (at {key})" if key else ""
        super().__init__(f"{where}{message}{at}")
        self.source = source
        self.key = key


class DeclarationError(FlightError):
    """An app's declarations contradict each other: a duplicate ID, a command without handler."""


class CommandRejectedError(FlightError):
    """A telecommand is refused; the verification report carries `code`.

    Attributes:
        code: the reason, sent to the ground.
        detail: a human-readable explanation for the log.
        data: failure data appended to the report after the code (e.g. the offending APID).
    """

    def __init__(self, code: FailureCode, detail: str = "", *, data: bytes = b"") -> None:
        super().__init__(f"{code.name}: {detail}" if detail else code.name)
        self.code = code
        self.detail = detail
        self.data = data


class WorkerBusyError(FlightError):
    """Every worker slot is taken; the job was not queued."""


class LinkError(FlightError):
    """A link cannot be opened: a bad URL, an unsupported scheme or an address in use."""


class PersistenceError(FlightError):
    """The store cannot save its state."""


class DurabilityError(PersistenceError):
    """A write, fsync or rename failed: the new state may not survive a power cut.

    Never retried into success: the caller reports the failure and keeps the old state.

    Attributes:
        path: the file being written.
        step: which step failed (``"write"``, ``"fsync"``, ``"replace"``, ``"fsync_dir"``).
    """

    def __init__(self, path: str, step: str, cause: OSError) -> None:
        super().__init__(f"{step} of {path} failed: {cause}")
        self.path = path
        self.step = step
