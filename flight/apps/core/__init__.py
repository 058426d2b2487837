"""The core app: the flight process's own APID (100 in the shipped missions)."""

from flight.apps.core.app import CoreApp

__all__ = ["CoreApp"]
