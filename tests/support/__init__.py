"""Helpers shared by the test suites (MicroPython runner, ...)."""
