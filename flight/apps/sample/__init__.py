"""The sample app: the template every new app copies (app, messages, events, params)."""

from flight.apps.sample.app import SampleApp

__all__ = ["SampleApp"]
