"""Starling test suite; mirrors the source tree."""
