"""Files shipped to boards: the board agent, the launcher and the systemd unit template.

`agent.py` and `launcher.py` are standalone scripts (the agent needs only the standard library
and `cryptography`; the launcher only the standard library) so they run on a board before any
Starling environment exists there.
"""

from importlib.resources import files
from importlib.resources.abc import Traversable

__all__ = ["asset"]


def asset(name: str) -> Traversable:
    """Return the shipped file `name` (e.g. ``"agent.py"``, ``"starling.service.in"``)."""
    return files(__name__).joinpath(name)
