"""PUS-C telecommands and telemetry (ECSS-E-ST-70-41C) as immutable values.

`PusTc` and `PusTm` are NamedTuples whose constructor checks every field: one is made per
packet, and a tuple is the cheapest immutable object CPython builds. One packet per call is
Python's work, not C's (DESIGN.md decision 2: a cffi call costs as much as parsing a header
with `struct`). So `pack` and `unpack` lay out the headers with a precompiled
`struct.Struct` and make one backend call, the CRC-16 (`crc16_bytes`, which skips the checks
of `crc16`: the value in hand is a `bytes` of known length). Anything off the common path
goes to the backend whole: `unpack` of a packet that fails any check,
so the backend raises its error with the same class, field, offset, expected and actual
values; `pack` of a field `struct` refuses, so the backend raises its `FieldRangeError`.
The differential tests hold both paths to the backends.
"""

import struct
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, Self

from flight.ccsds.cuc import EPOCH_CCSDS, CucTime
from flight.ccsds.errors import FieldRangeError, LengthError
from flight.ccsds.header import PacketType, SequenceFlags, SpacePacketHeader
from flight.ccsds.selection import codec

__all__ = ["PusTc", "PusTm"]

Buffer = bytes | bytearray | memoryview
_TM_TIME_OFFSET = 13

# primary header, then the TC secondary header / the TM secondary header up to its time field
_TC_HEAD = struct.Struct(">HHHBBBH")
_tc_head = _TC_HEAD.unpack_from
_TM_HEAD = struct.Struct(">HHHBBBHH")
_TC_MIN = 6 + 5 + 2  # primary header, TC secondary header, CRC
_TC_WORD0 = 0x1800  # version 0, telecommand, secondary header present (APID bits clear)
_TM_WORD0 = 0x0800  # version 0, telemetry, secondary header present
_TYPE_MASK = 0xF800  # version, packet type and secondary header flag
_PUS_C = 2 << 4  # PUS version 2 in the high nibble of the first secondary header octet
_REFUSED = (TypeError, struct.error)  # a field `struct` cannot lay out: the backend decides
_crc16_bytes: Callable[[bytes, int, int], int] = codec.crc16_bytes

_SEQ_FLAGS = tuple(SequenceFlags)
_ZERO_TIME = CucTime()  # immutable, so every PusTm may share it as its default
_tuple_new = tuple.__new__


def _octet_view(data: object) -> bool:
    """True for a bytearray or a flat memoryview of octets: `len` counts what `struct` reads."""
    kind = type(data)
    return kind is bytearray or (
        kind is memoryview
        and data.format == "B"  # type: ignore[attr-defined]
        and data.ndim == 1  # type: ignore[attr-defined]
        and data.c_contiguous  # type: ignore[attr-defined]
    )


def _check(*limits: tuple[str, int, int]) -> None:
    """Raise FieldRangeError for the first (name, value, high) whose value is out of 0..high."""
    for name, value, high in limits:
        if not 0 <= value <= high:
            raise FieldRangeError(name, 0, high, value)


class _Value:
    """What the packet NamedTuples add to a tuple: equal only to their own kind, and every
    copy made through the constructor, so its checks hold for every instance."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and super().__eq__(other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = tuple.__hash__

    @classmethod
    def _make(cls, iterable: Iterable[Any]) -> Self:
        return cls(*iterable)

    def _replace(self, **changes: Any) -> Self:
        return type(self)(**(self._asdict() | changes))  # type: ignore[attr-defined]


class _TcFields(NamedTuple):
    apid: int
    service: int
    subtype: int
    app_data: bytes = b""
    seq_count: int = 0
    source_id: int = 0
    ack_flags: int = 0b1111
    seq_flags: SequenceFlags = SequenceFlags.UNSEGMENTED


class PusTc(_Value, _TcFields):  # type: ignore[misc]  # _Value's _make checks the fields
    """A PUS-C telecommand with its CRC-16 packet error control.

    >>> ping = PusTc(apid=100, service=17, subtype=1)
    >>> PusTc.unpack(ping.pack()) == ping
    True
    """

    __slots__ = ()

    def __new__(  # noqa: PLR0917 - the fields may come positionally, as a NamedTuple's do
        cls,
        apid: int,
        service: int,
        subtype: int,
        app_data: bytes = b"",
        seq_count: int = 0,
        source_id: int = 0,
        ack_flags: int = 0b1111,
        seq_flags: SequenceFlags = SequenceFlags.UNSEGMENTED,
    ) -> Self:
        if not isinstance(app_data, bytes):
            app_data = bytes(app_data)
        if not (
            0 <= apid <= 0x7FF
            and 0 <= seq_count <= 0x3FFF
            and 0 <= service <= 0xFF
            and 0 <= subtype <= 0xFF
            and 0 <= source_id <= 0xFFFF
            and 0 <= ack_flags <= 0x0F
            and len(app_data) <= 65529
        ):
            _check(
                ("apid", apid, 0x7FF),
                ("sequence_count", seq_count, 0x3FFF),
                ("service", service, 0xFF),
                ("subtype", subtype, 0xFF),
                ("source_id", source_id, 0xFFFF),
                ("ack_flags", ack_flags, 0x0F),
                ("app_data_length", len(app_data), 65529),
            )
        return _tuple_new(
            cls, (apid, service, subtype, app_data, seq_count, source_id, ack_flags, seq_flags)
        )

    @property
    def header(self) -> SpacePacketHeader:
        """The primary header this telecommand packs with."""
        return SpacePacketHeader(
            PacketType.TC, self.apid, self.seq_count, len(self.app_data) + 6, True, self.seq_flags
        )

    def pack(self) -> bytes:
        """Return the whole packet, CRC included."""
        apid, service, subtype, app_data, seq_count, source_id, ack_flags, seq_flags = self
        try:
            body = (
                _TC_HEAD.pack(
                    _TC_WORD0 | apid,
                    (seq_flags << 14) | seq_count,
                    len(app_data) + 6,
                    _PUS_C | ack_flags,
                    service,
                    subtype,
                    source_id,
                )
                + app_data
            )
        except _REFUSED:
            return codec.pus_tc_pack(  # type: ignore[no-any-return]
                apid, int(seq_flags), seq_count, ack_flags, service, subtype, source_id, app_data
            )
        return body + _crc16_bytes(body, len(body), 0xFFFF).to_bytes(2, "big")

    @classmethod
    def unpack(cls, data: Buffer) -> Self:
        """Decode one telecommand that fills all of `data`, checking its CRC.

        Raises:
            CodecError: a subclass naming the offending field and its offset.
        """
        if type(data) is bytes:
            n = len(data)
        elif _octet_view(data):
            data = bytes(data)  # one copy, which the application data would need anyway
            n = len(data)
        else:
            n = 0
        if n >= _TC_MIN:
            word0, word1, length, pus, service, subtype, source = _tc_head(data)
            # the CRC over a packet that ends in its own CRC leaves 0
            if (
                word0 & _TYPE_MASK == _TC_WORD0
                and length + 7 == n
                and pus & 0xF0 == _PUS_C
                and not _crc16_bytes(data, n, 0xFFFF)  # type: ignore[arg-type]  # bytes by now
            ):
                return _tuple_new(
                    cls,
                    (
                        word0 & 0x7FF,
                        service,
                        subtype,
                        data[11 : n - 2],
                        word1 & 0x3FFF,
                        source,
                        pus & 0x0F,
                        _SEQ_FLAGS[word1 >> 14],
                    ),
                )
        # off the common path: the backend decodes it, or raises the error it finds
        apid, flags, count, ack, service, subtype, source, start, size = codec.pus_tc_unpack(data)
        app_data = bytes(data[start : start + size])
        # the codec has checked every field: no need to check them again
        return _tuple_new(
            cls, (apid, service, subtype, app_data, count, source, ack, _SEQ_FLAGS[flags])
        )


def _pfield_time_length(data: Buffer) -> int:
    """Octets of a P-field CUC at the TM time offset, as far as the octets present tell."""
    if len(data) <= _TM_TIME_OFFSET:
        return 1
    first = data[_TM_TIME_OFFSET]
    length = 1 + ((first >> 2) & 0x03) + 1 + (first & 0x03)
    if first & 0x80:
        length += 1
        if len(data) > _TM_TIME_OFFSET + 1:
            second = data[_TM_TIME_OFFSET + 1]
            length += ((second >> 5) & 0x03) + ((second >> 2) & 0x07)
    return length


class _TmFields(NamedTuple):
    apid: int
    service: int
    subtype: int
    source_data: bytes = b""
    seq_count: int = 0
    msg_counter: int = 0
    dest_id: int = 0
    time: CucTime = _ZERO_TIME
    time_ref_status: int = 0
    seq_flags: SequenceFlags = SequenceFlags.UNSEGMENTED


class PusTm(_Value, _TmFields):  # type: ignore[misc]  # _Value's _make checks the fields
    """A PUS-C telemetry packet with its CRC-16 packet error control.

    >>> tm = PusTm(apid=100, service=17, subtype=2, time=CucTime(coarse=42))
    >>> PusTm.unpack(tm.pack()) == tm
    True
    """

    __slots__ = ()

    def __new__(  # noqa: PLR0917 - the fields may come positionally, as a NamedTuple's do
        cls,
        apid: int,
        service: int,
        subtype: int,
        source_data: bytes = b"",
        seq_count: int = 0,
        msg_counter: int = 0,
        dest_id: int = 0,
        time: CucTime = _ZERO_TIME,
        time_ref_status: int = 0,
        seq_flags: SequenceFlags = SequenceFlags.UNSEGMENTED,
    ) -> Self:
        if not isinstance(source_data, bytes):
            source_data = bytes(source_data)
        if not (
            0 <= apid <= 0x7FF
            and 0 <= seq_count <= 0x3FFF
            and 0 <= service <= 0xFF
            and 0 <= subtype <= 0xFF
            and 0 <= msg_counter <= 0xFFFF
            and 0 <= dest_id <= 0xFFFF
            and 0 <= time_ref_status <= 0x0F
        ):
            _check(
                ("apid", apid, 0x7FF),
                ("sequence_count", seq_count, 0x3FFF),
                ("service", service, 0xFF),
                ("subtype", subtype, 0xFF),
                ("msg_counter", msg_counter, 0xFFFF),
                ("dest_id", dest_id, 0xFFFF),
                ("time_ref_status", time_ref_status, 0x0F),
            )
        return _tuple_new(
            cls,
            (
                apid,
                service,
                subtype,
                source_data,
                seq_count,
                msg_counter,
                dest_id,
                time,
                time_ref_status,
                seq_flags,
            ),
        )

    @property
    def header(self) -> SpacePacketHeader:
        """The primary header this telemetry packet packs with."""
        data_length = 7 + self.time.length + len(self.source_data) + 2 - 1
        return SpacePacketHeader(
            PacketType.TM, self.apid, self.seq_count, data_length, True, self.seq_flags
        )

    def pack(self) -> bytes:
        """Return the whole packet, CRC included."""
        apid, service, subtype, source_data, seq_count, counter, dest_id, time, ref, flags = self
        stamp = time.packed
        try:
            body = (
                _TM_HEAD.pack(
                    _TM_WORD0 | apid,
                    (flags << 14) | seq_count,
                    len(stamp) + len(source_data) + 8,  # a length past 0xFFFF is refused
                    _PUS_C | ref,
                    service,
                    subtype,
                    counter,
                    dest_id,
                )
                + stamp
                + source_data
            )
        except _REFUSED:
            return codec.pus_tm_pack(  # type: ignore[no-any-return]
                apid,
                int(flags),
                seq_count,
                ref,
                service,
                subtype,
                counter,
                dest_id,
                stamp,
                source_data,
            )
        return body + _crc16_bytes(body, len(body), 0xFFFF).to_bytes(2, "big")

    @classmethod
    def unpack(
        cls,
        data: Buffer,
        *,
        coarse_octets: int = 4,
        fine_octets: int = 2,
        pfield: bool = False,
        time_code_id: int = EPOCH_CCSDS,
    ) -> Self:
        """Decode one telemetry packet that fills all of `data`, checking its CRC.

        The time field's format is mission-defined: give it (`time_code_id` names the epoch
        of a time without a P-field), or set `pfield` when the time carries its own P-field.

        Raises:
            CodecError: a subclass naming the offending field and its offset.
        """
        time_len = _pfield_time_length(data) if pfield else coarse_octets + fine_octets
        fields = codec.pus_tm_unpack(data, time_len)
        apid, flags, count, ref, service, subtype, counter, dest, t_off, start, size = fields
        coarse, fine, n_coarse, n_fine, code_id, length = codec.cuc_unpack(
            data, t_off, coarse_octets, fine_octets, pfield
        )
        if length != time_len:
            raise LengthError("cuc_time", t_off, time_len, length)
        time = CucTime(coarse, fine, n_coarse, n_fine, pfield, code_id if pfield else time_code_id)
        source_data = bytes(data[start : start + size])
        fields = (apid, service, subtype, source_data, count, counter, dest, time)
        # the codec has checked every field: no need to check them again
        return _tuple_new(cls, (*fields, ref, _SEQ_FLAGS[flags]))
