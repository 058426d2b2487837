"""Authentication of telecommands: forgeries, bit flips, replays, the window, persistence."""

import os
import random
from pathlib import Path

import pytest
from spacepackets.ecss.tc import PusTc

from flight.core import DurabilityError, EventDef, Store
from flight.links import (
    MAC_LENGTH,
    SECURED_APID,
    AuthCounters,
    CommandGuard,
    Rejection,
    ReplayWindow,
    Signer,
    seal,
    unseal,
)
from flight.links.events import AUTH_BAD_MAC, AUTH_REPLAY, AUTH_UNKNOWN_SPI, REJECTION_EVENTS

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
PING = PusTc(17, 1, apid=100, seq_count=3).pack()


class Ground:
    """A guard on a real store in a temporary directory, recording events and executions."""

    def __init__(self, directory: Path, *, window: int = 64, fsync=os.fsync) -> None:  # type: ignore[no-untyped-def]
        self.directory = directory
        self.events: list[tuple[EventDef, bytes]] = []
        self.executed: list[bytes] = []
        self.clock = 0.0
        self.guard = CommandGuard(
            {1: KEY},
            Store(directory, "anti-replay", fsync=fsync),
            window=window,
            emit=lambda event, aux: self.events.append((event, aux)),
            monotonic=lambda: self.clock,
        )
        self.deliver = self.guard.gate(self.executed.append)

    @property
    def counters(self) -> AuthCounters:
        return self.guard.counters


def _retotal(unit: bytes, cut: int) -> bytes:
    """`unit` without its last `cut` octets, its length field fixed so the link frames it."""
    shorter = bytearray(unit[:-cut])
    shorter[4:6] = (len(shorter) - 7).to_bytes(2, "big")
    return bytes(shorter)


def test_a_sealed_telecommand_passes_and_runs(tmp_path: Path) -> None:
    ground = Ground(tmp_path)
    unit = seal(KEY, 1, 1, PING)
    assert int.from_bytes(unit[0:2], "big") & 0x7FF == SECURED_APID
    assert len(unit) == 6 + 6 + len(PING) + MAC_LENGTH
    assert ground.deliver(unit) is True
    assert ground.executed == [PING]
    assert ground.counters.accepted == 1
    assert ground.counters.rejected == 0
    assert ground.events == []


def test_every_single_bit_flip_is_rejected(tmp_path: Path) -> None:
    ground = Ground(tmp_path)
    unit = seal(KEY, 1, 1, PING)
    reasons: set[Rejection] = set()
    for bit in range(len(unit) * 8):
        flipped = bytearray(unit)
        flipped[bit // 8] ^= 0x80 >> (bit % 8)
        result = unseal(bytes(flipped), {1: KEY})
        assert isinstance(result, Rejection), bit
        reasons.add(result)
        assert ground.deliver(bytes(flipped)) is False, bit
    assert ground.executed == []
    assert ground.counters.accepted == 0
    assert ground.counters.rejected == len(unit) * 8
    assert reasons == {Rejection.UNSECURED, Rejection.UNKNOWN_SPI, Rejection.BAD_MAC}
    # The original was never taken as "seen": it still passes, once.
    assert ground.deliver(unit) is True
    assert ground.counters.accepted == 1


def test_forged_macs_are_rejected(tmp_path: Path) -> None:
    ground = Ground(tmp_path)
    genuine = seal(KEY, 1, 5, PING)
    body = genuine[:-MAC_LENGTH]
    rng = random.Random(355)
    forgeries = [
        body + bytes(MAC_LENGTH),
        body + b"\xff" * MAC_LENGTH,
        seal(OTHER_KEY, 1, 5, PING),  # the right format under the wrong key
        body + genuine[-MAC_LENGTH:][::-1],
        *(body + rng.randbytes(MAC_LENGTH) for _ in range(200)),
    ]
    for forged in forgeries:
        assert ground.deliver(forged) is False
    assert ground.counters.bad_mac == len(forgeries)
    assert (ground.counters.accepted, ground.executed) == (0, [])
    event, aux = ground.events[0]
    assert event is AUTH_BAD_MAC
    assert aux == (1).to_bytes(2, "big") + (5).to_bytes(4, "big")


def test_truncated_units_and_trailers_are_rejected(tmp_path: Path) -> None:
    ground = Ground(tmp_path)
    unit = seal(KEY, 1, 1, PING)
    for cut in range(1, MAC_LENGTH + 1):
        assert ground.deliver(_retotal(unit, cut)) is False
    for length in range(7, 35):  # framed packets too short for header, packet and MAC
        assert ground.deliver(_retotal(unit, len(unit) - length)) is False
    assert ground.counters.accepted == 0
    assert ground.counters.truncated > 0
    assert ground.counters.rejected == MAC_LENGTH + 28
    assert ground.deliver(unit) is True


def test_unknown_key_ids_and_plain_telecommands_are_rejected(tmp_path: Path) -> None:
    ground = Ground(tmp_path)
    for spi in (0, 2, 0xFFFF):
        assert ground.deliver(seal(KEY, spi, 1, PING)) is False
    assert ground.deliver(PING) is False
    assert ground.deliver(PusTc(17, 1, apid=SECURED_APID).pack()) is False  # PUS, not secured
    counters = ground.counters
    assert (counters.unknown_spi, counters.unsecured, counters.accepted) == (3, 2, 0)
    assert [e for e, _ in ground.events].count(AUTH_UNKNOWN_SPI) == 3
    assert ground.executed == []


def test_replays_are_rejected(tmp_path: Path) -> None:
    ground = Ground(tmp_path)
    unit = seal(KEY, 1, 1, PING)
    assert ground.deliver(unit) is True
    for _ in range(3):
        assert ground.deliver(unit) is False
    assert (ground.counters.accepted, ground.counters.replayed) == (1, 3)
    assert ground.events[-1] == (AUTH_REPLAY, (1).to_bytes(2, "big") + (1).to_bytes(4, "big"))
    assert ground.executed == [PING]


def test_sequence_numbers_below_inside_and_above_the_window(tmp_path: Path) -> None:
    ground = Ground(tmp_path, window=64)

    def send(sequence: int) -> bool:
        return ground.deliver(seal(KEY, 1, sequence, PING))

    assert send(100)
    accepted = ground.counters.accepted
    # Below the window: 100 - 64 and anything lower.
    for sequence in (36, 35, 1):
        assert not send(sequence)
    # Inside the window and already seen.
    assert not send(100)
    assert ground.counters.accepted == accepted
    # Inside the window, not seen yet (out of order across links): taken once.
    assert send(37)
    assert not send(37)
    assert send(99)
    # Above: taken, and the window slides with it.
    assert send(101)
    assert send(10_000)
    assert not send(10_000 - 64)
    assert not send(101)
    assert send(10_000 - 63)
    assert ground.counters.accepted == accepted + 5
    assert ground.counters.replayed == 3 + 1 + 1 + 2


def test_window_state_model() -> None:
    window = ReplayWindow(8)
    assert not window.allows(0)  # 0 is never a valid number
    for sequence in (3, 9, 5, 20):
        assert window.allows(sequence)
        window = window.accept(sequence)
    assert window.highest == 20
    assert [n for n in range(10, 22) if window.allows(n)] == [13, 14, 15, 16, 17, 18, 19, 21]
    with pytest.raises(ValueError, match="window"):
        ReplayWindow(65)


def test_the_window_is_stored_before_the_command_runs_and_survives_restart(
    tmp_path: Path,
) -> None:
    ground = Ground(tmp_path)
    on_disk_when_run: list[bytes | None] = []

    def run(_: bytes) -> None:
        on_disk_when_run.append(Store(tmp_path, "anti-replay").load())

    deliver = ground.guard.gate(run)
    for sequence in (10, 8):
        assert deliver(seal(KEY, 1, sequence, PING))
    assert on_disk_when_run[0] is not None
    assert int.from_bytes(on_disk_when_run[0][2:6], "big") == 10
    assert on_disk_when_run[1] is not None
    assert on_disk_when_run[1] != on_disk_when_run[0]  # 8 marked seen before it ran

    rebooted = Ground(tmp_path)
    assert rebooted.guard.windows[1].highest == 10
    for sequence in (10, 8):
        assert rebooted.deliver(seal(KEY, 1, sequence, PING)) is False
    assert rebooted.deliver(seal(KEY, 1, 9, PING)) is True
    assert rebooted.deliver(seal(KEY, 1, 11, PING)) is True
    assert rebooted.counters.replayed == 2


def test_a_store_that_fails_stops_the_command_and_keeps_the_window(tmp_path: Path) -> None:
    failing = {"on": True}

    def fsync(fd: int) -> None:
        if failing["on"]:
            raise OSError(5, "Input/output error")
        os.fsync(fd)

    ground = Ground(tmp_path, fsync=fsync)
    unit = seal(KEY, 1, 1, PING)
    assert ground.deliver(unit) is False
    assert ground.executed == []
    assert ground.counters.not_durable == 1
    assert ground.events[-1][0].name == "AUTH_NOT_DURABLE"
    assert ground.guard.windows[1].highest == 0
    failing["on"] = False
    assert ground.deliver(unit) is True  # the ground may send it again
    assert ground.executed == [PING]


def test_refusal_events_are_rate_limited_and_the_rest_counted(tmp_path: Path) -> None:
    ground = Ground(tmp_path)
    for _ in range(100):
        ground.deliver(PING)
    assert len(ground.events) == 20
    assert ground.counters.events_suppressed == 80
    assert ground.counters.unsecured == 100
    ground.clock += 1.0  # five more tokens a second
    for _ in range(10):
        ground.deliver(PING)
    assert len(ground.events) == 25


def test_rejection_events_have_stable_unique_ids() -> None:
    assert [e.eid for e in REJECTION_EVENTS] == [30, 31, 32, 33, 34, 35]
    assert [e.name for e in REJECTION_EVENTS] == [f"AUTH_{r.name}" for r in Rejection]


def test_signer_persists_its_sequence_number_and_never_reuses_one(tmp_path: Path) -> None:
    store = Store(tmp_path, "sequence-1")
    signer = Signer(1, KEY, store, reserve=4)
    used = [unseal(signer.encode(PING), {1: KEY}) for _ in range(6)]
    assert [u.sequence for u in used if not isinstance(u, Rejection)] == [1, 2, 3, 4, 5, 6]
    restarted = Signer(1, KEY, Store(tmp_path, "sequence-1"), reserve=4)
    assert restarted.next_sequence == 9  # 7 and 8 were reserved: skipped, never reused
    ground = Ground(tmp_path / "flight")
    for unit in (signer.encode(PING), restarted.encode(PING), restarted.encode(PING)):
        assert ground.deliver(unit) is True
    assert ground.executed == [PING] * 3


def test_signer_store_failure_signs_nothing(tmp_path: Path) -> None:
    def fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    signer = Signer(1, KEY, Store(tmp_path, "sequence-1", fsync=fsync))
    with pytest.raises(DurabilityError):
        signer.encode(PING)
    assert signer.next_sequence == 1


def test_seal_refuses_what_does_not_fit() -> None:
    with pytest.raises(ValueError, match="sequence"):
        seal(KEY, 1, 0, PING)
    with pytest.raises(ValueError, match="SPI"):
        seal(KEY, 70000, 1, PING)
    with pytest.raises(ValueError, match="does not fit"):
        seal(KEY, 1, 1, bytes(65520))
