"""The link layer's errors (`LinkError` itself lives in `flight.core.errors`).

    ConfigError (flight.core)   a mission config is missing, malformed or inconsistent
    └── KeyFileError            a key file is missing, malformed or open to other users

A link never raises on what arrives: input becomes counted rejections.
"""

from flight.core.errors import ConfigError

__all__ = ["KeyFileError"]


class KeyFileError(ConfigError):
    """A key file or key directory is missing, malformed, or open to group or other users.

    Attributes:
        path: the offending file or directory.
    """

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message, source=path)
        self.path = path
