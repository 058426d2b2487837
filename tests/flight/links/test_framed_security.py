"""Frames secured in the frame (SDLS): FARM-1 sees none whose MAC does not match, and COP-1's
retransmissions still get through under the anti-replay window."""

import errno
import os
from pathlib import Path

from flight.ccsds import crc16
from flight.ccsds.frames import TcFrame, cltu_encode
from flight.links import Signer
from tests.flight.links.framed_helpers import KEY, SCID, VCID, SecuredBoard, cltu, ping, sealed


def test_farm_sees_no_frame_whose_mac_does_not_match(tmp_path: Path) -> None:
    board = SecuredBoard(tmp_path)
    ep, signer = board.endpoint, Signer(1, KEY, None)
    good = signer.encode_frame(TcFrame(SCID, VCID, 0, ping(0)))
    forged = [
        cltu(0, ping(0)),  # plain: what a ground without the key sends
        cltu_encode(TcFrame(SCID, VCID, 1, good.data).pack()),  # the same data under N(S) 1
        cltu_encode(TcFrame(SCID, VCID, 0, good.data, bypass=True).pack()),  # made a BD frame
        cltu_encode(TcFrame.unlock(SCID, VCID).pack()),  # a bare Unlock
        sealed(TcFrame(SCID, VCID, 0, ping(0)), Signer(1, bytes(32), None)),  # another key
        sealed(TcFrame(SCID, VCID, 0, ping(0)), Signer(2, KEY, None)),  # an unknown SPI
        cltu_encode(TcFrame(SCID, VCID, 0, good.data[:-1]).pack()),  # a truncated trailer
        cltu_encode(TcFrame(SCID, VCID, 0, good.data[:22]).pack()),  # no room for content
    ]
    for unit in forged:
        assert ep.take_unit(unit) == (False, False)  # unanswered
    assert (ep.clcw.report_value, board.delivered) == (0, [])
    assert ep.counters.unauthenticated == len(forged)
    assert board.guard.counters.rejected == len(forged)
    assert board.guard.counters.truncated == 3  # the plain ping, the bare Unlock, the stub
    assert ep.counters.accepted == ep.counters.bypass == ep.counters.control == 0
    assert ep.take_unit(cltu_encode(good.pack())) == (True, True)
    assert board.delivered == [ping(0)]
    assert board.guard.counters.accepted == 1


def test_every_single_bit_flip_of_a_secured_frame_is_refused(tmp_path: Path) -> None:
    board = SecuredBoard(tmp_path)
    raw = Signer(1, KEY, None).encode_frame(TcFrame(SCID, VCID, 0, ping(0))).pack()[:-2]
    for bit in range(len(raw) * 8):
        flipped = bytearray(raw)
        flipped[bit // 8] ^= 0x80 >> (bit % 8)
        # a fresh FECF over the damage: only the MAC (or the header checks) can catch it
        frame = flipped + crc16(bytes(flipped)).to_bytes(2, "big")
        board.endpoint.take_unit(bytes(frame))
    assert board.delivered == []
    assert board.guard.counters.accepted == 0
    assert board.guard.counters.bad_mac > len(raw) * 8 // 2  # the data field's flips
    assert board.endpoint.clcw.report_value == 0
    intact = raw + crc16(raw).to_bytes(2, "big")
    assert board.endpoint.take_unit(intact) == (True, True)


def test_a_retransmission_is_a_duplicate_and_a_replayed_control_command_is_refused(
    tmp_path: Path,
) -> None:
    board = SecuredBoard(tmp_path)
    ep, signer = board.endpoint, Signer(1, KEY, None)
    first = sealed(TcFrame(SCID, VCID, 0, ping(0)), signer)
    assert ep.take_unit(first) == (True, True)
    assert ep.take_unit(first) == (True, False)  # COP-1 sent it again: answered, not run
    assert (ep.counters.duplicates, board.guard.counters.replayed) == (1, 0)
    assert ep.take_unit(sealed(TcFrame(SCID, VCID, 100, ping(1)), signer)) == (True, False)
    assert ep.clcw.lockout
    unlock = sealed(TcFrame.unlock(SCID, VCID), signer)
    assert ep.take_unit(unlock) == (True, False)
    assert not ep.clcw.lockout
    assert ep.take_unit(sealed(TcFrame(SCID, VCID, 101, ping(1)), signer)) == (True, False)
    assert ep.clcw.lockout
    assert ep.take_unit(unlock) == (False, False)  # a replayed Unlock: refused, still locked
    assert ep.clcw.lockout
    assert (ep.counters.control, board.guard.counters.replayed) == (1, 1)
    assert board.delivered == [ping(0)]


def test_a_frame_farm_discarded_is_taken_when_it_comes_again(tmp_path: Path) -> None:
    board = SecuredBoard(tmp_path)
    ep, signer = board.endpoint, Signer(1, KEY, None)
    second = sealed(TcFrame(SCID, VCID, 1, ping(1)), signer)
    first = sealed(TcFrame(SCID, VCID, 0, ping(0)), signer)
    assert ep.take_unit(second) == (True, False)  # ahead of V(R): its number is not taken
    assert ep.take_unit(first) == (True, True)
    assert ep.take_unit(second) == (True, True)  # the same octets, as COP-1 retransmits them
    assert board.delivered == [ping(0), ping(1)]
    assert board.guard.counters.as_dict()["rejected"] == 0


def test_a_frame_whose_number_cannot_be_stored_leaves_the_farm_as_it_was(tmp_path: Path) -> None:
    failing = True

    def fsync(fd: int) -> None:
        if failing:
            raise OSError(errno.EIO, "injected")
        os.fsync(fd)

    board = SecuredBoard(tmp_path, fsync)
    ep = board.endpoint
    frame = sealed(TcFrame(SCID, VCID, 0, ping(0)), Signer(1, KEY, None))
    assert ep.take_unit(frame) == (False, False)
    assert (ep.clcw.report_value, board.delivered) == (0, [])
    assert board.guard.counters.not_durable == 1
    failing = False
    assert ep.take_unit(frame) == (True, True)  # the ground's retransmission
    assert board.delivered == [ping(0)]
