"""The software bus: routing by message ID, bounded pipes, drop counters."""

import pytest

from flight.core import Pipe, SoftwareBus


def test_publish_reaches_every_subscriber_of_the_id_only() -> None:
    bus = SoftwareBus()
    a = bus.subscribe(0x10, Pipe("a"))
    b = bus.subscribe(0x10, Pipe("b"))
    c = bus.subscribe(0x11, Pipe("c"))
    assert bus.publish(0x10, "hello", "src") == 2
    assert [m.payload for m in a.drain()] == ["hello"]
    assert b.get() is not None
    assert len(c) == 0


def test_full_pipe_drops_new_messages_and_counts_them() -> None:
    bus = SoftwareBus()
    pipe = bus.subscribe(1, Pipe("slow", depth=4))
    for n in range(1000):
        bus.publish(1, n)
    assert len(pipe) == 4
    assert pipe.dropped == 996
    assert [m.payload for m in pipe.drain()] == [0, 1, 2, 3]
    stats = bus.stats()
    assert (stats.published, stats.delivered, stats.dropped) == (1000, 4, 996)


def test_unrouted_messages_are_counted_not_stored() -> None:
    bus = SoftwareBus()
    assert bus.publish(0x99, object()) == 0
    assert bus.stats().unrouted == 1
    assert bus.pipes == ()


def test_unsubscribe_stops_delivery() -> None:
    bus = SoftwareBus()
    pipe = bus.subscribe(1, Pipe("x"))
    bus.unsubscribe(pipe)
    assert bus.publish(1, "gone") == 0
    assert len(pipe) == 0


def test_drain_with_limit_takes_oldest_first() -> None:
    pipe = Pipe("p", depth=8)
    bus = SoftwareBus()
    bus.subscribe(1, pipe)
    for n in range(5):
        bus.publish(1, n)
    assert [m.payload for m in pipe.drain(2)] == [0, 1]
    assert pipe.high_water == 5
    assert len(pipe) == 3


def test_pipe_needs_a_depth() -> None:
    with pytest.raises(ValueError, match="depth"):
        Pipe("none", depth=0)
