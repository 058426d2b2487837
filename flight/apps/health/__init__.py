"""The health app: board health from the HAL in housekeeping, events on limits and recovery."""

from flight.apps.health.app import HealthApp
from flight.apps.health.limits import LIMITS, HealthLimit

__all__ = ["LIMITS", "HealthApp", "HealthLimit"]
