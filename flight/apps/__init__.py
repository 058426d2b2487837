"""Flight apps, and the registry a mission config names them from.

Missions name apps by registry key, never by import path: nothing in a config (or arriving
over a link) decides what code gets imported.
"""

from flight.apps.core import CoreApp
from flight.apps.health import HealthApp
from flight.apps.payload import PayloadApp
from flight.apps.registry import REGISTRY
from flight.apps.sample import SampleApp
from flight.apps.system import (
    PARAMETER_STORE,
    REPLAY_STORE,
    SCHEDULE_STORE,
    TIME_STORE,
    Flight,
    build_flight,
)

__all__ = [
    "PARAMETER_STORE",
    "REGISTRY",
    "REPLAY_STORE",
    "SCHEDULE_STORE",
    "TIME_STORE",
    "CoreApp",
    "Flight",
    "HealthApp",
    "PayloadApp",
    "SampleApp",
    "build_flight",
]
