"""The core app's parameters (none yet; mission-wide settings will live here)."""

__all__: list[str] = []
