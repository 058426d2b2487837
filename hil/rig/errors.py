"""The HIL rig's error tree, rooted at `RigError`.

RigError                  anything the rig refuses or cannot do
├── DutSpecError          a ``--dut`` value or an inventory entry is malformed
├── DutStartError         the unit under test did not come up (exited, never announced a link)
├── UnsupportedError      the unit cannot do what was asked (power-cycle a bench board with
│                         no relay, stimulus on real hardware, a link the rig cannot proxy)
├── StimulusError         the sim control channel refused a request or did not answer
└── ReplayError           an archive holds no session to replay, or the replay diverged
"""

__all__ = [
    "DutSpecError",
    "DutStartError",
    "ReplayError",
    "RigError",
    "StimulusError",
    "UnsupportedError",
]


class RigError(Exception):
    """Root of the rig's errors."""


class DutSpecError(RigError):
    """A ``--dut`` value or an inventory entry is malformed."""


class DutStartError(RigError):
    """The unit under test did not come up; the message quotes the end of its log."""


class UnsupportedError(RigError):
    """The unit cannot do what was asked; the message says why (tests skip on it)."""


class StimulusError(RigError):
    """The sim control channel refused a request (its message) or did not answer in time."""


class ReplayError(RigError):
    """No recorded session to replay, or the replay did not reproduce the recording."""
