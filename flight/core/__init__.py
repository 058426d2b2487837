"""The flight framework: executive, clock, software bus, app base, dispatcher, persistence.

Apps subclass `App` and declare their commands, housekeeping, events and parameters; the
`Executive` runs them on one deterministic loop over a `Clock`; `Store` keeps state across
power cuts; `load_mission` reads which apps run where.
"""

from flight.core.app import BASE_EVENTS, COMMAND_REJECTED, App, AppContext, handles
from flight.core.bus import EVENT_MID, WORK_RESULT_MID, BusStats, Message, Pipe, SoftwareBus
from flight.core.clock import CCSDS_EPOCH_OFFSET, Clock, MonotonicClock, SimulatedClock
from flight.core.declarations import (
    COUNTER_FIELDS,
    Arg,
    Command,
    EventDef,
    EventRecord,
    Housekeeping,
    Parameter,
    Severity,
    Value,
    check_range,
    housekeeping,
)
from flight.core.dispatch import Dispatcher, Handler, decode_args, encode_args
from flight.core.errors import (
    CommandRejectedError,
    ConfigError,
    DeclarationError,
    DurabilityError,
    FailureCode,
    FlightError,
    LinkError,
    PersistenceError,
    WorkerBusyError,
)
from flight.core.executive import (
    APP_DISABLED,
    APP_FAILED,
    APP_RESTARTED,
    EXECUTIVE_EVENTS,
    AppSlot,
    AppState,
    Executive,
    RateGroup,
)
from flight.core.health import HardwareWatchdog, HealthMonitor
from flight.core.mission import (
    AppConfig,
    Mission,
    SecuritySettings,
    load_mission,
    shipped_missions,
)
from flight.core.notify import SystemdNotifier
from flight.core.parameters import ParameterStore
from flight.core.persistence import RECORD_VERSION, Store
from flight.core.timekeeping import FINE_PER_SECOND, MissionTime
from flight.core.workers import Workers, WorkResult

__all__ = [
    "APP_DISABLED",
    "APP_FAILED",
    "APP_RESTARTED",
    "BASE_EVENTS",
    "CCSDS_EPOCH_OFFSET",
    "COMMAND_REJECTED",
    "COUNTER_FIELDS",
    "EVENT_MID",
    "EXECUTIVE_EVENTS",
    "FINE_PER_SECOND",
    "RECORD_VERSION",
    "WORK_RESULT_MID",
    "App",
    "AppConfig",
    "AppContext",
    "AppSlot",
    "AppState",
    "Arg",
    "BusStats",
    "Clock",
    "Command",
    "CommandRejectedError",
    "ConfigError",
    "DeclarationError",
    "Dispatcher",
    "DurabilityError",
    "EventDef",
    "EventRecord",
    "Executive",
    "FailureCode",
    "FlightError",
    "Handler",
    "HardwareWatchdog",
    "HealthMonitor",
    "Housekeeping",
    "LinkError",
    "Message",
    "Mission",
    "MissionTime",
    "MonotonicClock",
    "Parameter",
    "ParameterStore",
    "PersistenceError",
    "Pipe",
    "RateGroup",
    "SecuritySettings",
    "Severity",
    "SimulatedClock",
    "SoftwareBus",
    "Store",
    "SystemdNotifier",
    "Value",
    "WorkResult",
    "WorkerBusyError",
    "Workers",
    "check_range",
    "decode_args",
    "encode_args",
    "handles",
    "housekeeping",
    "load_mission",
    "shipped_missions",
]
