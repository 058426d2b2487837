"""PUS-C services onboard: 1 verification, 3 housekeeping, 5 events, 8 functions, 9 time,
11 time-based scheduling, 17 test, 20 parameters; the router that gives every telecommand its
verification outcome.
"""

from flight.services.downlink import Downlink, Sink, TimeSource
from flight.services.events import EVENT_ID_OCTETS, EventService
from flight.services.function import FUNCTION_ID_OCTETS, FunctionService
from flight.services.housekeeping import (
    MAX_INTERVAL_MS,
    MIN_INTERVAL_MS,
    SID_OCTETS,
    HousekeepingService,
)
from flight.services.parameters import PARAMETER_ID_OCTETS, ParameterService
from flight.services.ping import MAX_BURST, TestService
from flight.services.reader import AppDataReader
from flight.services.router import Action, PusRouter, Request, Service
from flight.services.schedule_store import (
    Activity,
    StoredSchedule,
    decode_schedule,
    encode_schedule,
)
from flight.services.scheduling import (
    ARM_AHEAD_S,
    DEFAULT_CAPACITY,
    MAX_ACTIVITY_OCTETS,
    REQUEST_ID_OCTETS,
    TimeBasedSchedule,
)
from flight.services.time_management import (
    CUC_OCTETS,
    MAX_RATE_EXPONENT,
    RATE_OFF,
    TimeService,
)
from flight.services.verification import (
    ACK_ACCEPTANCE,
    ACK_COMPLETION,
    ACK_PROGRESS,
    ACK_START,
    ERROR_CODE_OCTETS,
    STEP_ID_OCTETS,
    Verifier,
    request_id,
)

__all__ = [
    "ACK_ACCEPTANCE",
    "ACK_COMPLETION",
    "ACK_PROGRESS",
    "ACK_START",
    "ARM_AHEAD_S",
    "CUC_OCTETS",
    "DEFAULT_CAPACITY",
    "ERROR_CODE_OCTETS",
    "EVENT_ID_OCTETS",
    "FUNCTION_ID_OCTETS",
    "MAX_ACTIVITY_OCTETS",
    "MAX_BURST",
    "MAX_INTERVAL_MS",
    "MAX_RATE_EXPONENT",
    "MIN_INTERVAL_MS",
    "PARAMETER_ID_OCTETS",
    "RATE_OFF",
    "REQUEST_ID_OCTETS",
    "SID_OCTETS",
    "STEP_ID_OCTETS",
    "Action",
    "Activity",
    "AppDataReader",
    "Downlink",
    "EventService",
    "FunctionService",
    "HousekeepingService",
    "ParameterService",
    "PusRouter",
    "Request",
    "Service",
    "Sink",
    "StoredSchedule",
    "TestService",
    "TimeBasedSchedule",
    "TimeService",
    "TimeSource",
    "Verifier",
    "decode_schedule",
    "encode_schedule",
    "request_id",
]
