"""Link fault injection: a UDP proxy on the real link, between the ground and the unit.

The ground talks to the proxy's port; the proxy talks to the unit from its own socket, so
the unit answers telemetry to the proxy, which passes it to the ground. Each direction has
its own `Faults` (drop, flip one bit, delay with jitter, duplicate, reorder) drawn from its
own `random.Random` seeded from `seed`, so a seed replays the same damage; `counters` says
exactly what was done to what, so the unit's own link counters can be checked against them.
`Damage` is that per-direction logic on its own: the serial rig link (`hil.rig.links`) uses
it on COBS frames, and `FaultyLink` is what both offer a test.

    with LinkProxy("udp:127.0.0.1:10015", seed=7) as proxy:
        proxy.configure(uplink=Faults(flip=0.2, duplicate=0.1))
        ground = open_ground_link(proxy.url)
"""

import heapq
import random
import selectors
import socket
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Protocol

from flight.links import parse_link_url

__all__ = ["Damage", "DirectionCounters", "Faults", "FaultyLink", "LinkProxy", "TwoWayDamage"]

_MAX_DATAGRAM = 65543
_TICK = 0.02


@dataclass(frozen=True)
class Faults:
    """What happens to the datagrams of one direction (probabilities per datagram).

    Attributes:
        drop: lost.
        flip: one random bit inverted.
        duplicate: sent twice.
        reorder: held back and sent after the next datagram.
        delay: seconds every datagram is held.
        jitter: up to this many seconds more, uniformly.
    """

    drop: float = 0.0
    flip: float = 0.0
    duplicate: float = 0.0
    reorder: float = 0.0
    delay: float = 0.0
    jitter: float = 0.0

    def __post_init__(self) -> None:
        for name in ("drop", "flip", "duplicate", "reorder"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} is a probability, got {getattr(self, name)}")
        if self.delay < 0 or self.jitter < 0:
            raise ValueError("delay and jitter are seconds >= 0")


@dataclass
class DirectionCounters:
    """What one direction did.

    Attributes:
        received: datagrams taken in.
        delivered: datagrams sent on (duplicates counted).
        dropped: lost on purpose.
        flipped: delivered with a bit inverted (each copy counted).
        duplicated: extra copies sent.
        reordered: sent after a later one.
    """

    received: int = 0
    delivered: int = 0
    dropped: int = 0
    flipped: int = 0
    duplicated: int = 0
    reordered: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counters by name."""
        return asdict(self)


@dataclass(order=True)
class Pending:
    """A unit on its way: due at `due` (monotonic), `order` breaking ties."""

    due: float
    order: int
    data: bytes = field(compare=False)
    upstream: bool = field(compare=False)
    flipped: bool = field(compare=False)


class Damage:
    """What one direction does to each unit (datagram or frame) passing through it.

    Args:
        upstream: the direction (ground to unit), carried on each `Pending`.
        seed: the direction's generator seed.
    """

    def __init__(self, *, upstream: bool, seed: int) -> None:
        self.upstream = upstream
        self.faults = Faults()
        self.counters = DirectionCounters()
        self.held: Pending | None = None
        self._rng = random.Random(seed)  # noqa: S311 - fault injection, not cryptography
        self._order = 0

    def reseed(self, faults: Faults, seed: int) -> None:
        """Use `faults` from now on, drawn from a generator seeded afresh."""
        self.faults = faults
        self._rng = random.Random(seed)  # noqa: S311 - fault injection, not cryptography

    def take(self, data: bytes, now: float) -> list[Pending]:
        """The units `data` becomes, due when they should go on (none when dropped)."""
        faults, counters, rng = self.faults, self.counters, self._rng
        counters.received += 1
        if rng.random() < faults.drop:
            counters.dropped += 1
            return []
        out: list[Pending] = []
        copies = 2 if rng.random() < faults.duplicate else 1
        counters.duplicated += copies - 1
        for _ in range(copies):
            payload, flipped = data, False
            if data and rng.random() < faults.flip:
                bit = rng.randrange(len(data) * 8)
                mutable = bytearray(data)
                mutable[bit // 8] ^= 1 << (bit % 8)
                payload, flipped = bytes(mutable), True
            due = now + faults.delay + rng.uniform(0.0, faults.jitter)
            self._order += 1
            pending = Pending(due, self._order, payload, self.upstream, flipped)
            if self.held is None and rng.random() < faults.reorder:
                self.held = pending
                counters.reordered += 1
                continue
            out.append(pending)
            if self.held is not None:  # the held one goes right after this one
                held, self.held = self.held, None
                self._order += 1
                held.due, held.order = pending.due, self._order
                out.append(held)
        return out

    def release(self) -> list[Pending]:
        """The unit held back for reordering, if any, to go on now."""
        held, self.held = self.held, None
        return [] if held is None else [held]

    def delivered(self, unit: Pending) -> None:
        """Count `unit` as passed on."""
        self.counters.delivered += 1
        self.counters.flipped += int(unit.flipped)


class FaultyLink(Protocol):
    """A link a test can damage: the UDP `LinkProxy`, or the rig's serial pty link."""

    def configure(self, *, uplink: Faults | None = None, downlink: Faults | None = None) -> None:
        """Set the faults of each direction (None: no faults) and reseed the generators."""
        ...

    def clear(self) -> None:
        """No faults; release anything held back for reordering."""
        ...

    def settle(self, timeout: float = 2.0) -> None:
        """Wait until nothing is queued or held (bounded by `timeout`)."""
        ...

    def snapshot(self) -> dict[str, dict[str, int]]:
        """A copy of the counters, ``"uplink"`` and ``"downlink"``."""
        ...


class TwoWayDamage:
    """Both directions' damage, from one seed: what every link a test can damage shares.

    Each direction draws from its own generator, so the damage to one does not depend on the
    timing of the other; `configure` reseeds both, so a seed replays the same damage.

    Attributes:
        seed: seeds the generators.
        uplink: damage to telecommands (ground to unit).
        downlink: damage to telemetry (unit to ground).
    """

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.uplink = Damage(upstream=True, seed=seed * 2 + 1)
        self.downlink = Damage(upstream=False, seed=seed * 2)
        self._lock = threading.Lock()

    def configure(self, *, uplink: Faults | None = None, downlink: Faults | None = None) -> None:
        """Set the faults of each direction (None: no faults) and reseed the generators."""
        with self._lock:
            self.uplink.reseed(uplink or Faults(), self.seed * 2 + 1)
            self.downlink.reseed(downlink or Faults(), self.seed * 2)

    def snapshot(self) -> dict[str, dict[str, int]]:
        """A copy of the counters, ``"uplink"`` and ``"downlink"``."""
        with self._lock:
            return {
                "uplink": self.uplink.counters.as_dict(),
                "downlink": self.downlink.counters.as_dict(),
            }

    def _lift_faults(self) -> list[Pending]:
        """No faults from now on; returns the units held back for reordering (lock held)."""
        released: list[Pending] = []
        for damage in (self.uplink, self.downlink):
            damage.faults = Faults()
            released += damage.release()
        return released


class LinkProxy(TwoWayDamage):
    """A UDP proxy in front of `target` (``udp:HOST:PORT``, framed or not), on 127.0.0.1.

    Args:
        target: the unit's link URL.
        seed: seeds the fault generators.

    Attributes:
        url: where the ground should send (``udp:127.0.0.1:PORT``, with the target's options).
    """

    def __init__(self, target: str, *, seed: int = 0) -> None:
        base, _, options = target.partition("?")
        scheme, host, port = parse_link_url(base)
        if scheme != "udp":
            raise ValueError(f"the link proxy speaks udp:HOST:PORT, not {target!r}")
        super().__init__(seed)
        self.target = (host, port)
        self._front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._front.bind(("127.0.0.1", 0))
        self._back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._back.bind(("0.0.0.0", 0))  # noqa: S104 -- the unit may be on another host
        # a framed unit's options go with it: the proxy relays CLTUs and TM frames as they are
        front = f"udp:127.0.0.1:{self._front.getsockname()[1]}"
        self.url = f"{front}?{options}" if options else front
        self._ground: tuple[str, int] | None = None
        self._pending: list[Pending] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rig-link-proxy", daemon=True)
        self._thread.start()

    def __enter__(self) -> "LinkProxy":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def clear(self) -> None:
        """No faults; release anything held back for reordering."""
        with self._lock:
            for unit in self._lift_faults():
                heapq.heappush(self._pending, unit)

    def settle(self, timeout: float = 2.0) -> None:
        """Wait until nothing is queued or held (bounded by `timeout`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._pending and self.uplink.held is None and self.downlink.held is None:
                    return
            time.sleep(_TICK)

    def _run(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._front, selectors.EVENT_READ, True)
        selector.register(self._back, selectors.EVENT_READ, False)
        while not self._stop.is_set():
            with self._lock:
                wait = min((p.due for p in self._pending), default=time.monotonic() + _TICK * 5)
            for key, _ in selector.select(max(0.0, min(wait - time.monotonic(), _TICK * 5))):
                sock: socket.socket = key.fileobj  # type: ignore[assignment]
                try:
                    data, sender = sock.recvfrom(_MAX_DATAGRAM)
                except OSError:
                    continue
                with self._lock:
                    if key.data:
                        self._ground = (str(sender[0]), int(sender[1]))
                    damage = self.uplink if key.data else self.downlink
                    for unit in damage.take(data, time.monotonic()):
                        heapq.heappush(self._pending, unit)
            self._flush()
        selector.close()

    def _flush(self) -> None:
        now = time.monotonic()
        while True:
            with self._lock:
                if not self._pending or self._pending[0].due > now:
                    return
                item = heapq.heappop(self._pending)
                ground = self._ground
            if item.upstream:
                address: tuple[str, int] | None = self.target
                sock = self._back
            else:
                address, sock = ground, self._front
            if address is None:
                continue
            try:
                sock.sendto(item.data, address)
            except OSError:
                continue
            with self._lock:
                (self.uplink if item.upstream else self.downlink).delivered(item)

    def close(self) -> None:
        """Stop the proxy and close its sockets."""
        self._stop.set()
        self._thread.join(2.0)
        self._front.close()
        self._back.close()
