"""The apps a mission config can name, by kind."""

from flight.apps.core import CoreApp
from flight.apps.health import HealthApp
from flight.apps.payload import PayloadApp
from flight.apps.sample import SampleApp
from flight.core import App

__all__ = ["REGISTRY"]

REGISTRY: dict[str, type[App]] = {
    "core": CoreApp,
    "sample": SampleApp,
    "payload": PayloadApp,
    "health": HealthApp,
}
