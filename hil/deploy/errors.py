"""The deploy tooling's error tree, rooted at `DeployError`.

```
DeployError                  anything `starling deploy` refuses or fails at
├── KeyFileError             a key file is missing, malformed or too widely readable (`path`)
├── BundleError              a bundle cannot be built or does not verify (`path`)
│   └── SignatureError       the signature does not match any trusted key
├── InventoryError           the inventory or a target is malformed (`path`, `unit`)
├── TransportError           SSH failed: connection, upload or a remote step (`unit`, `step`)
│   └── RemoteError          the board agent ran and refused (`kind` names why)
├── HealthCheckError         the service did not answer as expected (`unit`)
└── ImageError               the SD-card image cannot be read or written (`path`)
```

Errors carry their context as fields and in their message, so one log line says which unit,
which file and which step.
"""

from pathlib import Path

__all__ = [
    "BundleError",
    "DeployError",
    "HealthCheckError",
    "ImageError",
    "InventoryError",
    "KeyFileError",
    "RemoteError",
    "SignatureError",
    "TransportError",
]


class DeployError(Exception):
    """Root of every deploy error."""


class KeyFileError(DeployError):
    """A key file is missing, malformed, or readable by others than its owner.

    Attributes:
        path: The offending key file.
    """

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(f"{message}: {path}")
        self.path = path


class BundleError(DeployError):
    """A bundle cannot be built, read or verified.

    Attributes:
        path: The bundle or input file concerned, when there is one.
    """

    def __init__(self, message: str, *, path: Path | None = None) -> None:
        super().__init__(f"{message}: {path}" if path is not None else message)
        self.path = path


class SignatureError(BundleError):
    """The bundle's signature matches none of the trusted public keys."""


class InventoryError(DeployError):
    """The inventory file or a command-line target is malformed.

    Attributes:
        path: The inventory file, or None for a command-line target.
        unit: The unit's serial number, when the error is about one unit.
    """

    def __init__(self, message: str, *, path: Path | None = None, unit: str = "") -> None:
        where = ", ".join(part for part in (str(path) if path else "", unit) if part)
        super().__init__(f"{message} ({where})" if where else message)
        self.path = path
        self.unit = unit


class TransportError(DeployError):
    """An SSH connection, upload or remote step failed.

    Attributes:
        unit: Serial number of the unit.
        step: The deploy step that failed (``"upload"``, ``"install"``, ...).
        detail: What the remote side or ssh said, trimmed.
    """

    def __init__(self, message: str, *, unit: str, step: str, detail: str = "") -> None:
        text = f"{unit}: {step}: {message}"
        super().__init__(f"{text}: {detail}" if detail else text)
        self.unit = unit
        self.step = step
        self.detail = detail


class RemoteError(TransportError):
    """The board agent ran and refused the request.

    Attributes:
        kind: The agent's reason, e.g. ``"signature"``, ``"checksum"``, ``"no-previous-slot"``.
    """

    def __init__(self, message: str, *, unit: str, step: str, kind: str) -> None:
        super().__init__(message, unit=unit, step=step, detail=f"[{kind}]")
        self.kind = kind


class HealthCheckError(DeployError):
    """The flight service did not answer its health check.

    Attributes:
        unit: Serial number of the unit.
    """

    def __init__(self, message: str, *, unit: str = "") -> None:
        super().__init__(f"{unit}: {message}" if unit else message)
        self.unit = unit


class ImageError(DeployError):
    """The SD-card image cannot be read or written.

    Attributes:
        path: The image file.
    """

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(f"{message}: {path}")
        self.path = path
