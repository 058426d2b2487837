"""The systemd notification protocol (sd_notify), without libsystemd.

When systemd starts the flight with ``Type=notify`` it sets ``NOTIFY_SOCKET``: a datagram
socket path, or an abstract-namespace name written with a leading ``@``. Each message is
one datagram of newline-separated ``KEY=VALUE`` lines: ``READY=1`` once the flight is up,
``STATUS=...`` for ``systemctl status``, ``WATCHDOG=1`` as the service watchdog's keep-alive
(due every ``WATCHDOG_USEC`` microseconds; systemd's advice, followed here, is to send at
half that), ``STOPPING=1`` on the way down. ``WATCHDOG_PID``, when set, names the process
the watchdog is meant for; any other process leaves the watchdog alone.
"""

import logging
import os
import socket
from collections.abc import Mapping

__all__ = ["SystemdNotifier"]

log = logging.getLogger(__name__)


class SystemdNotifier:
    """Sends notifications to one ``NOTIFY_SOCKET``; a failed send is counted, never raised.

    Args:
        address: the socket path, or ``@name`` for the abstract namespace.
        watchdog_usec: the service watchdog's timeout in microseconds (None: no watchdog).
    """

    def __init__(self, address: str, *, watchdog_usec: int | None = None) -> None:
        if not address or address[0] not in "@/":
            raise ValueError(f"NOTIFY_SOCKET must be a path or @name, got {address!r}")
        self.address = address
        self._target = "\0" + address[1:] if address.startswith("@") else address
        self.watchdog_usec = watchdog_usec
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
        # A manager that stops reading must not stall the sender: a full queue loses one
        # message (counted), and a missed WATCHDOG=1 is what such a manager acts on anyway.
        self._sock.setblocking(False)
        self.sent = 0
        self.errors = 0

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> "SystemdNotifier | None":
        """The notifier systemd asked for in the environment, or None when it asked for none."""
        env = os.environ if environ is None else environ
        address = env.get("NOTIFY_SOCKET", "")
        if not address:
            return None
        if address[0] not in "@/":
            log.warning("ignoring NOTIFY_SOCKET=%r: neither a path nor @name", address)
            return None
        usec_text = env.get("WATCHDOG_USEC", "")
        pid_text = env.get("WATCHDOG_PID", "")
        usec: int | None = int(usec_text) if usec_text.isdigit() and int(usec_text) > 0 else None
        if pid_text and pid_text != str(os.getpid()):
            usec = None  # the watchdog belongs to another process (e.g. our parent)
        return cls(address, watchdog_usec=usec)

    @property
    def watchdog_interval(self) -> float | None:
        """Seconds between keep-alives: half of ``WATCHDOG_USEC`` (None without a watchdog)."""
        return None if self.watchdog_usec is None else self.watchdog_usec / 2e6

    def notify(self, **fields: str) -> bool:
        """Send ``KEY=VALUE`` lines (e.g. ``notify(READY="1", STATUS="flying")``)."""
        lines = (f"{key}={value.replace(chr(10), ' ')}" for key, value in fields.items())
        try:
            self._sock.sendto("\n".join(lines).encode(), self._target)
        except OSError as exc:
            self.errors += 1
            log.warning("cannot notify %s: %s", self.address, exc)
            return False
        self.sent += 1
        return True

    def close(self) -> None:
        """Close the socket."""
        self._sock.close()
