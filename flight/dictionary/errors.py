"""The dictionary's error tree, rooted at `DictionaryError` (a `FlightError`).

    DictionaryError            the dictionary cannot be built, read or used as asked
    └── DuplicateIdError       two items share an ID (or name) where it must be unique

Both carry their context in the message: which app, which kind of ID, which value.
"""

from flight.core.errors import FlightError

__all__ = ["DictionaryError", "DuplicateIdError"]


class DictionaryError(FlightError):
    """The dictionary cannot be built, read or used as asked (unknown name, bad value)."""


class DuplicateIdError(DictionaryError):
    """Two items share an ID or name where the ground needs it unique.

    Attributes:
        problems: every collision found, one line each.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
