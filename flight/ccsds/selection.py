"""Choose the codec backend once, at import: the C extension, or the pure-Python twin.

`STARLING_CODEC=python` forces the twin. When the C extension is missing (a machine without
a C compiler installs without it) Starling warns once and runs on the twin.
"""

import os
import warnings
from types import ModuleType

from flight.ccsds import pure


def _load() -> ModuleType:
    if os.environ.get("STARLING_CODEC", "").lower() == "python":
        return pure
    try:
        from flight.ccsds import cbackend  # noqa: PLC0415 - optional compiled backend
    except ImportError as exc:
        warnings.warn(
            f"Starling's C codec is not built ({exc}); using the pure-Python twin, "
            "which is correct but slower. Reinstall with a C compiler to build it.",
            RuntimeWarning,
            stacklevel=2,
        )
        return pure
    return cbackend


codec: ModuleType = _load()
backend: str = codec.NAME
