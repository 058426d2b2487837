"""The software bus: apps publish messages by message ID; subscribers read them from pipes.

Every pipe is a bounded queue: when a subscriber falls behind, new messages are dropped and
counted rather than queued without bound, and the counters go into housekeeping. Routes are
fixed while the system is assembled, so nothing on the bus grows while flying.
"""

from collections import deque
from dataclasses import dataclass

__all__ = ["EVENT_MID", "WORK_RESULT_MID", "BusStats", "Message", "Pipe", "SoftwareBus"]

EVENT_MID = 0x0001  # an `EventRecord` from any app or the executive
WORK_RESULT_MID = 0x0002  # default message ID for results of blocking work done by workers


@dataclass(frozen=True, slots=True)
class Message:
    """One message on the bus.

    Attributes:
        msg_id: what the message is; subscribers choose by it.
        payload: the content, an immutable value the publisher owns no more.
        source: name of the publishing app (for housekeeping and logs).
    """

    msg_id: int
    payload: object
    source: str = ""


class Pipe:
    """A subscriber's bounded inbox.

    Args:
        name: who reads it (for housekeeping and logs).
        depth: how many messages it holds before it drops new ones.
    """

    def __init__(self, name: str, depth: int = 16) -> None:
        if depth < 1:
            raise ValueError(f"pipe {name!r} needs a depth of at least 1, got {depth}")
        self.name = name
        self.depth = depth
        self.received = 0
        self.dropped = 0
        self.high_water = 0
        self._queue: deque[Message] = deque()

    def __len__(self) -> int:
        return len(self._queue)

    def put(self, message: Message) -> bool:
        """Queue `message`; return False (and count the drop) when the pipe is full."""
        if len(self._queue) >= self.depth:
            self.dropped += 1
            return False
        self._queue.append(message)
        self.received += 1
        self.high_water = max(self.high_water, len(self._queue))
        return True

    def get(self) -> Message | None:
        """Take the oldest message, or None when the pipe is empty."""
        return self._queue.popleft() if self._queue else None

    def drain(self, limit: int | None = None) -> list[Message]:
        """Take up to `limit` messages (all when None), oldest first."""
        count = len(self._queue) if limit is None else min(limit, len(self._queue))
        return [self._queue.popleft() for _ in range(count)]


@dataclass(frozen=True, slots=True)
class BusStats:
    """Bus counters for housekeeping."""

    published: int
    delivered: int
    dropped: int
    unrouted: int


class SoftwareBus:
    """Publish/subscribe by message ID over bounded pipes.

    >>> bus = SoftwareBus()
    >>> inbox = bus.subscribe(0x10, Pipe("sample", depth=1))
    >>> bus.publish(0x10, "a"), bus.publish(0x10, "b")
    (1, 0)
    >>> inbox.get().payload, inbox.dropped
    ('a', 1)
    """

    def __init__(self) -> None:
        self._routes: dict[int, list[Pipe]] = {}
        self._pipes: list[Pipe] = []
        self.published = 0
        self.unrouted = 0

    def subscribe(self, msg_id: int, pipe: Pipe) -> Pipe:
        """Deliver messages with `msg_id` to `pipe` from now on; return the pipe."""
        routes = self._routes.setdefault(msg_id, [])
        if pipe not in routes:
            routes.append(pipe)
        if pipe not in self._pipes:
            self._pipes.append(pipe)
        return pipe

    def unsubscribe(self, pipe: Pipe) -> None:
        """Stop delivering anything to `pipe` (an app being restarted drops its old pipes)."""
        for routes in self._routes.values():
            if pipe in routes:
                routes.remove(pipe)
        if pipe in self._pipes:
            self._pipes.remove(pipe)

    def publish(self, msg_id: int, payload: object, source: str = "") -> int:
        """Offer a message to every subscriber of `msg_id`; return how many queued it."""
        self.published += 1
        routes = self._routes.get(msg_id)
        if not routes:
            self.unrouted += 1
            return 0
        message = Message(msg_id, payload, source)
        return sum(pipe.put(message) for pipe in routes)

    @property
    def pipes(self) -> tuple[Pipe, ...]:
        """Every pipe subscribed to anything."""
        return tuple(self._pipes)

    def stats(self) -> BusStats:
        """Totals over all pipes."""
        return BusStats(
            published=self.published,
            delivered=sum(p.received for p in self._pipes),
            dropped=sum(p.dropped for p in self._pipes),
            unrouted=self.unrouted,
        )
